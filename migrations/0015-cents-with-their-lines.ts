import type { Kysely } from 'kysely';
import { runStatements } from './postgres-rules.js';

/**
 * The cents a journal line renders to, stored on the line itself. Until now every rendered line was a row of
 * rendered_lines, a second row per line beside the exact one: a third of what an append wrote. From here on an
 * appended entry keeps its lines' cents in journal_lines.cents (0 for a line that rounds away to nothing) and
 * writes to rendered_lines only the rounding lines that follow them (numbered after its last line). An entry
 * booked before keeps its rendered lines where they are, all in rendered_lines, and its lines' cents stay
 * NULL: no row is rewritten, and every reader takes a line's cents from whichever of the two holds them.
 * Example: Dr expense 1.234567, Cr prepaid 1.234567 → journal_lines.cents 123 and −123, no rendered_lines row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`ALTER TABLE journal_lines ADD COLUMN cents INTEGER`]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`ALTER TABLE journal_lines ADD COLUMN cents BIGINT`]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
