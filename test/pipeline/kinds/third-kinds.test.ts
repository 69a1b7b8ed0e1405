import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverCallback, startCliInProcess } from '../../cli/connect-harness.js';
import { runLedgerline, type CliRun } from '../../support/cli.js';
import { startCounterApiFake, type CounterApiFake } from '../../support/plug-ins/counter-api-fake.js';
import { startJournalApiFake, type JournalApiFake } from '../../support/plug-ins/journal-api-fake.js';
import { startListingApiFake, type ListingApiFake } from '../../support/plug-ins/listing-api-fake.js';
import { useCounterSource } from '../../support/plug-ins/use-counter-source.js';
import { useJournalApiDestination } from '../../support/plug-ins/use-journal-api.js';
import { useListingSource } from '../../support/plug-ins/use-listing-source.js';
import { useTempDir } from '../../support/temp-dir.js';
import { registeredDestinations } from '../../support/registered-destinations.js';

/**
 * A third source (a paginated listing API, `kind: listing`, its own event kinds and accounts), the counter source,
 * and a third destination with an API (`journal-api`, an OAuth app and a JSON journal API), all registered from
 * test/support/plug-ins alone, through the CLI: connect, sync, backfill, post exactly once (again after a post whose
 * answer was lost), reconcile --with, report, export, disconnect, and the help of every command that takes a destination.
 * Ground truth by hand: the listing lists 12.50, 7.25 and a 2.00 refund on October 1st and 30.00 on the 2nd (47.75
 * owed); the counter reads 100.00 then 112.50 (112.50 owed).
 */
const LISTING_KEY = 'listing-key-3c9e12';
const COUNTER_KEY = 'counter-key-61b0d7';
const APP = { clientId: 'journal-app-id', clientSecret: 'journal-app-secret-5e7a' };
const ENV = { SALES_KEY: LISTING_KEY, TIPS_KEY: COUNTER_KEY, JOURNAL_SECRET: APP.clientSecret };
useListingSource();
useCounterSource();
useJournalApiDestination();
const tempDir = useTempDir('ledgerline-third-kinds-');
let listing: ListingApiFake;
let counter: CounterApiFake;
let journals: JournalApiFake;
let dir: string;

beforeAll(async () => {
  [listing, counter, journals] = await Promise.all([
    startListingApiFake(LISTING_KEY),
    startCounterApiFake(COUNTER_KEY),
    startJournalApiFake(APP),
  ]);
  dir = tempDir();
  writeFileSync(
    join(dir, 'ledgerline.yaml'),
    [
      'ledger: data/ledger.sqlite',
      'timezone: UTC',
      'currency: USD',
      // The counter tells only the present: its fake names the day it is the total of, which a sync closes.
      `sandboxClock: ${counter.clockUrl}`,
      'sources:',
      `  - { id: sales, kind: listing, url: "${listing.url}", apiKey: "\${SALES_KEY}" }`,
      `  - { id: tips, kind: counter, url: "${counter.url}", apiKey: "\${TIPS_KEY}" }`,
      'destinations:',
      '  journal-api:',
      `    apiUrl: ${journals.url}`,
      `    authorizeUrl: ${journals.authorizeUrl}`,
      `    tokenUrl: ${journals.tokenUrl}`,
      `    revokeUrl: ${journals.revokeUrl}`,
      `    clientId: ${APP.clientId}`,
      '    clientSecret: ${JOURNAL_SECRET}',
      '',
    ].join('\n'),
  );
});
afterAll(() => Promise.all([listing.close(), counter.close(), journals.close()]));

function ledgerline(...args: string[]): Promise<CliRun> {
  return runLedgerline(args, { cwd: dir, env: ENV });
}

async function succeeds(...args: string[]): Promise<CliRun> {
  const run = await ledgerline(...args);
  expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  return run;
}

/** Each account's sum at the journal API, as its own balances endpoint would add them, in cents. */
function heldBalances(): Record<string, string> {
  const sums: Record<string, number> = {};
  for (const journal of journals.journals())
    for (const line of journal.lines)
      sums[line.account] = (sums[line.account] ?? 0) + Math.round(Number(line.amount) * 100);
  return Object.fromEntries(Object.entries(sums).map(([account, cents]) => [account, (cents / 100).toFixed(2)]));
}

