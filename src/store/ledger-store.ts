import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Compilable, type MigrationResult } from 'kysely';
import { MIGRATIONS } from '../../migrations/index.js';
import type { LedgerDatabase } from './schema.js';

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
  ) {
    this.db = new Kysely<LedgerDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  }

  /** Opens (creating if needed) the ledger at `path` and brings its schema up to date. */
  static async open(path: string): Promise<LedgerStore> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new Database(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.defaultSafeIntegers(true);
    const store = new LedgerStore(sqlite, path);
    try {
      await store.migrate();
    } catch (error) {
      sqlite.close();
      throw error;
    }
    return store;
  }

  /** Applies every pending migration; returns what ran (empty when already current). */
  async migrate(): Promise<MigrationResult[]> {
    const migrator = new Migrator({
      db: this.db,
      provider: { getMigrations: async () => MIGRATIONS },
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return results ?? [];
  }

  all<Row>(query: Compilable<Row>): Row[] {
    const compiled = query.compile();
    return this.statement(compiled.sql).all(...(compiled.parameters as unknown[])) as Row[];
  }

  first<Row>(query: Compilable<Row>): Row | undefined {
    const compiled = query.compile();
    return this.statement(compiled.sql).get(...(compiled.parameters as unknown[])) as Row | undefined;
  }

  /** Rows one at a time: exports and reports over millions of lines never hold them all. */
  *iterate<Row>(query: Compilable<Row>): IterableIterator<Row> {
    const compiled = query.compile();
    yield* this.statement(compiled.sql).iterate(...(compiled.parameters as unknown[])) as IterableIterator<Row>;
  }

  run(query: Compilable<unknown>): { changes: number; lastInsertRowid: bigint } {
    const compiled = query.compile();
    const result = this.statement(compiled.sql).run(...(compiled.parameters as unknown[]));
    return { changes: result.changes, lastInsertRowid: BigInt(result.lastInsertRowid) };
  }

  /**
   * Runs `work` atomically. Inside an enclosing transaction it simply joins it:
   * the outer unit of work commits or rolls back as one.
   */
  transaction<T>(work: () => T): T {
    if (this.sqlite.inTransaction) return work();
    return this.sqlite.transaction(work).immediate();
  }

  get inTransaction(): boolean {
    return this.sqlite.inTransaction;
  }

  async close(): Promise<void> {
    this.statements.clear();
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
