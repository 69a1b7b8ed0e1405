import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDestinationFakes, SANDBOX_ENVIRONMENT } from '../../sandbox/destination-fakes.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import { runLedgerline, runLedgerlineProcess } from '../support/cli.js';
import { startListingApiFake, type ListingApiFake } from '../support/plug-ins/listing-api-fake.js';
import { useListingSource } from '../support/plug-ins/use-listing-source.js';
import { useWalletSource } from '../support/plug-ins/use-wallet-source.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * No date a source cannot vouch for (issue 69, item 3). The panel and the ad network tell only the present: on a
 * new ledger, the sandbox at 03-10, a first close as of 03-05 would book the panel's 03-10 balance as its 03-05
 * opening (and a rise nobody made the next night). It is refused, nothing booked. A kind whose API lists dated
 * transactions (the listing plug-in) reads a past day, so its first close may be of one.
 */
const tempDir = useTempDir('ledgerline-first-close-');
const running: RunningSandbox[] = [];
afterEach(async () => {
  for (const sandbox of running.splice(0)) await sandbox.close();
});

function countRows(ledger: string, table: string): number {
  const db = new Database(ledger, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('a first close of a past day, against the sandbox (the built CLI)', { timeout: 60_000 }, () => {
  it('is refused with exit 2, naming the source and how to start, and books nothing; a plain sync then starts today', async () => {
    const fakes = createDestinationFakes();
    const sandbox = await startSandbox({ port: 0, today: '2026-03-10', extraMounts: [fakes.xero, fakes.quickbooks] });
    running.push(sandbox);
    const dir = tempDir();
    const run = (args: string[]) =>
      runLedgerlineProcess(args, { cwd: dir, env: { ...SANDBOX_ENVIRONMENT, NO_COLOR: '1' } });
    expect((await run(['init', '--sandbox-url', sandbox.baseUrl])).code).toBe(0);
    const ledger = join(dir, 'data', 'ledger.sqlite');

    const refused = await run(['sync', '--as-of', '2026-03-05']);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(
      'ads-publisher: cannot take its first close as of 2026-03-05: its API tells only the present (its figures of ' +
        '2026-03-10), which would be booked under 2026-03-05. Start its books as of 2026-03-10 with a plain `ledgerline sync`',
    );
    expect(refused.stderr).toContain('nothing was contacted or written');
    expect(countRows(ledger, 'journal_entries')).toBe(0);
    expect(countRows(ledger, 'raw_observations')).toBe(0);
    expect(countRows(ledger, 'source_closes')).toBe(0);

    const started = await run(['sync']);
    expect(started.stdout).toContain('sync as of 2026-03-10');
    expect([0, 1]).toContain(started.code);
    expect(countRows(ledger, 'journal_entries')).toBeGreaterThan(0);

    // Issue 83 item 6: the days before the first close of a kind that tells only the present are in its opening.
    const entries = countRows(ledger, 'journal_entries');
    const before = await run(['sync', '--from', '2026-03-01', '--to', '2026-03-09']);
    expect(before.code, before.stdout).toBe(2);
    expect(before.stderr).toContain(
      'ads-publisher: cannot read 2026-03-01 to 2026-03-09: its books begin at its first close, 2026-03-10, whose ' +
        'opening balance holds what came before, and its API tells only the present, so no day before it can be read. ' +
        'What works: --from 2026-03-10 --to 2026-03-10 re-books the replies stored from its first close on',
    );
    expect(countRows(ledger, 'journal_entries')).toBe(entries);
  });
});

describe('a first close of a past day of a kind that lists dated transactions', () => {
  useListingSource();
  let listing: ListingApiFake;
  beforeAll(async () => {
    listing = await startListingApiFake('listing-key-first');
    listing.add(
      { id: 'tx-1', postedAt: '2026-10-01T09:00:00Z', amount: '12.50' },
      { id: 'tx-2', postedAt: '2026-10-02T10:00:00Z', amount: '30.00' },
      { id: 'tx-3', postedAt: '2026-10-02T11:00:00Z', amount: '-2.00' },
    );
  });
  afterAll(() => listing.close());

  const listingFolder = (): string => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      [
        'ledger: data/ledger.sqlite',
        'timezone: UTC',
        'currency: USD',
        'sources:',
        `  - { id: sales, kind: listing, url: "${listing.url}", apiKey: "\${SALES_KEY}" }`,
        '',
      ].join('\n'),
    );
    return dir;
  };
  const sales = (dir: string, args: string[]) =>
    runLedgerline(args, { cwd: dir, env: { SALES_KEY: 'listing-key-first' } });

  it('is taken: the listing reads that day, and its sales are booked under it', async () => {
    const dir = listingFolder();
    const run = await runLedgerline(['sync', '--as-of', '2026-10-01'], {
      cwd: dir,
      env: { SALES_KEY: 'listing-key-first' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('sales: booked 1 event in 1 entry');
    expect(run.stdout).toMatch(/Dr listing_receivable +12\.50 USD/);
  });

  it('sync --from/--to on a new ledger fetches the window from the listing and books each day; again, it books nothing', async () => {
    const dir = listingFolder();
    const window = await sales(dir, ['sync', '--from', '2026-10-01', '--to', '2026-10-02', '--json']);
    expect(window.code, window.stderr).toBe(0);
    const booked = JSON.parse(window.stdout) as {
      sources: { sourceId: string; outcome: string; events: number; entries: string[] }[];
    };
    expect(booked.sources).toEqual([expect.objectContaining({ sourceId: 'sales', outcome: 'booked', events: 3 })]);
    expect(booked.sources[0]!.entries).toEqual(['je:sales:2026-10-01', 'je:sales:2026-10-02']);
    const balances = await sales(dir, ['balances', '--as-of', '2026-10-02', '--json']);
    expect(balances.stdout).toMatch(/"account": ?"listing_receivable"[^}]*"40\.50"/);

    const again = await sales(dir, ['sync', '--from', '2026-10-01', '--to', '2026-10-02', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { sources: { entries: unknown[] }[] }).sources[0]!.entries).toEqual([]);
  });
});

/**
 * Issue 83 item 6: days before a dated source's first close. A wallet whose API lists its transactions by date and
 * tells its balance at any day's end held 100.00 when March began: +12.50 on 03-02, +30.00 on 03-06, −2.00 on 03-08,
 * +7.25 on 03-10. Its first close, 03-10, books its opening 140.50 (147.75 less the day's 7.25) and the 7.25. Then
 * `sync --from 03-01 --to 03-09` reads those days: the opening 100.00 on 03-01, each day's moves once, and on 03-10
 * the old opening reversed (Dr opening_balance_equity 140.50, Cr wallet_cash 140.50), so 03-10's balances are what
 * they were: 100.00 + 12.50 + 30.00 − 2.00 + 7.25 = 147.75. A second run books nothing, and the chain verifies.
 */
describe('days before the first close of a kind whose API reads past days', () => {
  useListingSource();
  useWalletSource();
  let wallet: ListingApiFake;
  beforeAll(async () => {
    wallet = await startListingApiFake('wallet-key', { openingBalance: '100.00' });
    wallet.add(
      { id: 'tx-1', postedAt: '2026-03-02T09:00:00Z', amount: '12.50' },
      { id: 'tx-2', postedAt: '2026-03-06T10:00:00Z', amount: '30.00' },
      { id: 'tx-3', postedAt: '2026-03-08T11:00:00Z', amount: '-2.00' },
      { id: 'tx-4', postedAt: '2026-03-10T11:00:00Z', amount: '7.25' },
    );
  });
  afterAll(() => wallet.close());

  const folder = (kind: 'wallet' | 'listing'): string => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      [
        'ledger: data/ledger.sqlite',
        'timezone: UTC',
        'currency: USD',
        'sources:',
        `  - { id: cash, kind: ${kind}, url: "${wallet.url}", apiKey: "\${WALLET_KEY}" }`,
        '',
      ].join('\n'),
    );
    return dir;
  };
  const cash = (dir: string, args: string[]) => runLedgerline(args, { cwd: dir, env: { WALLET_KEY: 'wallet-key' } });
  const balanceOf = async (dir: string, account: string, asOf: string): Promise<string | undefined> => {
    const read = await cash(dir, ['balances', '--as-of', asOf, '--json']);
    const { rows } = JSON.parse(read.stdout) as { rows: { account: string; net: string }[] };
    return rows.find((row) => row.account === account)?.net;
  };

  it("a first close on 03-10, then --from 03-01 --to 03-09: those days booked once, the opening moved to 03-01's", async () => {
    const dir = folder('wallet');
    const first = await cash(dir, ['sync', '--as-of', '2026-03-10']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Cr opening_balance_equity +140\.50 USD/);
    expect(await balanceOf(dir, 'wallet_cash', '2026-03-10')).toBe('147.75');

    const history = await cash(dir, ['sync', '--from', '2026-03-01', '--to', '2026-03-09', '--json']);
    expect(history.code, history.stderr).toBe(0);
    const booked = JSON.parse(history.stdout) as { sources: { sourceId: string; entries: string[] }[] };
    expect(booked.sources).toHaveLength(1);
    expect(booked.sources[0]!.entries).toEqual([
      'je:cash:2026-03-01',
      'je:cash:2026-03-02',
      'je:cash:2026-03-06',
      'je:cash:2026-03-08',
      'je:cash:2026-03-10:replay:1',
    ]);
    const db = new Database(join(dir, 'data', 'ledger.sqlite'), { readonly: true });
    try {
      const moved = db
        .prepare('SELECT description FROM journal_entries WHERE id = ?')
        .get('je:cash:2026-03-10:replay:1') as { description: string };
      expect(moved.description).toBe("Replay correction of 2026-03-10 (its opening moved to 2026-03-01's)");
      const lines = db
        .prepare('SELECT account, amount_micros AS micros FROM journal_lines WHERE entry_id = ? ORDER BY account')
        .all('je:cash:2026-03-10:replay:1');
      expect(lines).toEqual([
        { account: 'opening_balance_equity', micros: 140_500_000 },
        { account: 'wallet_cash', micros: -140_500_000 },
      ]);
    } finally {
      db.close();
    }
    expect(await balanceOf(dir, 'wallet_cash', '2026-03-01')).toBe('100.00');
    expect(await balanceOf(dir, 'wallet_cash', '2026-03-07')).toBe('142.50');
    expect(await balanceOf(dir, 'wallet_cash', '2026-03-09')).toBe('140.50');
    expect(await balanceOf(dir, 'wallet_cash', '2026-03-10')).toBe('147.75');
    expect(await balanceOf(dir, 'wallet_revenue', '2026-03-10')).toBe('-49.75');
    expect(await balanceOf(dir, 'opening_balance_equity', '2026-03-10')).toBe('-100.00');

    const again = await cash(dir, ['sync', '--from', '2026-03-01', '--to', '2026-03-09', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { sources: { entries: unknown[] }[] }).sources[0]!.entries).toEqual([]);
    expect(await balanceOf(dir, 'wallet_cash', '2026-03-10')).toBe('147.75');
    const verify = await cash(dir, ['verify']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('a night before the first close is refused naming the window that reads it, nothing contacted or written', async () => {
    const dir = folder('listing');
    expect((await cash(dir, ['sync', '--as-of', '2026-03-10'])).code).toBe(0);
    const ledger = join(dir, 'data', 'ledger.sqlite');
    const before = ['journal_entries', 'raw_observations', 'source_closes'].map((table) => countRows(ledger, table));
    const seen = wallet.requests();
    const night = await cash(dir, ['sync', '--as-of', '2026-03-05']);
    expect(night.code).toBe(2);
    expect(night.stderr.trim().split('\n')).toHaveLength(1);
    expect(night.stderr).toContain(
      'cash: cannot take a close as of 2026-03-05: its first close is 2026-03-10 and its closes go forward from its ' +
        'latest, 2026-03-10; its API reads past days: `ledgerline sync --from 2026-03-05 --to 2026-03-09` books the ' +
        "days before its first close, its opening moving to 2026-03-05's; nothing was contacted or written",
    );
    expect(['journal_entries', 'raw_observations', 'source_closes'].map((table) => countRows(ledger, table))).toEqual(
      before,
    );
    expect(wallet.requests()).toBe(seen);

    const window = await cash(dir, ['sync', '--from', '2026-03-05', '--to', '2026-03-09', '--json']);
    expect(window.code, window.stderr).toBe(0);
    const booked = JSON.parse(window.stdout) as { sources: { entries: string[] }[] };
    expect(booked.sources[0]!.entries).toEqual(['je:cash:2026-03-06', 'je:cash:2026-03-08']);
    const balances = await cash(dir, ['balances', '--as-of', '2026-03-10', '--json']);
    expect(balances.stdout).toMatch(/"account": ?"listing_receivable"[^}]*"35\.25"/);
  });
});
