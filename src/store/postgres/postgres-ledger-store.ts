import { Kysely, PostgresDialect, sql, type Compilable, type CompiledQuery, type MigrationResult } from 'kysely';
import pg from 'pg';
import { MIGRATION_NAMES } from '../../../migrations/names.js';
import { describePostgresUrl } from '../../config/index.js';
import { LedgerIntegrityError, LedgerStorageError, LedgerlineError } from '../../errors.js';
import type { LedgerStore, LedgerTx, RowStatement } from '../ledger-store.js';
import { registerQueryBuilder } from '../query-builder.js';
import type { LedgerDatabase } from '../schema.js';
import { copiedRowChunks } from './copied-rows.js';
import { applyPostgresMigrations, openPostgresPool, refuseReadOnlyBehind } from './postgres-database.js';
import { MIGRATION_LOCK } from './advisory-locks.js';
import { inTurn } from './statement-turns.js';
import { refusedOutsideUnit, StoreOutsideUnits, unitBound, type UnitStatements } from '../unit-of-work.js';

/** An open unit of work: its own pooled connection, in a transaction while `open`, and the `tx` it handed its work. */
interface UnitOfWork {
  client: pg.PoolClient;
  open: boolean;
  tx: LedgerTx;
}

/** Rows a streamed read fetches from its cursor at a time: memory stays bounded by this, not by the result. */
const CURSOR_PAGE_ROWS = 1000;
/** Rows runEach sends in one round trip, as one array per column. */
const ROWS_PER_ROUND_TRIP = 5000;
/** Connections in the pool: one per unit of work running at once (a worker's lanes), and reads beside them. */
const POOL_CONNECTIONS = 10;
/** SQLSTATE of a table that does not exist: a new, empty database. */
const UNDEFINED_TABLE = '42P01';

/**
 * The ledger in PostgreSQL, through a pool: queries built with kysely compile for PostgreSQL and run on a
 * pooled connection; a unit of work holds a connection of its own for BEGIN … COMMIT, and every statement
 * on the `tx` it hands its work runs on that connection. Units in different async contexts (a
 * worker's lanes) run at once, each in its own transaction, as PostgreSQL is built to; a call outside any unit
 * runs at once on the pool and sees what has been committed, never a unit's uncommitted writes. (SQLite has
 * one connection, so there a unit makes every other call wait.)
 */
export class PostgresLedgerStore extends StoreOutsideUnits implements LedgerStore {
  private readonly db: Kysely<LedgerDatabase>;
  /** The store's own statements: on the pool, each alone, whatever unit is open. */
  protected readonly reads: UnitStatements;
  /** Each RowStatement's text over unnest and the name the driver prepares it under on each connection. */
  private readonly rowStatements = new WeakMap<RowStatement, { name: string; text: string }>();
  private statementCount = 0;
  private cursorCount = 0;

  private constructor(
    private readonly pool: pg.Pool,
    readonly path: string,
    readonly readOnly: boolean,
  ) {
    super();
    // kysely ends a pool only once it has run a query through it; the store owns the pool and ends it in close().
    const borrowed = { connect: () => pool.connect(), end: async () => undefined };
    this.db = new Kysely<LedgerDatabase>({ dialect: new PostgresDialect({ pool: borrowed }) });
    registerQueryBuilder(this, this.db, 'postgres');
    this.reads = this.statementsOn(undefined);
  }

