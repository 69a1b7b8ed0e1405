import { z } from 'zod';
import { LedgerIntegrityError } from '../../../errors.js';
import { absMicros, formatMicros } from '../../../money/index.js';
import { CalendarDateSchema } from '../../../calendar/index.js';
import {
  DaySequenceSchema,
  MicrosSchema,
  finding,
  nextEventId,
  type DaySequence,
  type Finding,
  type SourceEvent,
} from '../../../rules/index.js';
import type { OrderObservation } from './order-observation.js';

/** A balance fall booked to suspense that no order has explained whole yet: what is left of it. */
const OpenFallSchema = z.lazy(() =>
  z.object({
    /** The close that booked the fall (its balance_fall finding is dated on it). */
    date: CalendarDateSchema,
    findingId: z.string().min(1),
    currency: z.string().min(1),
    remainingMicros: MicrosSchema,
  }),
);
export type OpenFall = z.infer<typeof OpenFallSchema>;

/** An order first learned in this close, charged in it, and placed on `placedOn` (its created_at's date). */
export interface LateCharge {
  orderId: string;
  placedOn: string;
  amountMicros: bigint;
}

/** How much of one fall one late order explained. */
export interface FallExplanation {
  findingId: string;
  fallDate: string;
  orderId: string;
  currency: string;
  amountMicros: bigint;
}

interface ExplainedFalls {
  /** panel_fall_explained, one per order and fall: Dr panel_prepaid, Cr suspense. */
  events: SourceEvent[];
  explanations: FallExplanation[];
  /** The falls still open after this close's late orders, oldest first. */
  openFalls: OpenFall[];
  eventSequence: DaySequence | undefined;
}

/**
 * Late explanation of a balance fall. A close of day D reads the panel's
 * balance after D, so every order placed on or before D is charged inside it.
 * An order the ledger first learns later (the orders file was forgotten, the
 * proxy recorded it after the listing) was therefore already in a balance the
 * ledger could not explain: that close booked its charge as an unexplained
 * fall (Dr suspense / Cr panel_prepaid). When the order is learned, its charge
 * (Dr smm_services_expense / Cr panel_prepaid, booked by the order rules) is
 * joined by panel_fall_explained (Dr panel_prepaid / Cr suspense) for as much
 * of the open falls dated on or after its placing date as it covers, oldest
 * first: together Dr smm_services_expense / Cr suspense, and panel_prepaid,
 * which the balance had already lowered, stays where the balance put it, so
 * the balance check finds no top-up. Only charges explain (a refund the order
 * got later is in a later balance and is booked as usual).
 *
 * Worked example: the close of 03-03 found the balance 0.54 below the ledger
 * (orders 23501 at 0.30 and 23502 at 0.24 were placed on 03-03 and not in any
 * file): Dr suspense 0.54 / Cr panel_prepaid 0.54, an open fall of 0.54. On
 * 03-04 the file names both; they are charged 0.30 and 0.24, and each explains
 * its part: panel_fall_explained 0.30 (23501) and 0.24 (23502). Suspense is
 * 0.54 − 0.30 − 0.24 = 0, the fall is closed, panel_prepaid equals the balance.
 * Had only 23501 been found, 0.24 of the fall would stay open.
 * The correction is dated on the close that learns the order (03-04), never on
 * the fall's day, which may already be posted or locked.
 */
export function explainOpenFalls(
  openFalls: readonly OpenFall[],
  lateCharges: readonly LateCharge[],
  close: { sourceId: string; date: string; currency: string; eventSequence: DaySequence | undefined },
): ExplainedFalls {
  const remaining = openFalls.map((fall) => ({ ...fall }));
  const events: SourceEvent[] = [];
  const explanations: FallExplanation[] = [];
  let eventSequence = close.eventSequence;
  for (const charge of lateCharges) {
    let left = charge.amountMicros;
    for (const fall of remaining) {
      if (left <= 0n) break;
      if (fall.currency !== close.currency || fall.date < charge.placedOn || fall.remainingMicros <= 0n) continue;
      const amountMicros = left < fall.remainingMicros ? left : fall.remainingMicros;
      fall.remainingMicros -= amountMicros;
      left -= amountMicros;
      const id = nextEventId(`panel:${close.sourceId}:fall_explained`, close.date, eventSequence);
      eventSequence = id.sequence;
      events.push({
        id: id.id,
        sourceId: close.sourceId,
        kind: 'panel_fall_explained',
        date: close.date,
        currency: close.currency,
        amountMicros,
        ref: charge.orderId,
        detail: { fall: fall.date, finding: fall.findingId, explained: formatMicros(amountMicros) },
      });
      explanations.push({
        findingId: fall.findingId,
        fallDate: fall.date,
        orderId: charge.orderId,
        currency: close.currency,
        amountMicros,
      });
    }
  }
  return { events, explanations, openFalls: remaining.filter((fall) => fall.remainingMicros > 0n), eventSequence };
}

