import { addDays } from '../../calendar/index.js';
import type { SourceConfig } from '../../config/index.js';
import { createSystemClock } from '../../http/index.js';
import type { LoggedClose } from '../../ledger/index.js';
import { addToDays, journalize, type FigureReread, type SourceEvent } from '../../rules/index.js';
import { storedRepliesHttp } from '../../sources/index.js';
import type { StagedSource } from '../runs/index.js';
import type { ReplayWindow } from './replayed-closes.js';
import type { BackfillRun, SourceReplayer } from './source-replayer.js';

/**
 * The backfill's part of a staged kind: every committed close up to the
 * window's end is extracted again from its stored replies and normalized in
 * order from the first, so each close starts from the state the one before
 * it leaves; the window's days are what the books are corrected to. Example:
 * closes read 100.00, 120.00, 125.00 and today's reader reads the second as
 * 118.00: with the window on the second day, that day books 18.00 (was 20.00)
 * and the close log keeps the re-read figure. A kind with `stateFromClose`
 * starts from the close before the window instead (its figure as the books
 * count from it) and re-reads the window's closes alone.
 */
export function stagedReplayer<Reading, State, Held>(staged: StagedSource<Reading, State, Held>): SourceReplayer {
  const fromCloseBefore = staged.stateFromClose !== undefined;
  return {
    kind: staged.kind,
    closesToReplay: (books, source, window) =>
      books.closeCount(source.id, fromCloseBefore ? { from: window.from, to: window.to } : { to: window.to }),
    async replay(run, source, { window, onClose }) {
      const days = new Map<string, SourceEvent[]>();
      const rereads: FigureReread[] = [];
      const closes = await run.books.loggedCloses(source.id, window.to);
      const before = closes.filter((close) => close.date < window.from).at(-1);
      let previous = before && staged.stateFromClose?.(before);
      const reads = booksBeforeWindow(run, window);
      let closesInWindow = 0;
      for (const close of fromCloseBefore ? closes.filter((close) => close.date >= window.from) : closes) {
        const asked = { source, date: close.date, currency: close.currency, previous };
        const reading = await rereadClose(run, staged, source, close);
        const held = (await staged.lookup?.(reads, { ...asked, reading, timeZone: run.timeZone })) as Held;
        const day = staged.normalize({ ...asked, reading, held });
        previous = day.next;
        onClose?.(close.date);
        if (close.date < window.from) continue;
        closesInWindow += 1;
        reads.rederived(day.events);
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
          if (last === undefined) return;
          const live = staged.adoptReplayed && (await tx.closeState(source.id, staged.stateSchema));
          await tx.saveCloseState(source.id, staged.adoptReplayed ? staged.adoptReplayed(live, last) : last, now);
        },
      };
    },
  };
}

type StagedReads = Parameters<NonNullable<StagedSource<unknown, unknown, unknown>['lookup']>>[0];

/** A committed close's reading, extracted again from the replies it stored. */
async function rereadClose<Reading, State, Held>(
  run: BackfillRun,
  staged: StagedSource<Reading, State, Held>,
  source: SourceConfig,
  close: LoggedClose,
): Promise<Reading> {
  const http = storedRepliesHttp(
    source.id,
    `the close of ${close.date} (run ${close.runId})`,
    await run.books.closeReplies(source.id, close.runId),
  );
  const extracted = await staged.extract({
    source,
    day: close.date,
    timeZone: run.timeZone,
    http,
    clock: createSystemClock(),
  });
  return extracted.reading;
}

/**
 * The books as a replay's lookup reads them: as they stood before the window, plus the events the replay re-derived
 * in it (each id once). Example: 45.00 receivable booked by March 30th, window from March 31st, whose close re-derives
 * 7.50 of earnings: the receivable as of March 31st reads 52.50, whatever the books hold for that day now.
 */
function booksBeforeWindow(
  run: BackfillRun,
  window: ReplayWindow,
): StagedReads & { rederived(events: readonly SourceEvent[]): void } {
  const dayBefore = addDays(window.from, -1);
  const events = new Map<string, SourceEvent>();
  return {
    rederived(found) {
      for (const event of found) if (!events.has(event.id)) events.set(event.id, event);
    },
    async balanceOf(account, currency, scope) {
      const booked = await run.ledger.balanceOf(account, currency, {
        sourceId: scope.sourceId,
        asOf: scope.asOf < window.from ? scope.asOf : dayBefore,
      });
      const since = [...events.values()].filter((event) => event.date <= scope.asOf);
      let moved = 0n;
      for (const entry of journalize(since, run.chart, { granularity: run.granularity, tax: run.taxBook }))
        for (const line of entry.lines)
          if (line.account === account && line.currency === currency) moved += line.amountMicros;
      return booked + moved;
    },
    holdsEvent: async (eventId, date) => date < window.from || events.has(eventId),
    firstClose: (sourceId) => run.books.firstClose(sourceId),
    bankLinesWithin: (lines) => run.books.bankLinesWithin(lines),
    readableWebhooks: async function* () {},
  };
}
