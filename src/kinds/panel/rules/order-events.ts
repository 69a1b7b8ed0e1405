import { formatMicros } from '../../../money/index.js';
import { nextEventId, finding, ORIGINAL_DATE_DETAIL, type Finding, type SourceEvent } from '../../../rules/index.js';
import {
  TERMINAL_STATUS,
  normalizeStatus,
  interpretRemains,
  targetNetCharge,
  type TargetNetCharge,
} from './normalize-status.js';
import type { OrderLedgerState } from './order-ledger-state.js';
import type { OrderStatus } from './order-status.js';
import type { OrderObservation, OrderStatusObservation, UnknownOrderObservation } from './order-observation.js';
import { daysBetween } from '../../../calendar/index.js';

export interface OrderEventsContext {
  sourceId: string;
  /** The close (or webhook) date the observation belongs to; events are dated by it. */
  date: string;
  /** This sync is the panel's baseline: the first one that commits. */
  isBaselineSync: boolean;
  /** Units ordered, when known (orders file or webhook; posts × max for a Custom Comments Package). */
  quantity?: bigint | undefined;
}

export interface OrderEventsResult {
  events: SourceEvent[];
  next: OrderLedgerState;
  findings: Finding[];
}

/**
 * One observation of one order → the events that bring the ledger to the
 * order's target net charge. Events follow the change in the target, not the
 * status. Worked example, 1000 ordered at rate 0.90:
 *   day 1 Pending,  charge 0.90000           → order_charge 0.90000 (booked 0.90000)
 *   day 2 Partial,  remains 157, charge 0.90 → order_refund 0.14130 (booked 0.75870, computed pro-rata)
 *   day 3 Partial,  remains 157, charge 0.7587 (the panel caught up) → nothing
 * A baseline order (seen at the baseline sync) books nothing at first sight:
 * its net charge is inside the opening balance already.
 */
export function orderEvents(
  previous: OrderLedgerState | undefined,
  observation: OrderObservation,
  context: OrderEventsContext,
): OrderEventsResult {
  if (previous !== undefined && previous.orderId !== observation.orderId) {
    throw new RangeError(
      `order state for ${previous.orderId} applied to an observation of order ${observation.orderId}`,
    );
  }
  // Older news than what is booked (a late webhook, a replay on the current state) must not undo it.
  // ISO dates order as text; this runs once per observation, so no Date round trip.
  if (previous !== undefined && context.date < previous.lastObservedOn)
    return { events: [], next: previous, findings: [] };
  return observation.kind === 'unknown'
    ? unknownOrder(previous, observation, context)
    : statusReply(previous, observation, context);
}

/** "Incorrect order ID" never refunds anything: the panel may be wrong, or the id may belong to another key. */
function unknownOrder(
  previous: OrderLedgerState | undefined,
  observation: UnknownOrderObservation,
  context: OrderEventsContext,
): OrderEventsResult {
  const unknownSince = previous?.unknownSince ?? context.date;
  const next: OrderLedgerState = previous
    ? { ...previous, unknownSince, lastObservedOn: context.date }
    : {
        orderId: observation.orderId,
        bookedNetMicros: 0n,
        terminal: false,
        baseline: false,
        unknownSince,
        lastObservedOn: context.date,
      };
  return {
    events: [],
    next,
    findings: [
      finding({
        kind: 'unknown_order',
        sourceId: context.sourceId,
        date: context.date,
        ref: observation.orderId,
        message:
          `order ${observation.orderId}: the panel answered "${observation.reason}" (unknown since ${unknownSince}); ` +
          `nothing was booked or refunded for it`,
      }),
    ],
  };
}

