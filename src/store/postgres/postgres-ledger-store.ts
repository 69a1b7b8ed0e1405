import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, PostgresDialect, type Compilable, type CompiledQuery, type MigrationResult } from 'kysely';
import pg from 'pg';
import { POSTGRES_MIGRATIONS } from '../../../migrations/index.js';
import { describePostgresUrl } from '../../config/index.js';
import { LedgerIntegrityError, LedgerStorageError, LedgerlineError } from '../../errors.js';
import type { LedgerStore, RowStatement } from '../ledger-store.js';
import type { LedgerDatabase } from '../schema.js';
import { applyPostgresMigrations, openPostgresPool } from './postgres-database.js';
import { MIGRATION_LOCK } from './source-lock.js';

interface UnitOfWork {
  finished: Promise<void>;
  client: pg.PoolClient | undefined;
}

/** Rows a streamed read fetches from its cursor at a time: memory stays bounded by this, not by the result. */
const CURSOR_PAGE_ROWS = 1000;
/** Rows runEach sends in one round trip, and the most SQL text it sends in one (a row may carry 500 ids). */
const ROWS_PER_ROUND_TRIP = 1000;
const TEXT_PER_ROUND_TRIP = 4 * 1024 * 1024;
/** SQLSTATE of a table that does not exist: a new, empty database. */
const UNDEFINED_TABLE = '42P01';

/**
 * The ledger in PostgreSQL, through a pool: queries built with kysely compile for PostgreSQL and run on a
 * pooled connection; a unit of work holds one connection for BEGIN … COMMIT, and every call made inside it
 * (found through AsyncLocalStorage) runs on that connection. As with SQLite, calls from any other async
 * context wait until the unit has finished, so the two engines behave alike for the code above them.
 */
export class PostgresLedgerStore implements LedgerStore {
  readonly db: Kysely<LedgerDatabase>;
  readonly readOnly = false;
  private readonly context = new AsyncLocalStorage<UnitOfWork>();
  private busy: UnitOfWork | undefined;
  /** Each RowStatement's text and the name it is prepared under on every connection that runs it. */
  private readonly rowStatements = new WeakMap<RowStatement, { name: string; text: string }>();
  private statementCount = 0;
  /** Per connection, the name each runEach statement's text is PREPAREd under there. */
  private readonly batchStatements = new WeakMap<pg.PoolClient, Map<string, string>>();
  private batchCount = 0;
  private cursorCount = 0;

  private constructor(
    private readonly pool: pg.Pool,
    readonly path: string,
  ) {
    // kysely ends a pool only once it has run a query through it; the store owns the pool and ends it in close().
    const borrowed = { connect: () => pool.connect(), end: async () => undefined };
    this.db = new Kysely<LedgerDatabase>({ dialect: new PostgresDialect({ pool: borrowed }) });
  }

  /** Connects to the ledger at `url` and brings its schema up to date; errors name it without its password. */
  static async open(url: string): Promise<PostgresLedgerStore> {
    const store = new PostgresLedgerStore(await openPostgresPool(url), describePostgresUrl(url));
    try {
      if (await store.isBehind()) await store.migrate();
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
      const { rows } = await this.query('SELECT name FROM kysely_migration', []);
      const applied = new Set((rows as { name: string }[]).map((row) => row.name));
      return Object.keys(POSTGRES_MIGRATIONS).some((name) => !applied.has(name));
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
      'SELECT entry_id, currency FROM journal_lines GROUP BY entry_id, currency HAVING SUM(amount_micros) <> 0 ORDER BY entry_id, currency LIMIT 5',
      [],
    );
    const unbalanced = (rows as { entry_id: string; currency: string }[]).map((row) => `entry ${row.entry_id} does not balance in ${row.currency}`);
    return unbalanced.length === 0 ? undefined : unbalanced.join('; ');
  }

  async all<Row>(query: Compilable<Row>): Promise<Row[]> {
    const compiled = query.compile();
    return (await this.query(compiled.sql, compiled.parameters)).rows as Row[];
  }

  async first<Row>(query: Compilable<Row>): Promise<Row | undefined> {
    return (await this.all(query))[0];
  }

  async run(query: Compilable<unknown>): Promise<{ changes: number }> {
    const compiled = query.compile();
    return { changes: (await this.query(compiled.sql, compiled.parameters)).rowCount ?? 0 };
  }

  iterate<Row>(query: Compilable<Row>): AsyncIterable<Row> {
    return { [Symbol.asyncIterator]: () => this.cursor(query.compile(), undefined) as AsyncIterator<Row> };
  }

  iterateArrays(query: Compilable<unknown>): AsyncIterable<unknown[]> {
    return { [Symbol.asyncIterator]: () => this.cursor(query.compile(), 'array') as AsyncIterator<unknown[]> };
  }

