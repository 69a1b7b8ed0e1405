import { describe, expect, it } from 'vitest';
import { payoutDatesBetween, payoutDatesCrossed } from '../../../../src/kinds/payelancer/rules/payout-dates.js';
import { PayoutScheduleSchema, type PayoutSchedule } from '../../../../src/rules/vocabulary.js';

const monthEnd: PayoutSchedule = { kind: 'month-end' };
const day = (day: number): PayoutSchedule => ({ kind: 'day-of-month', day });

describe('payout dates', () => {
  it('month-end: the last day of every month in the window, end included, start excluded', () => {
    expect(payoutDatesBetween('2026-01-20', '2026-03-31', monthEnd)).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
    ]);
    expect(payoutDatesBetween('2026-01-31', '2026-02-27', monthEnd)).toEqual([]);
    expect(payoutDatesBetween('2023-12-31', '2024-02-29', monthEnd)).toEqual(['2024-01-31', '2024-02-29']);
  });

  it('a day of the month', () => {
    expect(payoutDatesBetween('2026-01-20', '2026-03-31', day(15))).toEqual(['2026-02-15', '2026-03-15']);
    expect(payoutDatesBetween('2026-12-01', '2027-01-01', day(1))).toEqual(['2027-01-01']);
  });

  it('a day past the end of a short month pays on its last day: 31 → 28 February, 30 April, 31 May', () => {
    expect(payoutDatesBetween('2026-01-31', '2026-05-31', day(31))).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
    ]);
    expect(payoutDatesBetween('2024-01-31', '2024-03-01', day(30))).toEqual(['2024-02-29']);
    expect(payoutDatesCrossed('2026-04-29', '2026-05-02', day(31))).toEqual([
      { payoutDate: '2026-04-30', missed: true },
    ]);
  });

  it('a list of dates, in order, once each', () => {
    expect(
      payoutDatesBetween('2026-03-01', '2026-06-30', {
        kind: 'dates',
        dates: ['2026-06-10', '2026-03-01', '2026-04-10', '2026-04-10', '2026-07-01'],
      }),
    ).toEqual(['2026-04-10', '2026-06-10']);
  });

  it('a close on the payout date settles it; a payout date between two closes was missed and is still settled', () => {
    expect(payoutDatesCrossed('2026-03-30', '2026-03-31', monthEnd)).toEqual([
      { payoutDate: '2026-03-31', missed: false },
    ]);
    expect(payoutDatesCrossed('2026-03-29', '2026-04-02', monthEnd)).toEqual([
      { payoutDate: '2026-03-31', missed: true },
    ]);
    expect(payoutDatesCrossed('2026-03-31', '2026-04-02', monthEnd)).toEqual([]);
  });

  it('the config forms parse: month-end, a day 1–31 (also as text from ${VAR}), a list of dates sorted and once each', () => {
    expect(PayoutScheduleSchema.parse('month-end')).toEqual(monthEnd);
    expect(PayoutScheduleSchema.parse(15)).toEqual(day(15));
    expect(PayoutScheduleSchema.parse('31')).toEqual(day(31));
    expect(PayoutScheduleSchema.parse(['2026-06-10', '2026-03-15', '2026-03-15'])).toEqual({
      kind: 'dates',
      dates: ['2026-03-15', '2026-06-10'],
    });
    expect(
      [32, 0, 'monthly', [], ['2026-02-30']].map((value) => PayoutScheduleSchema.safeParse(value).success),
    ).toEqual([false, false, false, false, false]);
  });
});
