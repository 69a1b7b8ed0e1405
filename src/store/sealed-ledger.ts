import { LedgerSealedError } from '../errors.js';
import type { LedgerTx } from './ledger-store.js';
import { plainQuery } from './plain-query.js';

/**
 * What the seal's triggers raise, the destination and the time in it: SQLite's RAISE takes only a literal,
 * so each trigger is written with them when the ledger is sealed.
 */
const SEALED_REFUSAL = /^ledger sealed: moved to (\S+) at (\S+)$/;

/**
 * Makes the SQLite file itself refuse every write once sealed: a trigger before each INSERT, UPDATE and DELETE
 * of every table, so a process that opened the ledger before `migrate --to` (a panel proxy, a webhook receiver)
 * is refused at its next write rather than writing into a file nobody reads again. A connection already open
 * sees the new triggers at its next statement (SQLite re-prepares a statement whose schema changed).
 * kysely's own tables are left writable: a newer ledgerline may still record its migrations on a sealed file.
 */
export async function refuseWritesOnceSealed(store: LedgerTx, movedTo: string, movedAt: string): Promise<void> {
  const tables = await store.all<{ name: string }>(
    plainQuery(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'kysely\\_%' ESCAPE '\\' ORDER BY name",
    ),
  );
  const message = `ledger sealed: moved to ${movedTo} at ${movedAt}`.replace(/'/g, "''");
  for (const { name } of tables) {
    for (const statement of ['INSERT', 'UPDATE', 'DELETE']) {
      await store.run(
        plainQuery(
          `CREATE TRIGGER IF NOT EXISTS "${name}_sealed_${statement.toLowerCase()}" BEFORE ${statement} ` +
            `ON "${name}" BEGIN SELECT RAISE(ABORT, '${message}'); END`,
        ),
      );
    }
  }
}

/** The seal's refusal as the error every command shows, naming the file and where it went; undefined for any other error. */
export function sealedRefusalOf(error: unknown, path: string): LedgerSealedError | undefined {
  const found = error instanceof Error ? SEALED_REFUSAL.exec(error.message) : null;
  return found === null ? undefined : new LedgerSealedError(path, found[1]!, found[2]!);
}
