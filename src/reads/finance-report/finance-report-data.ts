import type { FleetRow } from '../fleet-view.js';
import { calendarDays } from '../../calendar/index.js';
import type { Chart } from '../../config/index.js';
import { UsageError } from '../../errors.js';
import type { BankBalanceOff, TransitReport } from '../../pipeline/transit/index.js';
import type { AdjustmentRecord } from '../../ledger/index.js';
import type { DeliverySummary, RecordedRun } from '../books/ledger-reads.js';
import {
  findingGroup,
  reconcileReport,
  type FindingGroup,
  type ReconcileItem,
  type ReconcileReads,
  type StuckAfterDays,
} from '../reconcile-report.js';
import { itemTitle, type FindingTitles, type ItemTitle } from '../item-titles.js';
import { drawnDays, reportSeries, type ReportSeries, type SummaryAccounts } from './daily-series.js';
import { openingBalances } from './opening-balances.js';
import { windowRefusal } from './window-limit.js';
import { financialStatements, type CurrencyStatements } from './statements.js';
import { taxSummaries, type ReportTaxMapping, type TaxSummary } from './tax-summary.js';

export interface FinanceReportOptions {
  /** The window as given; a missing end is the ledger's first or last entry date (the whole ledger by default). */
  from: string | undefined;
  to: string | undefined;
  /** The window of an empty ledger with no dates given. */
  emptyLedgerDay: string;
  today: string;
  chart: Pick<Chart, 'events' | 'accounts'>;
  panelIds: readonly string[];
  /** Each ad-network source's payout minimum, by source id. */
  payoutMinimums: ReadonlyMap<string, bigint>;
  /** Each source's balance account, by source id, as its kind declares it (the registry's report facts). */
  balanceAccounts: ReadonlyMap<string, string>;
  destinations: readonly string[];
  stuckAfterDays: StuckAfterDays;
  /** The finding kinds the registered kinds of source declare, with their words: the page says each item's. */
  findingWords: FindingTitles;
  /** The longest window read, in years (default: the calendar's 100); the console's pages read less. */
  longestWindowYears?: number;
  /** Each payout and top-up as of a day, when something in this ledger follows them to the bank (followsMoneyInTransit). */
  moneyInTransit?: (asOf: string) => Promise<TransitReport>;
  /** Each bank account whose statement's closing balance the ledger does not reach (the fifth leg of the tie-out). */
  bankBalancesOff?: () => Promise<BankBalanceOff[]>;
  /** Each destination whose mapping codes flows for tax (issue 54): the report sums its coded lines per period and code. */
  taxMappings?: readonly ReportTaxMapping[];
  /**
   * The findings listed are those dated in the window (`report`, issue 83: April's report listed March's); the
   * console, where items are acknowledged, lists every one as of the window's end.
   */
  findingsOfWindow?: boolean;
}

/** Everything the page shows, JSON-safe: amounts are decimal text. */
export interface FinanceReport extends ReportSeries {
  from: string;
  to: string;
  /** Trial balance and balance sheet at `to`, profit and loss over the window, per currency, in cents as posted. */
  statements: CurrencyStatements[];
  /** Reconcile's items as of the window's end, with their acknowledgement history: the checklist. */
  checklist: ReconcileItem[];
  /** The checklist's items by group, each in the checklist's order, with its kind's title and next step. */
  findings: Record<FindingGroup, WordedItem[]>;
  /** With findingsOfWindow, how many items dated before the window still need a person (not listed, not lost). */
  earlierNeedingPerson?: number;
  /** The latest recorded runs, newest first. */
  runs: RecordedRun[];
  deliveries: DeliverySummary[];
  refused: { destination: string; entryId: string; date: string; sourceId: string; reason: string }[];
  quarantined: { id: string; sourceId: string; asOf: string; ref: string | null; reason: string }[];
  /** The adjusting entries a person booked in the window: who, when, why. */
  adjustments: AdjustmentRecord[];
  /** Each payout and top-up as of the window's end; null when nothing follows them to the bank. */
  transit: TransitReport | null;
  /** The bank accounts whose ledger account does not reach the statement's closing balance; empty when each does. */
  bankBalancesOff: BankBalanceOff[];
  /** Per destination with a tax mapping, the window's coded lines per period and code; empty without one. */
  tax: TaxSummary[];
  /** The fleet view (`status --fleet`'s rows, most in need first), when the command read it: the report's fleet table. */
  fleet?: readonly FleetRow[] | undefined;
}

/** A reconcile item with its kind's words, as the page lists it. */
export type WordedItem = ReconcileItem & ItemTitle;

/** A report's window: the days asked for, an open end taken from the ledger's first or last entry date, and that span. */
interface ReportWindow {
  from: string;
  to: string;
  span: { first: string; last: string } | null;
}

/**
 * The window a report covers, from the ledger's date span alone (one look-up on the dates' index), so the
 * console can write a page's head before any figure is read. Refuses an empty or too long window.
 */