  /** As iterateArrays, gathered into chunks: the cursor already fetches rows in batches from the server. */
  async *iterateArrayChunks(query: Compilable<unknown>, rowsPerChunk: number): AsyncIterable<unknown[][]> {
    let chunk: unknown[][] = [];
    for await (const row of this.iterateArrays(query)) {
      chunk.push(row);
      if (chunk.length === rowsPerChunk) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  /**
   * The rows run one after another on one connection, inside the caller's unit of work or a unit of their own.
   * One round trip per row made a close of 1,000 orders wait on 2,000 round trips, so up to ROWS_PER_ROUND_TRIP
   * rows go in one simple query, their values as quoted literals the server reads as it reads bound text
   * parameters. A plain INSERT … VALUES of one row's slots becomes one INSERT of all those rows (each row is
   * inserted or the statement fails, so each changed 1; row triggers still fire row by row, in order); any other
   * statement is PREPAREd on the connection and each row runs as its own `EXECUTE name(values)`, in order, with
   * its own count of changed rows (an upsert may meet a row inserted earlier in the same call).
   */
  async runEach(statement: RowStatement, rows: Iterable<readonly unknown[]>): Promise<number[]> {
    const unit = this.ownUnit();
    if (unit === undefined) return this.unitOfWork(() => this.runEach(statement, rows));
    const changes: number[] = [];
    try {
      const { text } = this.rowStatement(statement);
      const insertHead = plainInsertHead(text);
      const name = insertHead === undefined ? await this.preparedOn(unit, statement) : undefined;
      let pieces: string[] = [];
      let size = 0;
      const send = async () => {
        if (insertHead !== undefined) {
          await unit.query(`${insertHead} VALUES ${pieces.join(', ')}`);
          for (let index = 0; index < pieces.length; index += 1) changes.push(1);
        } else {
          const results = (await unit.query(pieces.join(';\n'))) as pg.QueryResult | pg.QueryResult[];
          for (const result of Array.isArray(results) ? results : [results]) changes.push(result.rowCount ?? 0);
        }
        pieces = [];
        size = 0;
      };
      for (const values of rows) {
        const piece = `${name === undefined ? '' : `EXECUTE ${name}`}(${values.map(literal).join(', ')})`;
        pieces.push(piece);
        size += piece.length;
        if (pieces.length === ROWS_PER_ROUND_TRIP || size >= TEXT_PER_ROUND_TRIP) await send();
      }
      if (pieces.length > 0) await send();
    } catch (error) {
      throw this.errorOf(error);
    }
    return changes;
  }

  async readOne<Row>(statement: RowStatement, values: readonly unknown[]): Promise<Row | undefined> {
    const { name, text } = this.rowStatement(statement);
    return (await this.query(text, values, name)).rows[0] as Row | undefined;
  }

  /** BEGIN … COMMIT on one pooled connection; see LedgerStore.unitOfWork. The balance trigger fires at COMMIT. */
  async unitOfWork<T>(work: () => Promise<T>): Promise<T> {
    if (this.ownUnit() !== undefined) return work();
    for (let other = this.otherWork(); other; other = this.otherWork()) await other;
    let finished!: () => void;
    const current: UnitOfWork = { finished: new Promise<void>((resolve) => (finished = resolve)), client: undefined };
    this.busy = current;
    try {
      const client = await this.connect();
      current.client = client;
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await this.context.run(current, work);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A refused COMMIT has already ended the transaction; ROLLBACK then only warns.
        broken = await client.query('ROLLBACK').then(
          () => false,
          () => true,
        );
        throw this.errorOf(error);
      } finally {
        client.release(broken);
      }
    } finally {
      this.busy = undefined;
      finished();
    }
  }

  /** Ends the pool: every connection is closed once its query has finished. */
  async close(): Promise<void> {
    await this.db.destroy();
    await this.pool.end();
  }

  /** One statement on the unit's connection when called inside it, else on the pool once no unit is open. */
  private async query(text: string, values: readonly unknown[], name?: string): Promise<pg.QueryResult> {
    const unit = this.ownUnit();
    if (unit === undefined) for (let other = this.otherWork(); other; other = this.otherWork()) await other;
    try {
      return await (unit ?? this.pool).query({ text, values: [...values], ...(name === undefined ? {} : { name }) });
    } catch (error) {
      throw this.errorOf(error);
    }
  }

  /**
   * A server-side cursor (DECLARE … FETCH) read a page at a time: inside the caller's unit of work on its
   * connection, else in a read-only transaction of its own on a pooled one, given back when the rows end or
   * the reader stops early.
   */
  private async *cursor(compiled: CompiledQuery, rowMode: 'array' | undefined): AsyncGenerator<unknown> {
    const unit = this.ownUnit();
    if (unit === undefined) for (let other = this.otherWork(); other; other = this.otherWork()) await other;
    const client = unit ?? (await this.connect());
    const name = `ledgerline_rows_${++this.cursorCount}`;
    let open = false;
    let broken = false;
    try {
      if (unit === undefined) await client.query('BEGIN READ ONLY');
      await client.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${compiled.sql}`, values: [...compiled.parameters] });
      open = true;
      for (;;) {
        const page = await client.query({ text: `FETCH ${CURSOR_PAGE_ROWS} FROM ${name}`, ...(rowMode === undefined ? {} : { rowMode }) });
        for (const row of page.rows) yield row;
        if (page.rows.length < CURSOR_PAGE_ROWS) break;
      }
    } catch (error) {
      throw this.errorOf(error);
    } finally {
      if (unit !== undefined) {
        if (open) await client.query(`CLOSE ${name}`).catch(() => undefined);
      } else {
        broken = await client.query('COMMIT').then(
          () => false,
          () => true,
        );
        (client as pg.PoolClient).release(broken);
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

  /** The connection of the unit of work this async context belongs to, if it is the one open. */
  private ownUnit(): pg.PoolClient | undefined {
    const unit = this.context.getStore();
    return unit !== undefined && unit === this.busy ? unit.client : undefined;
  }

  /** The end of the open unit of work when this async context is not part of it (as SqliteLedgerStore). */
  private otherWork(): Promise<void> | undefined {
    return this.busy !== undefined && this.context.getStore() !== this.busy ? this.busy.finished : undefined;
  }

  private rowStatement(statement: RowStatement): { name: string; text: string } {
    let prepared = this.rowStatements.get(statement);
    if (!prepared) {
      prepared = { name: `ledgerline_statement_${++this.statementCount}`, text: statement.compile(this.db).sql };
      this.rowStatements.set(statement, prepared);
    }
    return prepared;
  }

  /**
   * The name `statement` is PREPAREd under on this connection, preparing it on first use. Its own name space
   * (ledgerline_batch_*): the driver prepares readOne's statements under theirs, and would refuse a name taken.
   * A PREPARE outlives the transaction it ran in, so a connection keeps its statements until it closes.
   */
  private async preparedOn(client: pg.PoolClient, statement: RowStatement): Promise<string> {
    const { text } = this.rowStatement(statement);
    let prepared = this.batchStatements.get(client);
    if (prepared === undefined) {
      prepared = new Map();
      this.batchStatements.set(client, prepared);
    }
    let name = prepared.get(text);
    if (name === undefined) {
      name = `ledgerline_batch_${++this.batchCount}`;
      await client.query(`PREPARE ${name} AS ${text}`);
      prepared.set(text, name);
    }
    return name;
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
    if (code.startsWith('23')) return new LedgerIntegrityError(`the ledger ${this.path} refused the write: ${detail}; nothing of it was kept`);
    if (code === '53100') {
      return new LedgerStorageError(`the disk holding the PostgreSQL ledger ${this.path} is full; the write in progress was rolled back and nothing half-written was kept: free space and run again`);
    }
    if (code === 'XX001' || code === 'XX002') {
      return new LedgerStorageError(`the PostgreSQL ledger ${this.path} is damaged (${detail}); nothing more was written: restore it from a backup`);
    }
    if (code.startsWith('08') || code.startsWith('57P') || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') {
      return new LedgerStorageError(`lost the connection to the PostgreSQL ledger ${this.path} (${code}); the write in progress was rolled back: check the server and run again`);
    }
    return error;
  }
}

/**
 * `INSERT INTO table (columns)` when `text` is that followed by exactly `VALUES ($1, …, $n)` (nothing after it:
 * no ON CONFLICT, no RETURNING), the form many rows can share; else undefined.
 */
function plainInsertHead(text: string): string | undefined {
  const match = /^(INSERT INTO [^;]+) VALUES \(([$\d, ]+)\)$/s.exec(text.trim());
  if (match === null) return undefined;
  const slotCount = match[2]!.split(',').length;
  const inOrder = Array.from({ length: slotCount }, (_, index) => `$${index + 1}`).join(', ');
  return match[2] === inOrder ? match[1] : undefined;
}

/** What pg.escapeLiteral changes in a string; it walks every character, too slow for 350,000 event ids a close. */
const NEEDS_ESCAPE = /['\\]/;

/**
 * A row value as an SQL literal of no type, which the server converts to its parameter's type as it does a
 * bound text parameter: the text node-postgres would have sent, quoted.
 */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? pg.escapeLiteral(value) : `'${value}'`;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return `'${String(value)}'`;
  throw new TypeError(`runEach cannot send a value of type ${typeof value} to PostgreSQL: rows hold text, integers, booleans or null`);
}
