import type { Acknowledgement } from '../../../reads/index.js';
import type { StoreHandle } from '../../../store/index.js';
import { recordAcknowledgement } from '../../transit/index.js';

/** The acknowledgements' write, only on the `tx` of a unit of work (`Acknowledgements.unit` hands it). */
export interface AcknowledgementsTx {
  /** Appends a word to the item's history: acknowledgements are never edited. */
  recordAcknowledgement(itemId: string, word: Acknowledgement): Promise<void>;
}

/**
 * The one write of the read side: a person acknowledging or reopening an item (`reconcile ack/unack`, the
 * console's button). Apart from `LedgerReads`, so that a report's type says it cannot write. The write is only on
 * the `tx` its unit hands (issue 53 item 4); a unit begun inside an open one joins it.
 */
export interface Acknowledgements {
  unit<T>(work: (tx: AcknowledgementsTx) => Promise<T>): Promise<T>;
}

/**
 * The acknowledgements over the store's handle (`books.of(acknowledgementBooks)`), the write in a unit. Its
 * repository is the transit's (pipeline/transit/books), whose books write and read the same table.
 */
export const acknowledgementBooks = (store: StoreHandle): Acknowledgements => ({
  unit: (work) =>
    store.unitOfWork((tx) =>
      work({ recordAcknowledgement: (itemId, word) => recordAcknowledgement(tx, itemId, word) }),
    ),
});
