import type { SourceEvent } from './source-event.js';

/** A close whose stored reply now reads another figure (counter or balance) than the books count from. */
export interface FigureReread {
  closeId: bigint;
  date: string;
  bookedMicros: bigint;
  rereadMicros: bigint;
}

/**
 * Adds a replayed close's events to the days they are dated on; the close's
 * own date is listed even when it books nothing. A close of 2026-04-02 that
 * books earnings on 04-02 and a missed payout on 03-31 fills both days.
 */
export function addToDays(days: Map<string, SourceEvent[]>, closeDate: string, events: readonly SourceEvent[]): void {
  if (!days.has(closeDate)) days.set(closeDate, []);
  for (const event of events) {
    const day = days.get(event.date);
    if (day) day.push(event);
    else days.set(event.date, [event]);
  }
}
