import { sql, type Compilable, type MigrationResult, type RawBuilder } from 'kysely';

/**
 * The ledger database as the repositories see it: queries built with kysely (through queryBuilder, so they
 * compile for the store's dialect) and run asynchronously, and units of work. The interface hands out no query
 * builder: code above the store reaches the ledger through the repositories' domain verbs. Nothing here names SQLite: the
 * SQLite executor (sqlite-ledger-store.ts) is one implementation, a PostgreSQL one can be another, and no
 * repository changes between them. The store itself only reads: every write runs through the `tx` of a unit
 * of work (LedgerTx), and a write statement on the store itself is refused as the bug it is, never run alone
 * nor left waiting for an open unit (unit-of-work.ts, refusedOutsideUnit).
 */
export interface LedgerStore {
  /** Where the ledger is, as errors name it. */
  readonly path: string;
  readonly readOnly: boolean;

  all<Row>(query: Compilable<Row>): Promise<Row[]>;
  /** As `all`, each row an array of its columns in the order selected: a year's 2,190 daily movements cost 4 ms as objects, 2 ms as arrays. */
  allArrays(query: Compilable<unknown>): Promise<unknown[][]>;
  first<Row>(query: Compilable<Row>): Promise<Row | undefined>;
  /** Rows one at a time: exports and reports over millions of lines never hold them all. */
  iterate<Row>(query: Compilable<Row>): AsyncIterable<Row>;
  /** As `iterate`, each row an array of its columns in the order selected: no object is built per row. */
  iterateArrays(query: Compilable<unknown>): AsyncIterable<unknown[]>;
  /** As `iterateArrays`, up to `rowsPerChunk` rows at a time: an export of a million lines awaits once per chunk, not once per row. */
  iterateArrayChunks(query: Compilable<unknown>, rowsPerChunk: number): AsyncIterable<unknown[][]>;
  /**
   * Runs `work` atomically: everything it writes through `tx` commits together or not at all, and a full disk or
   * a damaged page during it or at the commit comes out as one error naming the ledger. `tx` is bound to the
   * unit's transaction (as kysely's `Transaction`): every statement on it runs inside the unit, whatever async
   * context calls it, and `tx.unitOfWork` joins it. A read on the store itself never runs inside a unit:
   * on SQLite it waits until the open unit has finished (so called from inside that unit's work it never
   * returns: use `tx`), on PostgreSQL it runs at once on a pooled connection and sees what has been committed.
   * `tx` used after its unit has ended refuses, as a bug (unit-of-work.ts).
   */
  unitOfWork<T>(work: (tx: LedgerTx) => Promise<T>): Promise<T>;
  /** The database's own check of every page: undefined when sound, else the first problems it names. */
  integrityProblem(): Promise<string | undefined>;
  /** Applies every pending migration; returns what ran (empty when already current). */
  migrate(): Promise<MigrationResult[]>;
  close(): Promise<void>;
}

/**
 * A unit of work's `tx`: the store's reads and its writes, every one in the unit's transaction. The writes are
 * properties, not methods, so their parameters are checked strictly: the store itself, whose writes take nothing, is no LedgerTx.
 */
export interface LedgerTx extends LedgerStore {
  readonly run: (query: Compilable<unknown>) => Promise<{ changes: number }>;
  /**
   * One write repeated for many rows, in one call: each row's values are bound, in order, to the columns of the
   * statement's `rows` (see RowStatement), never written into SQL text. Returns how many rows it changed in all.
   * A row's values are copied out before the next row is asked for, so `rows` may hand the same array on refilled.
   */
  readonly runEach: (statement: RowStatement, rows: Iterable<readonly unknown[]>) => Promise<number>;
  /** As runEach, for a statement with RETURNING: every row it returned, for all the rows, in no promised order (SQLite promises none within a statement). */
  readonly returningEach: <Row>(statement: RowStatement, rows: Iterable<readonly unknown[]>) => Promise<Row[]>;
}

/** The PostgreSQL type of a RowStatement column: the element type of the array its values travel in. */
type RowColumnType = 'text' | 'bigint';

/**
 * A write repeated for many rows (LedgerStore.runEach): a statement written over `rows`, a table of the named,
 * typed columns each row gives values for. Each engine makes `rows` its own way. SQLite, one connection in the
 * process, prepares the statement once over one row of `?` (`(SELECT ? AS name, …) AS incoming`, or a plain
 * `VALUES (?, …)` for insertRows) and runs it per row. PostgreSQL sends thousands of rows in one round trip as one bound array per column
 * (`unnest($1::text[], $2::bigint[], …) AS incoming(name, …)`): no value is quoted into the text, and the
 * statement is the same whatever the number of rows, so the server parses it once per connection.
 * `rows` is named `incoming`, so a statement refers to a row's values as `incoming.name`. A statement writes
 * `WHERE true` after `FROM ${rows}` before an ON CONFLICT (SQLite's parser needs it to tell the upsert from a join),
 * and `orFail` right after its INSERT or UPDATE: SQLite's `OR FAIL`, nothing on PostgreSQL. FAIL keeps the rows a
 * statement wrote before a refused one, as the statements before it do, so SQLite keeps no statement journal
 * (ABORT copies every touched page into one on a table with triggers, migration 0011) and a unit of work that
 * fails still commits none of them.
 */
