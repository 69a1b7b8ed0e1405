import type { BankDocumentRecord, BankDocumentRequest } from '../../ledger/index.js';

export type { BankDocumentRecord, BankDocumentRequest };

/**
 * What creating bank-side documents needs of the books: one destination's steps, each write a unit of its own
 * that commits before the use case goes on. The intent is recorded before the create call leaves and the
 * document's id after, so a crash between them leaves an intent alone, which the next run looks up by
 * reference before creating anything. `at` is the write's time, ISO 8601.
 */
export interface BankDocumentOutbox {
  /** The items with a step recorded, by item id. */
  records(itemIds: readonly string[]): Promise<Map<string, BankDocumentRecord>>;
  recordIntent(request: BankDocumentRequest, at: string): Promise<void>;
  /** The document's id: from the create call's reply ('created') or a look-up by reference ('found'). */
  recordDocument(request: BankDocumentRequest, documentId: string, how: 'created' | 'found', at: string): Promise<void>;
  /** Every document recorded, by item id: what the nightly read-back asks the destination about. */
  documents(): Promise<Map<string, string>>;
}
