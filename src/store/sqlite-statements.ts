import type Database from 'better-sqlite3';
import type { Compilable, Kysely } from 'kysely';
import type { RowStatement } from './ledger-store.js';
import type { LedgerDatabase } from './schema.js';
import {
  insertEach,
  insertEachReturning,
  ROWS_PER_INSERT,
  sqliteRowStatement,
  type PreparedInsert,
} from './sqlite-row-statement.js';
import { storageErrorOf } from './storage-errors.js';
import type { UnitStatements } from './unit-of-work.js';

/** The one connection's prepared statements, each prepared once and shared by the store and its units of work. */
export class SqliteStatementCache {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly rawStatements = new Map<string, Database.Statement>();
  private readonly rowStatements = new WeakMap<RowStatement, Database.Statement>();
  private readonly batchInserts = new WeakMap<RowStatement, Database.Statement>();

  constructor(
    readonly sqlite: Database.Database,
    private readonly db: Kysely<LedgerDatabase>,
  ) {}

  clear(): void {
    this.statements.clear();
  }

  /** A plain insert prepared for many rows, ROWS_PER_INSERT of them a statement, and for one (see insertEach). */
  preparedInsert(statement: RowStatement): PreparedInsert {
    let batch = this.batchInserts.get(statement);
    if (!batch) {
      batch = this.statement(sqliteRowStatement(statement, ROWS_PER_INSERT).compile(this.db).sql);
      this.batchInserts.set(statement, batch);
    }
    return { batch, single: this.rowStatement(statement) };
  }

  /** The statement SQLite runs once per row for `statement` (sqliteRowStatement), prepared once. */
  rowStatement(statement: RowStatement): Database.Statement {
    let prepared = this.rowStatements.get(statement);
    if (!prepared) {
      prepared = this.statement(sqliteRowStatement(statement).compile(this.db).sql);
      this.rowStatements.set(statement, prepared);
    }
    return prepared;
  }

  /** A cached statement; `raw` ones (rows as arrays) are cached apart, so the others keep giving objects. */
  statement(sql: string, raw = false): Database.Statement {
    const cache = raw ? this.rawStatements : this.statements;
    let statement = cache.get(sql);
    if (!statement) {
      statement = raw ? this.sqlite.prepare(sql).raw(true) : this.sqlite.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  }
}

/**
 * The statements of the SQLite store, run on the one connection once `otherWork` has nothing for them to wait
 * for: the store's own wait for the open unit of work to finish, and a unit's statements wait for nothing (they
 * are that unit). Synchronous underneath: after the wait each runs without another await, so no other unit
 * can begin in between.
 */
export class SqliteStatements implements UnitStatements {
  constructor(
    private readonly cache: SqliteStatementCache,
    private readonly path: string,
    private readonly otherWork: () => Promise<void> | undefined,
  ) {}

