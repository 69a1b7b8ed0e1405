import { sql, type RawBuilder } from 'kysely';
import type { RowStatement } from './ledger-store.js';

/** A placeholder the compiled text of a RowStatement's one row holds (`?`); each row's values are bound to them. */
const ROW_VALUE = sql`${null}`;

/**
 * A RowStatement as SQLite runs it, once per row (see RowStatement): a plain insert as `INSERT OR FAIL …
 * VALUES (?, …)`, an update by key as `UPDATE OR FAIL … SET a = ? WHERE k = ?`; any other statement over one
 * row of `?`, one per column, `(SELECT ? AS name, …) AS incoming`, with `OR FAIL` after its verb.
 */
export function sqliteRowStatement(statement: RowStatement): RawBuilder<unknown> {
  if (statement.insert) {
    const { table, tail } = statement.insert;
    const names = sql.join(statement.columns.map(([name]) => sql.ref(name)));
    const placeholders = sql.join(statement.columns.map(() => ROW_VALUE));
    return sql`INSERT OR FAIL INTO ${sql.table(table)} (${names}) VALUES (${placeholders}) ${tail}`;
  }
  if (statement.update) {
    const { table, set, key, condition } = statement.update;
    const assignments = sql.join(set.map((name) => sql`${sql.ref(name)} = ${ROW_VALUE}`));
    const keyed = sql.join(
      key.map((name) => sql`${sql.ref(`${table}.${name}`)} = ${ROW_VALUE}`),
      sql` AND `,
    );
    return sql`UPDATE OR FAIL ${sql.table(table)} SET ${assignments} WHERE ${keyed} AND ${condition}`;
  }
  const oneRow = sql`(SELECT ${sql.join(statement.columns.map(([name]) => sql`${ROW_VALUE} AS ${sql.ref(name)}`))}) AS incoming`;
  const values = sql.join(statement.columns.map(([name]) => sql.ref(`incoming.${name}`)));
  return statement.over(oneRow, values, sql`OR FAIL`);
}