/**
 * The charges of a close's orders that were first learned in it and placed on a
 * day some open fall covers (placed on or before the fall's day): what
 * explainOpenFalls may take. An order charged now is late by what it is
 * charged; one canceled before it was learned books nothing, yet its charge
 * was inside the balance that fell and its refund is inside tonight's, so it
 * is late by the charge the panel reports for it (0.54 charged and refunded
 * explains 0.54 of the fall, and the balance's rise by the refund is no top-up).
 * An order already observed before, or without a placing date, explains nothing.
 */
export function lateChargesOf(
  observations: readonly OrderObservation[],
  events: readonly SourceEvent[],
  order: { learnedNow: (orderId: string) => boolean; placedOn: (orderId: string) => string | undefined },
  openFalls: readonly OpenFall[],
): LateCharge[] {
  if (openFalls.length === 0) return [];
  const latestFall = openFalls.reduce((latest, fall) => (fall.date > latest ? fall.date : latest), openFalls[0]!.date);
  const charged = new Map<string, bigint>();
  for (const event of events)
    if (event.kind === 'order_charge') charged.set(event.ref, (charged.get(event.ref) ?? 0n) + event.amountMicros);
  const charges: LateCharge[] = [];
  for (const observation of observations) {
    if (observation.kind !== 'status' || !order.learnedNow(observation.orderId)) continue;
    const placedOn = order.placedOn(observation.orderId);
    if (placedOn === undefined || placedOn > latestFall) continue;
    const amountMicros = charged.get(observation.orderId) ?? observation.chargeMicros;
    if (amountMicros > 0n) charges.push({ orderId: observation.orderId, placedOn, amountMicros });
  }
  return charges;
}

/** Kept per panel between syncs; absent until the first sync commits. */
export const PanelBalanceStateSchema = z.lazy(() =>
  z.object({
    /** Date of the first sync, whose balance was booked as the opening balance. */
    openedOn: CalendarDateSchema,
    eventSequence: DaySequenceSchema.optional(),
    /**
     * The first close at which the panel wrote a figure finer than a micro-unit (a DOUBLE column):
     * from then on a difference within the rounding bound is rounding, not a finding. Kept for good,
     * because a figure rounded at one close is still inside the books at the next.
     */
    subMicroSince: CalendarDateSchema.optional(),
    /** The falls booked to suspense that late-learned orders have not explained whole (the late-order explanation above). */
    openFalls: z.array(OpenFallSchema).optional(),
    /**
     * The orders in flight at this close's balance read (orders-in-flight.ts), kept with this close only so
     * that a replay settles them as the night did; the next close starts without them.
     */
    ordersInFlight: z.array(z.string()).optional(),
  }),
);
export type PanelBalanceState = z.infer<typeof PanelBalanceStateSchema>;

interface PanelBalanceClose {
  sourceId: string;
  date: string;
  currency: string;
  /** The balance the panel reports at this close. */
  reportedMicros: bigint;
  /**
   * The ledger's `panel_prepaid` for this source and currency, including this
   * close's order events. At the first sync it is 0 (baseline orders book nothing).
   */
  ledgerBalanceMicros: bigint;
  /** How many figures of this close (the balance, the charges) were finer than a micro-unit and rounded when read. */
  roundedFigures: number;
  /** How many order events this close books before the balance check. */
  orderEvents: number;
}

interface BalanceReconciliation {
  events: SourceEvent[];
  findings: Finding[];
  next: PanelBalanceState;
}

/**
 * Makes the ledger's `panel_prepaid` equal the panel's reported balance after
 * every sync. First sync, balance 100.84292 → panel_opening_balance 100.84292.
 * Later: ledger 90.00 after this close's orders (100.84292 − 10.84292 charged),
 * panel reports 140.00 → the 50.00 the orders do not explain is a top-up
 * (panel_topup 50.00, finding balance_rise); panel reports 89.50 → 0.50 fell
 * unexplained (panel_unexplained_fall 0.50 to suspense, finding balance_fall).
 */
export function reconcileBalance(
  previous: PanelBalanceState | undefined,
  close: PanelBalanceClose,
): BalanceReconciliation {
  if (previous === undefined) return openingBalance(close);
  const subMicroSince = previous.subMicroSince ?? (close.roundedFigures > 0 ? close.date : undefined);
  const carried: PanelBalanceState = subMicroSince === undefined ? previous : { ...previous, subMicroSince };
  const difference = close.reportedMicros - close.ledgerBalanceMicros;
  if (difference === 0n) return { events: [], findings: [], next: carried };
  if (subMicroSince !== undefined && absMicros(difference) <= roundingBoundMicros(close.orderEvents))
    return rounding(carried, close, difference);
  return unexplainedMove(carried, close, difference);
}

/**
 * The first sync's balance, booked as the opening balance on an empty account: a panel reporting 77.64 books
 * Dr panel_prepaid 77.64, Cr opening_balance_equity 77.64. A balance of 0.00 books nothing; an account the ledger
 * already holds money in, or a negative balance, cannot be an opening and stops the close.
 */
