import { describe, expect, it } from 'vitest';
import {
  payelancerCloseEvents,
  type PayelancerCloseInput,
} from '../../../../src/kinds/payelancer/rules/payelancer-close-events.js';
import { DEFAULT_PAYOUT_MINIMUM_MICROS, DEFAULT_PAYOUT_SCHEDULE } from '../../../../src/rules/vocabulary.js';

const source = {
  id: 'ads-publisher',
  payouts: {
    method: 'paypal' as const,
    minimumMicros: DEFAULT_PAYOUT_MINIMUM_MICROS,
    schedule: DEFAULT_PAYOUT_SCHEDULE,
  },
};

/** A publisher closed on March 29th at lifetime earnings 200.00; `receivable` was booked by then. */
function close(
  date: string,
  earningsMicros: bigint,
  receivableMicros: bigint,
  fields: Partial<PayelancerCloseInput> = {},
): PayelancerCloseInput {
  return {
    source,
    date,
    currency: 'USD',
    previous: { role: 'publisher', valueMicros: 200_000_000n, date: '2026-03-29' },
    counter: { role: 'publisher', valueMicros: earningsMicros },
    bookedReceivableAsOf: () => receivableMicros,
    isSettled: () => false,
    ...fields,
  };
}

const summary = (events: readonly { kind: string; date: string; amountMicros: bigint }[]) =>
  events.map((event) => [event.kind, event.date, event.amountMicros]);

describe('what one ad-network close books: worked examples', () => {
  it('a month-end payout date no close fell on is still paid, dated on it, with the receivable as it stood then', () => {
    // Earnings 200.00 → 210.00: 10.00 earned, dated April 2nd. March 31st was crossed without a close: its
    // receivable is the 52.50 booked by then (the 10.00 comes later), ≥ 50.00 → payout 52.50 on March 31st.
    const result = payelancerCloseEvents(close('2026-04-02', 210_000_000n, 52_500_000n));
    expect(summary(result.events)).toEqual([
      ['publisher_earnings', '2026-04-02', 10_000_000n],
      ['payout_paypal', '2026-03-31', 52_500_000n],
    ]);
    expect(result.findings).toEqual([]);
    expect(result.next).toMatchObject({ role: 'publisher', valueMicros: 210_000_000n, date: '2026-04-02' });
  });

  it('under the $50 minimum nothing is paid: the receivable carries forward, with a finding', () => {
    // 45.00 owed at March 31st < 50.00: no payout; the 10.00 earned on April 2nd waits for April 30th.
    const result = payelancerCloseEvents(close('2026-04-02', 210_000_000n, 45_000_000n));
    expect(summary(result.events)).toEqual([['publisher_earnings', '2026-04-02', 10_000_000n]]);
    expect(result.findings.map((found) => [found.kind, found.date, found.amountMicros])).toEqual([
      ['payout_carried_forward', '2026-03-31', 45_000_000n],
    ]);
  });

  it('a close on the payout date counts its own earnings: 45.00 booked + 7.50 earned today = 52.50 paid', () => {
    const result = payelancerCloseEvents(
      close('2026-03-31', 207_500_000n, 45_000_000n, {
        previous: { role: 'publisher', valueMicros: 200_000_000n, date: '2026-03-30' },
      }),
    );
    expect(summary(result.events)).toEqual([
      ['publisher_earnings', '2026-03-31', 7_500_000n],
      ['payout_paypal', '2026-03-31', 52_500_000n],
    ]);
  });

  it('a payout date already settled (by an earlier run) is not paid twice', () => {
    const result = payelancerCloseEvents(
      close('2026-04-02', 210_000_000n, 52_500_000n, { isSettled: (date) => date === '2026-03-31' }),
    );
    expect(summary(result.events)).toEqual([['publisher_earnings', '2026-04-02', 10_000_000n]]);
  });
});
