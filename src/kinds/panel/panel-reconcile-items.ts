import { daysBetween } from '../../calendar/index.js';
import { formatMicros } from '../../money/index.js';
import type { SourceKind } from '../../pipeline/kinds/source-kind.js';
import type { OpenOrderSince } from './books/order-reads.js';
import { PANEL_PREPAID_ACCOUNT } from './rules/panel-accounts.js';

/** What a kind hands reconcile, and the ledger's reads it holds its books against (the registry's KindReads). */
type ReconcileItemsOf = Required<NonNullable<SourceKind['capabilities']>>['reconcileItems'];
type KindReconcileItem = Awaited<ReturnType<ReconcileItemsOf>>[number];
type LedgerSide = Parameters<ReconcileItemsOf>[0]['ledgerReads'];

/**
 * Each panel whose latest balance close on or before `asOf` disagrees with the books' panel_prepaid on that day: a
 * check of the books against what the panel said. Example: the close of 03-31 reported 110.00 and the books hold
 * 109.55 → "the ledger's panel_prepaid is 109.55 but the panel reported 110.00 at its close of 2026-03-31", 0.45.
 */
export async function balanceMismatchItems(reads: LedgerSide, asOf: string): Promise<KindReconcileItem[]> {
  const items: KindReconcileItem[] = [];
  for (const close of await reads.latestBalanceCloses(asOf)) {
    const booked = await reads.journal.balanceOf(PANEL_PREPAID_ACCOUNT, close.currency, {
      sourceId: close.sourceId,
      asOf: close.date,
    });
    const reported = close.valueMicros;
    if (booked === reported) continue;
    items.push({
      id: `balance_mismatch:${close.sourceId}:${close.date}`,
      kind: 'balance_mismatch',
      source: close.sourceId,
      date: close.date,
      amount: formatMicros(reported - booked),
      currency: close.currency,
      ref: PANEL_PREPAID_ACCOUNT,
      message:
        `the ledger's ${PANEL_PREPAID_ACCOUNT} is ${formatMicros(booked)} but the panel reported ${formatMicros(reported)} ` +
        `at its close of ${close.date}`,
    });
  }
  return items;
}

/**
 * A panel's orders still open when reconcile judges them on `judgedOn`, each as an item since the day it was placed
 * (or first seen). Example: order 23501 placed 03-01, judged at the close of 03-31 → "order 23501 has been open since
 * 2026-03-01 (30 days at the close of 2026-03-31); …".
 */
export function stuckOrderItems(
  sourceId: string,
  judgedOn: string,
  orders: readonly OpenOrderSince[],
): KindReconcileItem[] {
  return orders.map((order) => {
    const since = order.createdAt?.slice(0, 10) ?? order.firstSeenDate;
    return {
      id: `order_stuck_open:${sourceId}:${order.orderId}`,
      kind: 'order_stuck_open',
      source: sourceId,
      date: judgedOn,
      amount: null,
      currency: null,
      ref: order.orderId,
      message:
        `order ${order.orderId} has been open since ${since} (${daysBetween(since, judgedOn)} days at the close of ${judgedOn}); ` +
        'some panels show an order that failed at their provider as Pending for ever: ask the panel, or cancel it there',
    };
  });
}
