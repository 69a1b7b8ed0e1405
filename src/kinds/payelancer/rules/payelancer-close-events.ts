import {
  payoutEventKind,
  type CounterRole,
  type CounterState,
  type Finding,
  type PayoutMethod,
  type PayoutSchedule,
  type SourceEvent,
} from '../../../rules/index.js';
import { counterDelta } from './counter-delta.js';
import { payoutDatesCrossed } from './payout-dates.js';
import { payoutDue } from './payout-due.js';

/** How a publisher is paid: the configuration's payouts, source over global over the defaults. */
export interface PayoutTerms {
  method: PayoutMethod;
  minimumMicros: bigint;
  schedule: PayoutSchedule;
}

export interface PayelancerCloseInput {
  source: { id: string; payouts: PayoutTerms };
  date: string;
  currency: string;
  /** The counter's state after the previous close (undefined: this close is the baseline). */
  previous: CounterState | undefined;
  /** The lifetime counter this close read, and which one it is. */
  counter: { role: CounterRole; valueMicros: bigint };
  /** The receivable booked before this close, over entries dated on or before `date`. */
  bookedReceivableAsOf: (date: string) => bigint;
  /** Whether the payout date is already dealt with (a missed date settled by an earlier run). */
  isSettled: (payoutDate: string) => boolean;
}

interface PayelancerCloseEvents {
  events: SourceEvent[];
  findings: Finding[];
  next: CounterState;
}

/**
 * What one ad-network close books: the counter's change since the previous
 * close, then every payout date the close has crossed. No I/O: the nightly
 * close and a replay of stored replies both call this. Example, month-end
 * payouts, $50 minimum: previous close 2026-03-29 at earnings 120.00 with
 * 45.00 receivable booked, this close 2026-04-02 at 130.00 → publisher_earnings
 * 10.00 dated 04-02; 03-31 was crossed without a close (missed) and its
 * receivable is the 45.00 booked by then (the 10.00 is dated later) < 50.00,
 * so nothing is paid and payout_carried_forward is found.
 */
export function payelancerCloseEvents(input: PayelancerCloseInput): PayelancerCloseEvents {
  const { source, date, currency, previous } = input;
  const delta = counterDelta(previous, {
    sourceId: source.id,
    role: input.counter.role,
    date,
    currency,
    valueMicros: input.counter.valueMicros,
  });
  const events: SourceEvent[] = [...delta.events];
  const findings: Finding[] = [...delta.findings];
  if (input.counter.role === 'publisher' && previous && previous.role === 'publisher') {
    const settled = settlePayouts(input, previous.date, events);
    events.push(...settled.events);
    findings.push(...settled.findings);
  }
  return { events, findings, next: delta.next };
}

/**
 * Payout dates after the previous close, up to this one, in order. The
 * receivable at a payout date is the ledger's balance of the source's
 * receivable over entries dated on or before it, plus this close's own
 * earnings when the payout date is today, less payouts settled earlier in the
 * same loop. Example: 45.00 owed at the 29th, close on April 2nd with 10.00
 * earned since → March 31st is missed, 45.00 < 50.00 is carried; the April
 * earnings are dated April 2nd and wait for April 30th.
 */
function settlePayouts(
  input: PayelancerCloseInput,
  previousCloseDate: string,
  closeEvents: readonly SourceEvent[],
): { events: SourceEvent[]; findings: Finding[] } {
  const { source, currency } = input;
  const events: SourceEvent[] = [];
  const findings: Finding[] = [];
  const method = source.payouts.method;
  for (const { payoutDate } of payoutDatesCrossed(previousCloseDate, input.date, source.payouts.schedule)) {
    if (input.isSettled(payoutDate)) continue;
    const pending = [...closeEvents, ...events].filter((event) => event.date <= payoutDate);
    const receivableMicros = input.bookedReceivableAsOf(payoutDate) + receivableEffect(pending, method);
    const due = payoutDue({
      receivableMicros,
      minimumMicros: source.payouts.minimumMicros,
      method,
      payoutDate,
      sourceId: source.id,
      currency,
    });
    events.push(...due.events);
    findings.push(...due.findings);
  }
  return { events, findings };
}

/**
 * The payout dates a close will ask the books about (bookedReceivableAsOf and
 * isSettled), so a caller reading an asynchronous ledger can read them first.
 * Example: a publisher closed on 03-29 and now on 04-02, month-end payouts → ["2026-03-31"].
 */
export function payoutDatesToRead(
  input: Pick<PayelancerCloseInput, 'source' | 'date' | 'previous' | 'counter'>,
): string[] {
  const { previous } = input;
  if (input.counter.role !== 'publisher' || !previous || previous.role !== 'publisher') return [];
  return payoutDatesCrossed(previous.date, input.date, input.source.payouts.schedule).map(
    ({ payoutDate }) => payoutDate,
  );
}

/** How events not yet booked move the receivable: earnings raise it, clawbacks and payouts lower it. */
function receivableEffect(events: readonly SourceEvent[], method: PayoutMethod): bigint {
  let effect = 0n;
  for (const event of events) {
    if (event.kind === 'publisher_earnings') effect += event.amountMicros;
    else if (event.kind === 'publisher_clawback' || event.kind === payoutEventKind(method))
      effect -= event.amountMicros;
  }
  return effect;
}
