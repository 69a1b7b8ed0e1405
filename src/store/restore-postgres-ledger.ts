import { sql } from 'kysely';
import { describePostgresUrl } from '../config/index.js';
import { LedgerFileError } from '../errors.js';
import { copyTable, moveIdentities } from './copy-ledger.js';
import { ledgerTableCounts } from './ledger-copy-proof.js';
import { LEDGER_TABLES } from './ledger-copy-tables.js';
import { LedgerStore } from './ledger-opener.js';
import type { LedgerTx } from './ledger-store.js';
import { boundTo } from './query-builder.js';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';

/**
 * `restore` of a PostgreSQL ledger (issue 73): the rows of every ledger table replaced by those of a ledgerline
 * SQLite ledger (the file `migrate --to` left behind as its backup, or a copy of it), in ONE transaction, so the
 * database holds either the books as they were or the backup's, whole. The append-only rules are lifted only to
 * empty the tables (ALTER TABLE … DISABLE TRIGGER USER, which the tables' owner may do) and are back on before a
 * row of the backup is written, so the copy is checked as `migrate --to`'s is (each entry's balance at commit), and
 * proved: each table's rows counted on both sides, else rolled back. The ledger's identity stays the database's
 * own. Example: a ledger of 97 entries restored from the file sealed at 95 → 95 entries, nothing else changed.
 */
export async function restorePostgresLedger(from: string, to: string): Promise<void> {
  const source = await SqliteLedgerStore.open(from, { readOnly: true });
  try {
    const target = await LedgerStore.openAt(to);
    try {
      await target.unitOfWork((targetTx) =>
        source.unitOfWork(async (sourceTx) => {
          await emptyLedgerTables(targetTx);
          for (const table of LEDGER_TABLES) await copyTable(sourceTx, targetTx, table);
          await moveIdentities(targetTx);
          await targetTx.run(boundTo(targetTx, sql`SET CONSTRAINTS ALL IMMEDIATE`));
          const [given, copied] = [await ledgerTableCounts(sourceTx), await ledgerTableCounts(targetTx)];
          const unequal = given.filter((count, index) => copied[index]?.rows !== count.rows).map((c) => c.table);
          if (unequal.length > 0)
            throw new LedgerFileError(
              `restore of ${describePostgresUrl(to)} from ${from} rolled back: ${unequal.join(', ')} ` +
                'did not come across whole; nothing was changed',
            );
        }),
      );
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

/** Every ledger table emptied under an exclusive lock, its append-only triggers off only for the TRUNCATE. */
async function emptyLedgerTables(target: LedgerTx): Promise<void> {
  const tables = sql.join(LEDGER_TABLES.map((table) => sql.table(table.name)));
  await target.run(boundTo(target, sql`LOCK TABLE ${tables} IN ACCESS EXCLUSIVE MODE`));
  for (const { name } of LEDGER_TABLES)
    await target.run(boundTo(target, sql`ALTER TABLE ${sql.table(name)} DISABLE TRIGGER USER`));
  await target.run(boundTo(target, sql`TRUNCATE ${tables}`));
  for (const { name } of LEDGER_TABLES)
    await target.run(boundTo(target, sql`ALTER TABLE ${sql.table(name)} ENABLE TRIGGER USER`));
}
