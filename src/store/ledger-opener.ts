import { isPostgresUrl } from '../config/index.js';
import { backupFileKind } from './ledger-backup-file.js';
import { readLedgerIdentity } from './ledger-identity.js';
import type { LedgerStore as LedgerStoreHandle } from './ledger-store.js';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';
import { giveTreatmentsToEntriesBookedBefore } from './line-tax-backfill.js';

/**
 * Opening a ledger, apart from what a ledger is (ledger-store.ts): the engines import the handle's type, and only
 * this file imports the engines, so the store's files do not load one another in a circle.
 */
export type LedgerStore = LedgerStoreHandle;

/**
 * Opens a ledger: a SQLite file (see SqliteLedgerStore.open), or the configured one on either engine; and what is
 * read or done to a ledger as a whole: its identity, a backup file's kind, a restore, the opening's treatments.
 */
export const LedgerStore = {
  open: (path: string, options: { forReading?: boolean; lockWaitMs?: number } = {}): Promise<SqliteLedgerStore> =>
    SqliteLedgerStore.open(path, options),
  /**
   * A postgres:// URL opens that PostgreSQL database, anything else the SQLite file at that path. The
   * PostgreSQL store (and pg with it) is loaded only when asked for: every SQLite command would pay for it.
   * `forReading` and `lockWaitMs` (see SqliteLedgerStore.open) are for SQLite files alone: what a PostgreSQL
   * user may do is the server's to say, and its waits do not block the process. `readOnly` opens either engine
   * read-only whoever may write it: SQLite's `readonly` connection, PostgreSQL's read-only transactions.
   */
  openAt: async (
    location: string,
    options: { forReading?: boolean; readOnly?: boolean; mustExist?: boolean; lockWaitMs?: number } = {},
  ): Promise<LedgerStoreHandle> =>
    isPostgresUrl(location)
      ? (await import('./postgres/postgres-ledger-store.js')).PostgresLedgerStore.open(location, options)
      : SqliteLedgerStore.open(location, options),
  /** `restore` of a PostgreSQL ledger: its ledger tables replaced by a ledgerline SQLite file's, in one transaction. */
  restorePostgres: async (from: string, to: string): Promise<void> =>
    (await import('./restore-postgres-ledger.js')).restorePostgresLedger(from, to),
  /** What a file handed to `restore --from` is (a ledger and its identity, or what else), read without writing it. */
  backupFileKind,
  /** Which ledger this is, and where `migrate --to` moved it, once it did. */
  identityOf: readLedgerIdentity,
  giveTreatmentsToEntriesBookedBefore,
  /** The tables beneath the ports, the tests' one door (test/support/ledger-tables.ts): loaded only when opened. */
  openTables: async (location: string) => (await import('./ledger-tables.js')).ledgerTables(location),
};
