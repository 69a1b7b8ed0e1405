import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startListingApiFake, type ListingApiFake } from '../../support/plug-ins/listing-api-fake.js';
import { useListingSource } from '../../support/plug-ins/use-listing-source.js';
import { runLedgerline, type CliRun } from '../../support/cli.js';
import { useTempDir } from '../../support/temp-dir.js';

/**
 * A source that lists transactions (a paginated, date-windowed API, two a page) rather than reading one
 * running total, registered from test/support. Ground truth by hand: October 1st lists 10.00, 2.50 and 4.00
 * at the first sync (two pages), and 1.25 posted late that day at the second; October 2nd's 7.00 is outside
 * the window. The books hold 17.75 of earnings on October 1st, once, however many times the day was read.
 */
const KEY = 'listing-key-51c2e0';
useListingSource();
const tempDir = useTempDir();
let api: ListingApiFake;
let dir: string;

beforeEach(async () => {
  api = await startListingApiFake(KEY);
  dir = tempDir();
  writeFileSync(
    join(dir, 'ledgerline.yaml'),
    [
      'ledger: data/ledger.sqlite',
      'timezone: Europe/London',
      'currency: USD',
      'sources:',
      `  - { id: sales, kind: listing, url: "${api.url}", apiKey: "\${SALES_KEY}" }`,
      '',
    ].join('\n'),
  );
});
afterEach(() => api.close());

function ledgerline(...args: string[]): Promise<CliRun> {
  return runLedgerline(args, { cwd: dir, env: { SALES_KEY: KEY } });
}

async function revenue(): Promise<string | undefined> {
  const balances = JSON.parse((await ledgerline('balances', '--json')).stdout) as {
    rows: { account: string; net: string }[];
  };
  return balances.rows.find((row) => row.account === 'listing_revenue')?.net;
}

describe('the backfill of a listing source', () => {
  it('books nothing over a day synced twice: the transactions both closes listed count once', async () => {
    api.add(
      { id: 'tx-1', postedAt: '2026-10-01T08:00:00Z', amount: '10.00' },
      { id: 'tx-2', postedAt: '2026-10-01T12:30:00Z', amount: '2.50' },
      { id: 'tx-3', postedAt: '2026-10-01T18:00:00Z', amount: '4.00' },
      // October 2nd in London, though still October 1st in UTC: outside the day's window.
      { id: 'tx-9', postedAt: '2026-10-01T23:30:00Z', amount: '7.00' },
    );
    const first = await ledgerline('sync', '--as-of', '2026-10-01');
    expect(first.code, first.stderr).toBe(0);
    api.add({ id: 'tx-4', postedAt: '2026-10-01T21:00:00Z', amount: '1.25' });
    expect((await ledgerline('sync', '--as-of', '2026-10-01')).code).toBe(0);
    expect(await revenue()).toBe('-17.75');
    const before = api.requests();

    const replay = await ledgerline('sync', '--from', '2026-10-01', '--to', '2026-10-01', '--json');

    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({
      sources: [{ sourceId: 'sales', outcome: 'booked', entries: [] }],
    });
    expect(await revenue()).toBe('-17.75');
    expect(api.requests()).toBe(before);
  });
});
