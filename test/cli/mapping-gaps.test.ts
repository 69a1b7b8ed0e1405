import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDestinationFakes, SANDBOX_ENVIRONMENT } from '../../sandbox/destination-fakes.js';
import { startSandbox } from '../../sandbox/sandbox-server.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-mapping-gaps-');
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
});

/**
 * Issue 40, item 6: a chart changed so that the panel's opening balance books to a new account the destinations' mapping files do
 * not name. The sync books the night (the books are right) and exits 1 with one action item per account and
 * mapping file, instead of exit 0 and a refusal at the next post; doctor says the same.
 */
describe(
  'an account a configured destination does not map, caught by the sync that books to it',
  { timeout: 60_000 },
  () => {
    it('sync books the night, then exits 1 naming the account and each mapping file to edit; doctor says the same', async () => {
      const fakes = createDestinationFakes();
      const sandbox = await startSandbox({ port: 0, today: '2026-03-03', extraMounts: [fakes.xero, fakes.quickbooks] });
      closers.push(() => sandbox.close());
      const dir = tempDir();
      const env = { ...SANDBOX_ENVIRONMENT, NO_COLOR: '1' };
      expect((await runLedgerline(['init', '--sandbox-url', sandbox.baseUrl], { cwd: dir, env })).code).toBe(0);
      const chart = join(dir, 'mappings', 'default.yaml');
      const changed = readFileSync(chart, 'utf8')
        .replace(
          '  rounding:',
          '  panel_opening_equity:     { type: equity,    name: Panel opening equity }\n  rounding:',
        )
        .replace(
          /(panel_opening_balance:\n\s+debit: panel_prepaid\n\s+credit: )opening_balance_equity/,
          '$1panel_opening_equity',
        );
      expect(changed).toContain('credit: panel_opening_equity');
      writeFileSync(chart, changed);

      const synced = await runLedgerline(['sync', '--source', 'smm-panel'], { cwd: dir, env });
      expect(synced.stdout).toMatch(/Cr panel_opening_equity /);
      expect(synced.code).toBe(1);
      const xeroFile = join(dir, 'mappings', 'xero.yaml');
      const quickbooksFile = join(dir, 'mappings', 'quickbooks.yaml');
      expect(synced.stdout).toContain(
        `  ! unmapped_account: panel_opening_equity is booked but ${xeroFile} does not map it: add it under accounts: there before "ledgerline post xero"\n`,
      );
      expect(synced.stdout).toContain(
        `  ! unmapped_account: panel_opening_equity is booked but ${quickbooksFile} does not map it: add it under accounts: there before "ledgerline post quickbooks"\n`,
      );

      const doctor = await runLedgerline(['doctor'], { cwd: dir, env });
      expect(doctor.code).not.toBe(0);
      expect(doctor.stdout).toContain(`accounts.panel_opening_equity: has no Xero mapping`);
    });
  },
);
