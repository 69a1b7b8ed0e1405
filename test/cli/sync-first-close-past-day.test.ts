import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDestinationFakes, SANDBOX_ENVIRONMENT } from '../../sandbox/destination-fakes.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import { runLedgerline, runLedgerlineProcess } from '../support/cli.js';
import { startListingApiFake, type ListingApiFake } from '../support/plug-ins/listing-api-fake.js';
import { useListingSource } from '../support/plug-ins/use-listing-source.js';
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
 * Issue 83 item 6: days before a listing source's first close. Its first close is 03-10 (a plain night); `sync --from
 * 03-01 --to 03-09` booked nothing and exited 0, and `sync --as-of 03-05` said "--from 2026-03-05 --to 2026-03-10
 * reads them again", which it did not. Both are refused now, exit 2, nothing contacted or written, naming its first
 * close and what works: re-reading from its first close on, or a new ledger whose window starts at 03-01 (shown
 * booking each of those days once).
 */
describe('days before the first close of a kind that lists dated transactions', () => {
  useListingSource();
  let listing: ListingApiFake;
  beforeAll(async () => {
    listing = await startListingApiFake('listing-key-before');
    listing.add(
      { id: 'tx-1', postedAt: '2026-03-02T09:00:00Z', amount: '12.50' },
      { id: 'tx-2', postedAt: '2026-03-06T10:00:00Z', amount: '30.00' },
      { id: 'tx-3', postedAt: '2026-03-10T11:00:00Z', amount: '7.25' },
    );
  });
  afterAll(() => listing.close());

  const folder = (): string => {
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
    runLedgerline(args, { cwd: dir, env: { SALES_KEY: 'listing-key-before' } });
  const WHAT_WORKS =
    'its books begin at its first close, 2026-03-10, and its closes go forward, so no day before it is read on this ' +
    'ledger. What works: --from 2026-03-10 --to 2026-03-10 re-reads the days it closed; to book from ';

  it('a first close on 03-10, then --from 03-01 --to 03-09: refused naming its first close and what works, nothing written', async () => {
    const dir = folder();
    const first = await sales(dir, ['sync', '--as-of', '2026-03-10']);
    expect(first.code, first.stderr).toBe(0);
    const ledger = join(dir, 'data', 'ledger.sqlite');
    const before = ['journal_entries', 'raw_observations', 'source_closes'].map((table) => countRows(ledger, table));
    const seen = listing.requests();

    const window = await sales(dir, ['sync', '--from', '2026-03-01', '--to', '2026-03-09']);
    expect(window.code, window.stdout).toBe(2);
    expect(window.stderr.trim().split('\n')).toHaveLength(1);
    expect(window.stderr).toContain(
      `sales: cannot read 2026-03-01 to 2026-03-09: ${WHAT_WORKS}2026-03-01, a new ledger's ` +
        '`ledgerline sync --from 2026-03-01 --to 2026-03-10` reads each day from its API; nothing was contacted or written',
    );
    const pastNight = await sales(dir, ['sync', '--as-of', '2026-03-05']);
    expect(pastNight.code).toBe(2);
    expect(pastNight.stderr).toContain(`sales: cannot read 2026-03-05 to 2026-03-10: ${WHAT_WORKS}2026-03-05`);
    expect(pastNight.stderr).not.toContain('reads them again');
    expect(['journal_entries', 'raw_observations', 'source_closes'].map((table) => countRows(ledger, table))).toEqual(
      before,
    );
    expect(listing.requests()).toBe(seen);
  });

  it('what it names works: a new ledger reading 03-01 to 03-10 books each day once', async () => {
    const dir = folder();
    const window = await sales(dir, ['sync', '--from', '2026-03-01', '--to', '2026-03-10', '--json']);
    expect(window.code, window.stderr).toBe(0);
    const booked = JSON.parse(window.stdout) as { sources: { sourceId: string; events: number; entries: string[] }[] };
    expect(booked.sources[0]!.entries).toEqual(['je:sales:2026-03-02', 'je:sales:2026-03-06', 'je:sales:2026-03-10']);
    const again = await sales(dir, ['sync', '--from', '2026-03-01', '--to', '2026-03-10', '--json']);
    expect((JSON.parse(again.stdout) as { sources: { entries: unknown[] }[] }).sources[0]!.entries).toEqual([]);
    const balances = await sales(dir, ['balances', '--as-of', '2026-03-10', '--json']);
    expect(balances.stdout).toMatch(/"account": ?"listing_receivable"[^}]*"49\.75"/);
  });
});
