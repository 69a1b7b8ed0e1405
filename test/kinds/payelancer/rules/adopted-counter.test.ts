import { describe, expect, it } from 'vitest';
import { adoptReplayedCounter } from '../../../../src/kinds/payelancer/rules/adopted-counter.js';
import { nextEventId, type CounterState } from '../../../../src/rules/index.js';

const replayed: CounterState = {
  role: 'publisher',
  valueMicros: 120_000_000n,
  date: '2026-03-30',
  eventSequence: { date: '2026-03-30', count: 1 },
};

describe("the counter's state a backfill leaves as live", () => {
  it('keeps the live count of a day the re-read found fewer moves in, so the next close that day takes a new id', () => {
    const live = { ...replayed, valueMicros: 125_000_000n, eventSequence: { date: '2026-03-30', count: 2 } };
    const adopted = adoptReplayedCounter(live, replayed);
    expect(adopted).toEqual({ ...replayed, eventSequence: { date: '2026-03-30', count: 2 } });
    expect(nextEventId('payelancer:ads:earnings', '2026-03-30', adopted.eventSequence).id).toBe(
      'payelancer:ads:earnings:2026-03-30:3',
    );
  });

  it("takes the replayed state whole when its count is as far or further, or the live one's day is older", () => {
    expect(adoptReplayedCounter(undefined, replayed)).toBe(replayed);
    expect(adoptReplayedCounter({ ...replayed, eventSequence: { date: '2026-03-29', count: 4 } }, replayed)).toBe(
      replayed,
    );
    expect(adoptReplayedCounter({ ...replayed, eventSequence: undefined }, replayed)).toBe(replayed);
  });
});
