import type { EvidenceRecord } from '../../ledger/index.js';

/**
 * What an entry's evidence reads of the books (issue 42, item 4): the entry as booked, its events, the replies
 * its source landed for its days and the source's close figures; the cents come from the journal itself.
 * store/evidence-books-store.ts implements it.
 */
export interface EvidenceBooks {
  /** Undefined when no entry has that id. */
  evidenceOf(entryId: string): Promise<Omit<EvidenceRecord, 'renderedLines'> | undefined>;
}
