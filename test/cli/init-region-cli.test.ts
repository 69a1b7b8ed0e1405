import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { destinationTaxFlows, loadMappings } from '../../src/config/index.js';
import { destinationKinds } from '../../src/pipeline/kinds/index.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/** `init --for xero|quickbooks --region` (issue 54): a commented tax section for the region, which loads once uncommented. */
const tempDir = useTempDir('ledgerline-init-region-');

/** The mapping file with the region's commented `tax:` or `taxCodes:` lines (and untaxedCode) uncommented. */
function uncommented(file: string): string {
  const text = readFileSync(file, 'utf8');
  const section = text.slice(text.lastIndexOf('\n# Tax for a business'));
  const lines = section.split('\n').map((line) => line.replace(/^# (tax:|taxCodes:|  \w+: |untaxedCode: )/, '$1'));
  return text.slice(0, text.lastIndexOf('\n# Tax for a business')) + lines.join('\n');
}

describe('ledgerline init --region', () => {
  it("uk, VAT-registered, for Xero: the chart's rules in the ledger's codes and xero.yaml's codes for them, commented; they load once uncommented", async () => {
    const dir = tempDir();
    const init = await runLedgerline(['init', '--for', 'xero', '--region', 'uk', '--vat-registered'], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    const chartFile = join(dir, 'mappings', 'default.yaml');
    const file = join(dir, 'mappings', 'xero.yaml');
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('# Tax for a business registered in UK (written by init --region uk --vat-registered).');
    expect(written).toContain('# Your accountant decides which code each flow takes;');
    expect(written).toContain(
      '\n# taxCodes:\n#   ZERO_RATED: ZERORATEDOUTPUT\n#   REVERSE_CHARGE_20: REVERSECHARGES\n',
    );
    expect(readFileSync(chartFile, 'utf8')).toContain(
      '#   order_charge: [{ code: REVERSE_CHARGE_20, rate: 20, reverseCharge: true, name: Reverse Charge Expenses (20%) }]',
    );
    writeFileSync(file, uncommented(file));
    writeFileSync(chartFile, uncommented(chartFile));
    const mappings = loadMappings({ chartPath: chartFile, destinations: [destinationKinds.named('xero')!.mapping!] });
    // Issue 83: no reversal's rule of its own, each takes its original's (issue 70: clawbacks went out "No VAT").
    expect(Object.keys(mappings.chart.tax!)).toEqual([
      'publisher_earnings',
      'order_charge',
      'advertiser_spend',
      'bank_fees',
    ]);
    const settings = mappings.destinations.get('xero')!.settings as { taxCodes: Record<string, string> };
    const xeroRules = destinationTaxFlows(settings, mappings.chart)!;
    expect(Object.fromEntries(Object.entries(xeroRules).map(([kind, rules]) => [kind, rules![0]!.code]))).toEqual({
      publisher_earnings: 'ZERORATEDOUTPUT',
      order_charge: 'REVERSECHARGES',
      advertiser_spend: 'REVERSECHARGES',
      bank_fees: 'EXEMPTINPUT',
    });
  });

  it('uk for csv (exports only): export.region.xero is UK and each mapping file gets the commented tax section', async () => {
    const dir = tempDir();
    const init = await runLedgerline(['init', '--for', 'csv', '--region', 'uk'], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    expect(readFileSync(join(dir, 'ledgerline.yaml'), 'utf8')).toMatch(/^export:\n {2}region: .*\n {4}xero: UK /m);
    for (const file of ['xero.yaml', 'quickbooks.yaml'])
      expect(readFileSync(join(dir, 'mappings', file), 'utf8')).toContain('# Tax for a business registered in UK');
    const doctor = await runLedgerline(['doctor'], { cwd: dir });
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
  });

  it('us for QuickBooks says to leave tax out; --region the sandbox does not play is refused and writes nothing', async () => {
    const dir = tempDir();
    const init = await runLedgerline(['init', '--for', 'quickbooks', '--region', 'us'], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    expect(readFileSync(join(dir, 'mappings', 'quickbooks.yaml'), 'utf8')).toContain(
      '# US: sales tax is state law and these flows are usually not taxable; leave tax: out (no code, as before).',
    );
    const other = tempDir();
    const europe = await runLedgerline(['init', '--region', 'eu'], { cwd: other });
    expect([europe.code, europe.stderr]).toEqual([2, expect.stringContaining('the sandbox plays uk, au, nz, us')]);
    expect(existsSync(join(other, 'ledgerline.yaml'))).toBe(false);
  });
});
