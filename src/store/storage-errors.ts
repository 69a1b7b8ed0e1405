import {
  LedgerFileError,
  LedgerIntegrityError,
  LedgerStorageError,
  LedgerlineError,
  RunInProgressError,
} from '../errors.js';
import { sealedRefusalOf } from './sealed-ledger.js';

/**
 * What SQLite's error codes mean for the person holding the ledger file, named by its path. A rule of the books
 * refused (a trigger's RAISE, a key or CHECK) is a LedgerIntegrityError in the words PostgreSQL's class 23 gets
 * (postgres-ledger-store.ts), so a caller tells it apart alike on either engine. Anything else (a bug) passes through.
 */
export function storageErrorOf(error: unknown, path: string): unknown {
  if (error instanceof LedgerlineError) return error;
  const sealed = sealedRefusalOf(error, path);
  if (sealed !== undefined) return sealed;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  const detail = error instanceof Error ? error.message : code;
  if (code.startsWith('SQLITE_CONSTRAINT'))
    return new LedgerIntegrityError(`the ledger ${path} refused the write: ${detail}; nothing of it was kept`);
  if (code === 'SQLITE_NOTADB') {
    return new LedgerFileError(
      `${path} is not a ledgerline ledger (not a SQLite database); check the "ledger" path in the configuration`,
    );
  }
  if (
    code === 'SQLITE_READONLY_DIRECTORY' ||
    code === 'SQLITE_READONLY_CANTINIT' ||
    code === 'SQLITE_READONLY_RECOVERY'
  ) {
    return new LedgerFileError(
      `${path}: its folder is read-only and the ledger was not closed cleanly (a -wal file is left beside it); ` +
        'run any ledgerline command once as a user who may write that folder',
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new LedgerFileError(
      `${path} is read-only: this command writes to the ledger; run it as a user who may write the ` +
        `file and its folder (export, reconcile and status only read)`,
    );
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return new LedgerFileError(
      `cannot open the ledger ${path} (${detail}); check that the path and its folder exist and may be read`,
    );
  }
  if (code.startsWith('SQLITE_BUSY')) {
    return new RunInProgressError(
      `the ledger ${path} is busy: another ledgerline process held its write lock longer than this ` +
        `one waits, and this step wrote nothing; run again when that process has finished`,
    );
  }
  // A journal file gone before SQLite removed it: another process (a restore) replaced the ledger meanwhile (issue 84).
  if (code === 'SQLITE_IOERR_DELETE_NOENT') {
    return new RunInProgressError(
      `the ledger ${path} was replaced by another ledgerline process (its journal file was removed) while this one ` +
        'used it; run again when that process has finished',
    );
  }
  if (code === 'SQLITE_FULL') {
    return new LedgerStorageError(
      `the disk holding ${path} is full; the write in progress was rolled back and nothing half-written was kept: free space and run again`,
    );
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new LedgerStorageError(
      `the ledger ${path} is damaged (${detail}); nothing more was written: restore it from a backup (\`ledgerline status\` runs an integrity check)`,
    );
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new LedgerStorageError(
      `the disk failed while using ${path} (${code}); the write in progress was rolled back: check the disk and run again`,
    );
  }
  return error;
}
