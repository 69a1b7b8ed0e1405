import { addDays } from '../../calendar/index.js';
import type { Chart } from '../../config/index.js';
import type { Ledger } from '../../ledger/index.js';
import type { EventKind } from '../../rules/index.js';
import { collect, dailyMovements, deliverySummaries, journalDateSpan, movementsBefore, openQuarantine, refusedDeliveries, reportedBalances, type DeliverySummary } from '../../store/index.js';
import { refuseReversedWindow } from '../calendar.js';
import { reconcileReport, type ReconcileItem, type StuckAfterDays } from '../reconcile-report.js';
import { reportSeries, type ReportSeries, type SummaryAccounts } from './daily-series.js';

export interface FinanceReportOptions {
  /** The window as given; a missing end is the ledger's first or last entry date (the whole ledger by default). */
  from: string | undefined;
  to: string | undefined;
  /** The window of an empty ledger with no dates given. */
  emptyLedgerDay: string;
  today: string;
  chart: Pick<Chart, 'events'>;
  panelIds: readonly string[];
  /** Each ad-network source's payout minimum, by source id. */
  payoutMinimums: ReadonlyMap<string, bigint>;
  destinations: readonly string[];
  stuckAfterDays: StuckAfterDays;
}

/** Everything the page shows, JSON-safe: amounts are decimal text. */
export interface FinanceReport extends ReportSeries {
  from: string;
  to: string;
  /** Reconcile's items as of the window's end, with their acknowledgements: the checklist. */
  checklist: ReconcileItem[];
  deliveries: DeliverySummary[];
  refused: { destination: string; entryId: string; date: string; sourceId: string; reason: string }[];
  quarantined: { id: string; sourceId: string; asOf: string; ref: string | null; reason: string }[];
}

/** Reads the window's per-day totals, closes, deliveries and open items through the store, and computes the page's figures. */
export async function financeReport(ledger: Ledger, options: FinanceReportOptions): Promise<FinanceReport> {
  const { store } = ledger;
  const span = await journalDateSpan(store);
  const from = options.from ?? span?.first ?? options.to ?? options.emptyLedgerDay;
  const to = options.to ?? span?.last ?? options.from ?? options.emptyLedgerDay;
  refuseReversedWindow({ flag: options.from === undefined ? 'the first entry date' : '--from', date: from }, { flag: options.to === undefined ? 'the last entry date' : '--to', date: to });
  const series = reportSeries({
    days: daysOf(from, to),
    opening: await movementsBefore(store, from),
    movements: await dailyMovements(store, { from, to }),
    reportedBalances: await reportedBalances(store, { from, to }),
    panelIds: options.panelIds,
    payoutMinimums: options.payoutMinimums,
    accounts: summaryAccounts(options.chart),
  });
  const refused = (await collect(refusedDeliveries(store, to)))
    .filter((row) => row.date >= from)
    .map((row) => ({ destination: row.destination, entryId: row.entry_id, date: row.date, sourceId: row.source_id, reason: row.last_error ?? 'no reason recorded' }));
  const quarantined = (await collect(openQuarantine(store, to))).map((row) => ({
    id: `quarantine:${row.id}`,
    sourceId: row.source_id,
    asOf: row.as_of,
    ref: row.item_ref,
    reason: row.reason,
  }));
  return {
    from,
    to,
    ...series,
    checklist: (await reconcileReport(ledger, to, options.today, options.stuckAfterDays)).items,
    deliveries: await deliverySummaries(store, { destinations: options.destinations, from, to }),
    refused,
    quarantined,
  };
}

function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

function summaryAccounts(chart: Pick<Chart, 'events'>): SummaryAccounts {
  const side = (kinds: readonly EventKind[], which: 'debit' | 'credit') => new Set(kinds.flatMap((kind) => chart.events[kind][which].map((split) => split.account)));
  return {
    spent: side(['order_charge', 'advertiser_spend'], 'debit'),
    refunded: side(['order_refund', 'advertiser_credit'], 'credit'),
    earned: side(['publisher_earnings'], 'credit'),
    paidOut: side(['payout_paypal', 'payout_razorpay', 'payout_wire'], 'debit'),
  };
}
