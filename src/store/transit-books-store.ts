import type {
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

/** The transit's port (pipeline/transit, TransitBooks) over the store. An arrow: it does no I/O itself. */
export const transitBooksOver = (store: LedgerStore) => ({
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
  recordLinkWord: (word: TransitLinkWord) => recordTransitLink(store, word),
  linesNamed: (keys: readonly { account: string; lineId: string }[]) => bankLinesNamed(store, keys),
  linesWithin: (window: { from?: string | undefined; to?: string | undefined }) => bankLinesWithin(store, window),
  findingsAwaitingTheBank: () => findingsAwaitingTheBank(store),
  keepStatementBalances: (account: string, sha256: string, balances: StatementBalances) =>
    keepStatementBalances(store, account, sha256, balances),
  statementBalances: (account: string) => statementBalancesOf(store, account),
  accountBalanceThrough: (account: string, currency: string, date: string) =>
    accountBalanceThrough(store, account, currency, date),
  unitOfWork: <T>(work: () => Promise<T>) => store.unitOfWork(() => work()),
  acknowledge: (itemId: string, word: { action: 'ack'; note: string; user: string; at: string }) =>
    recordAcknowledgement(store, itemId, word),
});
