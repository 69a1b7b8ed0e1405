import { chainCloseRecords, closedPeriodRows, form2FromSeq } from './chain-closes.js';
import { chainChunks } from './journal-chain.js';
import type { LedgerStore } from './ledger-store.js';
import type { ClosedPeriod } from '../ledger/index.js';
import { closedPeriods, deliveriesBetween, recordClosedPeriod } from './period-close.js';

/** Entries read per chunk of the chain: three reads a chunk, about a megabyte held. */
const CHAIN_CHUNK_ENTRIES = 4000;

/** Sealing months' port (pipeline/operations/seal-books.ts, SealBooks) over one open store. */
export const sealBooksOver = (store: LedgerStore) => ({
  chainChunks: () => chainChunks(store, CHAIN_CHUNK_ENTRIES),
  chainRecords: async () => ({ form2FromSeq: await form2FromSeq(store), closes: await chainCloseRecords(store) }),
  closedPeriodRows: () => closedPeriodRows(store),
  closedPeriods: () => closedPeriods(store),
  deliveriesBetween: (destination: string, from: string, to: string) => deliveriesBetween(store, destination, from, to),
  recordClose: (close: ClosedPeriod, headWhenCertified: string) => recordClosedPeriod(store, close, headWhenCertified),
});
