import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir.js';
import { spendEntry } from '../pipeline/post-fixtures.js';
import { assertBuilt, bookEntries, runCli } from './post-cli-harness.js';

const tempDir = useTempDir('ledgerline-export-dates-');

beforeAll(assertBuilt);

/** `export --format xero` from a config naming the organisation's region; the date column of the first line. */
async function exportedDate(xeroSettings: string, exportSettings = ''): Promise<string> {
  const dir = tempDir();
  const config = join(dir, 'ledgerline.yaml');
  writeFileSync(
    config,
    [
      'ledger: ./data/ledger.sqlite',
      'timezone: UTC',
      'currency: USD',
      'destinations:',
      '  xero:',
      '    tenantId: "t"',
      '    clientId: ${XERO_CLIENT_ID}',
      '    clientSecret: ${XERO_CLIENT_SECRET}',
      ...xeroSettings
        .split('\n')
        .filter(Boolean)
        .map((line) => `    ${line}`),
      exportSettings,
    ].join('\n') + '\n',
  );
  await bookEntries(dir, [spendEntry(1, '2024-02-03')]);
  const run = await runCli(['export', '--format', 'xero', '--config', config], { cwd: dir });
  expect(run.code, run.stderr).toBe(0);
  return run.stdout.split('\n')[1]!.split(',')[1]!;
}

describe('ledgerline export --format xero dates (the built CLI)', () => {
  it('3 February 2024 is month-first for a US organisation and day-first for a UK one', async () => {
    expect(await exportedDate('region: US')).toBe('02/03/2024');
    expect(await exportedDate('region: UK')).toBe('03/02/2024');
  });

  it('export.dateFormat.xero overrides the region; with neither, a date no region misreads', async () => {
    expect(await exportedDate('region: US', 'export:\n  dateFormat:\n    xero: YYYY-MM-DD')).toBe('2024-02-03');
    expect(await exportedDate('')).toBe('03 Feb 2024');
  });
});

describe('ledgerline export --format xero for a CSV-only set-up (no Xero connection)', () => {
  it('export.region.xero: UK gives day-first dates and "No VAT", not the US "Tax Exempt", with no warning to set the region', async () => {
    const dir = tempDir();
    const config = join(dir, 'ledgerline.yaml');
    writeFileSync(
      config,
      ['ledger: ./data/ledger.sqlite', 'timezone: UTC', 'currency: USD', 'export:', '  region:', '    xero: UK'].join(
        '\n',
      ) + '\n',
    );
    await bookEntries(dir, [spendEntry(1, '2024-02-03')]);
    const run = await runCli(['export', '--format', 'xero', '--config', config], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('region is not set');
    const lines = run.stdout.trim().split('\n').slice(1);
    expect(lines.map((line) => line.split(',')[1])).toEqual(['03/02/2024', '03/02/2024']);
    expect(lines.every((line) => line.includes('No VAT') && !line.includes('Tax Exempt'))).toBe(true);
  });

  it('export.region.xero is checked: a region Xero has not is refused naming the key', async () => {
    const dir = tempDir();
    const config = join(dir, 'ledgerline.yaml');
    writeFileSync(
      config,
      'ledger: ./data/ledger.sqlite\ntimezone: UTC\ncurrency: EUR\nexport:\n  region:\n    xero: EU\n',
    );
    const run = await runCli(['export', '--format', 'xero', '--config', config], { cwd: dir });
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('export.region.xero')]);
  });
});
