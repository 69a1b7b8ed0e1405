import type { Ledger } from '../ledger/index.js';
import { addDays, daysBetween } from '../calendar/index.js';
import { latestBalanceCloses, latestCloseDates, openFindings, openQuarantine, ordersOpenSince, refusedDeliveries } from '../store/index.js';
import { formatMicros } from '../money/index.js';
import { closesAfterToday } from './future-closes.js';

/** One thing for a person to look at (DESIGN §6 `reconcile --json`): amounts as decimal text. */
export interface ReconcileItem {
  kind: string;
  source: string;
  date: string;
  amount: string | null;
  currency: string | null;
  ref: string;
  message: string;
}

export interface ReconcileReport {
  asOf: string;
  clean: boolean;
  items: ReconcileItem[];
}

const PANEL_PREPAID = 'panel_prepaid';

/**
 * Everything open dated on or before `asOf`: the findings of the rules
 * (balance moves, clawbacks, carried payouts, unknown orders, computed
 * refunds…), quarantined replies and webhooks, entries a destination refused,
 * a check of the books against the source (any panel whose ledger balance
 * differs from the balance of its latest close), and panel orders open longer
 * than their source's stuckAfterDays (default 30) at its latest close: an
 * order placed 03-01 and still open at the close of 03-31 is listed.
 */
/** How long each panel's orders may stay open before reconcile lists them, by source id. */
export type StuckAfterDays = ReadonlyMap<string, number>;

export function reconcileReport(ledger: Ledger, asOf: string, today: string, stuckAfterDays: StuckAfterDays = new Map()): ReconcileReport {
  const { store } = ledger;
  const items: ReconcileItem[] = [];
  for (const close of closesAfterToday(latestCloseDates(store), today)) {
    items.push({ kind: 'close_after_today', source: close.sourceId, date: close.date, amount: null, currency: null, ref: close.date, message: close.message });
  }
  for (const row of openFindings(store, asOf)) {
    items.push({
      kind: row.kind,
      source: row.source_id,
      date: row.date,
      amount: row.amount_micros === null ? null : formatMicros(BigInt(row.amount_micros)),
      currency: row.currency,
      ref: row.ref,
      message: row.message,
    });
  }
  for (const row of openQuarantine(store, asOf)) {
    const where = row.raw_observation_id !== null ? `raw reply #${row.raw_observation_id}` : row.webhook_id !== null ? `webhook #${row.webhook_id}` : 'input';
    items.push({
      kind: 'quarantined_reply',
      source: row.source_id,
      date: row.as_of,
      amount: null,
      currency: null,
      ref: row.item_ref ?? where,
      message: `kept in quarantine (${where}): ${row.reason}`,
    });
  }
  for (const row of refusedDeliveries(store, asOf)) {

    items.push({
      kind: 'refused_entry',
      source: row.source_id,
      date: row.date,
      amount: null,
      currency: null,
      ref: row.entry_id,
      message: `${row.destination} refused entry ${row.entry_id}: ${row.last_error ?? 'no reason recorded'}`,
    });
  }
  for (const close of latestBalanceCloses(store, asOf)) {

    const booked = ledger.balanceOf(PANEL_PREPAID, close.currency, { sourceId: close.sourceId, asOf: close.date });
    const reported = close.valueMicros;
    if (booked !== reported) {
      items.push({
        kind: 'balance_mismatch',
        source: close.sourceId,
        date: close.date,
        amount: formatMicros(reported - booked),
        currency: close.currency,
        ref: PANEL_PREPAID,
        message: `the ledger's ${PANEL_PREPAID} is ${formatMicros(booked)} but the panel reported ${formatMicros(reported)} at its close of ${close.date}`,
      });
    }
  }
  const lastCloseOf = new Map(latestCloseDates(store).map((close) => [close.sourceId, close.date]));
  for (const [sourceId, days] of stuckAfterDays) {
    // Open "as the books know it": an order is judged at the source's latest close, not on a day no close has seen.
    const lastClose = lastCloseOf.get(sourceId);
    if (lastClose === undefined) continue;
    const judgedOn = lastClose < asOf ? lastClose : asOf;
    for (const order of ordersOpenSince(store, sourceId, addDays(judgedOn, -days))) {
      const since = order.createdAt?.slice(0, 10) ?? order.firstSeenDate;
      items.push({
        kind: 'order_stuck_open',
        source: sourceId,
        date: judgedOn,
        amount: null,
        currency: null,
        ref: order.orderId,
        message:
          `order ${order.orderId} has been open since ${since} (${daysBetween(since, judgedOn)} days at the close of ${judgedOn}); ` +
          'some panels show an order that failed at their provider as Pending for ever: ask the panel, or cancel it there',
      });
    }
  }
  return { asOf, clean: items.length === 0, items };
}