function statusReply(
  previous: OrderLedgerState | undefined,
  observation: OrderStatusObservation,
  context: OrderEventsContext,
): OrderEventsResult {
  const { date } = context;
  if (previous?.currency !== undefined && previous.currency !== observation.currency)
    return currencyChanged(previous, previous.currency, observation, context);

  const status = normalizeStatus(observation.statusRaw);
  const firstChargeMicros = previous?.firstChargeMicros ?? observation.chargeMicros;
  const remains = interpretRemains(observation.remainsRaw, context.quantity);
  const target = targetNetCharge({
    status,
    chargeMicros: observation.chargeMicros,
    remains,
    quantity: context.quantity,
    firstChargeMicros,
  });
  // During the baseline sync every sight of a baseline order (a poll, a webhook) is inside the opening balance.
  const isBaselineSight = context.isBaselineSync && (previous?.firstChargeMicros === undefined || previous.baseline);
  const bookedBefore = isBaselineSight ? target.targetMicros : (previous?.bookedNetMicros ?? 0n);
  const change = target.targetMicros - bookedBefore;

  const events: SourceEvent[] = [];
  let eventSequence = previous?.eventSequence;
  // Its first charge's day: an order booked before the ledger kept it, or inside the opening balance, has none.
  const chargedOn = previous?.chargedOn ?? (change > 0n && bookedBefore === 0n ? date : undefined);
  if (change !== 0n) {
    const event = netChargeChange(
      change,
      eventSequence,
      { observation, status, remains, bookedBefore, target, chargedOn },
      context,
    );
    eventSequence = event.sequence;
    events.push(event.event);
  }

  const findings = statusFindings({
    observation,
    status,
    target,
    context,
    change,
    firstSight: previous?.firstChargeMicros === undefined,
    isBaselineSight,
  });
  // One literal, no spread and no key added afterwards (which moves an object's fields out of line):
  // this runs once per observation, 1M times in a backfill. Until its first event an order has no
  // eventSequence key, and taking back the literal's last key is cheap.
  const next: OrderLedgerState = {
    orderId: observation.orderId,
    currency: observation.currency,
    bookedNetMicros: target.targetMicros,
    firstChargeMicros,
    statusNormalized: status,
    statusRaw: observation.statusRaw,
    terminal: TERMINAL_STATUS[status],
    baseline: isBaselineSight || (previous?.baseline ?? false),
    lastObservedOn: date,
    chargedOn,
    eventSequence,
  };
  // The last key first: taking back the literal's last key is cheap, and then chargedOn is the last (a baseline
  // order has neither). eventSequence stays last, as a replay's state puts it.
  if (eventSequence === undefined) delete next.eventSequence;
  if (chargedOn === undefined) delete next.chargedOn;
  return { events, next, findings };
}

/** An order now reported in another currency than it was booked in: nothing is converted or booked, a finding says so. */
function currencyChanged(
  previous: OrderLedgerState,
  bookedIn: string,
  observation: OrderStatusObservation,
  context: OrderEventsContext,
): OrderEventsResult {
  const { sourceId, date } = context;
  const { orderId } = observation;
  return {
    events: [],
    next: { ...answered(previous), lastObservedOn: date },
    findings: [
      finding({
        kind: 'currency_changed',
        sourceId,
        date,
        amountMicros: observation.chargeMicros,
        currency: observation.currency,
        ref: orderId,
        message:
          `order ${orderId} is now reported in ${observation.currency} (charge ${formatMicros(observation.chargeMicros)}), ` +
          `but was booked in ${bookedIn}; nothing was converted or booked`,
      }),
    ],
  };
}

/**
 * The event for a change of the order's net charge: a charge when it grew (a new order, 100.00 → +100.00), a refund
 * when it shrank (a partial refund of 100 units of 1,000 charged 10.00: 10.00 → 9.00, a refund of 1.00).
 */
function netChargeChange(
  change: bigint,
  eventSequence: OrderLedgerState['eventSequence'],
  reading: {
    observation: OrderStatusObservation;
    status: OrderStatus;
    remains: bigint | undefined;
    bookedBefore: bigint;
    target: TargetNetCharge;
    /** The day the order's first charge was booked: a refund names it as its original's (reversal-dates.ts). */
    chargedOn: string | undefined;
  },
  context: OrderEventsContext,
): { event: SourceEvent; sequence: NonNullable<OrderLedgerState['eventSequence']> } {
  const { sourceId, date } = context;
  const { observation, status, remains, bookedBefore, target, chargedOn } = reading;
  const detail = eventDetail(observation, status, remains, context.quantity, bookedBefore, target);
  if (change < 0n && chargedOn !== undefined && chargedOn !== date) detail[ORIGINAL_DATE_DETAIL] = chargedOn;
  const direction = change > 0n ? 'charge' : 'refund';
  const id = nextEventId(`panel:${sourceId}:order:${observation.orderId}:${direction}`, date, eventSequence);
  return {
    sequence: id.sequence,
    event: {
      id: id.id,
      sourceId,
      kind: change > 0n ? 'order_charge' : 'order_refund',
      date,
      currency: observation.currency,
      amountMicros: change > 0n ? change : -change,
      ref: observation.orderId,
      detail,
    },
  };
}

/** The order answered with a status: it is no longer unknown. */
function answered(state: OrderLedgerState): OrderLedgerState {
  const { unknownSince: _answered, ...rest } = state;
  return rest;
}

const ZERO_TEXT = formatMicros(0n);

function eventDetail(
  observation: OrderStatusObservation,
  status: OrderStatus,
  remains: bigint | undefined,
  quantity: bigint | undefined,
  bookedBefore: bigint,
  target: TargetNetCharge,
): Record<string, string> {
  // An event's three amounts are seldom distinct (a first charge: booked before 0,
  // net charge as reported), so each is formatted once: 350,000 events in a backfill.
  const reportedCharge = formatMicros(observation.chargeMicros);
  const amountText = (micros: bigint): string =>
    micros === observation.chargeMicros ? reportedCharge : micros === 0n ? ZERO_TEXT : formatMicros(micros);
  // Keys are added in a fixed order, as the stored detail has them; no spreads on this path.
  const detail: Record<string, string> = { status: observation.statusRaw, statusNormalized: status, reportedCharge };
  if (observation.remainsRaw !== undefined) detail.remains = observation.remainsRaw;
  if (remains !== undefined) {
    const counted = String(remains);
    if (counted !== observation.remainsRaw) detail.remainsCounted = counted;
  }
  if (quantity !== undefined) detail.quantity = String(quantity);
  detail.bookedBefore = amountText(bookedBefore);
  detail.netCharge = amountText(target.targetMicros);
  detail.computed = target.basis;
  return detail;
}

