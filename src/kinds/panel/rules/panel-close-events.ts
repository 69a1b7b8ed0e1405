import { type EventRules, type Finding, JournalDraft, type SourceEvent } from '../../../rules/index.js';
import { PANEL_PREPAID_ACCOUNT } from './panel-accounts.js';
import { reconcileBalance, type PanelBalanceState } from './balance-reconciliation.js';
import { explainOpenFalls, type FallExplanation, type LateCharge } from './balance-reconciliation.js';
import { orderEvents } from './order-events.js';
import type { OrderLedgerState } from './order-ledger-state.js';
import type { OrderObservation } from './order-observation.js';

interface OrderObservationContext {
  sourceId: string;
  date: string;
  /** The panel's first committed close: its orders are inside the opening balance. */
  isBaselineSync: boolean;
  /** Each order's state before this close (undefined: never observed). */
  stateOf: (orderId: string) => OrderLedgerState | undefined;
  /** Units ordered, when the orders file or a webhook said (pro-rata needs it). */
  quantityOf: (orderId: string) => bigint | undefined;
}

export interface OrderObservationEvents {
  events: SourceEvent[];
  findings: Finding[];
  nextStates: Map<string, OrderLedgerState>;
}

/**
 * What these observations (all of a close's, or a chunk of them in polling order) book, each order
 * moved to its target net charge. Example: order 23501 new at 0.36 books order_charge 0.36; order
 * 23502 booked at 1.00 for 1000 units and now Partial with 400 undelivered books order_refund 0.40.
 */
export function orderObservationEvents(
  observations: readonly OrderObservation[],
  context: OrderObservationContext,
): OrderObservationEvents {
  const events: SourceEvent[] = [];
  const findings: Finding[] = [];
  const nextStates = new Map<string, OrderLedgerState>();
  for (const observation of observations) {
    const result = orderEvents(context.stateOf(observation.orderId), observation, {
      sourceId: context.sourceId,
      date: context.date,
      isBaselineSync: context.isBaselineSync,
      quantity: context.quantityOf(observation.orderId),
    });
    for (const event of result.events) events.push(event);
    for (const found of result.findings) findings.push(found);
    nextStates.set(observation.orderId, result.next);
  }
  return { events, findings, nextStates };
}

export interface CloseBalanceInput {
  sourceId: string;
  date: string;
  currency: string;
  chart: EventRules;
  previousBalance: PanelBalanceState | undefined;
  /** The ledger's panel_prepaid for this source and currency before this close's events. */
  prepaidBeforeMicros: bigint;
  /** The balance the panel reports at this close. */
  reportedBalanceMicros: bigint;
  /** Figures of this close finer than a micro-unit, rounded when read (see roundingBoundMicros). */
  roundedFigures: number;
  /** How the close's order events move panel_prepaid: the sum of prepaidEffect over them. */
  orderEffectMicros: bigint;
  /** How many order events the close made (the rounding bound grows with them). */
  orderEvents: number;
  /** The charges of orders first learned in this close that an open fall may cover (lateChargesOf). */
  lateCharges: readonly LateCharge[];
}

export interface CloseBalanceEvents {
  events: SourceEvent[];
  findings: Finding[];
  nextBalance: PanelBalanceState;
  /** panel_prepaid once this close is booked: the reported balance, unless the chart sends balance moves elsewhere. */
  prepaidAfterMicros: bigint;
  explanations: FallExplanation[];
}

/**
 * The balance step of a close, once its order events are known: the open falls its late-learned
 * orders explain are cleared from suspense first, then whatever the orders do not explain is booked.
 * Example: panel_prepaid 10.00, the orders move it by −0.90 + 0.40, the panel reports 59.50:
 * 59.50 − 9.50 = 50.00 is booked as panel_topup and panel_prepaid ends at 59.50.
 */
export function closeBalanceEvents(input: CloseBalanceInput): CloseBalanceEvents {
  const previous = input.previousBalance;
  const explained = fallsExplained(input);
  const afterExplaining: PanelBalanceState | undefined =
    previous === undefined
      ? undefined
      : {
          ...withoutOpenFalls(previous),
          ...(explained.eventSequence ? { eventSequence: explained.eventSequence } : {}),
          ...(explained.openFalls.length > 0 ? { openFalls: explained.openFalls } : {}),
        };
  const ledgerBalanceMicros = explainedPrepaid(input, explained.events);
  const reconciled = reconcileBalance(afterExplaining, {
    sourceId: input.sourceId,
    date: input.date,
    currency: input.currency,
    reportedMicros: input.reportedBalanceMicros,
    ledgerBalanceMicros,
    roundedFigures: input.roundedFigures,
    orderEvents: input.orderEvents,
  });
  return {
    events: [...explained.events, ...reconciled.events],
    findings: reconciled.findings,
    nextBalance: reconciled.next,
    prepaidAfterMicros: ledgerBalanceMicros + prepaidEffect(reconciled.events, input.chart, input.currency),
    explanations: explained.explanations,
  };
}

/**
 * What the ledger explains of the reported balance before the balance step books the rest: panel_prepaid
 * before the close, moved by its order events and by the falls its late orders explain. Example: 10.00,
 * orders −0.90 + 0.40, a fall of 0.18 explained: 9.68; the panel reports 9.50, so 0.18 is unexplained.
 */
export function unexplainedMicros(input: CloseBalanceInput): bigint {
  return input.reportedBalanceMicros - explainedPrepaid(input, fallsExplained(input).events);
}

/** The open falls before this close that its late-learned orders explain, cleared from suspense first. */
function fallsExplained(input: CloseBalanceInput) {
  const previous = input.previousBalance;
  return explainOpenFalls(previous?.openFalls ?? [], input.lateCharges, {
    ...input,
    eventSequence: previous?.eventSequence,
  });
}

function explainedPrepaid(input: CloseBalanceInput, explainingEvents: readonly SourceEvent[]): bigint {
  return (
    input.prepaidBeforeMicros + input.orderEffectMicros + prepaidEffect(explainingEvents, input.chart, input.currency)
  );
}

function withoutOpenFalls(state: PanelBalanceState): PanelBalanceState {
  const rest = { ...state };
  delete rest.openFalls;
  return rest;
}

/**
 * How this close's order events move panel_prepaid, read through the chart
 * (so a re-mapped chart is respected): journalized in memory, never stored.
 * Additive: the effect of a close's events is the sum of its chunks' effects.
 */
export function prepaidEffect(events: readonly SourceEvent[], chart: EventRules, currency: string): bigint {
  // panel_prepaid's net is the lines' before any tax is booked: the tax splits revenue and expense lines only.
  const draft = new JournalDraft(chart, 'day', undefined);
  for (const event of events) draft.add(event);
  return draft.netOf(PANEL_PREPAID_ACCOUNT, currency);
}
