import type Database from 'better-sqlite3';
import type { Compilable, Kysely } from 'kysely';
import { InvariantViolation } from '../errors.js';
import type { LedgerTx, RowStatement } from './ledger-store.js';
import type { LedgerDatabase } from './schema.js';
import { insertEach, insertEachReturning, PreparedInsert, sqliteRowStatement } from './sqlite-row-statement.js';
import { storageErrorOf } from './storage-errors.js';
import type { UnitStatements } from './unit-of-work.js';

/** The one connection's prepared statements, each prepared once and shared by the store and its units of work. */
export class SqliteStatementCache {
  /** The prepared statements by their SQL. */
  private readonly statements = new Map<string, Database.Statement>();
  private readonly rawStatements = new Map<string, Database.Statement>();
  /** The row statements (rowStatement) and prepared inserts (preparedInsert) by their RowStatement. */
  private readonly rowStatements = new WeakMap<RowStatement, Database.Statement>();
  private readonly inserts = new WeakMap<RowStatement, PreparedInsert>();
  /** The unit of work holding the connection, while one is open. */
  busy: SqliteUnit | undefined;

  constructor(
    readonly sqlite: Database.Database,
    /** The store's kysely handle, made when first asked for (a row statement's text is compiled with it). */
    private readonly db: () => Kysely<LedgerDatabase>,
  ) {}

  clear(): void {
    this.statements.clear();
  }

  /** A plain insert prepared for ROWS_PER_INSERT rows a statement and for fewer (see insertEach), each form once. */
  preparedInsert(statement: RowStatement): PreparedInsert {
    let prepared = this.inserts.get(statement);
    if (!prepared) {
      prepared = new PreparedInsert((rows) =>
        rows === 1
          ? this.rowStatement(statement)
          : this.statement(sqliteRowStatement(statement, rows).compile(this.db()).sql),
      );
      this.inserts.set(statement, prepared);
    }
    return prepared;
  }

