import { z } from 'zod';
import { CalendarDateSchema } from '../../../calendar/index.js';
import { formatMicros } from '../../../money/index.js';
import { nextEventId, type DaySequence, type SourceEvent, MicrosSchema } from '../../../rules/index.js';
import type { OrderObservation } from './order-observation.js';

/** A balance fall booked to suspense that no order has explained whole yet: what is left of it. */
export const OpenFallSchema = z.object({
  /** The close that booked the fall (its balance_fall finding is dated on it). */
  date: CalendarDateSchema,
  findingId: z.string().min(1),
  currency: z.string().min(1),
  remainingMicros: MicrosSchema,
});
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

export interface ExplainedFalls {
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
