import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startXeroFake, XERO_UK_TAX_RATES } from '../../sandbox/xero/fake.js';
import { useTempDir } from '../support/temp-dir.js';
import { assertBuilt, bookEntries, runCli, SECRETS, ukXeroWorkspace } from './post-cli-harness.js';

/**
 * Issue 70: "an existing per-destination `tax:` section keeps working as written: its rules are read as the chart's
 * rules, with a note suggesting the move". A xero.yaml written for issue 54, its rules with rates, beside a chart
 * with no `tax:`: every command that loads the configuration says so once on stderr, naming the file, the section and
 * where it goes; once moved, nothing is said.
 */

const tempDir = useTempDir('ledgerline-tax-move-');
const closers: (() => Promise<void>)[] = [];
beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const XERO_TAX = ['tax:', '  order_charge: [{ code: INPUT2, rate: 20 }]', ''].join('\n');

async function workspace(xeroTax: string, chartTax = ''): Promise<{ dir: string; config: string }> {
  const xero = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    countryCode: 'GB',
    baseCurrency: 'GBP',
    taxRates: XERO_UK_TAX_RATES,
  });
  closers.push(xero.close);
  const dir = tempDir();
  const { config } = ukXeroWorkspace(dir, xero, { xeroTax, chartTax });
  await bookEntries(dir, []);
  return { dir, config };
}

const notes = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('note: '));

describe("a destination's tax: read as the chart's rules, with a note suggesting the move", () => {
  it('doctor and vat each say it once, naming xero.yaml, its tax: section and the chart it goes to', async () => {
    const { dir, config } = await workspace(XERO_TAX);
    for (const args of [
      ['doctor', '--to', 'xero'],
      ['vat', '--period', '2026-03'],
    ]) {
      const run = await runCli([...args, '--config', config], { cwd: dir });
      expect(notes(run.stderr), args[0]).toEqual([
        `note: ${join(dir, 'mappings', 'xero.yaml')}'s tax: section is read as the chart's tax rules: move it to ` +
          `${join(dir, 'mappings', 'default.yaml')} under tax: (the ledger's codes and rates), and map the codes ` +
          'xero.yaml needs as its taxCodes:',
      ]);
    }
  });

  it("nothing is said once the chart has its own tax:, nor for a destination's codes without rates", async () => {
    const moved = await workspace('', XERO_TAX);
    const unrated = await workspace(['tax:', '  order_charge: INPUT2', ''].join('\n'));
    for (const { dir, config } of [moved, unrated]) {
      const run = await runCli(['vat', '--period', '2026-03', '--config', config], { cwd: dir });
      expect(run.code, run.stderr).toBe(0);
      expect(notes(run.stderr)).toEqual([]);
    }
  });
});
