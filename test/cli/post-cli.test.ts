import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it as vitestIt, type TestFunction } from 'vitest';
import { packageMappingsDir } from '../../src/config/index.js';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import { startXeroFake, type RunningXeroFake, type XeroFakeOptions } from '../../sandbox/xero/fake.js';
import { LEDGER_ENGINES, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { enginesWithTests, runsOn } from '../support/soak.js';
import { useTempDir } from '../support/temp-dir.js';
import { entryId, fileMode, shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';
import { deliveryStates, openLedgerBooks } from '../pipeline/post-books.js';
import { SECRETS, assertBuilt, bookEntries, runCli, writeConfig, type CliRun } from './post-cli-harness.js';
import { registeredDestinations } from '../support/registered-destinations.js';

const tempDir = useTempDir('ledgerline-post-cli-');
const engines = useLedgerEngines();
const charts = shippedChartsForFakes();
const closers: (() => Promise<void>)[] = [];

beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function xeroFake(options: XeroFakeOptions = {}): Promise<RunningXeroFake> {
  const server = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    accounts: charts.xero,
    ...options,
  });
  closers.push(server.close);
  return server;
}

async function quickbooksFake(): Promise<RunningQuickBooksFake> {
  const server = await startQuickBooksFake({
    clientId: SECRETS.QBO_CLIENT_ID,
    clientSecret: SECRETS.QBO_CLIENT_SECRET,
    refreshToken: SECRETS.QBO_REFRESH_TOKEN,
    refreshTokenGraceMs: 0,
    accounts: charts.quickbooks,
  });
  closers.push(server.close);
  return server;
}

const entries = (count: number) =>
  Array.from({ length: count }, (_, index) => spendEntry(index + 1, `2024-02-${String(index + 1).padStart(2, '0')}`));

/** Where rotated tokens are kept by default: beside the SQLite ledger, or beside the configuration when the ledger is a postgres:// URL. */
function tokenStore(dir: string, ledgerUrl: string | undefined): string {
  return join(ledgerUrl === undefined ? join(dir, 'data') : dir, '.ledgerline-tokens.json');
}

/** Every secret the run could have seen: the configured ones and whatever the token store now holds. */
function secretsIn(dir: string, ledgerUrl: string | undefined): string[] {
  const tokens = JSON.parse(readFileSync(tokenStore(dir, ledgerUrl), 'utf8')) as {
    destinations: Record<string, Record<string, string>>;
  };
  const stored = Object.values(tokens.destinations).flatMap((record) =>
    [record.accessToken, record.refreshToken].filter((value): value is string => value !== undefined),
  );
  return [SECRETS.XERO_CLIENT_SECRET, SECRETS.QBO_CLIENT_SECRET, SECRETS.QBO_REFRESH_TOKEN, ...stored];
}

function expectNoSecret(run: CliRun, secrets: readonly string[]): void {
  for (const secret of secrets) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
}

async function states(
  dir: string,
  destination: string,
  ledgerUrl: string | undefined,
): Promise<Record<string, string>> {
  const books = await openLedgerBooks(join(dir, 'data'), ledgerUrl);
  try {
    return await deliveryStates(books, destination);
  } finally {
    await books.close();
  }
}

const ENGINES = enginesWithTests(LEDGER_ENGINES);

