import type { Acknowledgements, AcknowledgementsTx } from '../pipeline/adjustments/acknowledgements.js';
import type { Acknowledgement } from '../reads/ledger-reads.js';
import { recordAcknowledgement } from './acknowledgements.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';

/** The write of one unit of work, over its `tx`. */
const acknowledgementsTxOver = (tx: LedgerTx) =>
  ({
    recordAcknowledgement: (itemId: string, word: Acknowledgement) => recordAcknowledgement(tx, itemId, word),
  }) satisfies AcknowledgementsTx;

/**
 * The read side's one write (`Acknowledgements`, pipeline/adjustments/acknowledgements.ts) over the store, in a
 * unit. An arrow: it does no I/O itself, and the architecture test holds every `export function` taking the store
 * to be async.
 */
export const acknowledgementsOver = (store: LedgerStore) =>
  ({
    unit: <T>(work: (tx: AcknowledgementsTx) => Promise<T>): Promise<T> =>
      store.unitOfWork((tx) => work(acknowledgementsTxOver(tx))),
  }) satisfies Acknowledgements;
