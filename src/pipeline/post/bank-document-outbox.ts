import type { BankDocumentRecord, BankDocumentRequest } from '../../ledger/index.js';

export type { BankDocumentRecord, BankDocumentRequest };

/** What creating bank-side documents reads of one destination's steps: on the port itself and in its unit alike. */
interface BankDocumentReads {
  /** The items with a step recorded, by item id. */
  records(itemIds: readonly string[]): Promise<Map<string, BankDocumentRecord>>;
  /** Every document recorded, by item id: what the nightly read-back asks the destination about. */
  documents(): Promise<Map<string, string>>;
}

/** The steps' writes, only on the `tx` of a unit of work (`BankDocumentOutbox.unit` hands them). `at` is the write's time, ISO 8601. */
export interface BankDocumentOutboxTx extends BankDocumentReads {
  recordIntent(request: BankDocumentRequest, at: string): Promise<void>;
  /** The document's id: from the create call's reply ('created') or a look-up by reference ('found'). */
  recordDocument(request: BankDocumentRequest, documentId: string, how: 'created' | 'found', at: string): Promise<void>;
}

/**
 * What creating bank-side documents needs of the books: one destination's steps, written in units that commit
 * before the use case goes on. The intent is recorded before the create call leaves and the document's id after,
 * so a crash between them leaves an intent alone, which the next run looks up by reference before creating
 * anything. Reads on the port; the writes only on the `tx` its unit hands (issue 53 item 4).
 */
export interface BankDocumentOutbox extends BankDocumentReads {
  unit<T>(work: (tx: BankDocumentOutboxTx) => Promise<T>): Promise<T>;
}
