import { InvalidReplyError, LedgerlineError, rawObservationOf } from '../../errors.js';
import type { Extracted, StagedSource } from '../runs/index.js';
import { bookClose, refuseDayBeforeLatestClose } from './book-close.js';
import { bookOrRehearse, type SourceSyncReport } from './close-context.js';
import type { SourceCloser } from './source-closer.js';

/** The sync's part of a staged kind: extract live, normalize, load. `--dry-run` rehearses the load and rolls it back. */
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
        if (quarantined) await context.books.quarantine({ sourceId: source.id, rawObservationId: rawObservationOf(error), itemRef: staged.kind, reason: error.reason, asOf }, context.now());
        return { sourceId: source.id, outcome: 'failed', events: 0, entries: [], findings: [], quarantined: quarantined ? 1 : 0, error };
      }
      const booked = await bookOrRehearse(context, async () => {
        const previous = await context.books.carriedState(source.id, 'closeState', staged.stateSchema);
        const day = staged.normalize({ source, date: asOf, currency: dayCurrency, reading: extracted.reading, previous });
        return bookClose(context, {
          sourceId: source.id,
          events: day.events,
          findings: day.findings,
          writeProgress: async (tx) => {
            await tx.saveCarriedState(source.id, 'closeState', day.next, context.now());
            const { metric, valueMicros } = day.figure;
            await tx.logClose({ sourceId: source.id, date: asOf, runId: context.runId, metric, valueMicros, currency: dayCurrency, rawObservationId: extracted.rawObservationId, now: context.now() });
          },
        });
      });
      return { sourceId: source.id, outcome: 'booked', events: booked.events.length, entries: booked.entries, findings: booked.findings, quarantined: 0 };
    },
  };
}
