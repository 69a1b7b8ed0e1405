import type {
  BankSideFinding,
  JournalEntry,
  LandedBankLine,
  LandedStatement,
  LineReach,
  StatementBalances,
  StatementToLand,
  TransitItem,
  TransitLinkWord,
  TransitStanding,
  TransitState,
} from '../../../rules/index.js';
import { Ledger } from '../../../ledger/index.js';
import { journalBooksOver, type StoreHandle, type StoreTx } from '../../../store/index.js';
import { recordAcknowledgement } from './acknowledgement-rows.js';
import {
  bankLegItems,
  bankLegMoves,
  bankLegsByItem,
  bankSideEntries,
  closedThrough,
  differenceItems,
} from './bank-leg-rows.js';
import { holdsStatements, knownAccountNumber, landStatement } from './bank-line-rows.js';
import { itemsWithBankDocuments } from './recorded-bank-documents.js';
import {
  acceptedTransitItems,
  alertedTransitItems,
  landedBankLines,
  recordTransitAlerts,
  recordTransitStates,
  recordedTransitStates,
  transitItems,
} from './transit-item-rows.js';
import {
  accountBalanceThrough,
  bankLinesNamed,
  bankLinesWithin,
  findingsAwaitingTheBank,
  keepStatementBalances,
  recordTransitLink,
  statementBalancesOf,
  transitLinkWords,
} from './transit-link-rows.js';

/** An item's bank legs as the journal holds them: how many were booked, how many reversed, and the one standing. */
export interface ItemBankLegs {
  legs: number;
  reversals: number;
  /** The latest leg when no reversal undid it: its number, id, day and amount (micro-units, positive). */
  standing?: { n: number; entryId: string; date: string; amountMicros: bigint };
}

/** What the transit reads of the books: on the port itself and in its unit alike. */
export interface TransitReads {
  /** The account number an earlier statement of the account named, if any (`bank import` refuses another). */
  knownAccountNumber(account: string): Promise<string | undefined>;
  /** Whether the account holds a statement already (its first one books the account's opening balance). */
  holdsStatements(account: string): Promise<boolean>;
  /** The payouts and top-ups: events of these kinds, as the kinds say them (TransitTerms' `eventKinds`). */
  transitItems(eventKinds: ReadonlyMap<string, 'payout' | 'topup'>): Promise<TransitItem[]>;
  /** The landed lines within the reaches (rules linesInReach): the only lines any item could take. */
  bankLines(reaches: readonly LineReach[]): Promise<LandedBankLine[]>;
  /** Items a person accepted (`ledgerline transit accept ID`). */
  acceptedItems(): Promise<Set<string>>;
  /** Items with a bank-side document at a destination (a Xero BankTransaction, a QuickBooks Transfer): the outbox steps that hold its id. */
  bankSideDocuments(): Promise<Set<string>>;
  /** Each item's latest recorded state. */
  recordedStates(): Promise<Map<string, string>>;
  /** The items the night already alerted in a state. */
  alertedItems(state: TransitState): Promise<Set<string>>;
  /** The items whose bank leg stands in the journal (booked, and no unmatch reversed it). */
  bankLegItems(): Promise<Set<string>>;
  /** Each item's bank legs and their reversals, by item id. */
  bankLegsByItem(): Promise<Map<string, ItemBankLegs>>;
  /** The items whose difference from their line the journal holds (accepted, or booked late under an earlier acceptance). */
  differenceItems(): Promise<Set<string>>;
  /** What each standing bank leg moved, by item id: its date and amount (micro-units, positive). */
  bankLegMoves(): Promise<Map<string, { date: string; amountMicros: bigint }>>;
  /** The two-line entries besides the bank legs with one line on these bank accounts (an `adjust` of a statement line). */
  bankSideEntries(
    bankAccounts: ReadonlySet<string>,
  ): Promise<
    { entryId: string; date: string; sourceId: string; currency: string; bankMicros: bigint; otherAccount: string }[]
  >;
  /** The end of the last closed period, if any: the journal takes nothing dated on or before it. */
  closedThrough(): Promise<string | undefined>;
  /** Every word people gave on items and lines (`transit match`, `transit unmatch`), oldest first. */
  linkWords(): Promise<TransitLinkWord[]>;
  /** The landed lines with these keys, whatever their day or amount. */
  linesNamed(keys: readonly { account: string; lineId: string }[]): Promise<LandedBankLine[]>;
  /** Every landed line booked in the window, in book order. */
  linesWithin(window: { from?: string | undefined; to?: string | undefined }): Promise<LandedBankLine[]>;
  /** The panels' balance rises nobody acknowledged, each waiting for its top-up's bank line. */
  findingsAwaitingTheBank(): Promise<BankSideFinding[]>;
  /** Every kept statement balance of a bank account (its source id). */
  statementBalances(account: string): Promise<StatementBalances[]>;
  /** What a ledger account holds in a currency through a day: debits less credits. */
  accountBalanceThrough(account: string, currency: string, date: string): Promise<bigint>;
}

