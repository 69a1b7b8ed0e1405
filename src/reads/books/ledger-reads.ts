import {
  Ledger,
  type AccountTotalsFilter,
  type BankDocumentRequest,
  type DeliverySummary,
  type AdjustmentRecord,
  type LedgerCounts,
  type RecordedRun,
  type Acknowledgement,
  type AccountMovement,
  type AccountTotals,
} from '../../ledger/index.js';
import type { CloseActivity } from '../../rules/index.js';
import {
  adjustmentRows,
  deliveriesTo,
  journalBooksOver,
  journalReadsOver,
  type StoreHandle,
} from '../../store/index.js';
import { acknowledgementHistory, recordedBankDocuments } from '../../pipeline/transit/index.js';
import { latestRunsOfEachCommand, recentRuns } from '../../pipeline/runs/index.js';
import { accountsInUse } from './accounts-in-use.js';
import { callsUsedOn } from './call-budgets.js';
import { closeActivity, reportedBalances } from './close-activity.js';
import { deliverySummaries } from './delivery-summary.js';
import { entryBookings } from './entry-bookings.js';
import { fallExplanations } from './explained-falls.js';
import { ledgerCounts, withoutSummary } from './ledger-counts.js';
import {
  latestBalanceCloses,
  latestCloseDates,
  openFindings,
  openQuarantine,
  refusedDeliveries,
} from './open-items.js';

export {
  BALANCE_PERIODS,
  type Acknowledgement,
  type AccountMovement,
  type AccountTotals,
  type AccountTotalsFilter,
  type BalancePeriod,
  type DeliverySummary,
  type LedgerCounts,
} from '../../ledger/index.js';

/** The journal's reads, without its append: entries in book order and an account's balance. */
type JournalReads = Pick<Ledger, 'balanceOf' | 'renderedEntries' | 'exactEntries' | 'bookLineChunks'>;

/** A source and a day: its latest close, say. */
export interface SourceDate {
  sourceId: string;
  date: string;
}

/**
 * Which per-day rows a page draws: every row dated `allFrom` or later (the last nights), and before it only
 * `accounts` of `sourceIds` (the charts). A year's page whose sources have no chart reads a week of rows.
 */
export interface DrawnDays {
  allFrom: string;
  sourceIds: readonly string[];
  accounts: readonly string[];
}

/** What a source reported at a close: a panel's balance. */
interface ReportedBalance extends SourceDate {
  valueMicros: bigint;
  currency: string;
}

/** A finding of the rules not resolved yet. */
interface OpenFinding {
  id: string;
  kind: string;
  sourceId: string;
  date: string;
  amountMicros: bigint | null;
  currency: string | null;
  ref: string;
  message: string;
}

/** A reply, webhook or input row kept in quarantine and not resolved yet; where it came from, if known. */
interface QuarantinedItem {
  id: string;
  sourceId: string;
  asOf: string;
  ref: string | null;
  rawObservationId: string | null;
  webhookId: string | null;
  reason: string;
}

/** An entry a destination refused, dated by the entry. */
export interface RefusedDelivery {
  entryId: string;
  destination: string;
  lastError: string | null;
  date: string;
  sourceId: string;
}

/** An entry posted to a destination: its id there, and the rate it went out at if it was in a foreign currency. */
interface PostedDelivery {
  entryId: string;
  remoteId: string | null;
  exchangeRate: string | null;
  rateSource: string | null;
}

/** A run as recorded, for a person: its summary is left to the runs' own reads. */
export type { RecordedRun };

/** An event as the entry that journalized it holds it. */
export interface LinkedEvent {
  id: string;
  kind: string;
  currency: string;
  amountMicros: bigint;
  ref: string;
}

/** When an entry was booked (an ISO instant, as stored) and the events it journalized, in event-id order. */
export interface EntryBooking {
  bookedAt: string;
  events: LinkedEvent[];
}

