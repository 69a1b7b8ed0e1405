import type { Compilable, CompiledQuery } from 'kysely';

/**
 * A read written as SQLite's own SQL text, run by the store as a query kysely built is (SqliteStatements prepares
 * `sql` once and binds `parameters`; it reads nothing else of a compiled query): a read that every command makes
 * (the ledger's identity) or that a small command is made of (the trial balance) builds no query, and the CLI then
 * loads no kysely. For a SQLite store alone (onSqlite): PostgreSQL's executor runs kysely's compiled queries.
 */
export function sqliteQuery<Row>(sql: string, parameters: readonly unknown[] = []): Compilable<Row> {
  const compiled = { sql, parameters } as Pick<CompiledQuery<Row>, 'sql' | 'parameters'> as CompiledQuery<Row>;
  return { compile: () => compiled };
}
