import {
  type EventRules,
  type TaxBook,
  type Finding,
  JournalDraft,
  type SourceEvent,
  ORIGINAL_DATE_DETAIL,
  type Granularity,
} from '../../../rules/index.js';
import { PANEL_PREPAID_ACCOUNT } from './panel-accounts.js';
import { lateChargesOf, type FallExplanation, type LateCharge, type OpenFall } from './balance-reconciliation.js';
import type { OrderLedgerState } from './order-ledger-state.js';
import type { OrderObservation } from './order-observation.js';
import { roundingBoundMicros, type PanelBalanceState } from './balance-reconciliation.js';
import {
  closeBalanceEvents,
  orderObservationEvents,
  prepaidEffect,
  unexplainedMicros,
  type CloseBalanceEvents,
  type CloseBalanceInput,
  type OrderObservationEvents,
} from './panel-close-events.js';
import { settleOrdersInFlight, type InFlightSettlement } from './orders-in-flight.js';
import { compareOrderIds } from './order-events.js';

/** What a panel close knows before it reads the panel. */
export interface PanelCloseStart {
  sourceId: string;
  date: string;
  chart: EventRules;
  /** The chart's tax book (Chart.taxBook): the entries booked take the tax by it; none, none is booked. */
  taxBook?: TaxBook | undefined;
  granularity: Granularity;
  /** The panel's first committed close: its orders are inside the opening balance. */
  isBaselineSync: boolean;
  /** The falls the close before this one left open: orders first learned in this close may explain them. */
  openFalls: readonly OpenFall[];
  /**
   * The events an interrupted close of this source stored and never journalized: they are
   * journalized with this close's order events, all in polling order, as one close would have.
   */
  interruptedEvents: readonly SourceEvent[];
}

/** What the ledger knew of a chunk's orders before this close. */
export interface OrdersBeforeClose {
  /** Each order's state (undefined: never observed). */
  stateOf: (orderId: string) => OrderLedgerState | undefined;
  /** Units ordered, when the orders file or a webhook said (pro-rata needs it). */
  quantityOf: (orderId: string) => bigint | undefined;
  /** The day each order was placed (its created_at's date), when the proxy, the orders file or the panel said. */
  placedOn: (orderId: string) => string | undefined;
}

/** The balance step's figures, read once every order is booked. */
export interface PanelBalanceFigures {
  currency: string;
  previousBalance: PanelBalanceState | undefined;
  /** The ledger's panel_prepaid for this source and currency, without this close's events. */
  prepaidBeforeMicros: bigint;
  /** The balance the panel reports at this close. */
  reportedBalanceMicros: bigint;
  /** Figures of this close finer than a micro-unit, rounded when read. */
  roundedFigures: number;
}

/**
 * A panel close drafted a polled chunk at a time, so a first import of 200,000
 * orders is never held whole: each chunk's observations give their events,
 * findings and next order states (orders), the events the ledger takes go into
 * the journal (journalize), and the balance step books, once, whatever those
 * events do not explain in the balance the panel reports (balance); the charges
 * of orders learned late are gathered on the way to explain the open falls.
 * The nightly close and the replay (panelCloseEvents) both draft through it.
 *
 * Worked example: panel_prepaid 100.00, and an open fall of 0.18 on 03-03.
 * Chunk one: order 501 is new at 0.36. Chunk two: order 502, placed on 03-03
 * and learned only now, is charged 0.18; order 400 (1.00 for 1000 units,
 * booked 1.00) ends Partial with 250 undelivered, refund 0.25. The panel
 * reports 149.71. The orders move panel_prepaid by −0.36 − 0.18 + 0.25 = −0.29;
 * order 502 explains the fall (panel_fall_explained 0.18, Dr panel_prepaid);
 * 100.00 − 0.29 + 0.18 = 99.89, so 149.71 − 99.89 = 49.82 is a top-up and
 * panel_prepaid ends at 149.71.
 */
export class PanelCloseDraft {
  /** The journal of the events the ledger took, whole once the balance step's events are in it: its entries are the close's. */
  readonly journal: JournalDraft;
  private readonly lateCharges: LateCharge[] = [];
  /** Held back until the balance step when an interrupted close's events are to be journalized with them. */
  private awaitingOrder: SourceEvent[] | undefined;

