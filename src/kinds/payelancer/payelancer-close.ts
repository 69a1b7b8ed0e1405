import { InvalidReplyError, LedgerlineError, rawObservationOf } from '../../errors.js';
import { PAYELANCER_RECEIVABLE_ACCOUNT, PAYOUT_METHODS, payoutEventKind, type Finding } from '../../rules/index.js';
import type { Ledger } from '../../ledger/index.js';
import {
  bookClose,
  planClose,
  refuseDayBeforeLatestClose,
  type CloseContext,
  type SourceCloser,
  type SourceSyncReport,
  type SyncBooksTx,
} from '../../pipeline/sync/index.js';
import { createPayelancerClient, type PayelancerClient } from './payelancer-client.js';
import { PAYELANCER_KIND, asPayelancerSource, type PayelancerSourceConfig } from './payelancer-config.js';
import { conversionsVsCounter } from './rules/conversions-vs-counter.js';
import { payelancerCloseEvents, payoutDatesToRead } from './rules/payelancer-close-events.js';
import { payoutEventId } from './rules/payout-due.js';
import { storedConversions } from './stored-conversions.js';

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
  await refuseDayBeforeLatestClose(context.books, source.id, asOf);
  let stats;
  try {
    stats = await client.stats();
  } catch (error) {
    if (error instanceof InvalidReplyError && !context.dryRun) {
      await context.books.quarantine(
        {
          sourceId: source.id,
          rawObservationId: rawObservationOf(error),
          itemRef: 'stats',
          reason: error.reason,
          asOf,
        },
        context.now(),
      );
      return failed(source.id, error, 1);
    }
    if (error instanceof LedgerlineError) return failed(source.id, error, 0);
    throw error;
  }
  const valueMicros = stats.role === 'publisher' ? stats.earningsMicros : stats.spentMicros;
  const previous = await context.books.counterState(source.id);
  const closeInput = { source, date: asOf, currency, previous, counter: { role: stats.role, valueMicros } };
  const books = await booksAtPayoutDates(ledger, context.books, source.id, currency, payoutDatesToRead(closeInput));
  const close = payelancerCloseEvents({
    ...closeInput,
    bookedReceivableAsOf: (date) => books.get(date)!.receivableMicros,
    isSettled: (payoutDate) => books.get(payoutDate)!.settled,
  });
  const findings = [...close.findings];
  if (stats.role === 'publisher' && previous && previous.role === 'publisher') {
    findings.push(
      ...(await checkConversions(
        context,
        source.id,
        currency,
        previous.date,
        close.next.valueMicros - previous.valueMicros,
      )),
    );
  }
  // A dry run is the reads and the pure close, and nothing written: the plan is what the load would book.
  const booked = context.dryRun
    ? await planClose(context, source.id, { events: close.events, findings })
    : await bookClose(context, {
        sourceId: source.id,
        events: close.events,
        findings,
        writeProgress: async (tx) => {
          await tx.saveCounterState(source.id, close.next, context.now());
          const metric = stats.role === 'publisher' ? 'earnings' : 'spent';
          await tx.logClose({
            sourceId: source.id,
            date: asOf,
            runId: context.runId,
            metric,
            valueMicros,
            currency,
            rawObservationId: stats.rawObservationId,
            now: context.now(),
          });
        },
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
      return method === undefined
        ? []
        : [{ date: event.date, method, currency: event.currency, amountMicros: event.amountMicros }];
    }),
  };
}

async function checkConversions(
  context: CloseContext,
  sourceId: string,
  currency: string,
  previousCloseDate: string,
  counterDeltaMicros: bigint,
): Promise<Finding[]> {
  const { conversions } = await storedConversions(context.books, {
    sourceId,
    from: previousCloseDate,
    to: context.asOf,
    timeZone: context.timezone,
  });
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

/** What the books say at each payout date the close asks about: read before the pure close, since the ledger answers asynchronously. */
async function booksAtPayoutDates(
  ledger: Ledger,
  syncBooks: SyncBooksTx,
  sourceId: string,
  currency: string,
  payoutDates: readonly string[],
): Promise<Map<string, { receivableMicros: bigint; settled: boolean }>> {
  const books = new Map<string, { receivableMicros: bigint; settled: boolean }>();
  for (const payoutDate of payoutDates) {
    books.set(payoutDate, {
      receivableMicros: await ledger.balanceOf(PAYELANCER_RECEIVABLE_ACCOUNT, currency, { sourceId, asOf: payoutDate }),
      settled: await syncBooks.hasEvent(payoutEventId(sourceId, payoutDate)),
    });
  }
  return books;
}

function failed(sourceId: string, error: LedgerlineError, quarantined: number): SourceSyncReport {
  return { sourceId, outcome: 'failed', events: 0, entries: [], findings: [], quarantined, error };
}

/** An ad network's close: its lifetime counter's change booked, then each payout date it crossed settled. */
export const payelancerCloser: SourceCloser = {
  kind: PAYELANCER_KIND,
  close(take) {
    const source = asPayelancerSource(take.source);
    const client = createPayelancerClient({
      sourceId: source.id,
      baseUrl: source.baseUrl,
      apiKey: source.apiKey,
      http: take.http,
      clock: take.clock,
      onRawReply: take.onRawReply,
    });
    return syncPayelancerClose(take.context, source, client, take.currency);
  },
};
