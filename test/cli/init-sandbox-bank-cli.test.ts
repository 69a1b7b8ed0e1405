import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDestinationFakes, SANDBOX_ENVIRONMENT } from '../../sandbox/destination-fakes.js';
import { SANDBOX_BANK_ACCOUNT } from '../../sandbox/index.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import { SANDBOX_BANK_ACCOUNT_NUMBER } from '../../src/app/sandbox-bank.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * `init --sandbox-url` writes what the demo's month-end uses of the sandbox's bank (issue 69, item 7): the bank
 * account as a bank-statement source, Xero's bank documents on 090, QuickBooks' `bank` mapped to Checking, so
 * the demo's `adjust … --credit bank=` is booked on a folder init wrote.
 */
const tempDir = useTempDir('ledgerline-init-bank-');
const running: RunningSandbox[] = [];
afterEach(async () => {
  for (const sandbox of running.splice(0)) await sandbox.close();
});

describe('init --sandbox-url and the sandbox bank', { timeout: 60_000 }, () => {
  it('names the account the sandbox bank writes', () => {
    expect(SANDBOX_BANK_ACCOUNT_NUMBER).toBe(SANDBOX_BANK_ACCOUNT);
  });

  it("writes the bank account, Xero's bank documents and QuickBooks' bank mapping; the demo's adjust on the bank is booked", async () => {
    const fakes = createDestinationFakes();
    const sandbox = await startSandbox({ port: 0, today: '2026-03-20', extraMounts: [fakes.xero, fakes.quickbooks] });
    running.push(sandbox);
    const dir = tempDir();
    const run = (args: string[]) => runLedgerline(args, { cwd: dir, env: { ...SANDBOX_ENVIRONMENT, NO_COLOR: '1' } });
    const init = await run(['init', '--sandbox-url', sandbox.baseUrl]);
    expect(init.code, init.stderr).toBe(0);
    const config = readFileSync(join(dir, 'ledgerline.yaml'), 'utf8');
    expect(config).toContain(`  - id: main-bank\n    kind: bank-statement\n    accountNumber: ${SANDBOX_BANK_ACCOUNT}`);
    expect(config).toMatch(/^ {4}transit: \{ createBankDocuments: true, bankAccount: "090" \}/m);
    expect(readFileSync(join(dir, 'mappings', 'quickbooks.yaml'), 'utf8')).toMatch(
      /^ {2}bank: +\{ id: "1", name: "Checking" \}/m,
    );

    const fee = await run([
      'adjust',
      '--date',
      '2026-03-16',
      '--debit',
      'bank_fees=9.00',
      '--credit',
      'bank=9.00',
      '--reason',
      'ACCOUNT FEE, bank line 7',
    ]);
    expect(fee.code, fee.stderr).toBe(0);
    expect(fee.stdout).toContain('booked adjusting entry je:adjustment:2026-03-16:1');
    const posted = await run(['post', 'quickbooks']);
    expect(posted.code, posted.stderr).toBe(0);
  });
});
