import type { Acknowledgement } from '../../reads/index.js';

/**
 * The one write of the read side: a person acknowledging or reopening an item (`reconcile ack/unack`, the
 * console's button). Apart from `LedgerReads`, so that a report's type says it cannot write.
 */
export interface Acknowledgements {
  /** Appends a word to the item's history: acknowledgements are never edited. */
  recordAcknowledgement(itemId: string, word: Acknowledgement): Promise<void>;
}
