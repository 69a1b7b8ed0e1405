import { describe, expect, it } from 'vitest';
import { AdjustmentInLockedPeriodError } from '../../src/errors/period-lock-errors.js';

/**
 * A month both closed and filed in ledgerline, and locked at Xero: ledgerline refuses it twice over (its close and
 * its filing), and the message names each lock's detail, but each holder once: "each of ledgerline, Xero".
 */
describe('an adjusting entry refused by several locks', () => {
  it('names each holder once, each lock with its detail', () => {
    const error = new AdjustmentInLockedPeriodError('2026-10-20', [
      { holder: 'ledgerline', through: '2026-10-31', closedPeriod: '2026-10', certificate: '7cf4' },
      {
        holder: 'ledgerline',
        through: '2026-10-31',
        filedReturn: { period: '2026-10', filedAt: '2026-11-28T10:13:08.742Z', filedBy: 'ana' },
      },
      { holder: 'Xero', through: '2026-10-31' },
    ]);
    expect(error.message).toBe(
      'an adjusting entry dated 2026-10-20 falls in a closed period of each of ledgerline, Xero (ledgerline closed ' +
        '2026-10 by certificate sha256:7cf4; ledgerline filed the 2026-10 tax return 2026-11-28T10:13:08.742Z by ana; ' +
        'Xero locked through 2026-10-31); nothing was booked: date it after 2026-10-31 with --date (--corrects ' +
        "2026-10-20 names the closed period's certificate), or move each lock",
    );
  });
});
