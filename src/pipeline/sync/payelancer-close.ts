import type { PayelancerSourceConfig } from '../../config/index.js';
import { InvalidReplyError, LedgerlineError, rawObservationOf } from '../../errors.js';
import { payoutEventKind, type PayoutMethod } from '../../ledger/index.js';
import {
  CounterStateSchema,
  conversionsVsCounter,
  counterDelta,
  payoutDatesCrossed,
  payoutDue,
  payoutEventId,
  type Finding,
  type PayoutSchedule as RulePayoutSchedule,
  type SourceEvent,
} from '../../rules/index.js';
import type { PayelancerClient } from '../../sources/payelancer/payelancer-client.js';
import { storedConversions } from '../../sources/webhooks/index.js';
import { quarantine } from '../raw-landing.js';
import { readSourceState, writeSourceState } from '../source-state.js';
import { bookClose, recordClose, refuseDayBeforeLatestClose } from './book-close.js';
import { bookOrRehearse, type CloseContext, type SourceSyncReport } from './close-context.js';

const COUNTER_STATE = 'counter';

/**
 * One ad-network close: snapshot the lifetime counter, book its change since
 * the previous close, then settle every payout date the close has crossed.
 */
export async function syncPayelancerClose(
  context: CloseContext,
  source: PayelancerSourceConfig,
  client: PayelancerClient,
  currency: string,
): Promise<SourceSyncReport> {
  const { ledger, asOf } = context;
  refuseDayBeforeLatestClose(ledger, source.id, asOf);
  let stats;
  try {
    stats = await client.stats();
  } catch (error) {
    if (error instanceof InvalidReplyError && !context.dryRun) {
      quarantine(ledger.store, { sourceId: source.id, rawObservationId: rawObservationOf(error), itemRef: 'stats', reason: error.reason, asOf }, context.now());
      return failed(source.id, error, 1);
    }
    if (error instanceof LedgerlineError) return failed(source.id, error, 0);
    throw error;
  }
  const valueMicros = stats.role === 'publisher' ? stats.earningsMicros : stats.spentMicros;
  const booked = bookOrRehearse(context, () => {
    const previous = readSourceState(ledger.store, source.id, COUNTER_STATE, CounterStateSchema);
    const delta = counterDelta(previous, { sourceId: source.id, role: stats.role, date: asOf, currency, valueMicros });
    const events: SourceEvent[] = [...delta.events];
    const findings: Finding[] = [...delta.findings];
    if (stats.role === 'publisher' && previous && previous.role === 'publisher') {
      const settled = settlePayouts(context, source, currency, previous.date, events);
      events.push(...settled.events);
      findings.push(...settled.findings);
      findings.push(...checkConversions(context, source.id, currency, previous.date, delta.next.valueMicros - previous.valueMicros));
    }
    return bookClose(context, {
      sourceId: source.id,
      events,
      findings,
      writeProgress: () => {
        writeSourceState(ledger.store, source.id, COUNTER_STATE, delta.next, context.now());
        recordClose(ledger, {
          sourceId: source.id,
          date: asOf,
          metric: stats.role === 'publisher' ? 'earnings' : 'spent',
          valueMicros,
          currency,
          rawObservationId: stats.rawObservationId,
          now: context.now(),
        });
      },
    });
  });
  return { sourceId: source.id, outcome: 'booked', events: booked.events.length, entries: booked.entries, findings: booked.findings, quarantined: 0 };
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
  context: CloseContext,
  source: PayelancerSourceConfig,
  currency: string,
  previousCloseDate: string,
  closeEvents: readonly SourceEvent[],
): { events: SourceEvent[]; findings: Finding[] } {
  const events: SourceEvent[] = [];
  const findings: Finding[] = [];
  const method = source.payouts.method as PayoutMethod;
  for (const { payoutDate } of payoutDatesCrossed(previousCloseDate, context.asOf, ruleSchedule(source.payouts.schedule))) {
    if (context.ledger.store.first(context.ledger.store.db.selectFrom('source_events').select('id').where('id', '=', payoutEventId(source.id, payoutDate)))) continue;
    const pending = [...closeEvents, ...events].filter((event) => event.date <= payoutDate);
    const receivableMicros =
      context.ledger.balanceOf('payelancer_receivable', currency, { sourceId: source.id, asOf: payoutDate }) + receivableEffect(pending, method);
    const due = payoutDue({ receivableMicros, minimumMicros: source.payouts.minimumMicros, method, payoutDate, sourceId: source.id, currency });
    events.push(...due.events);
    findings.push(...due.findings);
  }
  return { events, findings };
}

/** The configuration's schedule in the rules' terms. */
function ruleSchedule(schedule: PayelancerSourceConfig['payouts']['schedule']): RulePayoutSchedule {
  switch (schedule.kind) {
    case 'month-end':
      return 'month-end';
    case 'day-of-month':
      return schedule.day;
    case 'dates':
      return schedule.dates;
  }
}

/** How not-yet-booked events move the receivable: earnings raise it, clawbacks and payouts lower it. */
function receivableEffect(events: readonly SourceEvent[], method: PayoutMethod): bigint {
  let effect = 0n;
  for (const event of events) {
    if (event.kind === 'publisher_earnings') effect += event.amountMicros;
    else if (event.kind === 'publisher_clawback' || event.kind === payoutEventKind(method)) effect -= event.amountMicros;
  }
  return effect;
}

function checkConversions(context: CloseContext, sourceId: string, currency: string, previousCloseDate: string, counterDeltaMicros: bigint): Finding[] {
  const { conversions } = storedConversions(context.ledger.store, { sourceId, from: previousCloseDate, to: context.asOf, timeZone: context.timezone });
  if (conversions.length === 0) return [];
  return conversionsVsCounter({
    sourceId,
    currency,
    previousCloseDate,
    date: context.asOf,
    counterDeltaMicros,
    conversions: conversions.map((conversion) => ({ date: conversion.date, payoutMicros: conversion.payoutMicros })),
  });
}

function failed(sourceId: string, error: LedgerlineError, quarantined: number): SourceSyncReport {
  return { sourceId, outcome: 'failed', events: 0, entries: [], findings: [], quarantined, error };
}
