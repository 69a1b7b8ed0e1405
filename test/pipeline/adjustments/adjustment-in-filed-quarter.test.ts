import { userInfo } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { bookEntries, runCli, writeConfig } from '../../cli/post-cli-harness.js';
import { useTempDir } from '../../support/temp-dir.js';
import { startShippedChartFakes, type FakeClosers } from '../../support/shipped-chart-fakes.js';
import { spendEntry } from '../post-fixtures.js';

/**
 * An adjusting entry dated in a quarter whose tax return `vat file` filed, with both destinations locked through
 * it too: as for a closed month (adjustment-in-closed-month.test.ts), the refusal names every lock that refuses it,
 * ledgerline's filing first (the quarter, when and by whom), then each destination's (issue 70).
 */
const tempDir = useTempDir('ledgerline-filed-adjust-');
const closers: FakeClosers = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('an adjusting entry in a filed quarter, the destinations locked too', { timeout: 60_000 }, () => {
  it("is refused (exit 2) naming ledgerline's filing, then Xero's lock, then QuickBooks'; nothing is booked", async () => {
    const dir = tempDir();
    const { xero, quickbooks } = await startShippedChartFakes(closers);
    const config = writeConfig(dir, { xero, quickbooks });
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });
    await bookEntries(dir, [spendEntry(1, '2024-02-10'), spendEntry(2, '2024-03-01')]);
    const filing = await cli(['vat', 'file', '--period', '2024-Q1', '--json']);
    expect(filing.code, filing.stderr).toBe(0);
    const { filedAt } = (JSON.parse(filing.stdout) as { filed: { filedAt: string } }).filed;
    xero.fake.setLockDates({ periodLockDate: '2024-03-31' });
    quickbooks.fake.setBookCloseDate('2024-03-31');

    const refused = await cli([
      'adjust',
      '--date',
      '2024-03-20',
      '--debit',
      'smm_services_expense=1.00',
      '--credit',
      'suspense=1.00',
      '--reason',
      'a late invoice',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(
      'an adjusting entry dated 2024-03-20 falls in a closed period of each of ledgerline, Xero, QuickBooks ' +
        `(ledgerline filed the 2024-Q1 tax return ${filedAt} by ${userInfo().username}; Xero locked through 2024-03-31; ` +
        'QuickBooks locked through 2024-03-31); nothing was booked: date it after 2024-03-31 with --date, or move each lock',
    );
    const balances = await cli(['balances', '--as-of', '2024-03-31', '--json']);
    expect(balances.stdout).not.toContain('suspense');
  });
});
