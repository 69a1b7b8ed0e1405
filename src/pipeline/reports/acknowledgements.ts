/** A person's word on a reconcile item, as kept: who said it, when, and the note given with an ack. */
export interface Acknowledgement {
  action: 'ack' | 'unack';
  note: string | null;
  user: string;
  at: string;
}

/**
 * The one write of the read side: a person acknowledging or reopening an item (`reconcile ack/unack`, the
 * console's button). Apart from `LedgerReads`, so that a report's type says it cannot write.
 */
export interface Acknowledgements {
  /** Appends a word to the item's history: acknowledgements are never edited. */
  recordAcknowledgement(itemId: string, word: Acknowledgement): Promise<void>;
}