/**
 * The port of the money in transit. A statement is landed in one unit of work (its file's row and each line the
 * account does not hold yet), so a file is either kept whole or not at all, and a line already landed is never
 * written twice. The transit reads the ledger's payouts and top-ups, the landed lines and a person's acceptances,
 * and appends each state an item reaches. Reads on the port; the writes only on the `tx` its unit hands (issue 53
 * item 4).
 */
export interface TransitBooks extends TransitReads {
  /**
   * Runs `work` in one unit of work, handed the verbs bound to it (`tx`), the writes among them: what it writes
   * through them is kept whole or not at all, and what it reads through them sees what it wrote. A unit begun on
   * the `tx` joins it.
   */
  unitOfWork<T>(work: (tx: TransitBooksTx) => Promise<T>): Promise<T>;
}

/** The transit's writes, only on the `tx` of a unit of work (`TransitBooks.unitOfWork` hands it). */
export interface TransitBooksTx extends TransitBooks {
  landStatement(statement: StatementToLand): Promise<LandedStatement>;
  recordStates(standings: readonly TransitStanding[], asOf: string, now: Date): Promise<void>;
  /** Appends that the night alerted these items in a state (once per item and state). */
  recordAlerts(itemIds: readonly string[], state: TransitState, asOf: string, now: Date): Promise<void>;
  /** Books bank legs (their reversals, late differences) in one append, through the journal (balanced, chained; the same id twice is booked once). */
  bookBankLegs(entries: readonly JournalEntry[], now: Date): Promise<void>;
  recordLinkWord(word: TransitLinkWord): Promise<void>;
  /** Appends an acknowledgement of a reconcile item, with its evidence in the note. */
  acknowledge(itemId: string, word: { action: 'ack'; note: string; user: string; at: string }): Promise<void>;
  /** Keeps a landed statement's balances as its bank wrote them, once. */
  keepStatementBalances(account: string, sha256: string, balances: StatementBalances): Promise<void>;
}

/** The finding kinds a top-up's bank line settles, as the kinds of source declare them (the registry's settledFindings). */
export interface TopUpFindings {
  readonly byTopUp: readonly string[];
}

/** The transit's reads over the store or a unit's `tx`. */
const transitReads = (store: StoreHandle, findings: TopUpFindings): TransitReads => ({
  knownAccountNumber: (account) => knownAccountNumber(store, account),
  holdsStatements: (account) => holdsStatements(store, account),
  transitItems: (eventKinds) => transitItems(store, eventKinds),
  bankLines: (reaches) => landedBankLines(store, reaches),
  acceptedItems: () => acceptedTransitItems(store),
  bankSideDocuments: () => itemsWithBankDocuments(store),
  recordedStates: () => recordedTransitStates(store),
  alertedItems: (state) => alertedTransitItems(store, state),
  bankLegItems: () => bankLegItems(store),
  bankLegMoves: () => bankLegMoves(store),
  bankLegsByItem: () => bankLegsByItem(store),
  differenceItems: () => differenceItems(store),
  bankSideEntries: (bankAccounts) => bankSideEntries(store, bankAccounts),
  closedThrough: () => closedThrough(store),
  linkWords: () => transitLinkWords(store),
  linesNamed: (keys) => bankLinesNamed(store, keys),
  linesWithin: (window) => bankLinesWithin(store, window),
  findingsAwaitingTheBank: () => findingsAwaitingTheBank(store, findings.byTopUp),
  statementBalances: (account) => statementBalancesOf(store, account),
  accountBalanceThrough: (account, currency, date) => accountBalanceThrough(store, account, currency, date),
});

/** The transit's writes and reads in one unit of work, over its `tx`; the bank legs' append through the journal. */
const transitBooksTx = (tx: StoreTx, findings: TopUpFindings): TransitBooksTx => ({
  ...transitReads(tx, findings),
  unitOfWork: (work) => tx.unitOfWork((inner) => work(transitBooksTx(inner, findings))),
  landStatement: (statement) => landStatement(tx, statement),
  recordStates: (standings, asOf, now) => recordTransitStates(tx, standings, asOf, now),
  recordAlerts: (itemIds, state, asOf, now) => recordTransitAlerts(tx, itemIds, state, asOf, now),
  recordLinkWord: (word) => recordTransitLink(tx, word),
  keepStatementBalances: (account, sha256, balances) => keepStatementBalances(tx, account, sha256, balances),
  acknowledge: (itemId, word) => recordAcknowledgement(tx, itemId, word),
  bookBankLegs: async (entries, now) => void (await new Ledger(journalBooksOver(tx)).appendEntries(entries, { now })),
});

/** The transit's books over the store's handle (`books.of(transitBooks, findings)`): its reads, and a unit that hands the writes. */
export const transitBooks = (store: StoreHandle, findings: TopUpFindings): TransitBooks => ({
  ...transitReads(store, findings),
  unitOfWork: (work) => store.unitOfWork((tx) => work(transitBooksTx(tx, findings))),
});
