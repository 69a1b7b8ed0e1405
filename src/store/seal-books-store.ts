import { chainCloseRecords, closedPeriodRows, form2FromSeq } from './chain-closes.js';
import { chainRowChunks } from './journal-chain.js';
import type { LedgerStore } from './ledger-store.js';
import type { ClosedPeriod } from '../ledger/index.js';
import { closedPeriods, deliveriesBetween, recordClosedPeriod } from './period-close.js';

/** Lines read per chunk of the chain: one await per chunk, not per line. */
const CHAIN_CHUNK_ROWS = 1000;

/** Sealing months' port (pipeline/operations/seal-books.ts, SealBooks) over one open store. */
export const sealBooksOver = (store: LedgerStore) => ({
  chainLines: () => chainRowChunks(store, CHAIN_CHUNK_ROWS),
  chainRecords: async () => ({ form2FromSeq: await form2FromSeq(store), closes: await chainCloseRecords(store) }),
  closedPeriodRows: () => closedPeriodRows(store),
  closedPeriods: () => closedPeriods(store),
  deliveriesBetween: (destination: string, from: string, to: string) => deliveriesBetween(store, destination, from, to),
  recordClose: (close: ClosedPeriod, headWhenCertified: string) => recordClosedPeriod(store, close, headWhenCertified),
});
