import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startListingApiFake, type ListingApiFake } from '../../support/plug-ins/listing-api-fake.js';
import { useListingSource } from '../../support/plug-ins/use-listing-source.js';
import { runLedgerline, type CliRun } from '../../support/cli.js';
import { LEDGER_ENGINES, readBooks, useLedgerEngines } from '../../support/ledger-engines.js';
import { useTempDir } from '../../support/temp-dir.js';

/**
 * A staged kind's `--dry-run` is extract and normalize, and nothing written: on either engine, every table a
 * close writes keeps its row count and the journal (its chain head with it) stays as it was, while the plan
 * shows what a real run then books. Ground truth by hand: October 1st lists 10.00 (booked for real), October
 * 2nd lists 4.00 and 1.50 (one page of two): the plan and the real run book those two in one entry.
 */
const KEY = 'listing-key-8d41aa';
const WRITTEN_TABLES = [
  'journal_entries',
  'journal_lines',
  'raw_observations',
  'source_events',
  'entry_events',
  'discrepancies',
  'quarantine',
  'source_closes',
  'source_state',
  'runs',
];
useListingSource();
const tempDir = useTempDir();
const { fresh } = useLedgerEngines();
let api: ListingApiFake;
let dir: string;
let ledger: string;

beforeEach(async () => {
  api = await startListingApiFake(KEY);
  dir = tempDir();
});
afterEach(() => api.close());

function ledgerline(...args: string[]): Promise<CliRun> {
  return runLedgerline(args, { cwd: dir, env: { SALES_KEY: KEY } });
}

function booksNow(): Promise<{ counts: Record<string, number>; journal: unknown[] }> {
  return readBooks(ledger, async (books) => {
    const counts: Record<string, number> = {};
    for (const table of WRITTEN_TABLES) counts[table] = await books.count(table);
    return { counts, journal: await books.rows('journal_entries', 'seq') };
  });
}

describe.each(LEDGER_ENGINES)('a staged close rehearsed with --dry-run on %s', (engine) => {
  it('writes nothing and plans exactly what the real close then books', async () => {
    ledger = (await fresh(engine)) ?? join(dir, 'data/ledger.sqlite');
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      [
        'ledger: data/ledger.sqlite',
        'timezone: UTC',
        'currency: USD',
        'sources:',
        `  - { id: sales, kind: listing, url: "${api.url}", apiKey: "\${SALES_KEY}" }`,
        '',
      ]
        .join('\n')
        .replace('data/ledger.sqlite', ledger),
    );
    api.add({ id: 'tx-1', postedAt: '2026-10-01T09:00:00Z', amount: '10.00' });
    expect((await ledgerline('sync', '--as-of', '2026-10-01')).code).toBe(0);
    api.add(
      { id: 'tx-2', postedAt: '2026-10-02T09:00:00Z', amount: '4.00' },
      { id: 'tx-3', postedAt: '2026-10-02T10:00:00Z', amount: '1.50' },
    );
    const before = await booksNow();

    const dry = await ledgerline('sync', '--as-of', '2026-10-02', '--dry-run', '--json');

    expect(dry.code, dry.stderr).toBe(0);
    expect(await booksNow()).toEqual(before);
    const plan = JSON.parse(dry.stdout) as { sources: { events: number; entries: unknown[] }[] };
    expect(plan.sources[0]).toMatchObject({ events: 2, entries: ['je:sales:2026-10-02'] });
    const real = await ledgerline('sync', '--as-of', '2026-10-02', '--json');
    expect(JSON.parse(real.stdout)).toMatchObject({ sources: [{ events: 2, entries: ['je:sales:2026-10-02'] }] });
  });
});
