import { createSystemClock } from '../../http/index.js';
import { addToDays, type FigureReread, type SourceEvent } from '../../rules/index.js';
import { storedRepliesHttp } from '../../sources/index.js';
import type { StagedSource } from '../runs/index.js';
import type { SourceReplayer } from './source-replayer.js';

/**
 * The backfill's part of a staged kind: every committed close up to the
 * window's end is extracted again from its stored replies and normalized in
 * order from the first, so each close starts from the state the one before
 * it leaves; the window's days are what the books are corrected to. Example:
 * closes read 100.00, 120.00, 125.00 and today's reader reads the second as
 * 118.00: with the window on the second day, that day books 18.00 (was 20.00)
 * and the close log keeps the re-read figure.
 */
export function stagedReplayer<Reading, State>(staged: StagedSource<Reading, State>): SourceReplayer {
  return {
    kind: staged.kind,
    closesToReplay: (books, source, window) => books.closeCount(source.id, { to: window.to }),
    async replay(run, source, { window, onClose }) {
      const days = new Map<string, SourceEvent[]>();
      const rereads: FigureReread[] = [];
      let previous: State | undefined;
      let closesInWindow = 0;
      for (const close of await run.books.loggedCloses(source.id, window.to)) {
        const http = storedRepliesHttp(
          source.id,
          `the close of ${close.date} (run ${close.runId})`,
          await run.books.closeReplies(source.id, close.runId),
        );
        const { reading } = await staged.extract({
          source,
          day: close.date,
          timeZone: run.timeZone,
          http,
          clock: createSystemClock(),
        });
        const day = staged.normalize({ source, date: close.date, currency: close.currency, reading, previous });
        previous = day.next;
        onClose?.(close.date);
        if (close.date < window.from) continue;
        closesInWindow += 1;
        addToDays(days, close.date, day.events);
        if (day.figure.valueMicros !== close.valueMicros)
          rereads.push({
            closeId: close.closeId,
            date: close.date,
            bookedMicros: close.valueMicros,
            rereadMicros: day.figure.valueMicros,
          });
      }
      const last = previous;
      return {
        sourceId: source.id,
        days,
        closesInWindow,
        rereads,
        orderCorrections: [],
        unreadable: [],
        adoptAsLive: async (tx, now) => {
          if (last !== undefined) await tx.saveCloseState(source.id, last, now);
        },
      };
    },
  };
}
