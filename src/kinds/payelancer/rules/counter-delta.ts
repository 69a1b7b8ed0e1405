import { daysBetween } from '../../../calendar/index.js';
import { formatMicros } from '../../../money/index.js';
import {
  finding,
  nextEventId,
  type CounterRole,
  type CounterState,
  type EventKind,
  type Finding,
  type SourceEvent,
} from '../../../rules/index.js';

export interface CounterSnapshot {
  sourceId: string;
  role: CounterRole;
  /** The close date D: events are dated D. */
  date: string;
  currency: string;
  /** Lifetime `stats.earnings` (publisher) or `stats.spent` (advertiser). */
  valueMicros: bigint;
}

interface CounterDelta {
  events: SourceEvent[];
  findings: Finding[];
  next: CounterState;
}

const KIND_BY_ROLE: Readonly<Record<CounterRole, { rise: EventKind; fall: EventKind }>> = {
  publisher: { rise: 'publisher_earnings', fall: 'publisher_clawback' },
  advertiser: { rise: 'advertiser_spend', fall: 'advertiser_credit' },
};

/**
 * The APIs only give lifetime totals, so what happened since the previous
 * close is the difference. Publisher earnings 120.50 at the last close and
 * 135.75 today → publisher_earnings 15.25; 130.00 today instead → a clawback
 * of 5.75 (publisher_clawback, finding clawback). The first snapshot of a
 * source is its baseline and books nothing.
 */
export function counterDelta(previous: CounterState | undefined, snapshot: CounterSnapshot): CounterDelta {
  const { sourceId, role, date, currency } = snapshot;
  const baseline: CounterState = { role, valueMicros: snapshot.valueMicros, date };
  if (previous === undefined) return { events: [], findings: [], next: baseline };
  if (daysBetween(previous.date, date) < 0) {
    throw new RangeError(
      `counter of ${sourceId}: a close on ${date} cannot follow the close already taken on ${previous.date}`,
    );
  }
  if (previous.role !== role) return roleChanged(previous, snapshot, baseline);
  const delta = snapshot.valueMicros - previous.valueMicros;
  if (delta === 0n) return { events: [], findings: [], next: { ...previous, date } };

  const rise = delta > 0n;
  const kind = rise ? KIND_BY_ROLE[role].rise : KIND_BY_ROLE[role].fall;
  const amountMicros = rise ? delta : -delta;
  const ref = `${previous.date}..${date}`;
  const id = nextEventId(`payelancer:${sourceId}:${kind}`, date, previous.eventSequence);
  const event: SourceEvent = {
    id: id.id,
    sourceId,
    kind,
    date,
    currency,
    amountMicros,
    ref,
    detail: {
      counter: role === 'publisher' ? 'earnings' : 'spent',
      previousClose: previous.date,
      previousValue: formatMicros(previous.valueMicros),
      value: formatMicros(snapshot.valueMicros),
    },
  };
  const findings =
    kind === 'publisher_clawback'
      ? [
          finding({
            kind: 'clawback',
            sourceId,
            date,
            amountMicros,
            currency,
            ref,
            message:
              `lifetime earnings fell from ${formatMicros(previous.valueMicros)} to ${formatMicros(snapshot.valueMicros)} ${currency}: ` +
              `${formatMicros(amountMicros)} clawed back (invalid traffic?), revenue reversed`,
          }),
        ]
      : [];
  return {
    events: [event],
    findings,
    next: { role, valueMicros: snapshot.valueMicros, date, eventSequence: id.sequence },
  };
}

/**
 * The account now reports the other counter (an account that was a publisher's reports an advertiser's spend): the
 * two cannot be subtracted, so the new figure is a baseline and nothing is booked; a finding says so.
 */
function roleChanged(previous: CounterState, snapshot: CounterSnapshot, baseline: CounterState): CounterDelta {
  const { sourceId, role, date } = snapshot;
  return {
    events: [],
    findings: [
      finding({
        kind: 'counter_role_changed',
        sourceId,
        date,
        ref: `${previous.role}->${role}`,
        message:
          `${sourceId} reported the ${previous.role} counter until ${previous.date} and now reports the ${role} counter ` +
          `(${formatMicros(snapshot.valueMicros)}): taken as a new baseline, nothing booked`,
      }),
    ],
    next: { ...baseline, ...(previous.eventSequence === undefined ? {} : { eventSequence: previous.eventSequence }) },
  };
}