export async function reportWindow(
  reads: Pick<ReconcileReads, 'journalDateSpan'>,
  options: Pick<FinanceReportOptions, 'from' | 'to' | 'emptyLedgerDay' | 'longestWindowYears'>,
): Promise<ReportWindow> {
  const span = await reads.journalDateSpan();
  const from = options.from ?? span?.first ?? options.to ?? options.emptyLedgerDay;
  const to = options.to ?? span?.last ?? options.from ?? options.emptyLedgerDay;
  if (from > to) {
    // A default end (the first or last entry's date) can cross a given one: `--to` before the first entry.
    const fromFlag = options.from === undefined ? 'the first entry date' : '--from';
    const toFlag = options.to === undefined ? 'the last entry date' : '--to';
    throw new UsageError(`${fromFlag} ${from} is after ${toFlag} ${to}: the window is empty; swap the dates`);
  }
  const tooLong = windowRefusal(from, to, options.longestWindowYears);
  if (tooLong !== undefined) throw new UsageError(tooLong);
  return { from, to, span };
}

/**
 * Reads the window's per-day totals, closes, deliveries and open items through the read port, and computes
 * the page's figures; over `window` when the caller resolved it already (the console, which wrote the head).
 */
export async function financeReport(
  reads: ReconcileReads,
  options: FinanceReportOptions,
  window?: ReportWindow,
): Promise<FinanceReport> {
  const { from, to, span } = window ?? (await reportWindow(reads, options));
  // The window's totals for the statements and summaries, and per day only what the page draws. A window to the
  // last entry (the console's month to date) moved all that is dated from `from` on: the opening reads it once.
  const totals = await reads.movementsWithin({ from, to });
  const opening = await openingBalances(reads, from, span, span !== null && to >= span.last ? totals : undefined);
  const drawn = {
    days: calendarDays(from, to),
    panelIds: options.panelIds,
    payoutMinimums: options.payoutMinimums,
    balanceAccounts: options.balanceAccounts,
    accounts: summaryAccounts(options.chart),
  };
  const series = reportSeries({
    ...drawn,
    opening,
    totals,
    movements: await reads.dailyMovements({ from, to }, drawnDays(drawn)),
    reportedBalances: await reads.reportedBalances({ from, to }),
  });
  const refused: FinanceReport['refused'] = [];
  for await (const row of reads.refusedDeliveries(to)) {
    if (row.date >= from)
      refused.push({
        destination: row.destination,
        entryId: row.entryId,
        date: row.date,
        sourceId: row.sourceId,
        reason: row.lastError ?? 'no reason recorded',
      });
  }
  const quarantined: FinanceReport['quarantined'] = [];
  for await (const kept of reads.openQuarantine(to))
    quarantined.push({
      id: `quarantine:${kept.id}`,
      sourceId: kept.sourceId,
      asOf: kept.asOf,
      ref: kept.ref,
      reason: kept.reason,
    });
  const checklist = (await reconcileReport(reads, to, options.today, options.stuckAfterDays)).items;
  // A report of April lists April's findings; March's still open are counted, so none is lost from sight.
  const listed = options.findingsOfWindow === true ? checklist.filter((item) => item.date >= from) : checklist;
  const earlier = checklist.filter((item) => item.date < from && findingGroup(item) === 'needs-person').length;
  return {
    from,
    to,
    ...series,
    statements: financialStatements(options.chart.accounts, opening, totals),
    checklist,
    findings: wordedGroups(listed, options.findingWords),
    ...(options.findingsOfWindow === true ? { earlierNeedingPerson: earlier } : {}),
    runs: await reads.recentRuns(RECENT_RUNS),
    deliveries: await reads.deliverySummaries({ destinations: options.destinations, from, to }),
    refused,
    quarantined,
    adjustments: ((await reads.adjustingEntries?.()) ?? []).filter(
      (adjustment) => adjustment.date >= from && adjustment.date <= to,
    ),
    transit: (await options.moneyInTransit?.(to)) ?? null,
    bankBalancesOff: (await options.bankBalancesOff?.()) ?? [],
    tax: await taxSummaries(() => reads.journal.renderedEntries({ from, to }), options.taxMappings ?? []),
  };
}

/** The checklist's items by group, in its order, each with its kind's title and next step. */
function wordedGroups(checklist: readonly ReconcileItem[], words: FindingTitles): FinanceReport['findings'] {
  const inGroup = (group: FindingGroup) =>
    checklist
      .filter((item) => findingGroup(item) === group)
      .map((item): WordedItem => ({ ...item, ...itemTitle(item.kind, words) }));
  return {
    'needs-person': inGroup('needs-person'),
    explained: inGroup('explained'),
    acknowledged: inGroup('acknowledged'),
  };
}

/** How many recorded runs the console lists. */
const RECENT_RUNS = 10;

function summaryAccounts(chart: Pick<Chart, 'events'>): SummaryAccounts {
  const side = (kinds: readonly string[], which: 'debit' | 'credit') =>
    new Set(kinds.flatMap((kind) => chart.events[kind]![which].map((split) => split.account)));
  return {
    spent: side(['order_charge', 'advertiser_spend'], 'debit'),
    refunded: side(['order_refund', 'advertiser_credit'], 'credit'),
    earned: side(['publisher_earnings'], 'credit'),
    paidOut: side(['payout_paypal', 'payout_razorpay', 'payout_wire'], 'debit'),
  };
}
