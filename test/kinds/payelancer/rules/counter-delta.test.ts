import { describe, expect, it } from 'vitest';
import type { CounterState } from '../../../../src/rules/index.js';
import { counterDelta, type CounterSnapshot } from '../../../../src/kinds/payelancer/rules/counter-delta.js';

const publisher = (date: string, valueMicros: bigint): CounterSnapshot => ({
  sourceId: 'ads-publisher',
  role: 'publisher',
  date,
  currency: 'USD',
  valueMicros,
});
const advertiser = (date: string, valueMicros: bigint): CounterSnapshot => ({
  sourceId: 'ads-advertiser',
  role: 'advertiser',
  date,
  currency: 'USD',
  valueMicros,
});

describe('lifetime counter deltas', () => {
  it('the first snapshot of a source is its baseline and books nothing', () => {
    expect(counterDelta(undefined, publisher('2026-03-01', 120_500_000n))).toEqual({
      events: [],
      findings: [],
      next: { role: 'publisher', valueMicros: 120_500_000n, date: '2026-03-01' },
    });
  });

  it('earnings 120.50 → 135.75 are 15.25 of publisher earnings', () => {
    const { events, findings, next } = counterDelta(
      counterDelta(undefined, publisher('2026-03-01', 120_500_000n)).next,
      publisher('2026-03-02', 135_750_000n),
    );
    expect(events).toEqual([
      {
        id: 'payelancer:ads-publisher:publisher_earnings:2026-03-02',
        sourceId: 'ads-publisher',
        kind: 'publisher_earnings',
        date: '2026-03-02',
        currency: 'USD',
        amountMicros: 15_250_000n,
        ref: '2026-03-01..2026-03-02',
        detail: { counter: 'earnings', previousClose: '2026-03-01', previousValue: '120.50', value: '135.75' },
      },
    ]);
    expect(findings).toEqual([]);
    expect(next).toEqual({
      role: 'publisher',
      valueMicros: 135_750_000n,
      date: '2026-03-02',
      eventSequence: { date: '2026-03-02', count: 1 },
    });
  });

  it('earnings falling 135.75 → 130.00 are a clawback of 5.75, and reported', () => {
    const previous: CounterState = { role: 'publisher', valueMicros: 135_750_000n, date: '2026-03-02' };
    const { events, findings } = counterDelta(previous, publisher('2026-03-03', 130_000_000n));
    expect(events.map((event) => [event.id, event.kind, event.amountMicros])).toEqual([
      ['payelancer:ads-publisher:publisher_clawback:2026-03-03', 'publisher_clawback', 5_750_000n],
    ]);
    expect(findings.map((item) => [item.id, item.kind, item.amountMicros])).toEqual([
      ['finding:ads-publisher:clawback:2026-03-02..2026-03-03:2026-03-03', 'clawback', 5_750_000n],
    ]);
  });

  it('advertiser spend rising is spend, falling is a credit', () => {
    const previous: CounterState = { role: 'advertiser', valueMicros: 40_000_000n, date: '2026-03-01' };
    expect(
      counterDelta(previous, advertiser('2026-03-02', 52_300_000n)).events.map((event) => [
        event.kind,
        event.amountMicros,
      ]),
    ).toEqual([['advertiser_spend', 12_300_000n]]);
    const credit = counterDelta(previous, advertiser('2026-03-02', 38_000_000n));
    expect(credit.events.map((event) => [event.kind, event.amountMicros])).toEqual([['advertiser_credit', 2_000_000n]]);
    expect(credit.findings).toEqual([]);
  });

  it('a counter that did not move books nothing but moves the close', () => {
    const previous: CounterState = { role: 'publisher', valueMicros: 1_000_000n, date: '2026-03-01' };
    expect(counterDelta(previous, publisher('2026-03-05', 1_000_000n))).toEqual({
      events: [],
      findings: [],
      next: { ...previous, date: '2026-03-05' },
    });
  });

  it('a re-run of the same day that finds more earnings gets its own id', () => {
    const first = counterDelta(
      { role: 'publisher', valueMicros: 0n, date: '2026-03-01' },
      publisher('2026-03-02', 1_000_000n),
    );
    const again = counterDelta(first.next, publisher('2026-03-02', 1_500_000n));
    expect(again.events.map((event) => [event.id, event.amountMicros])).toEqual([
      ['payelancer:ads-publisher:publisher_earnings:2026-03-02:2', 500_000n],
    ]);
  });

  it('a key that switches role starts a new baseline and says so', () => {
    const { events, findings, next } = counterDelta(
      { role: 'publisher', valueMicros: 9_000_000n, date: '2026-03-01' },
      { ...advertiser('2026-03-02', 4_000_000n), sourceId: 'ads-publisher' },
    );
    expect(events).toEqual([]);
    expect(findings.map((item) => item.kind)).toEqual(['counter_role_changed']);
    expect(next).toEqual({ role: 'advertiser', valueMicros: 4_000_000n, date: '2026-03-02' });
  });

  it('refuses a close older than the one already taken', () => {
    expect(() =>
      counterDelta({ role: 'publisher', valueMicros: 0n, date: '2026-03-05' }, publisher('2026-03-04', 1n)),
    ).toThrow(RangeError);
  });
});
