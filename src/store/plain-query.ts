import type { Compilable, CompiledQuery } from 'kysely';

/**
 * A read written as plain SQL text with no parameters, the same on SQLite and PostgreSQL, run by the store as a
 * query kysely built is (each executor reads only a compiled query's `sql` and `parameters`): a read that every
 * command makes (the ledger's identity) or that a small command is made of (the trial balance) builds no query,
 * and the CLI then loads no kysely.
 */
export function plainQuery<Row>(sql: string): Compilable<Row> {
  const compiled = { sql, parameters: [] } as Pick<CompiledQuery<Row>, 'sql' | 'parameters'> as CompiledQuery<Row>;
  return { compile: () => compiled };
}
