/**
 * The SQLite side of the rules the migrations share, as postgres-rules.ts holds PostgreSQL's.
 */

/** The two triggers that make a table append-only: history is corrected by new rows, never edited. */
export function appendOnly(table: string, subject: string): string[] {
  return ['UPDATE', 'DELETE'].map(
    (statement) =>
      `CREATE TRIGGER ${table}_no_${statement.toLowerCase()} BEFORE ${statement} ON ${table}
       BEGIN SELECT RAISE(ABORT, '${subject} append-only: ${statement} refused'); END`,
  );
}
