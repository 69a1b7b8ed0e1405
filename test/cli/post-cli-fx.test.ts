import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/rules/index.js';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import { startXeroFake } from '../../sandbox/xero/fake.js';
import { useTempDir } from '../support/temp-dir.js';
import { entryId, shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';
import { ledgerLocation } from '../pipeline/post-books.js';
import { SECRETS, assertBuilt, bookEntries, runCli, writeConfig } from './post-cli-harness.js';
import { openLedgerTables } from '../support/ledger-tables.js';

const tempDir = useTempDir('ledgerline-post-fx-');
const charts = shippedChartsForFakes();
const closers: (() => Promise<void>)[] = [];

beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Entry 3 in EUR on a day the rates file covers (10.01 → 15.02 at 1.5), entry 4 in EUR before the file's first rate. */
function books(): JournalEntry[] {
  const eur = (entry: JournalEntry): JournalEntry => ({
    ...entry,
    lines: entry.lines.map((line) => ({ ...line, currency: 'EUR' })),
  });
  return [
    spendEntry(1, '2024-02-12'),
    spendEntry(2, '2024-02-13'),
    eur(spendEntry(3, '2024-02-15', 10_010_000n)),
    eur(spendEntry(4, '2024-02-10', 5_000_000n)),
  ];
}

const RATES = 'date,currency,rate\n2024-02-14,EUR,1.5\n2024-02-20,EUR,1.6\n';
const RATES_CONFIG = '  rates:\n    file: ./rates.csv\n';

async function storedRates(dir: string): Promise<unknown[]> {
  const tables = await openLedgerTables(ledgerLocation(join(dir, 'data')));
  try {
    return await tables.all(
      tables.db
        .selectFrom('deliveries')
        .select(['entry_id', 'state', 'exchange_rate', 'rate_source'])
        .orderBy('entry_id'),
    );
  } finally {
    await tables.close();
  }
}

describe('ledgerline post: an entry in a foreign currency (the built CLI, real mappings, against fakes)', () => {
  it('Xero: --dry-run shows the rate and its source, and names the EUR entry without one; post converts at that rate, booksOpen it, refuses the other by name and exits 1', async () => {
    const dir = tempDir();
    const xero = await startXeroFake({
      clientId: SECRETS.XERO_CLIENT_ID,
      clientSecret: SECRETS.XERO_CLIENT_SECRET,
      accounts: charts.xero,
    });
    closers.push(xero.close);
    writeFileSync(join(dir, 'rates.csv'), RATES);
    const config = writeConfig(dir, { xero }, RATES_CONFIG);
    await bookEntries(dir, books());

    const plan = await runCli(['post', 'xero', '--dry-run', '--config', config], { cwd: dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(
      `2024-02-15  ${entryId(3)}  SMM panel orders 2024-02-15 #3  (EUR→USD at 1.5, rates.csv 2024-02-14)`,
    );
    const missing = `Xero: entry ${entryId(4)} is in EUR and needs a EUR→USD rate for 2024-02-10; add one to the rates file (destinations.rates.file) or destinations.rates.fixed`;
    expect(plan.stdout).toContain(`refused without sending: 1\n  ${entryId(4)} (2024-02-10): ${missing}`);
    expect(xero.fake.writeRequestCount()).toBe(0);

    const run = await runCli(['post', 'xero', '--config', config], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Xero: 3 posted, 1 refused');
    expect(run.stdout).toContain(`  ${entryId(4)} (2024-02-10): ${missing}`);
    const converted = xero.fake.journals().find((journal) => journal.narration.endsWith(`[${entryId(3)}]`));
    expect(converted?.lines.map((line) => [line.accountCode, line.cents, line.description])).toEqual([
      [expect.any(String), 1502n, 'SMM panel orders 2024-02-15 #3 (EUR 10.01 at 1.5)'],
      [expect.any(String), -1502n, 'SMM panel orders 2024-02-15 #3 (EUR 10.01 at 1.5)'],
    ]);
    expect(await storedRates(dir)).toEqual([
      { entry_id: entryId(1), state: 'posted', exchange_rate: null, rate_source: null },
      { entry_id: entryId(2), state: 'posted', exchange_rate: null, rate_source: null },
      { entry_id: entryId(3), state: 'posted', exchange_rate: '1.5', rate_source: 'rates.csv 2024-02-14' },
      { entry_id: entryId(4), state: 'refused', exchange_rate: null, rate_source: null },
    ]);
  });

  it('QuickBooks: the EUR entry keeps its amounts with CurrencyRef EUR and the fixed rate from the configuration as ExchangeRate', async () => {
    const dir = tempDir();
    const quickbooks: RunningQuickBooksFake = await startQuickBooksFake({
      clientId: SECRETS.QBO_CLIENT_ID,
      clientSecret: SECRETS.QBO_CLIENT_SECRET,
      refreshToken: SECRETS.QBO_REFRESH_TOKEN,
      refreshTokenGraceMs: 0,
      accounts: charts.quickbooks,
      multiCurrency: true,
    });
    closers.push(quickbooks.close);
    const config = writeConfig(dir, { quickbooks }, '  rates:\n    fixed:\n      EUR: "1.0825"\n');
    await bookEntries(dir, books());

    const run = await runCli(['post', 'quickbooks', '--config', config], { cwd: dir });
    expect(run.code).toBe(0);
    const stored = quickbooks.fake
      .journalEntries()
      .map((entry) => [
        entry.privateNote?.slice(-14),
        entry.currency,
        entry.exchangeRate,
        entry.lines.map((line) => line.cents),
      ]);
    expect(stored.sort()).toEqual([
      [`[${entryId(1)}]`, 'USD', undefined, [101n, 101n]],
      [`[${entryId(2)}]`, 'USD', undefined, [102n, 102n]],
      [`[${entryId(3)}]`, 'EUR', '1.0825', [1001n, 1001n]],
      [`[${entryId(4)}]`, 'EUR', '1.0825', [500n, 500n]],
    ]);
    const rates = (await storedRates(dir)) as { rate_source: string | null }[];
    expect(rates.map((row) => row.rate_source)).toEqual([
      null,
      null,
      'config destinations.rates.fixed.EUR',
      'config destinations.rates.fixed.EUR',
    ]);
  });
});
