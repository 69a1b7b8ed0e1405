import type { ExceptionWord } from '../../reads/index.js';

export type { ExceptionWord };

/** The exception queue's write, only on the `tx` of a unit of work (`ExceptionWords.unit` hands it). */
export interface ExceptionWordsTx {
  /** Appends a word to the item's history: words are never edited. */
  recordExceptionWord(word: ExceptionWord): Promise<void>;
}

/**
 * A person's words on the exception queue's items (`exceptions ack|assign|note`, migration 0037), in the ledger of
 * the entity the item is in: read on the port, written only on the `tx` its unit hands.
 */
export interface ExceptionWords {
  /** Every word, oldest first. */
  words(): Promise<ExceptionWord[]>;
  unit<T>(work: (tx: ExceptionWordsTx) => Promise<T>): Promise<T>;
}
