import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type MigrationResult } from 'kysely';
import { MIGRATION_NAMES } from '../../migrations/names.js';
import { LedgerFileError } from '../errors.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import type { LedgerDatabase } from './schema.js';
import { registerQueryBuilder } from './query-builder.js';
import { checkLedgerPath, mayWrite } from './sqlite-ledger-file.js';
import { SqliteStatementCache, SqliteStatements, SqliteTx } from './sqlite-statements.js';
import { storageErrorOf } from './storage-errors.js';
import { StoreOutsideUnits } from './unit-of-work.js';

/**
 * The ledger as one SQLite file: WAL, foreign keys on, integers read as bigint. The only
 * SQLite-specific executor: queries built with kysely run through cached better-sqlite3
 * statements (synchronous underneath, behind the async LedgerStore), and a unit of work
 * (events, entries, source progress) is one IMMEDIATE transaction on the one connection:
 * either all of it is in the books after a crash, or none of it. While a unit is open, a statement or a unit
 * on the store itself (the panel proxy answering one request beside another's unit) waits until the unit has
 * finished, then runs alone; the unit's own run through the `tx` it was handed.
 */
export class SqliteLedgerStore extends StoreOutsideUnits implements LedgerStore {
  /** kysely's handle on the connection, made when a query is first built with it (the `db` getter). */
  private kysely: Kysely<LedgerDatabase> | undefined;
  private readonly cache: SqliteStatementCache;
  /** The store's statements: each waits for the open unit of work, if any, to finish. */
  protected readonly reads: SqliteStatements;

  private constructor(
    readonly sqlite: Database.Database,
    readonly path: string,
    readonly readOnly: boolean,
  ) {
    super();
    registerQueryBuilder(this, () => this.db, 'sqlite');
    this.cache = new SqliteStatementCache(sqlite, () => this.db);
    this.reads = new SqliteStatements(this.cache, path, undefined);
  }

  /** kysely's handle, made on first use: a read served by prepared statements alone (plain-query.ts) makes none. */
  private get db(): Kysely<LedgerDatabase> {
    return (this.kysely ??= new Kysely<LedgerDatabase>({ dialect: new SqliteDialect({ database: this.sqlite }) }));
  }

