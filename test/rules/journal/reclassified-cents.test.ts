import { describe, expect, it } from 'vitest';
import { renderEntryCents, type JournalLine, type RunningTotalKey } from '../../../src/rules/index.js';

const usd = (account: string, amountMicros: bigint): JournalLine => ({ account, currency: 'USD', amountMicros });

/** The smm-panel's books before the replay: the expense's refund left it at −0.001 exact (0.00 in cents). */
function booksBefore() {
  const totals = new Map<RunningTotalKey, bigint>();
  const drift = new Map<RunningTotalKey, bigint>();
  const opening = renderEntryCents(
    'smm-panel',
    [usd('smm_services_expense', -1_000n), usd('panel_prepaid', 1_000n)],
    totals,
    undefined,
    { drift },
  );
  expect(opening.lineCents).toEqual([0n, 0n]);
  return { totals, drift };
}

/** The replay's correction of 04-01: R-3's refund, 0.04551 USD, moved from smm_services_expense to smm_order_costs. */
const moved = [usd('smm_order_costs', -45_510n), usd('smm_services_expense', 45_510n)];

describe("a reclassification's cents", () => {
  it('net to zero: the second line of a pair renders minus the first, with no rounding line', () => {
    const { totals, drift } = booksBefore();
    const cents = renderEntryCents('smm-panel', moved, totals, undefined, { drift, reclassification: true });
    expect(cents).toEqual({ lineCents: [-5n, 5n], roundingLines: [] });
  });

  it("of an entry without the flag render from each account's own total, as booked before: 0.05 against 0.04 and a rounding cent", () => {
    const { totals, drift } = booksBefore();
    const cents = renderEntryCents('smm-panel', moved, totals, undefined, { drift });
    expect(cents.lineCents).toEqual([-5n, 4n]);
    expect(cents.roundingLines).toEqual([
      { account: 'rounding', currency: 'USD', cents: 1n, description: 'Cent rounding' },
    ]);
  });

  it('leave the account a cent off its exact total only until its next line, which brings it back', () => {
    const { totals, drift } = booksBefore();
    renderEntryCents('smm-panel', moved, totals, undefined, { drift, reclassification: true });
    // 0.05 rendered for an exact 0.04451: the next 0.01 renders round(0.05451) − 0.05 = 0.00, and the total is 0.05 again.
    const next = renderEntryCents(
      'smm-panel',
      [usd('smm_services_expense', 10_000n), usd('panel_prepaid', -10_000n)],
      totals,
      undefined,
      { drift },
    );
    expect(next.lineCents).toEqual([0n, -1n]);
    expect(next.roundingLines.map((line) => line.cents)).toEqual([1n]);
    expect(drift.size).toBe(0);
  });

  it('render a pair from its own totals where pairing would leave an account more than a cent and a half off', () => {
    const { totals, drift } = booksBefore();
    renderEntryCents('smm-panel', moved, totals, undefined, { drift, reclassification: true });
    // smm_fees at −0.005 exact, 0.00 rendered (half-even); moving 0.01 of it into the expense renders Cr smm_fees 0.02,
    // and Dr 0.02 would leave the expense at 0.07 for an exact 0.05451: 1.549 cents off, past the bound.
    renderEntryCents('smm-panel', [usd('smm_fees', -5_000n), usd('panel_prepaid', 5_000n)], totals, undefined, {
      drift,
    });
    const cents = renderEntryCents(
      'smm-panel',
      [usd('smm_fees', -10_000n), usd('smm_services_expense', 10_000n)],
      totals,
      undefined,
      { drift, reclassification: true },
    );
    expect(cents.lineCents).toEqual([-2n, 0n]);
    expect(cents.roundingLines.map((line) => line.cents)).toEqual([2n]);
    expect(drift.size).toBe(0);
  });
});
