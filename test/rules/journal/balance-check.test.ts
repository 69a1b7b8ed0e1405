import { describe, expect, it } from 'vitest';
import { unbalancedReason } from '../../../src/rules/index.js';

const line = (account: string, amountMicros: bigint, currency = 'USD') => ({ account, currency, amountMicros });

describe('why an entry cannot be booked', () => {
  it('is a clause about the entry, read after "cannot be booked:"', () => {
    expect(unbalancedReason({ lines: [line('smm_fees', 1n)] })).toBe('it has 1 line(s); an entry needs at least two');
    expect(unbalancedReason({ lines: [line('panel_prepaid', 0n), line('smm_fees', 0n)] })).toBe('its line 1 (panel_prepaid) has a zero amount');
    expect(unbalancedReason({ lines: [line('smm_fees', 1_000_000n), line('panel_prepaid', -999_990n)] })).toBe('its debits and credits differ by 10 micro-units of USD');
    expect(unbalancedReason({ lines: [line('smm_fees', 5n), line('panel_prepaid', -5n)] })).toBeUndefined();
  });
});
