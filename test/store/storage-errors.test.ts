import { describe, expect, it } from 'vitest';
import { EXIT, LedgerStorageError, RunInProgressError } from '../../src/errors.js';
import { storageErrorOf } from '../../src/store/storage-errors.js';

/** SQLite's codes as the person holding the ledger tells them apart (issue 84: a lost race is 75, not a failed disk). */
describe('storageErrorOf tells a lost race for the ledger from a failed disk', () => {
  const sqliteError = (code: string) => Object.assign(new Error(`disk I/O error (${code})`), { code });

  it('a journal file another process removed first (a restore replaced the ledger) is a lost race, exit 75', () => {
    const error = storageErrorOf(sqliteError('SQLITE_IOERR_DELETE_NOENT'), '/books/ledger.sqlite');
    expect(error).toBeInstanceOf(RunInProgressError);
    expect((error as RunInProgressError).exitCode).toBe(EXIT.busy);
    expect((error as Error).message).toContain(
      'the ledger /books/ledger.sqlite was replaced by another ledgerline process',
    );
  });

  it('any other I/O error is still the disk, exit 3', () => {
    const error = storageErrorOf(sqliteError('SQLITE_IOERR_WRITE'), '/books/ledger.sqlite');
    expect(error).toBeInstanceOf(LedgerStorageError);
    expect((error as Error).message).toContain('check the disk');
  });
});
