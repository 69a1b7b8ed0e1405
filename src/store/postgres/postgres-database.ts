import { Kysely, Migrator, PostgresDialect, type MigrationResult } from 'kysely';
import pg from 'pg';
import { describePostgresUrl } from '../../config/index.js';
import { LedgerFileError, LedgerStorageError, messageOf, messageWithoutUrl } from '../../errors.js';
import type { LedgerDatabase } from '../schema.js';

const INTEGER_TYPES = [pg.types.builtins.INT2, pg.types.builtins.INT4, pg.types.builtins.INT8];
/** How long a connection to the ledger's server may take before it is given up (the pool's, a lock's session). */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Every integer comes back as a BigInt, as better-sqlite3 reads SQLite's with
 * safe integers on, and a NUMERIC (what SUM of a bigint gives) as a BigInt
 * when whole, else as its exact decimal text: never through a float. Set on
 * this pool only; node-postgres's global parsers stay as they are for anyone
 * else in the process.
 */
export const LEDGER_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (INTEGER_TYPES.includes(oid)) return (text: string) => BigInt(text);
    if (oid === pg.types.builtins.NUMERIC) return (text: string) => (/^-?\d+$/.test(text) ? BigInt(text) : text);
    return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Opens the PostgreSQL ledger at `url` (postgres://user:password@host:port/database;
 * what the URL leaves out comes from the standard PG* variables) and checks
 * that it answers. Errors name the database as user@host:port/database,
 * never with its password.
 */
export async function openPostgresDatabase(
  url: string,
  options: { maxConnections?: number } = {},
): Promise<Kysely<LedgerDatabase>> {
  return new Kysely<LedgerDatabase>({ dialect: new PostgresDialect({ pool: await openPostgresPool(url, options) }) });
}

/** The connection pool behind openPostgresDatabase, for a store that runs its own statements on it. */
export async function openPostgresPool(
  url: string,
  options: { maxConnections?: number; readOnly?: boolean } = {},
): Promise<pg.Pool> {
  const shown = describePostgresUrl(url);
  if (!URL.canParse(url))
    throw new LedgerFileError(`the ledger URL cannot be read as postgres://user@host:port/database (${shown})`);
  const pool = new pg.Pool({
    connectionString: url,
    types: LEDGER_TYPES,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'ledgerline',
    // Read-only books: every transaction on every connection of the pool is read-only, so the server refuses a write.
    ...(options.readOnly === true ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle connection the server drops is replaced by the next query; without a listener it would end the process.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end();
    throw new LedgerStorageError(`cannot connect to the PostgreSQL ledger ${shown}: ${messageWithoutUrl(error, url)}`);
  }
  return pool;
}

/**
 * A session of its own on the ledger's server, named `applicationName` among its sessions: what an advisory lock
 * is held on, let go when the session ends. Ended again if it cannot connect.
 */
export async function ownSession(url: string, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: applicationName,
  });
  // A dropped session is noticed by its next query; without a listener it would end the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** A ledger opened read-only whose schema is behind this ledgerline: refused, as nothing may upgrade it through a read-only open. */
export function refuseReadOnlyBehind(ledger: string): Promise<never> {
  return Promise.reject(
    new LedgerFileError(
      `the PostgreSQL ledger ${ledger} was opened read-only and its schema is older than this ledgerline; run \`ledgerline migrate\` once`,
    ),
  );
}

/** Applies the shared migrations not yet applied, in one transaction: kysely's result of each; a failure names the ledger as `ledger`. */
export async function applyPostgresMigrations(db: Kysely<LedgerDatabase>, ledger: string): Promise<MigrationResult[]> {
  // The migrations' code only when migrating: opening a current ledger counts names (migrations/names.ts).
  const getMigrations = async () => (await import('../../../migrations/index.js')).POSTGRES_MIGRATIONS;
  const migrator = new Migrator({ db, provider: { getMigrations } });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName ?? 'the migration lock';
    throw new LedgerStorageError(`${ledger} could not be migrated (${failed}): ${messageOf(error)}`);
  }
  return results;
}
