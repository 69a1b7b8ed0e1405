import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Compilable, type MigrationResult } from 'kysely';
import { MIGRATIONS } from '../../migrations/index.js';
import { EnvironmentError, LedgerFileError } from '../errors.js';
import type { LedgerDatabase } from './schema.js';
import { storageErrorOf } from './storage-errors.js';

/**
 * The ledger database: one SQLite file, WAL, foreign keys on, integers read as
 * bigint. Queries are built with kysely (typed) and run synchronously through
 * cached better-sqlite3 statements, so a whole unit of work (events, entries,
 * source progress) commits in one short transaction: either all of it is in
 * the books after a crash, or none of it.
 */
export class LedgerStore {
  readonly db: Kysely<LedgerDatabase>;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    readonly sqlite: Database.Database,
    readonly path: string,
    readonly readOnly: boolean,
  ) {
    this.db = new Kysely<LedgerDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  }

  /**
   * Opens (creating if needed) the ledger at `path` and brings its schema up to date. With `forReading`, a
   * ledger the user may only read (the file or its folder read-only) is opened read-only instead, so
   * export, reconcile and status still work on it; a schema upgrade then needs someone who may write.
   */
  static async open(path: string, options: { forReading?: boolean } = {}): Promise<LedgerStore> {
    if (path !== ':memory:') checkLedgerPath(path);
    const readOnly = options.forReading === true && path !== ':memory:' && !mayWrite(path);
    let sqlite: Database.Database | undefined;
    try {
      sqlite = new Database(path, { readonly: readOnly });
      if (!readOnly) sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('busy_timeout = 5000');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.defaultSafeIntegers(true);
      const store = new LedgerStore(sqlite, path, readOnly);
      if (readOnly) await store.refuseIfBehind();
      else await store.migrate();
      return store;
    } catch (error) {
      sqlite?.close();
      throw storageErrorOf(error, path);
    }
  }

  /** Applies every pending migration; returns what ran (empty when already current). */
  async migrate(): Promise<MigrationResult[]> {
    const { error, results } = await this.migrator().migrateToLatest();
    if (error) throw storageErrorOf(error instanceof Error ? error : new Error(String(error)), this.path);
    return results ?? [];
  }

  /**
   * SQLite's own check of every page (`PRAGMA quick_check`): undefined when the file is sound, else the
   * first problems it names. A damaged page is otherwise found only when a query happens to read it.
   */
  integrityProblem(): string | undefined {
    try {
      const rows = this.sqlite.pragma('quick_check(5)') as { quick_check: string }[];
      const problems = rows.map((row) => row.quick_check).filter((text) => text !== 'ok');
      return problems.length === 0 ? undefined : problems.join('; ');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) return error instanceof Error ? error.message : code;
      throw storageErrorOf(error, this.path);
    }
  }

  private migrator(): Migrator {
    return new Migrator({ db: this.db, provider: { getMigrations: async () => MIGRATIONS } });
  }

  private async refuseIfBehind(): Promise<void> {
    const pending = (await this.migrator().getMigrations()).filter((migration) => migration.executedAt === undefined);
    if (pending.length > 0) {
      throw new LedgerFileError(
        `${this.path} is read-only and its schema is older than this ledgerline (${pending.length} upgrade(s) pending); ` +
          'run `ledgerline migrate` once as a user who may write the file and its folder',
      );
    }
  }

  all<Row>(query: Compilable<Row>): Row[] {
    const compiled = query.compile();
    try {
      return this.statement(compiled.sql).all(...(compiled.parameters as unknown[])) as Row[];
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  first<Row>(query: Compilable<Row>): Row | undefined {
    const compiled = query.compile();
    try {
      return this.statement(compiled.sql).get(...(compiled.parameters as unknown[])) as Row | undefined;
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  /** Rows one at a time: exports and reports over millions of lines never hold them all. */
  *iterate<Row>(query: Compilable<Row>): IterableIterator<Row> {
    const compiled = query.compile();
    try {
      yield* this.statement(compiled.sql).iterate(...(compiled.parameters as unknown[])) as IterableIterator<Row>;
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  /**
   * As `iterate`, each row an array of its columns in the order selected: no object is built per row, which
   * is most of what reading millions of lines costs. A statement of its own, so the cached ones keep giving objects.
   */
  *iterateArrays(query: Compilable<unknown>): IterableIterator<unknown[]> {
    const compiled = query.compile();
    try {
      yield* this.sqlite.prepare(compiled.sql).raw(true).iterate(...(compiled.parameters as unknown[])) as IterableIterator<unknown[]>;
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  run(query: Compilable<unknown>): { changes: number; lastInsertRowid: bigint } {
    const compiled = query.compile();
    try {
      const result = this.statement(compiled.sql).run(...(compiled.parameters as unknown[]));
      return { changes: result.changes, lastInsertRowid: BigInt(result.lastInsertRowid) };
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  /**
   * One write repeated for many rows: the SQL is prepared once and each row's
   * values are bound to it, with no query built per row. A close that books
   * 200,000 orders spent more time building statements than SQLite spent
   * running them. Returns, per row and in order, how many rows it changed.
   */
  runEach(sqlText: string, rows: Iterable<readonly unknown[]>): number[] {
    try {
      const statement = this.statement(sqlText);
      const changes: number[] = [];
      for (const values of rows) changes.push(statement.run(...values).changes);
      return changes;
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  /** The first row a raw SQL read gives, through the same prepared-statement cache as runEach. */
  readOne<Row>(sqlText: string, values: readonly unknown[]): Row | undefined {
    try {
      return this.statement(sqlText).get(...values) as Row | undefined;
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  /**
   * Runs `work` atomically. Inside an enclosing transaction it simply joins it:
   * the outer unit of work commits or rolls back as one. A full disk or a damaged
   * page during the work or the commit comes out as one error naming the file.
   */
  transaction<T>(work: () => T): T {
    if (this.sqlite.inTransaction) return work();
    try {
      return this.sqlite.transaction(work).immediate();
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
  }

  get inTransaction(): boolean {
    return this.sqlite.inTransaction;
  }

  /**
   * Closes the file. A writer leaves it in rollback-journal mode, so a user who may only read the file
   * and its folder can still open it (WAL needs a writable -shm beside it); the next writer turns WAL on
   * again. The switch is skipped silently while another connection holds the file.
   */
  async close(): Promise<void> {
    this.statements.clear();
    if (!this.readOnly && this.path !== ':memory:' && this.sqlite.open) {
      try {
        this.sqlite.pragma('journal_mode = DELETE');
      } catch {
        // Another process has the ledger open: it will leave the file readable when it closes.
      }
    }
    await this.db.destroy();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** A ledger path that is a folder, or whose folder cannot be made, is named before SQLite says "cannot open". */
function checkLedgerPath(path: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new LedgerFileError(`the ledger path ${path} is a folder; set "ledger" to a file path such as ${path.replace(/\/+$/, '')}/ledger.sqlite`);
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new EnvironmentError(`cannot create the ledger's folder ${dirname(path)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** Whether this user may write the ledger and its folder (SQLite writes a journal beside the file). */
function mayWrite(path: string): boolean {
  try {
    accessSync(dirname(path), constants.W_OK);
    if (existsSync(path)) accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