describe('a third source and a third destination with an API, registered from test/support only', () => {
  it('connect journal-api takes the consent at the fake through the loopback redirect, as for the built-in kinds', async () => {
    const run = startCliInProcess(['connect', 'journal-api', '--port', '0', '--no-browser'], dir, 30_000, ENV);
    const consent = await fetch(await run.url, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    expect(await deliverCallback(consent.headers.get('location')!)).toBe(200);
    const ended = await run.done;
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toContain('connected: Journal API ledger');
    expect(ended.stdout).toContain('next: ledgerline doctor --to journal-api');
    expect(readFileSync(join(dir, 'data', '.ledgerline-tokens.json'), 'utf8')).toContain('"journal-api"');
  });

  it('syncs both sources night by night into their own accounts, and a backfill over the nights books nothing', async () => {
    listing.add(
      { id: 'tx-1', postedAt: '2026-10-01T09:00:00Z', amount: '12.50' },
      { id: 'tx-2', postedAt: '2026-10-01T12:00:00Z', amount: '7.25' },
      { id: 'tx-3', postedAt: '2026-10-01T18:00:00Z', amount: '-2.00' },
      { id: 'tx-4', postedAt: '2026-10-02T10:00:00Z', amount: '30.00' },
    );
    counter.setTotal('100.00', '2026-10-01');
    await succeeds('sync', '--as-of', '2026-10-01');
    counter.setTotal('112.50', '2026-10-02');
    await succeeds('sync', '--as-of', '2026-10-02');
    const backfill = await succeeds('sync', '--from', '2026-10-01', '--to', '2026-10-02', '--json');
    const sources = (JSON.parse(backfill.stdout) as { sources: { sourceId: string; entries: unknown[] }[] }).sources;
    expect(sources.map((source) => [source.sourceId, source.entries.length])).toEqual([
      ['sales', 0],
      ['tips', 0],
    ]);
    const balances = JSON.parse((await succeeds('balances', '--json')).stdout) as {
      rows: { account: string; net: string }[];
    };
    expect(balances.rows.map((row) => [row.account, row.net])).toEqual([
      ['counter_receivable', '112.50'],
      ['counter_revenue', '-112.50'],
      ['listing_receivable', '47.75'],
      ['listing_revenue', '-47.75'],
    ]);
  });

  it('posts to it exactly once: a post whose answer was lost after the send is settled by the next, and a third sends nothing', async () => {
    journals.hangUpAtNextCreate();
    const lost = await ledgerline('post', 'journal-api');
    expect(lost.code).not.toBe(0);
    const arrived = journals.journals().length;
    expect(arrived).toBeGreaterThan(0);

    journals.answerAgain();
    await succeeds('post', 'journal-api');
    const held = journals.journals();
    expect(held).toHaveLength(arrived);
    expect(new Set(held.map((journal) => journal.reference)).size).toBe(held.length);
    expect(heldBalances()).toMatchObject({ listing_receivable: '47.75', counter_receivable: '112.50' });

    const creates = journals.creates();
    await succeeds('post', 'journal-api');
    expect(journals.creates()).toBe(creates);
  });

  it('reconcile --with, the report and the export read the same books, and no secret is printed', async () => {
    const tie = await succeeds('reconcile', '--with', 'journal-api', '--as-of', '2026-10-02', '--json');
    expect(JSON.parse(tie.stdout)).toMatchObject({ destination: 'journal-api', clean: true });

    const report = await succeeds('report', '--out', join(dir, 'report.html'));
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('47.75');
    const exported = await succeeds('export', '--format', 'generic');
    expect(exported.stdout).toContain('listing_receivable');
    expect(exported.stdout).toContain('counter_receivable');
    const said = `${tie.stdout}${report.stdout}${report.stderr}${exported.stdout}`;
    for (const secret of [APP.clientSecret, LISTING_KEY, COUNTER_KEY]) expect(said).not.toContain(secret);
  });

  it('post, connect, disconnect, reconcile, init and export offer it in their help, and disconnect revokes the consent', async () => {
    expect(registeredDestinations.services).toMatch(/ or Journal API$/);
    for (const command of ['post', 'connect', 'disconnect', 'reconcile'])
      expect((await succeeds(command, '--help')).stdout).toMatch(/\|journal-api\b/);
    expect((await succeeds('init', '--help')).stdout).toMatch(/--region REGION +with --for [a-z|]*\|journal-api: /);
    expect((await succeeds('export', '--help')).stdout).toContain(registeredDestinations.formatChoices);
    const overview = (await succeeds('--help')).stdout;
    expect(overview).toContain(
      `deliver unposted journal entries to ${registeredDestinations.services}, each exactly once`,
    );
    expect(overview).toContain(`connect your books at ${registeredDestinations.services}`);

    const disconnected = await succeeds('disconnect', 'journal-api');
    expect(disconnected.stdout).toContain('Journal API');
    expect(readFileSync(join(dir, 'data', '.ledgerline-tokens.json'), 'utf8')).not.toContain('"journal-api"');
  });
});