  /** The statement SQLite runs once per row for `statement` (sqliteRowStatement), prepared once. */
  rowStatement(statement: RowStatement): Database.Statement {
    let prepared = this.rowStatements.get(statement);
    if (!prepared) {
      prepared = this.statement(sqliteRowStatement(statement).compile(this.db()).sql);
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

/** A unit of work holding the connection: its end, which the store's own statements wait for. */
interface SqliteUnit {
  readonly finished: Promise<void>;
}

/**
 * The statements of the SQLite store or of one of its units of work, run on the one connection once it is
 * their turn: `unit` is the unit they belong to (undefined: the store's own). While the connection's holder
 * (`cache.busy`) is their unit they run at once; the store's own wait until no unit holds it, and a unit's,
 * once that unit has ended, are refused (waitTurn). Synchronous underneath: after the wait each runs without
 * another await, so no other unit can begin in between.
 */
export class SqliteStatements implements UnitStatements {
  constructor(
    protected readonly cache: SqliteStatementCache,
    readonly path: string,
    protected readonly unit: SqliteUnit | undefined,
  ) {}

  all<Row>(query: Compilable<Row>): Promise<Row[]> {
    return this.onCached(query, (statement, values) => statement.all(...values) as Row[]);
  }

  allArrays(query: Compilable<unknown>): Promise<unknown[][]> {
    return this.onCached(query, (statement, values) => statement.all(...values) as unknown[][], true);
  }

  /**
   * The first row. A write (INSERT … RETURNING) runs to its end through all(): outside a transaction SQLite
   * commits it when the statement finishes, and a commit refused there (a full disk) is reported only by
   * sqlite3_reset, which get() does not check: get() handed back the id of a row that was never stored, the
   * same id on every refused write, later another reply's.
   */
  first<Row>(query: Compilable<Row>): Promise<Row | undefined> {
    return this.onCached(
      query,
      (statement, values) =>
        (statement.readonly ? statement.get(...values) : statement.all(...values)[0]) as Row | undefined,
    );
  }

  run(query: Compilable<unknown>): Promise<{ changes: number }> {
    return this.onCached(query, (statement, values) => ({ changes: statement.run(...values).changes }));
  }

  iterate<Row>(query: Compilable<Row>): AsyncIterable<Row> {
    return this.rowsOf(
      () => {
        const compiled = query.compile();
        return this.cache
          .statement(compiled.sql)
          .iterate(...(compiled.parameters as unknown[])) as IterableIterator<Row>;
      },
      (rows) => rows.next(),
    );
  }

  /** A statement of its own, so the cached ones keep giving objects. */
  iterateArrays(query: Compilable<unknown>): AsyncIterable<unknown[]> {
    return this.rowsOf(
      () => this.arraysOf(query),
      (rows) => rows.next(),
    );
  }

  /** As iterateArrays, the rows of each chunk read synchronously: one promise per chunk, not per row. */
  iterateArrayChunks(query: Compilable<unknown>, rowsPerChunk: number): AsyncIterable<unknown[][]> {
    return this.rowsOf(
      () => this.arraysOf(query),
      (rows): IteratorResult<unknown[][]> => {
        const chunk: unknown[][] = [];
        for (let next = rows.next(); next.done !== true; next = rows.next()) {
          chunk.push(next.value);
          if (chunk.length === rowsPerChunk) break;
        }
        return chunk.length === 0 ? { done: true, value: undefined } : { done: false, value: chunk };
      },
    );
  }

  /**
   * A close that books 200,000 orders spent more time building statements than SQLite spent running them,
   * so the rows are bound to one prepared statement, all in this one call (SQLite has no round trip to save).
   */
  runEach(statement: RowStatement, rows: Iterable<readonly unknown[]>): Promise<number> {
    return this.inTurn(() => {
      if (statement.insert)
        return insertEach(
          this.cache.preparedInsert(statement),
          statement.columns.length,
          rows,
          statement.insert.shared,
        );
      const prepared = this.cache.rowStatement(statement);
      let changes = 0;
      for (const values of rows) changes += prepared.run(...values).changes;
      return changes;
    });
  }

  returningEach<Row>(statement: RowStatement, rows: Iterable<readonly unknown[]>): Promise<Row[]> {
    return this.inTurn(() => {
      if (statement.insert) {
        const prepared = this.cache.preparedInsert(statement);
        return insertEachReturning<Row>(prepared, statement.columns.length, rows, statement.insert.shared);
      }
      const prepared = this.cache.rowStatement(statement);
      const returned: Row[] = [];
      for (const values of rows) for (const row of prepared.all(...values)) returned.push(row as Row);
      return returned;
    });
  }

  /** `query` compiled once it is this one's turn, then `use` on its cached statement (`raw`: rows as arrays). */
  private onCached<T>(
    query: Compilable<unknown>,
    use: (statement: Database.Statement, values: unknown[]) => T,
    raw = false,
  ): Promise<T> {
    return this.inTurn(() => {
      const compiled = query.compile();
      return use(this.cache.statement(compiled.sql, raw), compiled.parameters as unknown[]);
    });
  }

  /**
   * `work` run once it is this one's turn, with no await between the wait and it, so no other unit can begin in
   * between; its error names the ledger.
   */
  private async inTurn<T>(work: () => T): Promise<T> {
    while (this.cache.busy !== this.unit) await this.waitTurn();
    try {
      return work();
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  /** The rows of `query` as arrays, on a statement of its own. */
  private arraysOf(query: Compilable<unknown>): IterableIterator<unknown[]> {
    const compiled = query.compile();
    return this.cache.sqlite
      .prepare(compiled.sql)
      .raw(true)
      .iterate(...(compiled.parameters as unknown[])) as IterableIterator<unknown[]>;
  }

  /** What `take` reads of the rows of a statement opened once the connection is free, each error naming the ledger. */
  private rowsOf<Row, Taken>(
    open: () => IterableIterator<Row>,
    take: (rows: IterableIterator<Row>) => IteratorResult<Taken>,
  ): AsyncIterable<Taken> {
    return {
      [Symbol.asyncIterator]: () => {
        let rows: IterableIterator<Row> | undefined;
        return {
          next: async (): Promise<IteratorResult<Taken>> => {
            try {
              if (rows === undefined) {
                while (this.cache.busy !== this.unit) await this.waitTurn();
                rows = open();
              }
              return take(rows);
            } catch (error) {
              throw storageErrorOf(error, this.path);
            }
          },
          return: async (): Promise<IteratorResult<Taken>> => {
            rows?.return?.();
            return { done: true, value: undefined };
          },
        };
      },
    };
  }

  /**
   * For the store's own statements, the end of the unit holding the connection; a statement of a unit that has
   * ended is refused as the bug it is: its writes would otherwise commit alone, outside the unit they were
   * written for.
   */
  private waitTurn(): Promise<void> {
    if (this.unit !== undefined)
      throw new InvariantViolation(`a statement on ${this.path} was run through a unit of work that had already ended`);
    return this.cache.busy?.finished ?? Promise.resolve();
  }
}

/**
 * The `tx` a SQLite unit of work hands its work (LedgerStore.unitOfWork): its statements run on the one
 * connection in the unit's transaction, whatever async context calls them, as kysely's `Transaction` does. A
 * unit begun on it joins this one (it commits with it; a failure in it fails the whole unless caught). Closing,
 * checking or migrating the ledger is not a statement of a unit, and is refused.
 */
export class SqliteTx extends SqliteStatements implements LedgerTx {
  constructor(
    cache: SqliteStatementCache,
    path: string,
    unit: SqliteUnit,
    readonly readOnly: boolean,
  ) {
    super(cache, path, unit);
  }

  async unitOfWork<T>(work: (tx: LedgerTx) => Promise<T>): Promise<T> {
    if (this.cache.busy !== this.unit)
      throw new InvariantViolation(`a unit of work on ${this.path} was begun through one that had already ended`);
    return work(this);
  }

  integrityProblem(): Promise<never> {
    return Promise.reject(new InvariantViolation(`the page check of ${this.path} was asked for inside a unit of work`));
  }

  migrate(): Promise<never> {
    return Promise.reject(new InvariantViolation(`a migration of ${this.path} was asked for inside a unit of work`));
  }

  close(): Promise<never> {
    return Promise.reject(new InvariantViolation(`${this.path} was closed from inside a unit of work`));
  }
}
