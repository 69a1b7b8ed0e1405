import type { PayelancerSourceConfig } from '../../config/index.js';
import { InvalidReplyError, LedgerlineError, rawObservationOf } from '../../errors.js';
import { COUNTER_STATE_NAME, CounterStateSchema, PAYELANCER_RECEIVABLE_ACCOUNT, PAYOUT_METHODS, conversionsVsCounter, payelancerCloseEvents, payoutEventId, payoutEventKind, type Finding } from '../../rules/index.js';
import { storedConversions, type PayelancerClient } from '../../sources/index.js';
import { hasEvent, logClose, quarantine, readSourceState, writeSourceState } from '../../store/index.js';
import { bookClose, refuseDayBeforeLatestClose } from './book-close.js';
import { bookOrRehearse, type CloseContext, type SourceSyncReport } from './close-context.js';

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
    const previous = readSourceState(ledger.store, source.id, COUNTER_STATE_NAME, CounterStateSchema);
    const close = payelancerCloseEvents({
      source,
      date: asOf,
      currency,
      previous,
      counter: { role: stats.role, valueMicros },
      bookedReceivableAsOf: (date) => ledger.balanceOf(PAYELANCER_RECEIVABLE_ACCOUNT, currency, { sourceId: source.id, asOf: date }),
      isSettled: (payoutDate) => hasEvent(ledger.store, payoutEventId(source.id, payoutDate)),
    });
    const findings = [...close.findings];
    if (stats.role === 'publisher' && previous && previous.role === 'publisher') {
      findings.push(...checkConversions(context, source.id, currency, previous.date, close.next.valueMicros - previous.valueMicros));
    }
    return bookClose(context, {
      sourceId: source.id,
      events: close.events,
      findings,
      writeProgress: () => {
        writeSourceState(ledger.store, source.id, COUNTER_STATE_NAME, close.next, context.now());
        logClose(ledger.store, {
          sourceId: source.id,
          date: asOf,
          runId: context.runId,
          metric: stats.role === 'publisher' ? 'earnings' : 'spent',
          valueMicros,
          currency,
          rawObservationId: stats.rawObservationId,
          now: context.now(),
        });
      },
    });
  });
  return {
    sourceId: source.id,
    outcome: 'booked',
    events: booked.events.length,
    entries: booked.entries,
    findings: booked.findings,
    quarantined: 0,
    payouts: booked.events.flatMap((event) => {
      const method = PAYOUT_METHODS.find((candidate) => payoutEventKind(candidate) === event.kind);
      return method === undefined ? [] : [{ date: event.date, method, currency: event.currency, amountMicros: event.amountMicros }];
    }),
  };
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
