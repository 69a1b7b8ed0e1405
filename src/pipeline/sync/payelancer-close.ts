import type { PayelancerSourceConfig } from '../../config/index.js';
import { InvalidReplyError, LedgerlineError, rawObservationOf } from '../../errors.js';
import { PAYOUT_METHODS, payoutEventKind, type LedgerStore } from '../../ledger/index.js';
import { CounterStateSchema, conversionsVsCounter, payoutEventId, type CounterState, type Finding } from '../../rules/index.js';
import type { PayelancerClient } from '../../sources/payelancer/payelancer-client.js';
import { storedConversions } from '../../sources/webhooks/index.js';
import { hasEvent, logClose, quarantine, readSourceState, writeSourceState } from '../../store/index.js';
import { bookClose, refuseDayBeforeLatestClose } from './book-close.js';
import { bookOrRehearse, type CloseContext, type SourceSyncReport } from './close-context.js';
import { payelancerCloseEvents } from './payelancer-close-events.js';

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
  await refuseDayBeforeLatestClose(ledger, source.id, asOf);
  let stats;
  try {
    stats = await client.stats();
  } catch (error) {
    if (error instanceof InvalidReplyError && !context.dryRun) {
      await quarantine(ledger.store, { sourceId: source.id, rawObservationId: rawObservationOf(error), itemRef: 'stats', reason: error.reason, asOf }, context.now());
      return failed(source.id, error, 1);
    }
    if (error instanceof LedgerlineError) return failed(source.id, error, 0);
    throw error;
  }
  const valueMicros = stats.role === 'publisher' ? stats.earningsMicros : stats.spentMicros;
  const booked = await bookOrRehearse(context, async () => {
    const previous = await readSourceState(ledger.store, source.id, COUNTER_STATE, CounterStateSchema);
    const input = { source, date: asOf, currency, previous, counter: { role: stats.role, valueMicros } };
    // The close's rules ask the books synchronously, about payout dates that follow from the calendar
    // alone: a first pass names them, the books are read, and the second pass is the close.
    const asked = new Set<string>();
    payelancerCloseEvents({ ...input, bookedReceivableAsOf: (date) => (asked.add(date), 0n), isSettled: (date) => (asked.add(date), false) });
    const receivable = new Map<string, bigint>();
    const settled = new Set<string>();
    for (const date of asked) {
      receivable.set(date, await ledger.balanceOf('payelancer_receivable', currency, { sourceId: source.id, asOf: date }));
      if (await hasEvent(ledger.store, payoutEventId(source.id, date))) settled.add(date);
    }
    const close = payelancerCloseEvents({ ...input, bookedReceivableAsOf: (date) => receivable.get(date) ?? 0n, isSettled: (date) => settled.has(date) });
    const findings = [...close.findings];
    if (stats.role === 'publisher' && previous && previous.role === 'publisher') {
      findings.push(...await checkConversions(context, source.id, currency, previous.date, close.next.valueMicros - previous.valueMicros));
    }
    return bookClose(context, {
      sourceId: source.id,
      events: close.events,
      findings,
      writeProgress: async () => {
        await writeSourceState(ledger.store, source.id, COUNTER_STATE, close.next, context.now());
        await logClose(ledger.store, {
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

/** After a replay through the latest close, the counter's state holds the value the replay re-read there, so the next delta starts from it. */
export async function replaceCounterState(store: LedgerStore, sourceId: string, counter: CounterState, now: Date): Promise<void> {
  const live = await readSourceState(store, sourceId, COUNTER_STATE, CounterStateSchema);
  await writeSourceState(store, sourceId, COUNTER_STATE, live ? { ...live, valueMicros: counter.valueMicros } : counter, now);
}

async function checkConversions(context: CloseContext, sourceId: string, currency: string, previousCloseDate: string, counterDeltaMicros: bigint): Promise<Finding[]> {
  const { conversions } = await storedConversions(context.ledger.store, { sourceId, from: previousCloseDate, to: context.asOf, timeZone: context.timezone });
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