/** A window of entry dates, either end open. */
interface DateWindow {
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * The read models' port (issue 39): every read behind balances, status, reconcile and its tie-out, the
 * finance report, the console and the exports, and nothing that writes. `ledgerReads` below is it over the
 * store's handle; the journal's reads come from the ledger.
 */
export interface LedgerReads {
  readonly journal: JournalReads;
  /**
   * What status counts but the orders, which the kinds' own books count; the findings of `explainedByLateOrders`'
   * kinds that late orders explain whole are counted apart (the kinds declare which, through the registry).
   */
  ledgerCounts(options: {
    destinations: readonly string[];
    explainedByLateOrders: readonly string[];
  }): Promise<Omit<LedgerCounts, 'openOrders'>>;
  /** The database's own page check: undefined when sound, else the first problems it found. */
  integrityProblem(): Promise<string | undefined>;
  /** Ordered by period, account, currency. */
  accountTotals(filter: AccountTotalsFilter): Promise<AccountTotals[]>;
  accountsInUse(window: DateWindow): Promise<{ sourceId: string; account: string; firstDate: string }[]>;
  reportedBalances(window: DateWindow): Promise<ReportedBalance[]>;
  /** Every entry posted to `destination`, in entry order. */
  postedDeliveries(destination: string): Promise<PostedDelivery[]>;
  /** The chain hash the ledger keeps for each of these entries, by id; an entry it does not hold is absent. */
  chainHashes(entryIds: readonly string[]): Promise<Map<string, string>>;
  /** The newest entry appended (the chain's head) and its chain hash; undefined for an empty ledger. */
  chainHead(): Promise<{ entryId: string; hash: string } | undefined>;
  /** The chain's head with its position (entries the chain holds) and date: what the witness keeps. */
  chainPosition(): Promise<{ entryId: string; hash: string; date: string; position: number } | undefined>;
  /**
   * The calls each destination organisation answered on a UTC day (YYYY-MM-DD), as posts counted them, with the
   * vendor's last remaining-call figure where it sends one: the fleet view's "calls used today".
   */
  callsUsedOn?(
    day: string,
  ): Promise<
    { destination: string; organisation: string; day: string; callsUsed: number; vendorRemaining: number | undefined }[]
  >;
  /** The bank-side documents recorded at `destination` (created there, or found by their reference). */
  bankDocumentsRecorded?(destination: string): Promise<BankDocumentRequest[]>;
  latestCloseDates(): Promise<SourceDate[]>;
  /** Each source's close of each day from `from` on, with its figure and the entries dated that day (source, date order). */
  closeActivity(from: string): Promise<CloseActivity[]>;
  /** Each source's latest balance close on or before `asOf`. */
  latestBalanceCloses(asOf: string): Promise<ReportedBalance[]>;
  /** The orders learned after a close that explain its balance falls, by finding id. */
  fallExplanations(asOf: string): Promise<Map<string, { orderId: string; amountMicros: bigint }[]>>;
  openFindings(asOf: string): AsyncIterable<OpenFinding>;
  openQuarantine(asOf: string): AsyncIterable<QuarantinedItem>;
  refusedDeliveries(asOf: string): AsyncIterable<RefusedDelivery>;
  /** Every word on every item that has one, oldest first. */
  acknowledgementHistory(): Promise<Map<string, Acknowledgement[]>>;
  /** Every adjusting entry a person booked, with who, when, why and its approval, oldest first. */
  adjustingEntries?(): Promise<AdjustmentRecord[]>;
  /**
   * Each entry dated in the window, by id: the instant it was booked and the events it journalized with their
   * amounts (a daily entry sums its events per account; a format that books one account against another pairs them).
   */
  entryBookings(window: DateWindow): Promise<Map<string, EntryBooking>>;
  /** The first and last entry dates, or null on an empty ledger. */
  journalDateSpan(): Promise<{ first: string; last: string } | null>;
  /** Per day, source, account and currency of the entries dated `from`…`to`; with `drawn`, only the rows it names. */
  dailyMovements(window: { from: string; to: string }, drawn?: DrawnDays): Promise<AccountMovement[]>;
  /** Per source, account and currency: the lines dated `from`…`to`, before `date`, or on and after it. */
  movementsWithin(window: { from: string; to: string }): Promise<AccountMovement[]>;
  movementsBefore(date: string): Promise<AccountMovement[]>;
  movementsFrom(date: string): Promise<AccountMovement[]>;
  /** The running totals, exact and in cents, per source, account and currency. */
  allRunningTotals(): Promise<
    { sourceId: string; account: string; currency: string; exactMicros: bigint; cents: bigint }[]
  >;
  /** The latest `limit` recorded runs, newest first. */
  recentRuns(limit: number): Promise<RecordedRun[]>;
  /** Each command's latest run and its latest successful one, newest first (`metrics`, per command). */
  latestRunsOfEachCommand(): Promise<RecordedRun[]>;
  deliverySummaries(options: { destinations: readonly string[]; from: string; to: string }): Promise<DeliverySummary[]>;
}

/** The read models over the store's handle (`books.of(ledgerReads)`): rows turned into the port's types. */
export const ledgerReads = (store: StoreHandle): LedgerReads => ({
  journal: new Ledger(journalBooksOver(store)),
  ...journalAndChainReads(store),
  ledgerCounts: ({ destinations, explainedByLateOrders }) =>
    ledgerCounts(store, { destinations }, explainedByLateOrders),
  integrityProblem: () => store.integrityProblem(),
  accountsInUse: (window) => accountsInUse(store, window),
  reportedBalances: (window) => reportedBalances(store, window),
  postedDeliveries: async (destination) =>
    (await deliveriesTo(store, destination).posted()).map((row) => ({
      entryId: row.entryId,
      remoteId: row.remoteId,
      exchangeRate: row.exchangeRate,
      rateSource: row.rateSource,
    })),
  callsUsedOn: (day) => callsUsedOn(store, day),
  bankDocumentsRecorded: (destination) => recordedBankDocuments(store, destination),
  latestCloseDates: () => latestCloseDates(store),
  closeActivity: (from) => closeActivity(store, from),
  latestBalanceCloses: (asOf) => latestBalanceCloses(store, asOf),
  fallExplanations: (asOf) => fallExplanations(store, asOf),
  openFindings: (asOf) => findingsOpen(store, asOf),
  openQuarantine: (asOf) => quarantineOpen(store, asOf),
  refusedDeliveries: (asOf) => refusedDeliveries(store, asOf),
  acknowledgementHistory: () => acknowledgementHistory(store),
  adjustingEntries: () => adjustmentRows(store),
  entryBookings: (window) => entryBookings(store, window),
  // Without the summary: its JSON text is the runs' own to read.
  recentRuns: async (limit) => (await recentRuns(store, limit)).map(withoutSummary),
  latestRunsOfEachCommand: async () => (await latestRunsOfEachCommand(store)).map(withoutSummary),
  deliverySummaries: (options) => deliverySummaries(store, options),
});

/** The port's reads of the journal and its chain: the store's own, through its door. */
function journalAndChainReads(store: StoreHandle) {
  const journal = journalReadsOver(store);
  return {
    accountTotals: journal.accountTotals,
    chainHashes: journal.entryChainHashes,
    chainHead: journal.chainHead,
    chainPosition: journal.chainPosition,
    journalDateSpan: journal.journalDateSpan,
    dailyMovements: journal.dailyMovements,
    movementsWithin: journal.movementsWithin,
    movementsBefore: journal.movementsBefore,
    movementsFrom: journal.movementsFrom,
    allRunningTotals: journal.allRunningTotals,
  } satisfies Partial<LedgerReads>;
}

async function* findingsOpen(store: StoreHandle, asOf: string): AsyncIterable<OpenFinding> {
  for await (const row of openFindings(store, asOf)) {
    yield {
      id: row.id,
      kind: row.kind,
      sourceId: row.source_id,
      date: row.date,
      amountMicros: row.amount_micros === null ? null : BigInt(row.amount_micros),
      currency: row.currency,
      ref: row.ref,
      message: row.message,
    };
  }
}

async function* quarantineOpen(store: StoreHandle, asOf: string): AsyncIterable<QuarantinedItem> {
  for await (const row of openQuarantine(store, asOf)) {
    yield {
      id: String(row.id),
      sourceId: row.source_id,
      asOf: row.as_of,
      ref: row.item_ref,
      rawObservationId: row.raw_observation_id === null ? null : String(row.raw_observation_id),
      webhookId: row.webhook_id === null ? null : String(row.webhook_id),
      reason: row.reason,
    };
  }
}