  /** Connects to the ledger at `url` and brings its schema up to date; errors name it without its password. `readOnly`: see LedgerStore.openAt. */
  static async open(url: string, options: { readOnly?: boolean } = {}): Promise<PostgresLedgerStore> {
    const readOnly = options.readOnly === true;
    const pool = await openPostgresPool(url, { maxConnections: POOL_CONNECTIONS, readOnly });
    const store = new PostgresLedgerStore(pool, describePostgresUrl(url), readOnly);
    try {
      if (await store.isBehind()) await (readOnly ? refuseReadOnlyBehind(store.path) : store.migrate());
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /**
   * kysely locks only around the migrations themselves; its bookkeeping tables are created before that lock,
   * and two first runs racing there collide in PostgreSQL's catalogue. A session advisory lock, held on a
   * connection of its own across the whole migration, makes the second wait and then find nothing to do.
   */
  async migrate(): Promise<MigrationResult[]> {
    const lock = await this.pool.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
      try {
        return await applyPostgresMigrations(this.db, `the PostgreSQL ledger ${this.path}`);
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]);
      }
    } finally {
      lock.release();
    }
  }

  /**
   * Whether a migration is pending, in one query: kysely's Migrator takes a lock and makes several round
   * trips even when there is nothing to do, and every command opens the ledger.
   */
  private async isBehind(): Promise<boolean> {
    try {
      const { rows } = await this.query(undefined, 'SELECT name FROM kysely_migration', []);
      const applied = new Set((rows as { name: string }[]).map((row) => row.name));
      return MIGRATION_NAMES.some((name) => !applied.has(name));
    } catch (error) {
      if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return true;
      throw error;
    }
  }

  /**
   * No page check like SQLite's quick_check exists without extensions (amcheck); what is checked instead is
   * the invariant the books rest on: every entry balances in every currency.
   */
  async integrityProblem(): Promise<string | undefined> {
    const { rows } = await this.query(
      undefined,
      'SELECT entry_id, currency FROM journal_lines GROUP BY entry_id, currency HAVING SUM(amount_micros) <> 0 ORDER BY entry_id, currency LIMIT 5',
      [],
    );
    const unbalanced = (rows as { entry_id: string; currency: string }[]).map(
      (row) => `entry ${row.entry_id} does not balance in ${row.currency}`,
    );
    return unbalanced.length === 0 ? undefined : unbalanced.join('; ');
  }

  /**
   * BEGIN … COMMIT on a pooled connection of the unit's own; see LedgerStore.unitOfWork. Units begun elsewhere
   * (a worker's lanes) run beside it on theirs. The balance trigger fires at COMMIT.
   */
  async unitOfWork<T>(work: (tx: LedgerTx) => Promise<T>): Promise<T> {
    const client = await this.connect();
    const unit: UnitOfWork = { client, open: true, tx: unitBound(this, this.statementsOn(client), () => unit.open) };
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(unit.tx);
      await inTurn(client, () => client.query('COMMIT'));
      return result;
    } catch (error) {
      // A refused COMMIT has already ended the transaction; ROLLBACK then only warns.
      broken = await inTurn(client, () => client.query('ROLLBACK')).then(
        () => false,
        () => true,
      );
      throw this.errorOf(error);
    } finally {
      unit.open = false;
      client.release(broken);
    }
  }

  /** The statements on a unit's connection (`unitClient`), or, for the store's own, on the pool. */
  private statementsOn(unitClient: pg.PoolClient | undefined): UnitStatements {
    const all = async <Row>(query: Compilable<Row>) => {
      const compiled = query.compile();
      return (await this.query(unitClient, compiled.sql, compiled.parameters)).rows as Row[];
    };
    return {
      all,
      allArrays: async (query) => {
        const compiled = query.compile();
        return (await this.query(unitClient, compiled.sql, compiled.parameters, 'array')).rows as unknown[][];
      },
      first: async <Row>(query: Compilable<Row>) => (await all(query))[0],
      run: async (query) => {
        if (unitClient === undefined) return refusedOutsideUnit(this.path);
        const compiled = query.compile();
        return { changes: (await this.query(unitClient, compiled.sql, compiled.parameters)).rowCount ?? 0 };
      },
      iterate: <Row>(query: Compilable<Row>) => ({
        [Symbol.asyncIterator]: () => this.cursor(unitClient, query.compile(), undefined) as AsyncIterator<Row>,
      }),
      iterateArrays: (query) => ({
        [Symbol.asyncIterator]: () => this.cursor(unitClient, query.compile(), 'array') as AsyncIterator<unknown[]>,
      }),
      iterateArrayChunks: (query, rowsPerChunk) => this.copiedChunks(unitClient, query, rowsPerChunk),
      runEach: async (statement, rows) => {
        if (unitClient === undefined) return refusedOutsideUnit(this.path);
        let changes = 0;
        await this.inRoundTrips(unitClient, statement, rows, (result) => (changes += result.rowCount ?? 0));
        return changes;
      },
      returningEach: async <Row>(statement: RowStatement, rows: Iterable<readonly unknown[]>) => {
        if (unitClient === undefined) return refusedOutsideUnit(this.path);
        const returned: Row[] = [];
        await this.inRoundTrips(unitClient, statement, rows, (result) => {
          for (const row of result.rows) returned.push(row as Row);
        });
        return returned;
      },
    };
  }

  /** As iterateArrays, a chunk at a time, streamed by COPY … TO STDOUT (copied-rows.ts): no round trip per page. */
  private async *copiedChunks(
    unit: pg.PoolClient | undefined,
    query: Compilable<unknown>,
    rowsPerChunk: number,
  ): AsyncIterable<unknown[][]> {
    const client = unit ?? (await this.connect());
    let broken = false;
    try {
      yield* copiedRowChunks(client, query.compile(), rowsPerChunk);
    } catch (error) {
      broken = true;
      throw this.errorOf(error);
    } finally {
      if (unit === undefined) client.release(broken);
    }
  }

  /**
   * Up to ROWS_PER_ROUND_TRIP rows in one statement, on the unit's connection: one round trip per row made a
   * close of 1,000 orders wait on 2,000 of them. The rows go as one bound array per column, unnested into the
   * statement's `rows` (RowStatement), in the rows' order, so row triggers still fire row by row in order; a
   * refused row fails the statement and the unit with it.
   */
  private async inRoundTrips(
    client: pg.PoolClient,
    statement: RowStatement,
    rows: Iterable<readonly unknown[]>,
    take: (result: pg.QueryResult) => void,
  ): Promise<void> {
    const { name, text } = this.rowStatement(statement);
    let columns: unknown[][] = statement.columns.map(() => []);
    let count = 0;
    const send = async () => {
      take(await inTurn(client, () => client.query({ name, text, values: columns })));
      columns = statement.columns.map(() => []);
      count = 0;
    };
    try {
      for (const values of rows) {
        values.forEach((value, index) => columns[index]!.push(value));
        if ((count += 1) === ROWS_PER_ROUND_TRIP) await send();
      }
      if (count > 0) await send();
    } catch (error) {
      throw this.errorOf(error);
    }
  }

  /** Ends the pool: every connection is closed once its query has finished. */
  async close(): Promise<void> {
    await this.db.destroy();
    await this.pool.end();
  }

  /** One statement on a unit's connection (`client`), else on the pool. */
  private async query(
    client: pg.PoolClient | undefined,
    text: string,
    values: readonly unknown[],
    rowMode?: 'array',
  ): Promise<pg.QueryResult> {
    try {
      const config = { text, values: [...values], ...(rowMode === undefined ? {} : { rowMode }) };
      return await (client === undefined ? this.pool.query(config) : inTurn(client, () => client.query(config)));
    } catch (error) {
      throw this.errorOf(error);
    }
  }

  /**
   * A server-side cursor (DECLARE … FETCH) read a page at a time: inside the caller's unit of work on its
   * connection, else in a read-only transaction of its own on a pooled one, given back when the rows end or
   * the reader stops early.
   */
  private async *cursor(
    unit: pg.PoolClient | undefined,
    compiled: CompiledQuery,
    rowMode: 'array' | undefined,
  ): AsyncGenerator<unknown> {
    const client = unit ?? (await this.connect());
    const name = `ledgerline_rows_${++this.cursorCount}`;
    let open = false;
    try {
      if (unit === undefined) await client.query('BEGIN READ ONLY');
      const declare = {
        text: `DECLARE ${name} NO SCROLL CURSOR FOR ${compiled.sql}`,
        values: [...compiled.parameters],
      };
      await inTurn(client, () => client.query(declare));
      open = true;
      for (;;) {
        const fetch = { text: `FETCH ${CURSOR_PAGE_ROWS} FROM ${name}`, ...(rowMode === undefined ? {} : { rowMode }) };
        const page = await inTurn(client, () => client.query(fetch));
        for (const row of page.rows) yield row;
        if (page.rows.length < CURSOR_PAGE_ROWS) break;
      }
    } catch (error) {
      throw this.errorOf(error);
    } finally {
      if (unit !== undefined) {
        if (open) await inTurn(client, () => client.query(`CLOSE ${name}`)).catch(() => undefined);
      } else {
        const broken = await client.query('COMMIT').then(
          () => false,
          () => true,
        );
        client.release(broken);
      }
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw this.errorOf(error);
    }
  }

  /**
   * The statement over `unnest($1::text[], $2::bigint[], …) AS incoming(name, …)`, compiled once; the driver
   * prepares it under its name on each connection the first time that connection runs it.
   */
  private rowStatement(statement: RowStatement): { name: string; text: string } {
    let prepared = this.rowStatements.get(statement);
    if (!prepared) {
      const arrays = statement.columns.map(([, type]) => sql`${null}::${sql.raw(type)}[]`);
      const rows = sql`unnest(${sql.join(arrays)}) AS incoming(${sql.join(statement.columns.map(([name]) => sql.ref(name)))})`;
      const values = sql.join(statement.columns.map(([name]) => sql.ref(`incoming.${name}`)));
      prepared = {
        name: `ledgerline_rows_${++this.statementCount}`,
        text: statement.over(rows, values, sql``).compile(this.db).sql,
      };
      this.rowStatements.set(statement, prepared);
    }
    return prepared;
  }

  /**
   * What PostgreSQL's SQLSTATE codes mean for the person holding the ledger, as storageErrorOf says it for
   * SQLite's: a rule of the books refused (a trigger or constraint) is an integrity error; a full disk, a
   * damaged page or a lost server a storage error naming the ledger (never its password).
   */
  private errorOf(error: unknown): unknown {
    if (error instanceof LedgerlineError) return error;
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') return error;
    const detail = error instanceof Error ? error.message : code;
    if (code.startsWith('23'))
      return new LedgerIntegrityError(`the ledger ${this.path} refused the write: ${detail}; nothing of it was kept`);
    if (code === '53100') {
      return new LedgerStorageError(
        `the disk holding the PostgreSQL ledger ${this.path} is full; the write in progress was rolled back and nothing half-written was kept: free space and run again`,
      );
    }
    if (code === 'XX001' || code === 'XX002') {
      return new LedgerStorageError(
        `the PostgreSQL ledger ${this.path} is damaged (${detail}); nothing more was written: restore it from a backup`,
      );
    }
    if (
      code.startsWith('08') ||
      code.startsWith('57P') ||
      code === 'ECONNREFUSED' ||
      code === 'ECONNRESET' ||
      code === 'EPIPE'
    ) {
      return new LedgerStorageError(
        `lost the connection to the PostgreSQL ledger ${this.path} (${code}); the write in progress was rolled back: check the server and run again`,
      );
    }
    return error;
  }
}
