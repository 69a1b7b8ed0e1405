import { describe, expect, it } from 'vitest';
import {
  addMovements,
  renderEntryCents,
  unbalancedMovements,
  unbalancedReason,
  type RunningTotalKey,
  type RunningTotalMovement,
} from '../../../src/rules/index.js';

const line = (account: string, amountMicros: bigint, currency = 'USD') => ({ account, currency, amountMicros });

describe('why an entry cannot be booked', () => {
  it('is a clause about the entry, read after "cannot be booked:"', () => {
    expect(unbalancedReason({ lines: [line('smm_fees', 1n)] })).toBe('it has 1 line(s); an entry needs at least two');
    expect(unbalancedReason({ lines: [line('panel_prepaid', 0n), line('smm_fees', 0n)] })).toBe(
      'its line 1 (panel_prepaid) has a zero amount',
    );
    expect(unbalancedReason({ lines: [line('smm_fees', 1_000_000n), line('panel_prepaid', -999_990n)] })).toBe(
      'its debits and credits differ by 10 micro-units of USD',
    );
    expect(unbalancedReason({ lines: [line('smm_fees', 5n), line('panel_prepaid', -5n)] })).toBeUndefined();
  });
});

describe('why the running totals an append advances do not balance', () => {
  const movement = (
    account: string,
    debitMicros: bigint,
    creditMicros: bigint,
    debitCents: bigint,
    creditCents: bigint,
    currency = 'USD',
  ): RunningTotalMovement => ({
    sourceId: 'smm-panel',
    account,
    currency,
    exactMicros: debitMicros - creditMicros,
    debitMicros,
    creditMicros,
    debitCents,
    creditCents,
  });

  it('balance when the entries rendered to cents do, rounding lines included', () => {
    const movements = new Map<RunningTotalKey, RunningTotalMovement>();
    const lines = [line('smm_fees', 1_234_567n), line('panel_prepaid', -1_234_567n)];
    addMovements(movements, 'smm-panel', lines, renderEntryCents('smm-panel', lines, new Map()));
    const thirds = [line('smm_fees', 333_333n), line('smm_fees', 333_333n), line('panel_prepaid', -666_666n)];
    addMovements(movements, 'smm-panel', thirds, renderEntryCents('smm-panel', thirds, new Map()));
    expect(unbalancedMovements(movements.values())).toBeUndefined();
  });

  it('name the currency and the difference, exact before cents', () => {
    expect(
      unbalancedMovements([
        movement('smm_fees', 1_234_567n, 0n, 123n, 0n),
        movement('panel_prepaid', 0n, 1_234_567n, 0n, 122n),
      ]),
    ).toBe('its cents differ by 1 cent(s) of USD');
    expect(
      unbalancedMovements([
        movement('smm_fees', 10n, 0n, 0n, 0n, 'EUR'),
        movement('panel_prepaid', 0n, 9n, 0n, 0n, 'EUR'),
      ]),
    ).toBe('its exact debits and credits differ by 1 micro-units of EUR');
    expect(
      unbalancedMovements([
        movement('smm_fees', 10n, 0n, 1n, 0n, 'EUR'),
        movement('panel_prepaid', 0n, 10n, 0n, 1n, 'EUR'),
        movement('smm_fees', 5n, 0n, 0n, 0n),
        movement('panel_prepaid', 0n, 5n, 0n, 0n),
      ]),
    ).toBeUndefined();
  });
});
