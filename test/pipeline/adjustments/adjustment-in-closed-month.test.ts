import { afterEach, describe, expect, it } from 'vitest';
import { bookEntries, runCli, writeConfig } from '../../cli/post-cli-harness.js';
import { useTempDir } from '../../support/temp-dir.js';
import { startShippedChartFakes, type FakeClosers } from '../../support/shipped-chart-fakes.js';
import { spendEntry } from '../post-fixtures.js';

/**
 * An adjusting entry dated in a month `close` closed, with both destinations locked through it (the demo's March):
 * the refusal names every lock that refuses it, ledgerline's own close first, then each destination's, so the
 * person knows what moving one lock would not be enough for (issue 69, item 7).
 */
const tempDir = useTempDir('ledgerline-closed-adjust-');
const closers: FakeClosers = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('an adjusting entry in a closed month', { timeout: 60_000 }, () => {
  it("is refused (exit 2) naming ledgerline's close, then Xero's lock, then QuickBooks'; nothing is booked", async () => {
    const dir = tempDir();
    const { xero, quickbooks } = await startShippedChartFakes(closers);
    const config = writeConfig(dir, { xero, quickbooks });
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });
    await bookEntries(dir, [spendEntry(1, '2024-02-10'), spendEntry(2, '2024-03-01')]);
    expect((await cli(['post', 'xero'])).code).toBe(0);
    expect((await cli(['post', 'quickbooks'])).code).toBe(0);
    xero.fake.setLockDates({ periodLockDate: '2024-02-29' });
    quickbooks.fake.setBookCloseDate('2024-02-29');
    const closed = await cli(['close', '--period', '2024-02', '--json']);
    expect(closed.code, closed.stdout + closed.stderr).toBe(0);
    const certificate = (JSON.parse(closed.stdout) as { certificateSha256: string }).certificateSha256;

    const refused = await cli([
      'adjust',
      '--date',
      '2024-02-20',
      '--debit',
      'smm_services_expense=1.00',
      '--credit',
      'suspense=1.00',
      '--reason',
      'a late correction',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(
      'an adjusting entry dated 2024-02-20 falls in a closed period of each of ledgerline, Xero, QuickBooks ' +
        `(ledgerline closed 2024-02 by certificate sha256:${certificate}; Xero locked through 2024-02-29; ` +
        'QuickBooks locked through 2024-02-29); nothing was booked: date it after 2024-02-29 with --date ' +
        "(--corrects 2024-02-20 names the closed period's certificate), or move each lock",
    );
    const balances = await cli(['balances', '--as-of', '2024-02-29', '--json']);
    expect(balances.stdout).not.toContain('adjustment');
  });
});
