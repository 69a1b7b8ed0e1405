import { InvalidReplyError, LedgerlineError, rawObservationOf } from '../../errors.js';
import {
  JournalDraft,
  PAYOUT_METHODS,
  payoutEventKind,
  type EventRules,
  type Finding,
  type SourceEvent,
} from '../../rules/index.js';
import type { BookedPayout, Extracted, StagedSource } from '../runs/index.js';
import { bookClose, refuseDayBeforeLatestClose, type BookedClose } from './sync-sources.js';
import type { CloseContext, SourceSyncReport } from './close-context.js';
import type { CloseTaking, SourceCloser } from './source-closer.js';

/**
 * The sync's part of a staged kind: extract live, look up what the books hold, normalize, load. `--dry-run` is
 * extract, lookup and normalize and nothing written: the plan is what the load would book, read from the books,
 * in no unit of work.
 */
export function stagedCloser<Reading, State, Held>(staged: StagedSource<Reading, State, Held>): SourceCloser {
  return {
    kind: staged.kind,
    async close({ context, source, http, clock, onRawReply, currency }): Promise<SourceSyncReport> {
      const { asOf } = context;
      const dayCurrency = source.currency ?? currency;
      const { history } = context;
      if (history === undefined) await refuseDayBeforeLatestClose(context.books, source.id, asOf);
      const extracted = await extractOrQuarantine(staged, { context, source, http, clock, onRawReply });
      if ('outcome' in extracted) return extracted;
      // A history day starts from the history day before it (none on its first: the source's new first close).
      const previous = history
        ? (history.get(source.id) as State | undefined)
        : await context.books.closeState(source.id, staged.stateSchema);
      const asked = { source, date: asOf, currency: dayCurrency, reading: extracted.reading, previous };
      const held = (await staged.lookup?.(booksAsTheyAre(context), { ...asked, timeZone: context.timezone })) as Held;
      const day = staged.normalize({ ...asked, held });
      history?.set(source.id, day.next);
      const booked = context.dryRun
        ? await planClose(context, source.id, day)
        : await bookClose(context, {
            sourceId: source.id,
            events: day.events,
            findings: day.findings,
            writeProgress: async (tx) => {
              // A history day keeps the live state: the nights after the first close counted from it.
              if (history === undefined) await tx.saveCloseState(source.id, day.next, context.now());
              const { metric, valueMicros } = day.figure;
              await tx.logClose({
                sourceId: source.id,
                date: asOf,
                runId: context.runId,
                metric,
                valueMicros,
                currency: dayCurrency,
                rawObservationId: extracted.rawObservationId,
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
        payouts: payoutsOf(booked.events, context.chart),
      };
    },
  };
}

/** The day's reading; a reply that does not read is quarantined (not in a dry run) and the close reported failed. */
async function extractOrQuarantine<Reading>(
  staged: Pick<StagedSource<Reading, unknown, unknown>, 'extract' | 'kind' | 'readingRef'>,
  { context, source, http, clock, onRawReply }: Omit<CloseTaking, 'currency' | 'ordersFiles' | 'onOrdersFileProblems'>,
): Promise<Extracted<Reading> | SourceSyncReport> {
  const { asOf } = context;
  try {
    return await staged.extract({ source, day: asOf, timeZone: context.timezone, http, clock, onRawReply });
  } catch (error) {
    if (!(error instanceof LedgerlineError)) throw error;
    const quarantined = error instanceof InvalidReplyError && !context.dryRun;
    if (quarantined)
      await context.books.unit((tx) =>
        tx.quarantine(
          {
            sourceId: source.id,
            rawObservationId: rawObservationOf(error),
            itemRef: staged.readingRef ?? staged.kind,
            reason: error.reason,
            asOf,
          },
          context.now(),
        ),
      );
    const failed = { events: 0, entries: [], findings: [], quarantined: quarantined ? 1 : 0 };
    return { sourceId: source.id, outcome: 'failed', ...failed, error };
  }
}

type StagedReads = Parameters<NonNullable<StagedSource<unknown, unknown, unknown>['lookup']>>[0];

/** A close's lookup reads the books as they are: the journal's balances, the events held, the webhooks stored. */
function booksAsTheyAre(context: CloseContext): StagedReads {
  return {
    balanceOf: (account, currency, scope) => context.ledger.balanceOf(account, currency, scope),
    holdsEvent: (eventId) => context.books.hasEvent(eventId),
    firstClose: (sourceId) => context.books.firstClose(sourceId),
    bankLinesWithin: (window) => context.books.bankLinesWithin(window),
    readableWebhooks: (sourceId, kind, since) => context.books.readableWebhooks(sourceId, kind, since),
  };
}

/**
 * The payouts among a close's booked events: an ad network's receivable paid out on a payout date (its method), or
 * an event whose journal rule a plug-in's vocabulary marks `transit: payout` (its event kind as the method).
 */
function payoutsOf(events: readonly SourceEvent[], chart: EventRules): BookedPayout[] {
  return events.flatMap((event) => {
    const method =
      PAYOUT_METHODS.find((candidate) => payoutEventKind(candidate) === event.kind) ??
      (chart[event.kind]?.transit === 'payout' ? event.kind : undefined);
    return method === undefined
      ? []
      : [{ date: event.date, method, currency: event.currency, amountMicros: event.amountMicros }];
  });
}

/**
 * A dry run's plan: what the load would book, computed from reads alone: the events the ledger does not hold yet, the
 * entries they journalize to (numbered after the day's booked ones), and the close's findings.
 */
async function planClose(
  context: CloseContext,
  sourceId: string,
  day: { events: readonly SourceEvent[]; findings: readonly Finding[] },
): Promise<BookedClose> {
  const events: SourceEvent[] = [];
  const planned = new Set<string>();
  for (const event of day.events) {
    if (planned.has(event.id) || (await context.books.hasEvent(event.id))) continue;
    planned.add(event.id);
    events.push(event);
  }
  const draft = new JournalDraft(context.chart, context.granularity, context.taxBook);
  for (const event of events) draft.add(event);
  const entries = draft.entries(await context.books.entryIdsOn(sourceId, draft.dates()));
  return { events, entries, findings: [...day.findings] };
}
