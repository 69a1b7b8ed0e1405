import type Database from 'better-sqlite3';
import { sql, type RawBuilder } from 'kysely';
import type { RowStatement } from './ledger-store.js';

/** A placeholder the compiled text of a RowStatement's one row holds (`?`); each row's values are bound to them. */
const ROW_VALUE = sql`${null}`;

/**
 * A RowStatement as SQLite runs it, once per row (see RowStatement): a plain insert as `INSERT OR FAIL …
 * VALUES (?, …)`, `rowsPerInsert` rows of them at a time; an update by key as `UPDATE OR FAIL … SET a = ? WHERE k = ?`; any other statement over one
 * row of `?`, one per column, `(SELECT ? AS name, …) AS incoming`, with `OR FAIL` after its verb.
 */
export function sqliteRowStatement(statement: RowStatement, rowsPerInsert = 1): RawBuilder<unknown> {
  if (statement.insert) {
    const { table, tail, shared } = statement.insert;
    const names = sql.join(statement.columns.map(([name]) => sql.ref(name)));
    const placeholders = sql`(${sql.join(
      statement.columns.map((_, index) => (shared.includes(index) ? sql.raw(sharedName(index)) : ROW_VALUE)),
    )})`;
    return sql`INSERT OR FAIL INTO ${sql.table(table)} (${names}) VALUES ${sql.join(Array.from({ length: rowsPerInsert }, () => placeholders))} ${tail}`;
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

/** The named parameter (`:s3`) a shared column of a plain insert binds once a statement, as better-sqlite3 names it. */
function sharedName(column: number): string {
  return `:s${column}`;
}

/** Rows a plain insert binds per statement (insertEach): 32 took a third off an append's inserts, 128 no more. */
export const ROWS_PER_INSERT = 32;

/**
 * A plain insert's prepared forms by the rows each binds: ROWS_PER_INSERT, and the powers of two below it for the
 * rows left over, each prepared on first use. A chunk's last 31 rows run as at most five statements, not 31.
 */
export class PreparedInsert {
  private readonly byRows: (Database.Statement | undefined)[] = [];

  constructor(private readonly prepare: (rows: number) => Database.Statement) {}

  /** The statement binding `rows` rows. */
  of(rows: number): Database.Statement {
    return this.byRows[rows] ?? (this.byRows[rows] = this.prepare(rows));
  }
}

/**
 * Runs a plain insert for every row, ROWS_PER_INSERT rows a statement and the rest in statements of fewer rows
 * (PreparedInsert), each row `width` values: every run is a call into SQLite and a fresh start of its program.
 * OR FAIL keeps the rows before a refused one, as when each row was a statement of its own.
 */
export function insertEach(
  prepared: PreparedInsert,
  width: number,
  rows: Iterable<readonly unknown[]>,
  shared: readonly number[] = [],
): number {
  let changes = 0;
  batches(width, shared, rows, (rowCount, values, named) => {
    changes += (named ? prepared.of(rowCount).run(...values, named) : prepared.of(rowCount).run(...values)).changes;
  });
  return changes;
}

/**
 * As insertEach, for an insert with RETURNING: every row it returned. SQLite returns a statement's rows in
 * no promised order, so neither are these (an upsert that returns the ids it stored is read as a set).
 */
export function insertEachReturning<Row>(
  prepared: PreparedInsert,
  width: number,
  rows: Iterable<readonly unknown[]>,
  shared: readonly number[] = [],
): Row[] {
  const returned: Row[] = [];
  batches(width, shared, rows, (rowCount, values, named) => {
    const statement = prepared.of(rowCount);
    for (const row of named ? statement.all(...values, named) : statement.all(...values)) returned.push(row as Row);
  });
  return returned;
}

/** A run of a plain insert: its rows' values, and its shared columns' by name when it has any (sqliteRowStatement). */
type BatchRun = (rowCount: number, values: unknown[], named?: Record<string, unknown>) => void;

/** The rows in batches (inBatches), or in sharedBatches when the insert binds shared columns once a statement. */
function batches(width: number, shared: readonly number[], rows: Iterable<readonly unknown[]>, run: BatchRun): void {
  if (shared.length === 0) inBatches(width, rows, run);
  else sharedBatches(width, shared, rows, run);
}

/**
 * Hands the rows' values on ROWS_PER_INSERT rows at a time, then the rest in the powers of two they are made of
 * (21 rows: 16, 4 and 1), in order. The runs spread them as arguments: better-sqlite3 reads an array's elements
 * through V8's API, about 420 instructions each, a tenth of what an append's statements cost (callgrind).
 */
function inBatches(width: number, rows: Iterable<readonly unknown[]>, run: BatchRun): void {
  const values: unknown[] = new Array(width * ROWS_PER_INSERT);
  let filled = 0;
  for (const row of rows) {
    for (let column = 0; column < width; column += 1) values[filled++] = row[column];
    if (filled === values.length) {
      run(ROWS_PER_INSERT, values);
      filled = 0;
    }
  }
  runRest(width, values, filled, run);
}

/** The rows of a batch filled short of ROWS_PER_INSERT, in the powers of two they are made of, in order. */
function runRest(width: number, values: unknown[], filled: number, run: BatchRun, named?: Record<string, unknown>) {
  let start = 0;
  for (let rowCount = ROWS_PER_INSERT / 2; rowCount >= 1; rowCount /= 2) {
    if (filled - start < rowCount * width) continue;
    run(rowCount, values.slice(start, (start += rowCount * width)), named);
  }
}

/**
 * As inBatches, for an insert whose `shared` columns are bound by name once a statement: each batch binds only
 * the other columns row by row. A row whose shared values differ from its batch's ends that batch where it is
 * (runRest), so the rows keep their order and each is written with its own values.
 */
function sharedBatches(
  width: number,
  shared: readonly number[],
  rows: Iterable<readonly unknown[]>,
  run: BatchRun,
): void {
  const own = Array.from({ length: width }, (_, column) => column).filter((column) => !shared.includes(column));
  const values: unknown[] = new Array(own.length * ROWS_PER_INSERT);
  const current: unknown[] = [];
  let named: Record<string, unknown> | undefined;
  let filled = 0;
  for (const row of rows) {
    if (named !== undefined && differs(shared, current, row)) {
      runRest(own.length, values, filled, run, named);
      filled = 0;
      named = undefined;
    }
    if (named === undefined) {
      named = {};
      for (const [index, column] of shared.entries()) named[sharedName(column).slice(1)] = current[index] = row[column];
    }
    for (const column of own) values[filled++] = row[column];
    if (filled === values.length) {
      run(ROWS_PER_INSERT, values, named);
      filled = 0;
    }
  }
  runRest(own.length, values, filled, run, named);
}

/** Whether `row` gives any `shared` column another value than `current` holds (a loop: no closure a row). */
function differs(shared: readonly number[], current: readonly unknown[], row: readonly unknown[]): boolean {
  for (let index = 0; index < shared.length; index += 1) if (row[shared[index]!] !== current[index]) return true;
  return false;
}
