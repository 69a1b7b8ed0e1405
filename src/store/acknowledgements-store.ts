import { recordAcknowledgement, type Acknowledgement } from './acknowledgements.js';
import type { LedgerStore } from './ledger-store.js';

/** The read side's one write (`Acknowledgements`, pipeline/reports/acknowledgements.ts) over the store. */
export function acknowledgementsOver(store: LedgerStore) {
  return {
    recordAcknowledgement: (itemId: string, word: Acknowledgement) => recordAcknowledgement(store, itemId, word),
  };
}
