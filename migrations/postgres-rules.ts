import { sql, type Kysely } from 'kysely';

/**
 * The PostgreSQL side of the migrations: the same tables under the same
 * migration names, with the rules SQLite's triggers keep written as PL/pgSQL.
 *
 * Text is `COLLATE "C"` so that ORDER BY and comparisons go byte by byte as in
 * SQLite, whatever locale the database was created with: exports stay the same
 * bytes on both engines.
 */
export const TEXT = 'TEXT COLLATE "C"';

/** SQLite's `INTEGER PRIMARY KEY AUTOINCREMENT`: ever-growing, never reused, set by the database alone. */
export const IDENTITY = 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY';

/**
 * One trigger function for every refusal: it raises the message its trigger
 * names, the very wording of the SQLite trigger, as an integrity violation.
 */
export const REFUSE_FUNCTION = `CREATE FUNCTION ledgerline_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'integrity_constraint_violation';
  END $$`;

/** A trigger that refuses `statement` on `table` with `message`. */
export function refusal(name: string, statement: string, table: string, message: string): string {
  const level = statement === 'TRUNCATE' ? 'STATEMENT' : 'ROW';
  return `CREATE TRIGGER ${name} BEFORE ${statement} ON ${table} FOR EACH ${level} EXECUTE FUNCTION ledgerline_refuse(${quoted(message)})`;
}

/**
 * UPDATE and DELETE refused as SQLite refuses them, and TRUNCATE too: it skips
 * row triggers, and SQLite has nothing like it.
 */
export function appendOnlyTriggers(
  table: string,
  messages: { UPDATE: string; DELETE: string; TRUNCATE: string },
): string[] {
  return (['UPDATE', 'DELETE', 'TRUNCATE'] as const).map((statement) =>
    refusal(`${table}_no_${statement.toLowerCase()}`, statement, table, messages[statement]),
  );
}

/** `appendOnlyTriggers` with SQLite's usual wording: "<subject> append-only: <STATEMENT> refused". */
export function appendOnly(table: string, subject: string): string[] {
  return appendOnlyTriggers(table, {
    UPDATE: `${subject} append-only: UPDATE refused`,
    DELETE: `${subject} append-only: DELETE refused`,
    TRUNCATE: `${subject} append-only: TRUNCATE refused`,
  });
}

export async function runStatements(db: Kysely<unknown>, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

function quoted(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