  /**
   * Opens (creating if needed) the ledger at `path` and brings its schema up to date. With `forReading`, a
   * ledger the user may only read (the file or its folder read-only) is opened read-only instead, so
   * export, reconcile and status still work on it; a schema upgrade then needs someone who may write.
   * With `readOnly`, an existing ledger is opened read-only whoever may write it: nothing, not even the
   * journal mode in its header, is written to the file (`migrate --to` copies from it). With `lockWaitMs`,
   * once the schema is current, a write waits at most that long for another writer's lock before it fails
   * with SQLITE_BUSY (default 5 s): better-sqlite3 waits synchronously, the whole process with it.
   */
  static async open(
    path: string,
    options: { forReading?: boolean; readOnly?: boolean; mustExist?: boolean; lockWaitMs?: number } = {},
  ): Promise<SqliteLedgerStore> {
    if ((options.readOnly === true || options.mustExist === true) && path !== ':memory:' && !existsSync(path))
      throw new LedgerFileError(
        `there is no ledger at ${path}; check the "ledger" path in the configuration, or make a new one with \`ledgerline migrate\``,
      );
    if (path !== ':memory:' && options.readOnly !== true) checkLedgerPath(path);
    const readOnly =
      options.readOnly === true || (options.forReading === true && path !== ':memory:' && !mayWrite(path));
    let sqlite: Database.Database | undefined;
    try {
      if (!readOnly && path !== ':memory:' && !existsSync(path)) await writeNewLedger(path);
      sqlite = new Database(path, { readonly: readOnly, fileMustExist: readOnly, ...sqliteAddon() });
      // Waiting first: a second first run switching the new file to WAL meets the first one's lock.
      sqlite.pragma('busy_timeout = 5000');
      if (!readOnly) useWriteAheadLog(sqlite);
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('synchronous = NORMAL');
      // A first import commits ~0.8 kB an order: at the default of 1,000 pages nearly every chunk's commit
      // copied the WAL into the file and synced it. 10,000 pages (40 MB) lets some 50,000 orders share one.
      sqlite.pragma('wal_autocheckpoint = 10000');
      sqlite.defaultSafeIntegers(true);
      const store = new SqliteLedgerStore(sqlite, path, readOnly);
      if (readOnly) store.refuseIfBehind();
      else await store.migrate();
      if (options.lockWaitMs !== undefined)
        sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.lockWaitMs))}`);
      return store;
    } catch (error) {
      sqlite?.close();
      throw storageErrorOf(error, path);
    }
  }

  /**
   * Applies every pending migration; returns what ran (empty when already current). kysely takes no lock for
   * SQLite, so two first runs on a new ledger both found the schema missing and the second died on `table
   * raw_observations already exists`. The migration runs inside one BEGIN IMMEDIATE (the file's write lock,
   * waited for up to MIGRATION_LOCK_WAIT_MS): whoever comes second reads the schema the first committed and has
   * nothing to do, and a failed migration leaves nothing half-applied.
   */
  async migrate(): Promise<MigrationResult[]> {
    try {
      if (this.pendingMigrations() === 0) return [];
      // Read back as text: under safe integers the pragma answers a bigint.
      const lockWaitMs = String(this.sqlite.pragma('busy_timeout', { simple: true }));
      this.sqlite.pragma(`busy_timeout = ${MIGRATION_LOCK_WAIT_MS}`);
      try {
        this.sqlite.exec('BEGIN IMMEDIATE');
      } finally {
        this.sqlite.pragma(`busy_timeout = ${lockWaitMs}`);
      }
    } catch (error) {
      throw storageErrorOf(error, this.path);
    }
    const { error, results } = await this.migrator().migrateToLatest();
    if (error) {
      if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
      throw storageErrorOf(error instanceof Error ? error : new Error(String(error)), this.path);
    }
    try {
      this.sqlite.exec('COMMIT');
    } catch (commitError) {
      if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
      throw storageErrorOf(commitError, this.path);
    }
    return results ?? [];
  }

  /**
   * SQLite's own check of every page (`PRAGMA quick_check`): undefined when the file is sound, else the
   * first problems it names. A damaged page is otherwise found only when a query happens to read it.
   */
  async integrityProblem(): Promise<string | undefined> {
    while (this.cache.busy !== undefined) await this.cache.busy.finished;
    try {
      const rows = this.sqlite.pragma('quick_check(5)') as { quick_check: string }[];
      const problems = rows.map((row) => row.quick_check).filter((text) => text !== 'ok');
      return problems.length === 0 ? undefined : problems.join('; ');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB'))
        return error instanceof Error ? error.message : code;
      throw storageErrorOf(error, this.path);
    }
  }

  private migrator(): Migrator {
    // The migrations' code only when one is pending: a read that finds the ledger current never loads it.
    const getMigrations = async () => (await import('../../migrations/index.js')).MIGRATIONS;
    return new Migrator({ db: this.db, provider: { getMigrations } });
  }

  /**
   * How many migrations this ledger has not applied, in two reads of kysely's own table (none in a new file): the
   * Migrator's getMigrations read every table's columns first (kysely's introspection), and every command opens the
   * ledger. As the PostgreSQL store's isBehind.
   */
  private pendingMigrations(): number {
    const kept = this.sqlite
      .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'")
      .pluck()
      .get() as bigint;
    const applied = new Set(
      kept === 0n ? [] : (this.sqlite.prepare('SELECT name FROM kysely_migration').pluck().all() as string[]),
    );
    return MIGRATION_NAMES.filter((name) => !applied.has(name)).length;
  }

  private refuseIfBehind(): void {
    const pending = this.pendingMigrations();
    if (pending > 0) {
      throw new LedgerFileError(
        `${this.path} is read-only and its schema is older than this ledgerline (${pending} upgrade(s) pending); ` +
          'run `ledgerline migrate` once as a user who may write the file and its folder',
      );
    }
  }

  /**
   * BEGIN IMMEDIATE … COMMIT on the one connection; see LedgerStore.unitOfWork. On a read-only ledger a plain
   * BEGIN: no write lock can be taken there, and the unit is a snapshot its reads all see alike.
   */
  async unitOfWork<T>(work: (tx: LedgerTx) => Promise<T>): Promise<T> {
    while (this.cache.busy !== undefined) await this.cache.busy.finished;
    let finished!: () => void;
    const unit = { finished: new Promise<void>((resolve) => (finished = resolve)) };
    const tx = new SqliteTx(this.cache, this.path, unit, this.readOnly);
    registerQueryBuilder(tx, () => this.db, 'sqlite');
    this.cache.busy = unit;
    try {
      this.cache.statement(this.readOnly ? 'BEGIN' : 'BEGIN IMMEDIATE').run();
      const result = await work(tx);
      this.cache.statement('COMMIT').run();
      return result;
    } catch (error) {
      // SQLite rolls some failures (a full disk) back itself; a refused COMMIT leaves the transaction open.
      if (this.sqlite.inTransaction) this.rollbackKeeping(error);
      throw storageErrorOf(error, this.path);
    } finally {
      this.cache.busy = undefined;
      finished();
    }
  }

  /**
   * Closes the file. A writer leaves it in rollback-journal mode, so a user who may only read the file
   * and its folder can still open it (WAL needs a writable -shm beside it); the next writer turns WAL on
   * again. The switch is skipped silently while another connection holds the file.
   */
  async close(): Promise<void> {
    this.cache.clear();
    if (!this.readOnly && this.path !== ':memory:' && this.sqlite.open) {
      try {
        this.sqlite.pragma('journal_mode = DELETE');
      } catch {
        // Another process has the ledger open: it will leave the file readable when it closes.
      }
    }
    await this.kysely?.destroy();
    // kysely closes the file only if a query of its own opened its driver; a run served by prepared statements alone did not.
    if (this.sqlite.open) this.sqlite.close();
  }

  /** A rollback that fails too (the disk gone) must not hide why the work failed. */
  private rollbackKeeping(cause: unknown): void {
    try {
      this.cache.statement('ROLLBACK').run();
    } catch {
      throw storageErrorOf(cause, this.path);
    }
  }
}

/**
 * An empty ledger at the current schema, made once a process by every migration run through `open` in memory. A new
 * ledger file is written from it rather than by running the 40 migrations again: 7 ms of CPU against 38-42
 * (2026-11-29), and a fleet's entities or the test suite (500 a run) make many.
 */
let emptyLedger: Promise<Buffer> | undefined;

/**
 * Writes a new ledger at `path` whole: the empty one with an identity of its own and its migrations stamped now,
 * written beside the path and linked to it, so a second process opening the same new path sees no file or the whole
 * one. Whatever fails here (the path made meanwhile, a filesystem without hard links, a full disk) leaves the path to
 * `open`, which then makes the ledger by its migrations and names any error as it always did.
 */
async function writeNewLedger(path: string): Promise<void> {
  emptyLedger ??= SqliteLedgerStore.open(':memory:').then(async (store) => {
    const bytes = store.sqlite.serialize();
    await store.close();
    return bytes;
  });
  const ledger = new Database(await emptyLedger, sqliteAddon());
  const beside = `${path}.new-${process.pid}-${randomBytes(6).toString('hex')}`;
  // One instant for both, written as kysely writes a migration's time (and migration 0009 a ledger's creation).
  const now = new Date().toISOString();
  try {
    ledger.prepare('UPDATE ledger_identity SET id = lower(hex(randomblob(16))), created_at = @now').run({ now });
    ledger.prepare('UPDATE kysely_migration SET timestamp = @now').run({ now });
    // 0644 as SQLite makes a new file (SQLITE_DEFAULT_FILE_PERMISSIONS), the umask applied to both.
    writeFileSync(beside, ledger.serialize(), { flag: 'wx', mode: 0o644 });
    linkSync(beside, path);
  } catch {
    // Left to open (above).
  } finally {
    ledger.close();
    rmSync(beside, { force: true });
  }
}

/**
 * How long a run waits for another one's schema upgrade: an upgrade of a large ledger (0016 deletes a row per
 * order) takes longer than the 5 s a write waits, and two first runs on 2 busy cores took 5 s too.
 */
const MIGRATION_LOCK_WAIT_MS = 60_000;

/**
 * better-sqlite3's compiled addon, named for it: the CLI's bundle holds the package's JavaScript (one file where
 * node resolved and loaded 16: scripts/bundle-cli.mjs), and the `bindings` package it would otherwise ask looks for the
 * addon beside the file calling it, which is then the bundle's. An addon built elsewhere (a Debug build) is left
 * to `bindings`, as before.
 */
let addon: { nativeBinding?: string } | undefined;
export function sqliteAddon(): { nativeBinding?: string } {
  if (addon !== undefined) return addon;
  const packageJson = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
  const file = join(dirname(packageJson), 'build', 'Release', 'better_sqlite3.node');
  addon = existsSync(file) ? { nativeBinding: file } : {};
  return addon;
}

/**
 * WAL, unless another process holds the file at this moment: SQLite refuses the switch at once (SQLITE_BUSY,
 * without the busy wait), as when a second `reconcile ack` opens the ledger while the first is closing it. This
 * process then keeps the mode the file is in (its locks still wait, busy_timeout), and a later open switches it.
 */
function useWriteAheadLog(sqlite: Database.Database): void {
  try {
    sqlite.pragma('journal_mode = WAL');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error;
  }
}
