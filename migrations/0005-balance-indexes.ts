import { sql, type Kysely } from 'kysely';

/**
 * Covering indexes for trial balances: `balances` through the latest entry sums
 * every line per account and currency, and with the amount in the index SQLite
 * reads the index alone, in group order, instead of looking each line up in its
 * table (on a million lines, about 0.5 s per sum instead of 1.3 s). The index on
 * (account, currency) alone is a prefix of the new one and goes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE INDEX journal_lines_by_account_amount ON journal_lines (account, currency, amount_micros)`,
    `DROP INDEX journal_lines_by_account`,
    `CREATE INDEX rendered_lines_by_account_cents ON rendered_lines (account, currency, cents)`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** The same indexes serve PostgreSQL's index-only scans. */
export const upPostgres = up;

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
