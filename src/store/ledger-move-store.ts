import { sql } from 'kysely';
import { describePostgresUrl } from '../config/index.js';
import { copyLedgerToPostgres, type LedgerCopy } from './copy-ledger.js';
import { entryLineRows, ledgerTableCounts, type EntryLine } from './ledger-copy-proof.js';
import { sealLedger } from './ledger-identity.js';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';
import { refuseWritesOnceSealed } from './sealed-ledger.js';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';

// The move between engines as the store's index names it, one group: `ledgerMove.copyProvenBy(from, to, prove)`, then
// `ledgerMove.sealMoved(from, to, movedAt)`; `ledgerMove.Reads`, what the proof reads of each side.
export { copyLedgerProvenBy as copyProvenBy, sealMovedLedger as sealMoved, type LedgerMoveReads as Reads };

/** What `migrate --to` reads of each side of a copy to prove it (pipeline/operations/move-ledger.ts): the move between engines is the store's. */
interface LedgerMoveReads {
  /** Rows in every ledger table, in the order the copy takes them. */
  tableCounts(): Promise<{ table: string; rows: bigint }[]>;
  /** Debits and credits per account and currency over the whole ledger, micro-units. */
  debitsAndCredits(): Promise<{ account: string; currency: string; debitMicros: bigint; creditMicros: bigint }[]>;
  entryLines(): AsyncIterable<EntryLine>;
}

/** One side of a copy as `migrate --to` reads it. An arrow: it does no I/O itself. */
const ledgerMoveReadsOver = (store: LedgerStore) =>
  ({
    tableCounts: () => ledgerTableCounts(store),
    debitsAndCredits: () => lineDebitsAndCredits(store),
    entryLines: () => entryLineRows(store),
  }) satisfies LedgerMoveReads;

/** copyLedgerToPostgres, its proof handed each side's reads rather than the stores, which stay here. */
async function copyLedgerProvenBy<Proof>(
  from: string,
  to: string,
  prove: (source: LedgerMoveReads, target: LedgerMoveReads) => Promise<{ proof: Proof; equal: boolean }>,
): Promise<LedgerCopy<Proof>> {
  return await copyLedgerToPostgres(from, to, (source, target) =>
    prove(ledgerMoveReadsOver(source), ledgerMoveReadsOver(target)),
  );
}

/**
 * Debits and credits of every account and currency summed from the journal's lines themselves: the copy is proven
 * by what its lines add up to, not by the daily movements copied beside them (a database that changed a line as
 * it took it would leave the movements agreeing). Example: a line of 250.00 to panel_prepaid landing as
 * panel_prepaid_x shows panel_prepaid 250.00 / 0.00 on one side and 0.00 / 0.00 on the other.
 */
async function lineDebitsAndCredits(
  store: LedgerStore,
): Promise<{ account: string; currency: string; debitMicros: bigint; creditMicros: bigint }[]> {
  const query = queryBuilder(store)
    .selectFrom('journal_lines as l')
    .select([
      'l.account',
      'l.currency',
      sql<bigint>`SUM(CASE WHEN l.amount_micros > 0 THEN l.amount_micros ELSE 0 END)`.as('debit'),
      sql<bigint>`SUM(CASE WHEN l.amount_micros < 0 THEN -l.amount_micros ELSE 0 END)`.as('credit'),
    ])
    .groupBy(['l.account', 'l.currency'])
    .orderBy('l.account')
    .orderBy('l.currency');
  return (await store.all(query)).map((row) => ({
    account: row.account,
    currency: row.currency,
    debitMicros: BigInt(row.debit),
    creditMicros: BigInt(row.credit),
  }));
}

/**
 * Seals the SQLite ledger at `from` once its copy in `to` is committed: every writing command then refuses
 * the file, naming `to` without its password, so an old cron on it cannot deliver the same journals again.
 */
async function sealMovedLedger(from: string, to: string, movedAt: string): Promise<string> {
  const movedTo = `postgres://${describePostgresUrl(to)}`;
  const store = await SqliteLedgerStore.open(from);
  try {
    await store.unitOfWork(async (tx) => {
      await sealLedger(tx, movedTo, movedAt);
      await refuseWritesOnceSealed(tx, movedTo, movedAt);
    });
  } finally {
    await store.close();
  }
  return movedTo;
}