describe.each(ENGINES)('ledgerline post (the built CLI against fakes, %s ledger)', (engine) => {
  let ledgerUrl: string | undefined;
  beforeEach(async () => {
    ledgerUrl = await engines.fresh(engine);
  });
  /** `test`: what each engine keeps is the subject (the outbox's rows, where tokens go): both engines in npm test. */
  const test = (name: string, fn: TestFunction) => {
    if (runsOn(engine, 'store')) vitestIt(name, fn);
  };
  /** `it`: the command's rule, the same over either engine's books (SQLite in npm test, PostgreSQL in the soak). */
  const it = (name: string, fn: TestFunction) => {
    if (runsOn(engine, 'rule')) vitestIt(name, fn);
  };

  test('posts to Xero (exit 0), posts nothing the second time, and shows no secret or token', async () => {
    const dir = tempDir();
    const xero = await xeroFake();
    const config = writeConfig(dir, { xero }, '', ledgerUrl);
    await bookEntries(dir, entries(3), ledgerUrl);

    const first = await runCli(['post', 'xero', '--config', config], { cwd: dir });
    // The reads are the organisation checked before posting: Organisation (lock dates too), Accounts, TaxRates, TrackingCategories;
    // and the look-up of the request's journal numbers before it leaves.
    expect(first.stdout).toBe('Xero: 3 posted, 0 refused\nAPI calls: 5 reads, 1 write\n');
    expect(first.code).toBe(0);
    // Each narration names the entry's chain hash before its id: the ledger's witness at Xero (issue 52).
    const chained = await readBooks(ledgerUrl ?? join(dir, 'data', 'ledger.sqlite'), (books) =>
      books.rows('journal_entries', 'seq'),
    );
    const chainOf = new Map((chained as { id: string; chain_hash: string }[]).map((row) => [row.id, row.chain_hash]));
    expect(xero.fake.journals().map((journal) => journal.narration)).toEqual(
      entries(3).map((entry) => `${entry.description} · chain sha256:${chainOf.get(entry.id)} [${entry.id}]`),
    );

    const second = await runCli(['post', 'xero', '--config', config], { cwd: dir });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(
      'Xero: nothing to post (every entry in the window is delivered)\nAPI calls: 4 reads, 0 writes\n',
    );
    expect(xero.fake.writeRequestCount()).toBe(1);
    expect(fileMode(tokenStore(dir, ledgerUrl))).toBe(0o600);
    expectNoSecret(first, secretsIn(dir, ledgerUrl));
    expectNoSecret(second, secretsIn(dir, ledgerUrl));
  });

  it('a locked period: the entry is refused naming it and the lock date, the others post, exit 1; after the lock moves it posts', async () => {
    const dir = tempDir();
    const xero = await xeroFake({ periodLockDate: '2024-02-01' });
    const config = writeConfig(dir, { xero }, '', ledgerUrl);
    await bookEntries(dir, entries(3), ledgerUrl);

    const locked = await runCli(['post', 'xero', '--config', config], { cwd: dir });
    expect(locked.code).toBe(1);
    expect(locked.stdout).toContain(
      `refused (they stay unposted; later posts try again):\n  ${entryId(1)} (2024-02-01): Xero: entry ${entryId(1)} dated 2024-02-01 falls in a closed period (books locked through 2024-02-01); it stays unposted until the lock date is moved\n`,
    );
    expect(xero.fake.journals()).toHaveLength(2);

    xero.fake.setLockDates({ periodLockDate: null });
    const later = await runCli(['post', 'xero', '--config', config], { cwd: dir });
    expect(later.code).toBe(0);
    expect(later.stdout).toMatch(/^Xero: 1 posted, 0 refused/);
    expect(await states(dir, 'xero', ledgerUrl)).toEqual({
      [entryId(1)]: 'posted',
      [entryId(2)]: 'posted',
      [entryId(3)]: 'posted',
    });
  });

  test('the Xero daily limit ends the run with exit 3, says when to resume, and records nothing half-way', async () => {
    const dir = tempDir();
    const xero = await xeroFake();
    const config = writeConfig(dir, { xero }, '', ledgerUrl);
    await bookEntries(dir, entries(3), ledgerUrl);
    xero.fake.injectFault({ kind: 'rate-limit', problem: 'day', retryAfterSeconds: 5400 });

    const run = await runCli(['post', 'xero', '--config', config], { cwd: dir });

    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /error: Xero: the daily API limit is used up; nothing more was sent\. Run again after \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\n/,
    );
    expect(run.stdout).toContain('stopped early: 3 entries left for the next post');
    expect(await states(dir, 'xero', ledgerUrl)).toEqual({});
    expectNoSecret(run, secretsIn(dir, ledgerUrl));
  });

  test('posts to QuickBooks, keeping the rotated refresh token (0600) that the next run must use', async () => {
    const dir = tempDir();
    const quickbooks = await quickbooksFake();
    const config = writeConfig(dir, { quickbooks }, '', ledgerUrl);
    await bookEntries(dir, entries(2), ledgerUrl);

    const first = await runCli(['post', 'quickbooks', '--config', config], { cwd: dir });
    expect(first.code).toBe(0);
    // CompanyInfo, Preferences (the closing date too) and the mapped accounts, checked before posting.
    expect(first.stdout).toBe('QuickBooks: 2 posted, 0 refused\nAPI calls: 4 reads, 1 write\n');
    const tokenFile = tokenStore(dir, ledgerUrl);
    expect(fileMode(tokenFile)).toBe(0o600);
    const stored = JSON.parse(readFileSync(tokenFile, 'utf8')).destinations.quickbooks as {
      refreshToken: string;
      accessToken: string;
    };
    expect(stored.refreshToken).toMatch(/^qbo-fake-refresh-/);

    // The configured refresh token no longer works (rotated, no grace); with an expired access token the next run must refresh from the store.
    quickbooks.fake.expireAccessTokens();
    await bookEntries(dir, [spendEntry(3, '2024-02-03')], ledgerUrl);
    const second = await runCli(['post', 'quickbooks', '--config', config], { cwd: dir });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^QuickBooks: 1 posted/);
    expect(quickbooks.fake.journalEntries()).toHaveLength(3);
    expectNoSecret(first, [...secretsIn(dir, ledgerUrl), stored.accessToken, stored.refreshToken]);
    expectNoSecret(second, [...secretsIn(dir, ledgerUrl), stored.accessToken, stored.refreshToken]);
  });

  it('a dry run prints the plan as JSON and sends no write', async () => {
    const dir = tempDir();
    const quickbooks = await quickbooksFake();
    const config = writeConfig(dir, { quickbooks }, '', ledgerUrl);
    await bookEntries(dir, entries(3), ledgerUrl);

    const run = await runCli(['post', 'quickbooks', '--dry-run', '--json', '--config', config], { cwd: dir });

    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan).toMatchObject({
      destination: 'quickbooks',
      dryRun: true,
      entries: entries(3).map((entry) => ({ id: entry.id, date: entry.date, description: entry.description })),
      calls: { reads: 4, writes: 1, total: 5 },
      forecast: { requestsPerMinute: 500, writesPerMinute: 40, minutesAtLimit: 1 },
    });
    expect(plan.totals).toEqual([
      { account: 'panel_prepaid', currency: 'USD', debit: '0.00', credit: '3.06', debitCents: '0', creditCents: '306' },
      {
        account: 'smm_services_expense',
        currency: 'USD',
        debit: '3.06',
        credit: '0.00',
        debitCents: '306',
        creditCents: '0',
      },
    ]);
    expect(quickbooks.fake.writeRequestCount()).toBe(0);
    expect(await states(dir, 'quickbooks', ledgerUrl)).toEqual({});
  });

  it('a dry run as text lists the entries, the totals and the forecast', async () => {
    const dir = tempDir();
    const xero = await xeroFake();
    const config = writeConfig(dir, { xero }, '', ledgerUrl);
    await bookEntries(dir, entries(2), ledgerUrl);
    const run = await runCli(['post', 'xero', '--dry-run', '--config', config], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'dry run: post to Xero (nothing is sent)',
        'window: every undelivered entry',
        'lock date at Xero: none',
        'entries to send: 2',
        `  2024-02-01  ${entryId(1)}  SMM panel orders 2024-02-01 #1`,
        `  2024-02-02  ${entryId(2)}  SMM panel orders 2024-02-02 #2`,
        'totals per account:',
        '  panel_prepaid         USD  Dr           0.00  Cr           2.03',
        '  smm_services_expense  USD  Dr           2.03  Cr           0.00',
        "API calls: 5 reads + 1 write = 6; Xero allows 60 calls a minute, 5000 a day: at least 1 minute, 0.1 % of the day's allowance",
        '',
      ].join('\n'),
    );
    expect(xero.fake.writeRequestCount()).toBe(0);
  });

  it('a wrong client secret is an authentication failure naming Xero, exit 3, without the secret in the output', async () => {
    const dir = tempDir();
    const xero = await xeroFake();
    const config = writeConfig(dir, { xero }, '', ledgerUrl);
    await bookEntries(dir, entries(1), ledgerUrl);
    const run = await runCli(['post', 'xero', '--config', config], {
      cwd: dir,
      env: { XERO_CLIENT_SECRET: 'a-wrong-secret-value' },
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      "error: Xero: authentication failed (the token endpoint refused the client_credentials grant (invalid_client); check destinations.xero.clientId and clientSecret of the custom connection against the app's keys in the developer portal)",
    );
    expect(run.stderr).not.toContain('a-wrong-secret-value');
    expect(xero.fake.writeRequestCount()).toBe(0);
  });

  it('an account the destination mapping leaves out is a configuration error (exit 2) naming file and key, before any call', async () => {
    const dir = tempDir();
    const xero = await xeroFake();
    const mappings = join(dir, 'mappings');
    mkdirSync(mappings);
    copyFileSync(join(packageMappingsDir(), 'default.yaml'), join(mappings, 'default.yaml'));
    const shipped = readFileSync(join(packageMappingsDir(), 'xero.yaml'), 'utf8');
    writeFileSync(join(mappings, 'xero.yaml'), shipped.replace(/^ {2}rounding:.*\n/m, ''));
    const config = writeConfig(dir, { xero }, 'mappings: ./mappings/default.yaml\n', ledgerUrl);
    await bookEntries(dir, entries(1), ledgerUrl);

    const run = await runCli(['post', 'xero', '--config', config], { cwd: dir });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(join(mappings, 'xero.yaml'));
    expect(run.stderr).toContain('rounding');
    expect(xero.fake.requestLog()).toEqual([]);
  });

  it('usage errors exit 2: no destination, or a bad date', async () => {
    const dir = tempDir();
    const xero = await xeroFake();
    const config = writeConfig(dir, { xero }, '', ledgerUrl);
    const missing = await runCli(['post', '--config', config], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `error: post needs a destination, ${registeredDestinations.posts}: e.g. "ledgerline post xero --dry-run"\n`,
    );
    const badDate = await runCli(['post', 'xero', '--from', '2024-02-30', '--config', config], { cwd: dir });
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toBe('error: --from must be a calendar date YYYY-MM-DD or "yesterday", got "2024-02-30"\n');
  });
});