  async all<Row>(query: Compilable<Row>): Promise<Row[]> {
    for (let other = this.otherWork(); other; other = this.otherWork()) await other;
    const compiled = query.compile();
    try {
      return this.cache.statement(compiled.sql).all(...(compiled.parameters as unknown[])) as Row[];
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  async allArrays(query: Compilable<unknown>): Promise<unknown[][]> {
    for (let other = this.otherWork(); other; other = this.otherWork()) await other;
    const compiled = query.compile();
    try {
      return this.cache.statement(compiled.sql, true).all(...(compiled.parameters as unknown[])) as unknown[][];
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  async first<Row>(query: Compilable<Row>): Promise<Row | undefined> {
    for (let other = this.otherWork(); other; other = this.otherWork()) await other;
    const compiled = query.compile();
    try {
      return firstRow<Row>(this.cache.statement(compiled.sql), compiled.parameters as unknown[]);
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  async run(query: Compilable<unknown>): Promise<{ changes: number }> {
    for (let other = this.otherWork(); other; other = this.otherWork()) await other;
    const compiled = query.compile();
    try {
      return { changes: this.cache.statement(compiled.sql).run(...(compiled.parameters as unknown[])).changes };
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  iterate<Row>(query: Compilable<Row>): AsyncIterable<Row> {
    return this.rowsOf(() => {
      const compiled = query.compile();
      return this.cache.statement(compiled.sql).iterate(...(compiled.parameters as unknown[])) as IterableIterator<Row>;
    });
  }

  /** A statement of its own, so the cached ones keep giving objects. */
  iterateArrays(query: Compilable<unknown>): AsyncIterable<unknown[]> {
    return this.rowsOf(() => {
      const compiled = query.compile();
      return this.cache.sqlite
        .prepare(compiled.sql)
        .raw(true)
        .iterate(...(compiled.parameters as unknown[])) as IterableIterator<unknown[]>;
    });
  }

  /** As iterateArrays, the rows of each chunk read synchronously: one promise per chunk, not per row. */
  iterateArrayChunks(query: Compilable<unknown>, rowsPerChunk: number): AsyncIterable<unknown[][]> {
    return {
      [Symbol.asyncIterator]: () => {
        let rows: IterableIterator<unknown[]> | undefined;
        return {
          next: async (): Promise<IteratorResult<unknown[][]>> => {
            try {
              if (rows === undefined) {
                for (let other = this.otherWork(); other; other = this.otherWork()) await other;
                const compiled = query.compile();
                rows = this.cache.sqlite
                  .prepare(compiled.sql)
                  .raw(true)
                  .iterate(...(compiled.parameters as unknown[])) as IterableIterator<unknown[]>;
              }
              const chunk: unknown[][] = [];
              for (let next = rows.next(); next.done !== true; next = rows.next()) {
                chunk.push(next.value);
                if (chunk.length === rowsPerChunk) break;
              }
              return chunk.length === 0 ? { done: true, value: undefined } : { done: false, value: chunk };
            } catch (error) {
              throw storageErrorOf(error, this.path);
            }
          },
          return: async (): Promise<IteratorResult<unknown[][]>> => {
            rows?.return?.();
            return { done: true, value: undefined };
          },
        };
      },
    };
  }

  /**
   * A close that books 200,000 orders spent more time building statements than SQLite spent running them,
   * so the rows are bound to one prepared statement, all in this one call (SQLite has no round trip to save).
   */
  async runEach(statement: RowStatement, rows: Iterable<readonly unknown[]>): Promise<number> {
    for (let other = this.otherWork(); other; other = this.otherWork()) await other;
    try {
      if (statement.insert) return insertEach(this.cache.preparedInsert(statement), statement.columns.length, rows);
      const prepared = this.cache.rowStatement(statement);
      let changes = 0;
      for (const values of rows) changes += prepared.run(...values).changes;
      return changes;
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  async returningEach<Row>(statement: RowStatement, rows: Iterable<readonly unknown[]>): Promise<Row[]> {
    for (let other = this.otherWork(); other; other = this.otherWork()) await other;
    try {
      if (statement.insert)
        return insertEachReturning<Row>(this.cache.preparedInsert(statement), statement.columns.length, rows);
      const prepared = this.cache.rowStatement(statement);
      const returned: Row[] = [];
      for (const values of rows) for (const row of prepared.all(...values)) returned.push(row as Row);
      return returned;
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  /** Rows of a statement opened once the connection is free, each error naming the ledger. */
  private rowsOf<Row>(open: () => IterableIterator<Row>): AsyncIterable<Row> {
    return {
      [Symbol.asyncIterator]: () => {
        let rows: IterableIterator<Row> | undefined;
        return {
          next: async (): Promise<IteratorResult<Row>> => {
            try {
              if (rows === undefined) {
                for (let other = this.otherWork(); other; other = this.otherWork()) await other;
                rows = open();
              }
              return rows.next();
            } catch (error) {
              throw storageErrorOf(error, this.path);
            }
          },
          return: async (): Promise<IteratorResult<Row>> => {
            rows?.return?.();
            return { done: true, value: undefined };
          },
        };
      },
    };
  }
}

/**
 * The first row of a statement. A write (INSERT … RETURNING) runs to its end through all(): outside a
 * transaction SQLite commits it when the statement finishes, and a commit refused there (a full disk) is
 * reported only by sqlite3_reset, which get() does not check: get() handed back the id of a row that was
 * never stored, the same id on every refused write, later another reply's.
 */
function firstRow<Row>(statement: Database.Statement, values: readonly unknown[]): Row | undefined {
  return (statement.readonly ? statement.get(...values) : statement.all(...values)[0]) as Row | undefined;
}
