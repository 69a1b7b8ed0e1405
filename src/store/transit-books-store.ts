import type { TransitBooks, TransitBooksTx } from '../pipeline/transit/transit-books.js';
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
import { itemsWithBankDocuments } from './bank-document-steps.js';
import {
  bankLegItems,
  bankLegMoves,
  bankLegsByItem,
  bankSideEntries,
  closedThrough,
  differenceItems,
} from './bank-legs.js';
import { holdsStatements, knownAccountNumber, landStatement } from './bank-lines.js';
import { journalBooksOver } from './journal-books-store.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import type { SettledFindings } from './settled-findings.js';
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

/** The transit's reads over the store or a unit's `tx`. An arrow: it does no I/O itself. */
const transitReadsOver = (store: LedgerStore, findings: SettledFindings) => ({
  knownAccountNumber: (account: string) => knownAccountNumber(store, account),
  holdsStatements: (account: string) => holdsStatements(store, account),
  transitItems: (eventKinds: ReadonlyMap<string, 'payout' | 'topup'>) => transitItems(store, eventKinds),
  bankLines: (reaches: readonly LineReach[]) => landedBankLines(store, reaches),
  acceptedItems: () => acceptedTransitItems(store),
  bankSideDocuments: () => itemsWithBankDocuments(store),
  recordedStates: () => recordedTransitStates(store),
  alertedItems: (state: TransitState) => alertedTransitItems(store, state),
  bankLegItems: () => bankLegItems(store),
  bankLegMoves: () => bankLegMoves(store),
  bankLegsByItem: () => bankLegsByItem(store),
  differenceItems: () => differenceItems(store),
  bankSideEntries: (bankAccounts: ReadonlySet<string>) => bankSideEntries(store, bankAccounts),
  closedThrough: () => closedThrough(store),
  linkWords: () => transitLinkWords(store),
  linesNamed: (keys: readonly { account: string; lineId: string }[]) => bankLinesNamed(store, keys),
  linesWithin: (window: { from?: string | undefined; to?: string | undefined }) => bankLinesWithin(store, window),
  findingsAwaitingTheBank: () => findingsAwaitingTheBank(store, findings.byTopUp),
  statementBalances: (account: string) => statementBalancesOf(store, account),
  accountBalanceThrough: (account: string, currency: string, date: string) =>
    accountBalanceThrough(store, account, currency, date),
});

/** The transit's writes and reads in one unit of work, over its `tx`; the bank legs' append through the journal. */
const transitBooksTxOver = (tx: LedgerTx, findings: SettledFindings): TransitBooksTx =>
  ({
    ...transitReadsOver(tx, findings),
    unitOfWork: <T>(work: (inner: TransitBooksTx) => Promise<T>): Promise<T> =>
      tx.unitOfWork((inner) => work(transitBooksTxOver(inner, findings))),
    landStatement: (statement: StatementToLand) => landStatement(tx, statement),
    recordStates: (standings: readonly TransitStanding[], asOf: string, now: Date) =>
      recordTransitStates(tx, standings, asOf, now),
    recordAlerts: (itemIds: readonly string[], state: TransitState, asOf: string, now: Date) =>
      recordTransitAlerts(tx, itemIds, state, asOf, now),
    recordLinkWord: (word: TransitLinkWord) => recordTransitLink(tx, word),
    keepStatementBalances: (account: string, sha256: string, balances: StatementBalances) =>
      keepStatementBalances(tx, account, sha256, balances),
    acknowledge: (itemId: string, word: { action: 'ack'; note: string; user: string; at: string }) =>
      recordAcknowledgement(tx, itemId, word),
    bookBankLegs: async (entries: readonly JournalEntry[], now: Date) =>
      void (await new Ledger(journalBooksOver(tx)).appendEntries(entries, { now })),
  }) satisfies TransitBooksTx;

/** The transit's port (pipeline/transit, TransitBooks): its reads, and a unit that hands them with the writes bound to it (`tx`). */
export const transitBooksOver = (store: LedgerStore, findings: SettledFindings) =>
  ({
    ...transitReadsOver(store, findings),
    unitOfWork: <T>(work: (tx: TransitBooksTx) => Promise<T>): Promise<T> =>
      store.unitOfWork((tx) => work(transitBooksTxOver(tx, findings))),
  }) satisfies TransitBooks;
