import { describe, expect, it } from 'vitest';
import type { CounterState, JournalEntry } from '../../../../src/rules/index.js';
import { journalize } from '../../../../src/rules/journalize.js';
import { counterDelta } from '../../../../src/kinds/payelancer/rules/counter-delta.js';
import { payoutDatesCrossed } from '../../../../src/kinds/payelancer/rules/payout-dates.js';
import { payoutDue, type PayoutDueInput } from '../../../../src/kinds/payelancer/rules/payout-due.js';
import { DEFAULT_PAYOUT_MINIMUM_MICROS, DEFAULT_PAYOUT_SCHEDULE } from '../../../../src/rules/vocabulary.js';
import { accountBalance, DEFAULT_CHART } from '../../../rules/default-chart.js';

const due = (receivableMicros: bigint, payoutDate = '2026-03-31'): PayoutDueInput => ({
  receivableMicros,
  minimumMicros: DEFAULT_PAYOUT_MINIMUM_MICROS,
  method: 'paypal',
  payoutDate,
  sourceId: 'ads-publisher',
  currency: 'USD',
});

describe('payouts', () => {
  it('49.99 owed at month end is not paid: it is carried forward and reported', () => {
    expect(payoutDue(due(49_990_000n))).toEqual({
      events: [],
      findings: [
        {
          id: 'finding:ads-publisher:payout_carried_forward:2026-03-31:2026-03-31',
          kind: 'payout_carried_forward',
          sourceId: 'ads-publisher',
          date: '2026-03-31',
          amountMicros: 49_990_000n,
          currency: 'USD',
          ref: '2026-03-31',
          message:
            '49.99 USD owed on the payout date 2026-03-31 is below the 50.00 minimum: nothing paid, it carries to the next payout date',
        },
      ],
    });
  });

  it('50.00 owed at month end is paid, whole, by the configured method', () => {
    expect(payoutDue({ ...due(50_000_000n), method: 'wire' })).toEqual({
      events: [
        {
          id: 'payelancer:ads-publisher:payout:2026-03-31',
          sourceId: 'ads-publisher',
          kind: 'payout_wire',
          date: '2026-03-31',
          currency: 'USD',
          amountMicros: 50_000_000n,
          ref: '2026-03-31',
          detail: { method: 'wire', minimum: '50.00', receivable: '50.00' },
        },
      ],
      findings: [],
    });
  });

  it('nothing owed is neither paid nor reported', () => {
    expect(payoutDue(due(0n))).toEqual({ events: [], findings: [] });
  });

  it('49.99 carried from March plus 10.00 earned in April is paid as 59.99 at the end of April', () => {
    const entries: JournalEntry[] = [];
    let counter: CounterState | undefined;
    let previousClose: string | undefined;
    const close = (date: string, earningsMicros: bigint): string[] => {
      const delta = counterDelta(counter, {
        sourceId: 'ads-publisher',
        role: 'publisher',
        date,
        currency: 'USD',
        valueMicros: earningsMicros,
      });
      counter = delta.next;
      entries.push(...journalize(delta.events, DEFAULT_CHART, { granularity: 'event' }));
      const outcomes: string[] = [];
      for (const { payoutDate } of previousClose === undefined
        ? []
        : payoutDatesCrossed(previousClose, date, DEFAULT_PAYOUT_SCHEDULE)) {
        const result = payoutDue(due(accountBalance(entries, 'payelancer_receivable', payoutDate), payoutDate));
        entries.push(...journalize(result.events, DEFAULT_CHART, { granularity: 'event' }));
        outcomes.push(
          ...result.events.map((event) => `paid ${event.amountMicros} on ${event.date}`),
          ...result.findings.map((item) => `${item.kind} ${item.amountMicros}`),
        );
      }
      previousClose = date;
      return outcomes;
    };
    expect(close('2026-03-01', 100_000_000n)).toEqual([]); // baseline: lifetime 100.00 already paid out before the books began
    expect(close('2026-03-31', 149_990_000n)).toEqual(['payout_carried_forward 49990000']);
    expect(close('2026-04-15', 155_000_000n)).toEqual([]);
    expect(close('2026-04-30', 159_990_000n)).toEqual(['paid 59990000 on 2026-04-30']);
    expect(accountBalance(entries, 'payelancer_receivable')).toBe(0n);
    expect(accountBalance(entries, 'payout_clearing_paypal')).toBe(59_990_000n);
  });

  it('a missed payout date is paid on that date with the receivable of the last close before it', () => {
    const entries: JournalEntry[] = journalize(
      [
        {
          id: 'e1',
          sourceId: 'ads-publisher',
          kind: 'publisher_earnings',
          date: '2026-03-29',
          currency: 'USD',
          amountMicros: 72_000_000n,
          ref: '',
          detail: {},
        },
        // Earned after the payout date, booked by the close that found it missed.
        {
          id: 'e2',
          sourceId: 'ads-publisher',
          kind: 'publisher_earnings',
          date: '2026-04-02',
          currency: 'USD',
          amountMicros: 8_000_000n,
          ref: '',
          detail: {},
        },
      ],
      DEFAULT_CHART,
      { granularity: 'event' },
    );
    const [missed] = payoutDatesCrossed('2026-03-29', '2026-04-02', DEFAULT_PAYOUT_SCHEDULE);
    expect(missed).toEqual({ payoutDate: '2026-03-31', missed: true });
    const { events } = payoutDue(
      due(accountBalance(entries, 'payelancer_receivable', missed!.payoutDate), missed!.payoutDate),
    );
    expect(events.map((event) => [event.date, event.amountMicros])).toEqual([['2026-03-31', 72_000_000n]]);
  });
});
