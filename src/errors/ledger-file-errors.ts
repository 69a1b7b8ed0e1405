import { EXIT, failure } from './ledgerline-error.js';

/**
 * The ledger file cannot be used as asked: it is not a ledgerline database, it is read-only for a command
 * that writes, or it needs an upgrade that a read-only user cannot make. Nothing was changed.
 */
export class LedgerFileError extends failure('LedgerFileError', EXIT.usage) {}

/**
 * The SQLite ledger was moved to PostgreSQL by `migrate --to` and sealed: it takes no more writes, so a cron
 * still pointing at it cannot deliver the same journals again. Reading commands still work on it.
 */
export class LedgerSealedError extends failure('LedgerSealedError', EXIT.usage) {
  constructor(
    readonly ledger: string,
    readonly movedTo: string,
    movedAt: string,
  ) {
    super(
      `the ledger ${ledger} is sealed: it was moved to ${movedTo} on ${movedAt} and takes no more ` +
        `writes; set "ledger:" to that URL (reading commands still work on the file)`,
    );
  }
}

/**
 * The destination already holds journals under numbers this ledger is about to create, and this ledger's
 * outbox never sent them: another copy of the ledger (a copied folder, a restored backup, a cron on the old
 * file) delivered them. Nothing of the request was sent.
 */
export class JournalNumbersTakenError extends failure('JournalNumbersTakenError', EXIT.usage) {
  constructor(
    readonly destination: string,
    readonly taken: readonly { entryId: string; remoteId: string }[],
  ) {
    const named = taken.slice(0, 5).map((journal) => `${journal.entryId} (${destination} ${journal.remoteId})`);
    super(
      `${destination} already holds ${taken.length} journal(s) this ledger never sent: ` +
        `${named.join(', ')}${taken.length > named.length ? ` and ${taken.length - named.length} more` : ''}; ` +
        'another copy of this ledger delivers to it: post from that one only (or run post --adopt-delivered here if this ledger is now the only one)',
    );
  }
}

/**
 * The ledger file is damaged (corrupt pages, truncated) or its disk failed mid-run (full, I/O error).
 * SQLite rolled back the transaction in progress, so nothing half-written is in the books.
 */
export class LedgerStorageError extends failure('LedgerStorageError', EXIT.external) {}