function openingBalance(close: PanelBalanceClose): BalanceReconciliation {
  const { sourceId, date, currency } = close;
  if (close.ledgerBalanceMicros !== 0n) {
    throw new LedgerIntegrityError(
      `panel ${sourceId}: the first sync found panel_prepaid already at ${formatMicros(close.ledgerBalanceMicros)} ${currency}; ` +
        `an opening balance is only booked on an empty account`,
    );
  }
  if (close.reportedMicros < 0n) {
    throw new LedgerIntegrityError(
      `panel ${sourceId}: the first sync found a negative balance (${formatMicros(close.reportedMicros)} ${currency}); it cannot be an opening balance`,
    );
  }
  const opened: PanelBalanceState =
    close.roundedFigures > 0 ? { openedOn: date, subMicroSince: date } : { openedOn: date };
  if (close.reportedMicros === 0n) return { events: [], findings: [], next: opened };
  const id = nextEventId(`panel:${sourceId}:opening_balance`, date, undefined);
  return {
    events: [
      {
        id: id.id,
        sourceId,
        kind: 'panel_opening_balance',
        date,
        currency,
        amountMicros: close.reportedMicros,
        ref: date,
        detail: { reportedBalance: formatMicros(close.reportedMicros) },
      },
    ],
    findings: [],
    next: { ...opened, eventSequence: id.sequence },
  };
}

/**
 * A balance the orders do not explain: a rise is a top-up awaiting the bank side (reported 116.00 where the ledger
 * explains 100.00: Dr panel_prepaid 16.00, Cr topup_clearing 16.00), a fall goes to suspense for review and stays
 * open until orders explain it (reported 90.00 for 100.00: Dr suspense 10.00, Cr panel_prepaid 10.00).
 */
function unexplainedMove(
  carried: PanelBalanceState,
  close: PanelBalanceClose,
  difference: bigint,
): BalanceReconciliation {
  const { sourceId, date, currency } = close;
  const rise = difference > 0n;
  const amountMicros = rise ? difference : -difference;
  const id = nextEventId(`panel:${sourceId}:${rise ? 'topup' : 'unexplained_fall'}`, date, carried.eventSequence);
  const detail = {
    reportedBalance: formatMicros(close.reportedMicros),
    ledgerBalance: formatMicros(close.ledgerBalanceMicros),
  };
  const found = finding({
    kind: rise ? 'balance_rise' : 'balance_fall',
    sourceId,
    date,
    amountMicros,
    currency,
    ref: date,
    message: rise
      ? `panel balance ${formatMicros(close.reportedMicros)} ${currency} is ${formatMicros(amountMicros)} above what the ledger explains ` +
        `(${formatMicros(close.ledgerBalanceMicros)}): booked as a top-up awaiting the bank side (topup_clearing)`
      : `panel balance ${formatMicros(close.reportedMicros)} ${currency} is ${formatMicros(amountMicros)} below what the ledger explains ` +
        `(${formatMicros(close.ledgerBalanceMicros)}): booked to suspense for review`,
  });
  const openFalls = rise
    ? carried.openFalls
    : [...(carried.openFalls ?? []), { date, findingId: found.id, currency, remainingMicros: amountMicros }];
  return {
    events: [
      {
        id: id.id,
        sourceId,
        kind: rise ? 'panel_topup' : 'panel_unexplained_fall',
        date,
        currency,
        amountMicros,
        ref: date,
        detail,
      },
    ],
    findings: [found],
    next: { ...carried, eventSequence: id.sequence, ...(openFalls === undefined ? {} : { openFalls }) },
  };
}

/**
 * The most that rounding to micro-units can leave between the ledger and the
 * balance at one close, in whole micro-units: half a micro-unit for each
 * figure the difference is made of — this balance, the previous one, and the
 * two charges each order event moves between. 1 µ plus 1 µ per order event.
 * Worked example (tested): the balance was 100.0000000 (carried 100.000000);
 * two orders are charged 0.0000015 each, and the panel reports 99.9999970.
 * Each charge is read as 0.000002 (half-even), so the ledger holds
 * 100.000000 − 0.000004 = 99.999996 against 99.999997 reported: 1 µ, within
 * the bound of 3 µ for a close with two order events, so panel_rounding_gain
 * 0.000001 is booked (Dr panel_prepaid, Cr rounding) and nothing is listed.
 */
export function roundingBoundMicros(orderEvents: number): bigint {
  return 1n + BigInt(orderEvents);
}

/** A difference rounding explains: booked to the rounding account so panel_prepaid equals the balance as carried. */
function rounding(previous: PanelBalanceState, close: PanelBalanceClose, difference: bigint): BalanceReconciliation {
  const { sourceId, date, currency } = close;
  const gain = difference > 0n;
  const id = nextEventId(`panel:${sourceId}:rounding`, date, previous.eventSequence);
  return {
    events: [
      {
        id: id.id,
        sourceId,
        kind: gain ? 'panel_rounding_gain' : 'panel_rounding_loss',
        date,
        currency,
        amountMicros: absMicros(difference),
        ref: date,
        detail: {
          reportedBalance: formatMicros(close.reportedMicros),
          ledgerBalance: formatMicros(close.ledgerBalanceMicros),
        },
      },
    ],
    findings: [],
    next: { ...previous, eventSequence: id.sequence },
  };
}
