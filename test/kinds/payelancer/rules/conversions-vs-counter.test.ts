import { describe, expect, it } from 'vitest';
import {
  conversionsVsCounter,
  type TrackedConversion,
} from '../../../../src/kinds/payelancer/rules/conversions-vs-counter.js';

const conversion = (date: string, payoutMicros = 1_250_000n): TrackedConversion => ({ date, payoutMicros });
const nine = Array.from({ length: 9 }, () => conversion('2026-03-13'));

describe('conversions against the earnings counter', () => {
  it('a day whose conversions add up to the counter Δ is clean', () => {
    expect(
      conversionsVsCounter({
        sourceId: 'ads-publisher',
        currency: 'USD',
        previousCloseDate: '2026-03-12',
        date: '2026-03-13',
        counterDeltaMicros: 11_250_000n,
        conversions: nine,
      }),
    ).toEqual([]);
  });

  it('counter up 12.50, conversions 9 × 1.25 = 11.25: a 1.25 difference is reported, nothing booked', () => {
    expect(
      conversionsVsCounter({
        sourceId: 'ads-publisher',
        currency: 'USD',
        previousCloseDate: '2026-03-12',
        date: '2026-03-13',
        counterDeltaMicros: 12_500_000n,
        conversions: [...nine, conversion('2026-03-12'), conversion('2026-03-14')],
      }),
    ).toEqual([
      {
        id: 'finding:ads-publisher:counter_vs_conversions:2026-03-13:2026-03-13',
        kind: 'counter_vs_conversions',
        sourceId: 'ads-publisher',
        date: '2026-03-13',
        amountMicros: 1_250_000n,
        currency: 'USD',
        ref: '2026-03-13',
        message:
          'conversions tracked for 2026-03-13 pay 11.25 USD but the earnings counter moved 12.50: the counter exceeds the conversions by 1.25 (the counter is what is booked)',
      },
    ]);
  });

  it('after skipped days the window covers every day since the previous close', () => {
    const [item] = conversionsVsCounter({
      sourceId: 'ads-publisher',
      currency: 'USD',
      previousCloseDate: '2026-03-10',
      date: '2026-03-13',
      counterDeltaMicros: 1_250_000n,
      conversions: [conversion('2026-03-11'), conversion('2026-03-13')],
    });
    expect([item?.ref, item?.amountMicros]).toEqual(['2026-03-11..2026-03-13', 1_250_000n]);
    expect(item?.message).toContain('the conversions exceed the counter by 1.25');
  });
});
