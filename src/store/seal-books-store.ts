import type { SealBooks, SealBooksTx } from '../pipeline/operations/seal-books.js';
import { chainCloseRecords, closedPeriodRows, closedPeriodsOfChain, form2FromSeq } from './chain-closes.js';
import { chainChunks } from './journal-chain.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import type { ClosedPeriod } from '../ledger/index.js';
import { deliveriesBetween, recordClosedPeriod } from './period-close.js';

/** Entries read per chunk of the chain: three reads a chunk, a few hundred kB held (4,000 was no faster, and held more through collections). */
const CHAIN_CHUNK_ENTRIES = 1000;

/** Sealing's reads over the store or a unit's `tx`. */
const sealReadsOver = (store: LedgerStore) => ({
  chainChunks: () => chainChunks(store, CHAIN_CHUNK_ENTRIES),
  chainRecords: async () => ({ form2FromSeq: await form2FromSeq(store), closes: await chainCloseRecords(store) }),
  closedPeriodRows: () => closedPeriodRows(store),
  closedPeriods: () => closedPeriodsOfChain(store),
  deliveriesBetween: (destination: string, from: string, to: string) => deliveriesBetween(store, destination, from, to),
});

/** The close kept in one unit of work, over its `tx`. */
const sealBooksTxOver = (tx: LedgerTx) =>
  ({
    ...sealReadsOver(tx),
    recordClose: (close: ClosedPeriod, headWhenCertified: string) => recordClosedPeriod(tx, close, headWhenCertified),
  }) satisfies SealBooksTx;

/** Sealing months' port (pipeline/operations/seal-books.ts, SealBooks) over one open store: reads, and the close in a unit. */
export const sealBooksOver = (store: LedgerStore) =>
  ({
    ...sealReadsOver(store),
    unit: <T>(work: (tx: SealBooksTx) => Promise<T>): Promise<T> => store.unitOfWork((tx) => work(sealBooksTxOver(tx))),
  }) satisfies SealBooks;