  constructor(private readonly start: PanelCloseStart) {
    this.journal = new JournalDraft(start.chart, start.granularity, start.taxBook);
    this.awaitingOrder = start.interruptedEvents.length === 0 ? undefined : start.interruptedEvents.map(withoutDetail);
  }

  /** What one chunk of observations books, each order moved to its target net charge from its state before this close. */
  orders(observations: readonly OrderObservation[], before: OrdersBeforeClose): OrderObservationEvents {
    const { sourceId, date, isBaselineSync, openFalls } = this.start;
    const chunk = orderObservationEvents(observations, {
      sourceId,
      date,
      isBaselineSync,
      stateOf: before.stateOf,
      quantityOf: before.quantityOf,
    });
    const learnedNow = (orderId: string) => !isBaselineSync && before.stateOf(orderId) === undefined;
    for (const charge of lateChargesOf(
      observations,
      chunk.events,
      { learnedNow, placedOn: before.placedOn },
      openFalls,
    ))
      this.lateCharges.push(charge);
    return chunk;
  }

  /** Takes events the ledger holds now into the journal; their detail is stored with them and not needed again. */
  journalize(events: readonly SourceEvent[]): void {
    for (const event of events) {
      if (this.awaitingOrder) this.awaitingOrder.push(withoutDetail(event));
      else this.journal.add(withoutDetail(event));
    }
  }

  /** The balance step: the falls late orders explain are cleared, then whatever the journal's events do not explain in the reported balance is booked. */
  balance(figures: PanelBalanceFigures): CloseBalanceEvents {
    return closeBalanceEvents(this.balanceInput(figures));
  }

  /**
   * Which orders in flight at the balance read the reported balance holds (settleOrdersInFlight), each
   * weighed by what booking it tonight moves panel_prepaid by, against what the ledger leaves unexplained
   * without them. Called before `balance`; the orders it settles into the balance are then booked as a chunk.
   */
  settleInFlight(inFlight: readonly OrderObservation[], figures: PanelBalanceFigures): InFlightSettlement {
    const input = this.balanceInput(figures);
    const { sourceId, date, chart, isBaselineSync } = this.start;
    const orders = inFlight.map((observation) => {
      const booked = orderObservationEvents([observation], {
        sourceId,
        date,
        isBaselineSync,
        stateOf: () => undefined,
        quantityOf: () => undefined,
      });
      return {
        orderId: observation.orderId,
        prepaidEffectMicros: prepaidEffect(booked.events, chart, figures.currency),
      };
    });
    const rounds = figures.roundedFigures > 0 || figures.previousBalance?.subMicroSince !== undefined;
    return settleOrdersInFlight(
      orders,
      unexplainedMicros(input),
      rounds ? roundingBoundMicros(input.orderEvents + orders.length) : 0n,
    );
  }

  private balanceInput(figures: PanelBalanceFigures): CloseBalanceInput {
    if (this.awaitingOrder) {
      for (const event of this.awaitingOrder.sort((a, b) => compareOrderIds(a.ref, b.ref))) this.journal.add(event);
      this.awaitingOrder = undefined;
    }
    const { sourceId, date, chart } = this.start;
    const { currency, prepaidBeforeMicros, reportedBalanceMicros, roundedFigures } = figures;
    return {
      sourceId,
      date,
      currency,
      chart,
      previousBalance: withoutOrdersInFlight(figures.previousBalance),
      prepaidBeforeMicros,
      reportedBalanceMicros,
      roundedFigures,
      orderEffectMicros: this.journal.netOf(PANEL_PREPAID_ACCOUNT, figures.currency),
      orderEvents: this.journal.eventCount,
      lateCharges: this.lateCharges,
    };
  }
}

export interface PanelCloseInput extends OrdersBeforeClose, Omit<PanelBalanceFigures, 'previousBalance'> {
  sourceId: string;
  date: string;
  chart: EventRules;
  /** The panel's first committed close: its orders are inside the opening balance. */
  isBaselineSync: boolean;
  /** What the panel said of each polled order, in polling order. */
  observations: readonly OrderObservation[];
  previousBalance: PanelBalanceState | undefined;
  /** The orders in flight at the balance read, as the close kept them: settled by the balance after the others, as on the night. */
  ordersInFlight?: readonly string[];
}

