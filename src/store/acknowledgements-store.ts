import type { Acknowledgements } from '../pipeline/adjustments/acknowledgements.js';
import { recordAcknowledgement, type Acknowledgement } from './acknowledgements.js';
import type { LedgerStore } from './ledger-store.js';

/**
 * The read side's one write (`Acknowledgements`, pipeline/adjustments/acknowledgements.ts) over the store. An arrow:
 * it does no I/O itself, and the architecture test holds every `export function` taking the store to be async.
 */
export const acknowledgementsOver = (store: LedgerStore) =>
  ({
    recordAcknowledgement: (itemId: string, word: Acknowledgement) => recordAcknowledgement(store, itemId, word),
  }) satisfies Acknowledgements;
