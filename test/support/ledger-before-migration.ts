import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { MIGRATIONS } from '../../migrations/index.js';

/**
 * A SQLite ledger at `path` as an older ledgerline left it: every migration named before `migration` applied,
 * then `fill` writing that ledger's rows straight into its tables; closed again, for LedgerStore.open to upgrade.
 */
export async function ledgerBeforeMigration(
  path: string,
  migration: string,
  fill: (sqlite: Database.Database) => void = () => {},
): Promise<void> {
  const sqlite = new Database(path);
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const earlier = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < migration));
    const migrated = await new Migrator({ db, provider: { getMigrations: async () => earlier } }).migrateToLatest();
    if (migrated.error) throw migrated.error;
    fill(sqlite);
  } finally {
    await db.destroy();
  }
}
