import { InvalidReplyError, LedgerlineError, rawObservationOf } from '../../errors.js';
import { JournalDraft, type Finding, type SourceEvent } from '../../rules/index.js';
import type { Extracted, StagedSource } from '../runs/index.js';
import { bookClose, refuseDayBeforeLatestClose, type BookedClose } from './sync-sources.js';
import type { CloseContext, SourceSyncReport } from './close-context.js';
import type { SourceCloser } from './source-closer.js';

/**
 * The sync's part of a staged kind: extract live, normalize, load. `--dry-run` is extract and normalize
 * and nothing written: the plan is what the load would book, read from the books, in no unit of work.
 */
export function stagedCloser<Reading, State>(staged: StagedSource<Reading, State>): SourceCloser {
  return {
    kind: staged.kind,
    async close({ context, source, http, clock, onRawReply, currency }): Promise<SourceSyncReport> {
      const { asOf } = context;
      const dayCurrency = source.currency ?? currency;
      await refuseDayBeforeLatestClose(context.books, source.id, asOf);
      let extracted: Extracted<Reading>;
      try {
        extracted = await staged.extract({ source, day: asOf, timeZone: context.timezone, http, clock, onRawReply });
      } catch (error) {
        if (!(error instanceof LedgerlineError)) throw error;
        const quarantined = error instanceof InvalidReplyError && !context.dryRun;
        if (quarantined)
          await context.books.quarantine(
            {
              sourceId: source.id,
              rawObservationId: rawObservationOf(error),
              itemRef: staged.kind,
              reason: error.reason,
              asOf,
            },
            context.now(),
          );
        return {
          sourceId: source.id,
          outcome: 'failed',
          events: 0,
          entries: [],
          findings: [],
          quarantined: quarantined ? 1 : 0,
          error,
        };
      }
      const previous = await context.books.carriedState(source.id, 'closeState', staged.stateSchema);
      const day = staged.normalize({ source, date: asOf, currency: dayCurrency, reading: extracted.reading, previous });
      const booked = context.dryRun
        ? await planClose(context, source.id, day)
        : await bookClose(context, {
            sourceId: source.id,
            events: day.events,
            findings: day.findings,
            writeProgress: async (tx) => {
              await tx.saveCarriedState(source.id, 'closeState', day.next, context.now());
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
      };
    },
  };
}

/**
 * A dry run's plan: what the load would book, computed from reads alone: the events the ledger does not hold yet, the
 * entries they journalize to (numbered after the day's booked ones), and the close's findings.
 */
export async function planClose(
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
  const draft = new JournalDraft(context.chart, context.granularity);
  for (const event of events) draft.add(event);
  const entries = draft.entries(await context.books.entryIdsOn(sourceId, draft.dates()));
  return { events, entries, findings: [...day.findings] };
}
