import type { TransitBooks } from '../pipeline/transit/transit-books.js';
import { Ledger } from '../ledger/index.js';
import type {
  JournalEntry,
  LineReach,
  StatementBalances,
  StatementToLand,
  TransitLinkWord,
  TransitStanding,
  TransitState,
} from '../rules/index.js';
import { recordAcknowledgement } from './acknowledgements.js';
import { itemsWithBankDocuments } from './bank-documents-store.js';
import { bankLegItems, bankLegMoves, bankSideEntries, closedThrough } from './bank-legs.js';
import { knownAccountNumber, landStatement } from './bank-lines.js';
import { journalBooksOver } from './journal-books-store.js';
import type { LedgerStore } from './ledger-store.js';
import {
  accountBalanceThrough,
  bankLinesNamed,
  bankLinesWithin,
  findingsAwaitingTheBank,
  keepStatementBalances,
  recordTransitLink,
  statementBalancesOf,
  transitLinkWords,
} from './transit-links.js';
import {
  acceptedTransitItems,
  alertedTransitItems,
  landedBankLines,
  recordTransitAlerts,
  recordTransitStates,
  recordedTransitStates,
  transitItems,
} from './transit-items.js';

/** The transit's verbs over the store, the bank legs' append through the journal. An arrow: it does no I/O itself. */
const transitVerbsOver = (store: LedgerStore) => ({
  landStatement: (statement: StatementToLand) => landStatement(store, statement),
  knownAccountNumber: (account: string) => knownAccountNumber(store, account),
  transitItems: () => transitItems(store),
  bankLines: (reaches: readonly LineReach[]) => landedBankLines(store, reaches),
  acceptedItems: () => acceptedTransitItems(store),
  bankSideDocuments: () => itemsWithBankDocuments(store),
  recordedStates: () => recordedTransitStates(store),
  recordStates: (standings: readonly TransitStanding[], asOf: string, now: Date) =>
    recordTransitStates(store, standings, asOf, now),
  alertedItems: (state: TransitState) => alertedTransitItems(store, state),
  recordAlerts: (itemIds: readonly string[], state: TransitState, asOf: string, now: Date) =>
    recordTransitAlerts(store, itemIds, state, asOf, now),
  bankLegItems: () => bankLegItems(store),
  bankLegMoves: () => bankLegMoves(store),
  bankSideEntries: (bankAccounts: ReadonlySet<string>) => bankSideEntries(store, bankAccounts),
  closedThrough: () => closedThrough(store),
  linkWords: () => transitLinkWords(store),
  recordLinkWord: (word: TransitLinkWord) => store.unitOfWork((tx) => recordTransitLink(tx, word)),
  linesNamed: (keys: readonly { account: string; lineId: string }[]) => bankLinesNamed(store, keys),
  linesWithin: (window: { from?: string | undefined; to?: string | undefined }) => bankLinesWithin(store, window),
  findingsAwaitingTheBank: () => findingsAwaitingTheBank(store),
  keepStatementBalances: (account: string, sha256: string, balances: StatementBalances) =>
    store.unitOfWork((tx) => keepStatementBalances(tx, account, sha256, balances)),
  statementBalances: (account: string) => statementBalancesOf(store, account),
  accountBalanceThrough: (account: string, currency: string, date: string) =>
    accountBalanceThrough(store, account, currency, date),
  acknowledge: (itemId: string, word: { action: 'ack'; note: string; user: string; at: string }) =>
    recordAcknowledgement(store, itemId, word),
  bookBankLegs: async (entries: readonly JournalEntry[], now: Date) =>
    void (await new Ledger(journalBooksOver(store)).appendEntries(entries, { now })),
});

/** The transit's port (pipeline/transit, TransitBooks): its verbs, and a unit that hands them bound to it (`tx`). */
export const transitBooksOver = (store: LedgerStore): TransitBooks =>
  ({
    ...transitVerbsOver(store),
    unitOfWork: <T>(work: (tx: TransitBooks) => Promise<T>): Promise<T> =>
      store.unitOfWork((tx) => work(transitBooksOver(tx))),
  }) satisfies TransitBooks;
