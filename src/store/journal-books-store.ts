import type { JournalBooks } from '../ledger/index.js';
import type { LedgerStore } from './ledger-store.js';
import {
  accountNets,
  advanceRunningTotals,
  bookedEntryHashes,
  debitCreditTotals,
  hasEntry,
  holdLedgerLock,
  insertEntries,
  journalSeal,
  runningTotal,
} from './journal.js';
import { bookLineChunks, journalLineRows, renderedLineRows } from './journal-reads.js';

/**
 * The journal's port (ledger/journal-books.ts, JournalBooks) over one open store, or over a unit of work's `tx`:
 * a unit begun on the port over a `tx` joins that unit and hands back the same port.
 */
export const journalBooksOver = (store: LedgerStore): JournalBooks => {
  const books: JournalBooks = {
    unit: <T>(work: (tx: JournalBooks) => Promise<T>): Promise<T> =>
      store.unitOfWork((tx) => work(tx === store ? books : journalBooksOver(tx))),
    lockedUnit: <T>(work: (tx: JournalBooks) => Promise<T>): Promise<T> =>
      store.unitOfWork(async (tx) => {
        await holdLedgerLock(tx);
        return work(tx === store ? books : journalBooksOver(tx));
      }),
    bookedEntryHashes: (entryIds: readonly string[]) => bookedEntryHashes(store, entryIds),
    journalSeal: () => store.unitOfWork((tx) => journalSeal(tx)),
    insertEntries: (entries: Parameters<typeof insertEntries>[1], meta: Parameters<typeof insertEntries>[2]) =>
      store.unitOfWork((tx) => insertEntries(tx, entries, meta)),
    runningTotal: (sourceId: string, account: string, currency: string) =>
      runningTotal(store, sourceId, account, currency),
    advanceRunningTotals: (movements: Parameters<typeof advanceRunningTotals>[1]) =>
      store.unitOfWork((tx) => advanceRunningTotals(tx, movements)),
    hasEntry: (entryId: string) => hasEntry(store, entryId),
    accountNets: (filter: Parameters<typeof accountNets>[1]) => accountNets(store, filter),
    debitCreditTotals: (asOf?: string) => debitCreditTotals(store, { asOf }),
    renderedLineRows: (window: Parameters<typeof renderedLineRows>[1]) => renderedLineRows(store, window),
    bookLineChunks: (window: Parameters<typeof bookLineChunks>[1], rowsPerChunk: number) =>
      bookLineChunks(store, window, rowsPerChunk),
    journalLineRows: (window: Parameters<typeof journalLineRows>[1]) => journalLineRows(store, window),
    close: () => store.close(),
  };
  return books;
};
