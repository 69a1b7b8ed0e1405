import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/rules/index.js';
import { useTempDir } from '../support/temp-dir.js';
import { spendEntry } from '../pipeline/post-fixtures.js';
import { assertBuilt, bookEntries, runCli } from './post-cli-harness.js';

const tempDir = useTempDir('ledgerline-export-refusals-');

beforeAll(assertBuilt);

/** A fee of 2.00 EUR booked by hand in USD books (`adjust --currency EUR`): its source, adjustments, sorts first. */
const EURO_FEE: JournalEntry = {
  id: 'je:adjustment:2024-02-03:1',
  date: '2024-02-03',
  sourceId: 'adjustments',
  description: 'Adjusting entry: EUR card fee',
  eventIds: [],
  lines: [
    { account: 'bank_fees', currency: 'EUR', amountMicros: 2_000_000n },
    { account: 'suspense', currency: 'EUR', amountMicros: -2_000_000n },
  ],
};

/** USD books holding the day's USD panel charges and, before them in book order, the EUR fee. */
async function booksWithAEuroFee(): Promise<{ dir: string; config: string }> {
  const dir = tempDir();
  const config = join(dir, 'ledgerline.yaml');
  writeFileSync(config, ['ledger: ./data/ledger.sqlite', 'timezone: UTC', 'currency: USD'].join('\n') + '\n');
  await bookEntries(dir, [EURO_FEE, spendEntry(1, '2024-02-03')]);
  return { dir, config };
}

describe('ledgerline export --out refused part way (the built CLI)', () => {
  it('leaves neither the file nor its .partial in the folder ("replaced whole, never half-written")', async () => {
    const { dir, config } = await booksWithAEuroFee();
    const out = join(dir, 'march-xero.csv');
    const run = await runCli(['export', '--format', 'xero', '--config', config, '--out', out], { cwd: dir });
    expect(run.code, run.stderr).toBe(2);
    // The refusal comes at the first entry, before the file's open has completed.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readdirSync(dir).sort()).toEqual(['data', 'ledgerline.yaml']);
  });
});

describe('ledgerline export --format xero|quickbooks of books with an entry in another currency (the built CLI)', () => {
  it.each([
    ['xero', "Xero's manual journal import reads every amount in the organisation's base currency", 'post xero'],
    ['quickbooks', "QuickBooks' journal import reads every amount in the home currency", 'post quickbooks'],
  ])(
    '%s names the EUR entry (not the USD one after it) and a step the user can take; no file is left',
    async (format, why, post) => {
      const { dir, config } = await booksWithAEuroFee();
      const out = join(dir, `books-${format}.csv`);
      const run = await runCli(['export', '--format', format, '--config', config, '--out', out], { cwd: dir });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(
        `export: entry je:adjustment:2024-02-03:1 has a EUR line in an export of USD; ${why}: "ledgerline ${post}"`,
      );
      expect(run.stderr).not.toContain('je:test:0001');
      expect(run.stderr).not.toContain('currencyColumn');
      expect(existsSync(out)).toBe(false);
    },
  );
});

describe("ledgerline export --out naming the books' own files (the built CLI)", () => {
  it.each([
    ['data/ledger.sqlite', "this configuration's ledger"],
    ['ledgerline.yaml', 'this configuration'],
  ])('refuses --out %s (%s) before writing: the books and the file are as they were', async (file, what) => {
    const { dir, config } = await booksWithAEuroFee();
    const target = join(dir, file);
    const before = readFileSync(target);
    const run = await runCli(['export', '--format', 'generic', '--config', config, '--out', file], { cwd: dir });
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toContain(
      `error: --out ${target} is ${what}: writing there would replace it; name another file`,
    );
    expect(run.stdout).toBe('');
    expect(readFileSync(target).equals(before)).toBe(true);
    const books = await runCli(['balances', '--config', config], { cwd: dir });
    expect(books.code, books.stderr).toBe(0);
  });
});

describe('ledgerline export --out where a folder holds its .partial name (the built CLI)', () => {
  it('is refused naming the folder (exit 2), not an internal error, and the folder is left as it was', async () => {
    const { dir, config } = await booksWithAEuroFee();
    mkdirSync(join(dir, 'journals.csv.partial'));
    const run = await runCli(['export', '--format', 'generic', '--config', config, '--out', 'journals.csv'], {
      cwd: dir,
    });
    expect(run.stderr).not.toContain('internal error');
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`--out ${join(dir, 'journals.csv.partial')} is a folder: name a file in it`);
    expect(readdirSync(dir).sort()).toEqual(['data', 'journals.csv.partial', 'ledgerline.yaml']);
  });
});

describe('ledgerline report --out naming the ledger (the built CLI)', () => {
  it('is refused as export refuses it (exit 2): the books are as they were', async () => {
    const { dir, config } = await booksWithAEuroFee();
    const ledger = join(dir, 'data', 'ledger.sqlite');
    const before = readFileSync(ledger);
    const run = await runCli(['report', '--config', config, '--out', 'data/ledger.sqlite'], { cwd: dir });
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toContain(`error: --out ${ledger} is this configuration's ledger: `);
    expect(readFileSync(ledger).equals(before)).toBe(true);
  });
});

describe('ledgerline export --format generic with two destinations that code tax (the built CLI)', () => {
  it("writes the ledger's own codes when the rules are the chart's; names each place when a mapping has its own tax:", async () => {
    const dir = tempDir();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    const chart = join(dir, 'mappings', 'default.yaml');
    writeFileSync(chart, readFileSync(chart, 'utf8') + 'tax:\n  order_charge: [{ code: INPUT2, rate: 20 }]\n');
    // Issue 83: the chart's rules read by both destinations through their taxCodes: the export takes the ledger's codes.
    const chartOnly = await runCli(['export', '--format', 'generic'], { cwd: dir });
    expect(chartOnly.code, chartOnly.stderr).toBe(0);
    expect(chartOnly.stdout.split('\r\n')[0]).toMatch(/,tax_code$/);
    const xero = join(dir, 'mappings', 'xero.yaml');
    writeFileSync(xero, readFileSync(xero, 'utf8') + 'tax:\n  order_charge: [{ code: INPUT2, rate: 20 }]\n');
    const mixed = await runCli(['export', '--format', 'generic'], { cwd: dir });
    expect(mixed.stderr).toContain(
      `error: xero (xero.yaml's tax:), quickbooks (the chart's tax: (${chart})) each code`,
    );
  });
});