export interface RowStatement {
  readonly columns: readonly (readonly [name: string, type: RowColumnType])[];
  /** The statement over `rows`; `values` is its columns as `incoming.name, …`, the SELECT list of an INSERT; `orFail` follows its verb. */
  readonly over: (
    rows: RawBuilder<unknown>,
    values: RawBuilder<unknown>,
    orFail: RawBuilder<unknown>,
  ) => RawBuilder<unknown>;
  /**
   * Set for a plain insert of each row (insertRows): SQLite runs it as INSERT … VALUES instead of over one row;
   * `shared`, the indexes of the columns it binds once a statement while the rows give them the same value.
   */
  readonly insert?: { readonly table: string; readonly tail: RawBuilder<unknown>; readonly shared: readonly number[] };
  /** Set for an update of each row by its key (updateRows): SQLite runs it as UPDATE … SET … WHERE instead of over one row. */
  readonly update?: {
    readonly table: string;
    readonly set: readonly string[];
    readonly key: readonly string[];
    readonly condition: RawBuilder<unknown>;
  };
}

/** A RowStatement: the columns of its rows by name and type, in the order the rows give them, and the statement over them. */
export function rowStatement(
  columns: Readonly<Record<string, RowColumnType>>,
  over: RowStatement['over'],
): RowStatement {
  return { columns: Object.entries(columns), over };
}

/**
 * A RowStatement that inserts each row into `table`, its columns in the order given, with `tail` after the
 * rows (an ON CONFLICT clause, a RETURNING list). SQLite runs it as `INSERT … VALUES (?, …), (?, …)`, many rows
 * a statement (sqlite-row-statement.ts insertEach): the journal's append writes three rows an entry, and each
 * run of a statement costs a call into SQLite; PostgreSQL sends the rows through unnest like any RowStatement.
 * `shared` names the columns most calls give one value in every row (a run's id, its time): SQLite binds each
 * once a statement, not once a row, while the rows agree, and starts a new statement where they do not.
 */
export function insertRows<Columns extends Readonly<Record<string, RowColumnType>>>(
  table: string,
  columns: Columns,
  tail: RawBuilder<unknown> = sql``,
  shared: readonly (keyof Columns & string)[] = [],
): RowStatement {
  const names = sql.join(Object.keys(columns).map((name) => sql.ref(name)));
  return {
    columns: Object.entries(columns),
    over: (rows, values, orFail) =>
      sql`INSERT ${orFail} INTO ${sql.table(table)} (${names}) SELECT ${values} FROM ${rows} WHERE true ${tail}`,
    insert: { table, tail, shared: shared.map((name) => Object.keys(columns).indexOf(name)) },
  };
}

/**
 * A RowStatement that updates, in `table`, the row each row names by its `key` columns, setting its `set`
 * columns; each row gives the values of `set` then of `key`, in the order given. Only a row that also meets
 * `condition` (written over the table's own columns) changes. SQLite runs it as `UPDATE … SET a = ? WHERE
 * k = ?`, a fifth faster per row than the same update from a one-row subquery (a first import updates each
 * order's state and links each event to its entry); PostgreSQL sends the rows through unnest like any RowStatement.
 */
export function updateRows(
  table: string,
  columns: { set: Readonly<Record<string, RowColumnType>>; key: Readonly<Record<string, RowColumnType>> },
  condition: RawBuilder<unknown> = sql`true`,
): RowStatement {
  const set = Object.keys(columns.set);
  const key = Object.keys(columns.key);
  const target = sql.table(table);
  return {
    columns: [...Object.entries(columns.set), ...Object.entries(columns.key)],
    over: (rows, _values, orFail) =>
      sql`UPDATE ${orFail} ${target} SET ${sql.join(set.map((name) => sql`${sql.ref(name)} = ${sql.ref(`incoming.${name}`)}`))} FROM ${rows}
WHERE ${sql.join(
        key.map((name) => sql`${sql.ref(`${table}.${name}`)} = ${sql.ref(`incoming.${name}`)}`),
        sql` AND `,
      )} AND ${condition}`,
    update: { table, set, key, condition },
  };
}