function statusFindings(facts: {
  observation: OrderStatusObservation;
  status: OrderStatus;
  target: TargetNetCharge;
  context: OrderEventsContext;
  change: bigint;
  firstSight: boolean;
  isBaselineSight: boolean;
}): Finding[] {
  const { observation, status, target, context, change } = facts;
  const common = {
    sourceId: context.sourceId,
    date: context.date,
    ref: observation.orderId,
    currency: observation.currency,
  };
  const findings: Finding[] = [];
  if (status === 'unknown') {
    findings.push(
      finding({
        ...common,
        kind: 'unknown_status',
        amountMicros: observation.chargeMicros,
        message: `order ${observation.orderId} has the unknown status "${observation.statusRaw}"; it is treated as open at its reported charge`,
      }),
    );
  }
  if (target.basis === 'voided' && observation.chargeMicros > 0n) {
    findings.push(
      finding({
        ...common,
        kind: 'charge_while_voided',
        amountMicros: observation.chargeMicros,
        message:
          `order ${observation.orderId} is ${observation.statusRaw} but still reports a charge of ${formatMicros(observation.chargeMicros)}; ` +
          `its net charge is taken as 0 (full refund)`,
      }),
    );
  }
  if (target.basis === 'pro-rata' && change !== 0n) {
    const refund = observation.chargeMicros - target.targetMicros;
    findings.push(
      finding({
        ...common,
        kind: 'computed_refund',
        amountMicros: refund,
        message:
          `order ${observation.orderId} is ${observation.statusRaw} with ${observation.remainsRaw ?? '?'} of ${String(context.quantity)} undelivered ` +
          `and still reports its charge of ${formatMicros(observation.chargeMicros)}: a pro-rata refund of ${formatMicros(refund)} was computed ` +
          `(net charge ${formatMicros(target.targetMicros)})` +
          (facts.firstSight
            ? '; the order was first seen already finished, so whether the panel had lowered its charge cannot be told: check it'
            : ''),
      }),
    );
  }
  if (target.refundNotComputable !== undefined && !facts.isBaselineSight) {
    findings.push(
      finding({
        ...common,
        kind: 'refund_not_computable',
        amountMicros: observation.chargeMicros,
        message:
          `order ${observation.orderId} is ${observation.statusRaw} and still reports its charge of ${formatMicros(observation.chargeMicros)}, ` +
          `but ${target.refundNotComputable}: no refund was computed; the panel's refund, if any, will show as a balance difference`,
      }),
    );
  }
  return findings;
}

/**
 * The order a panel close polls and journalizes its orders in: numeric ids in
 * numeric order, then the others compared as text, so a close and the close
 * that resumes it after an interruption book the same entries.
 * Example: 23510, abc, 9, 23502 are polled as 9, 23502, 23510, abc
 * (as text 23510 would come before 9).
 */
export function compareOrderIds(a: string, b: string): number {
  return compareKeyed(orderIdKey(a), orderIdKey(b));
}

/** The ids in compareOrderIds order, each id tested once rather than at every comparison (a first import sorts 200,000). */
export function sortedByOrderId(orderIds: Iterable<string>): string[] {
  return Array.from(orderIds, orderIdKey)
    .sort(compareKeyed)
    .map((key) => key.id);
}

interface OrderIdKey {
  id: string;
  numeric: boolean;
}

const NUMERIC_ID = /^\d+$/;

function orderIdKey(id: string): OrderIdKey {
  return { id, numeric: NUMERIC_ID.test(id) };
}

function compareKeyed(a: OrderIdKey, b: OrderIdKey): number {
  if (a.numeric && b.numeric && a.id.length !== b.id.length) return a.id.length - b.id.length;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** How long an order the panel calls unknown keeps being asked about (DESIGN §4, configurable). */
export const DEFAULT_UNKNOWN_RETENTION_DAYS = 7;

/**
 * Whether the sync as of `date` should ask the panel about this order.
 * Open orders: yes. Terminal orders: no. An order answered unknown on
 * 2026-03-01 is asked about again through 2026-03-08 with the default 7 days
 * (daysBetween ≤ 7), then no more; if it answers again some day, it is an
 * order like any other.
 */
export function shouldRepoll(
  state: Pick<OrderLedgerState, 'terminal' | 'unknownSince'>,
  date: string,
  unknownRetentionDays: number,
): boolean {
  if (state.unknownSince !== undefined) return daysBetween(state.unknownSince, date) <= unknownRetentionDays;
  return !state.terminal;
}