interface PanelCloseEvents {
  events: SourceEvent[];
  findings: Finding[];
  nextStates: Map<string, OrderLedgerState>;
  nextBalance: PanelBalanceState;
  /** panel_prepaid once this close is booked: the reported balance, unless the chart sends balance moves elsewhere. */
  prepaidAfterMicros: bigint;
  /** Which late-learned orders explained how much of which open fall. */
  explanations: FallExplanation[];
}

/**
 * What one panel close books when all its observations are at hand (a replay
 * of a stored close): the draft with one chunk whose events all go into the
 * journal, then the balance step, so a replay re-derives exactly what the
 * nightly close booked chunk by chunk.
 * Example: 10.00 prepaid; order 23501 is new at 0.90 (charge 0.90); order
 * 23502, 1.00 for 1000 units, ends Partial with 400 undelivered (net 0.60,
 * refund 0.40); the panel reports 59.50 = 10.00 − 0.90 + 0.40 + 50.00, so
 * 50.00 is a top-up and panel_prepaid ends at 59.50.
 */
export function panelCloseEvents(input: PanelCloseInput): PanelCloseEvents {
  const draft = new PanelCloseDraft({
    ...input,
    granularity: 'day',
    openFalls: input.previousBalance?.openFalls ?? [],
    interruptedEvents: [],
  });
  const inFlight = new Set(input.ordersInFlight ?? []);
  const orders = draft.orders(
    input.observations.filter((observation) => !inFlight.has(observation.orderId)),
    input,
  );
  draft.journalize(orders.events);
  const flying = input.observations.filter((observation) => inFlight.has(observation.orderId));
  if (flying.length > 0) {
    const inBalance = new Set(draft.settleInFlight(flying, input).inBalance);
    const settled = draft.orders(
      flying.filter((observation) => inBalance.has(observation.orderId)),
      input,
    );
    draft.journalize(settled.events);
    for (const event of settled.events) orders.events.push(event);
    for (const found of settled.findings) orders.findings.push(found);
    for (const [orderId, next] of settled.nextStates) orders.nextStates.set(orderId, next);
  }
  const balance = draft.balance(input);
  for (const event of balance.events) orders.events.push(event);
  for (const found of balance.findings) orders.findings.push(found);
  const { prepaidAfterMicros, explanations } = balance;
  return {
    events: orders.events,
    findings: orders.findings,
    nextStates: orders.nextStates,
    nextBalance: withOrdersInFlight(balance.nextBalance, flying),
    prepaidAfterMicros,
    explanations,
  };
}

/** The state a close leaves names its orders in flight, when it had any: a replay settles them by the balance as the close did. */
export function withOrdersInFlight(state: PanelBalanceState, inFlight: readonly OrderObservation[]): PanelBalanceState {
  if (inFlight.length === 0) return state;
  return { ...state, ordersInFlight: inFlight.map((observation) => observation.orderId) };
}

/** A close's orders in flight are its own: the next close starts from the state without them. */
function withoutOrdersInFlight(state: PanelBalanceState | undefined): PanelBalanceState | undefined {
  if (state?.ordersInFlight === undefined) return state;
  const rest = { ...state };
  delete rest.ordersInFlight;
  return rest;
}

/** The event without its detail but a refund's original's date, which codes its tax (ORIGINAL_DATE_DETAIL). */
function withoutDetail(event: SourceEvent): SourceEvent {
  const originalDate = event.detail[ORIGINAL_DATE_DETAIL];
  return {
    id: event.id,
    sourceId: event.sourceId,
    kind: event.kind,
    date: event.date,
    currency: event.currency,
    amountMicros: event.amountMicros,
    ref: event.ref,
    detail: originalDate === undefined ? NO_DETAIL : { [ORIGINAL_DATE_DETAIL]: originalDate },
  };
}
const NO_DETAIL: Record<string, string> = {};
