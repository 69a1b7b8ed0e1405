import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packageMappingsDir } from '../../src/config/index.js';
import type { JournalEntry } from '../../src/rules/index.js';
import { createDestinationFakes, SANDBOX_ENVIRONMENT } from '../../sandbox/destination-fakes.js';
import { startSandbox } from '../../sandbox/sandbox-server.js';
import { runLedgerline } from '../support/cli.js';
import {
  startQuickBooksFake,
  type QuickBooksFakeOptions,
  type RunningQuickBooksFake,
} from '../../sandbox/quickbooks/fake.js';
import {
  XERO_DEFAULT_ACCOUNTS,
  XERO_DEFAULT_TAX_RATES,
  startXeroFake,
  type RunningXeroFake,
  type XeroFakeOptions,
} from '../../sandbox/xero/fake.js';
import { useTempDir } from '../support/temp-dir.js';
import { shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';
import { SECRETS, assertBuilt, bookEntries, runCli, writeConfig, type CliRun } from './post-cli-harness.js';

/**
 * `doctor` and `post` against the fakes, each case from real mapping files
 * (the shipped ones, copied and edited as a user would) through the real
 * loader and the built CLI. Doctor exits 1 when something is to fix; post
 * refuses the same thing with exit 2 before sending anything.
 */

const tempDir = useTempDir('ledgerline-doctor-cli-');
const closers: (() => Promise<void>)[] = [];

beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function xeroFake(options: XeroFakeOptions = {}): Promise<RunningXeroFake> {
  const server = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    ...options,
  });
  closers.push(server.close);
  return server;
}

async function quickbooksFake(options: QuickBooksFakeOptions = {}): Promise<RunningQuickBooksFake> {
  const server = await startQuickBooksFake({
    clientId: SECRETS.QBO_CLIENT_ID,
    clientSecret: SECRETS.QBO_CLIENT_SECRET,
    refreshToken: SECRETS.QBO_REFRESH_TOKEN,
    refreshTokenGraceMs: 0,
    accounts: shippedChartsForFakes().quickbooks,
    ...options,
  });
  closers.push(server.close);
  return server;
}

type MappingEdit = { file: 'xero.yaml' | 'quickbooks.yaml'; key: string; line: string };

/** A workspace with the shipped mappings copied to ./mappings, some accounts' lines rewritten, and a config naming them. */
function workspace(
  fakes: { xero?: RunningXeroFake; quickbooks?: RunningQuickBooksFake },
  edits: readonly MappingEdit[] = [],
): { dir: string; config: string } {
  const dir = tempDir();
  cpSync(packageMappingsDir(), join(dir, 'mappings'), { recursive: true });
  for (const edit of edits) editMapping(dir, edit);
  return { dir, config: writeConfig(dir, fakes, 'mappings: ./mappings/default.yaml\n') };
}

/** Rewrites one account's line in ./mappings, as a user would in an editor. */
function editMapping(dir: string, edit: MappingEdit): void {
  const path = join(dir, 'mappings', edit.file);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(new RegExp(`^ {2}${edit.key}: .*$`, 'm'), `  ${edit.key}: ${edit.line}`);
  expect(after, `${edit.key} in ${edit.file}`).not.toBe(before);
  writeFileSync(path, after);
}

const doctor = (to: string, ws: { dir: string; config: string }, json = false): Promise<CliRun> =>
  runCli(['doctor', '--to', to, '--config', ws.config, ...(json ? ['--json'] : [])], { cwd: ws.dir });
const post = (to: string, ws: { dir: string; config: string }): Promise<CliRun> =>
  runCli(['post', to, '--config', ws.config], { cwd: ws.dir });

/** Publisher earnings of 12.34: Dr payelancer_receivable, Cr ad_revenue. */
function earningsEntry(date: string): JournalEntry {
  return {
    id: `je:ads-publisher:${date}`,
    date,
    sourceId: 'ads-publisher',
    description: `Publisher earnings ${date}`,
    eventIds: [],
    lines: [
      { account: 'payelancer_receivable', currency: 'USD', amountMicros: 12_340_000n },
      { account: 'ad_revenue', currency: 'USD', amountMicros: -12_340_000n },
    ],
  };
}

describe('ledgerline doctor and post against a Xero organisation', () => {
  it('all good: the shipped mapping passes every check of the one configured destination without a warning (rounding on an ordinary account, not the Rounding system account), exit 0, and post goes ahead', async () => {
    const xero = await xeroFake();
    const ws = workspace({ xero });
    await bookEntries(ws.dir, [spendEntry(1, '2024-02-03')]);

    // Without --to, doctor checks the destinations the file configures: Xero alone here.
    const checked = await runCli(['doctor', '--config', ws.config], { cwd: ws.dir });
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toContain('destinations: xero\n');
    expect(checked.stdout).toContain(
      'Xero\n  ✓ token: the token endpoint issued a new access token\n  ✓ base currency: USD, as the ledger\n',
    );
    expect(checked.stdout).toContain('  ✓ account 429 (rounding)');
    expect(checked.stdout).not.toContain('system account');
    expect(checked.stdout).toMatch(/all \d+ checks passed\n$/);
    expect(checked.stdout).not.toContain(SECRETS.XERO_CLIENT_SECRET);

    const posted = await post('xero', ws);
    expect(posted.code, posted.stdout + posted.stderr).toBe(0);
    expect(xero.fake.journals()).toHaveLength(1);
  });

  it('a missing account: a warning while no entry uses it (post delivers, exit 0); the failure that holds back the entry using it once one does (exit 1)', async () => {
    const xero = await xeroFake({ accounts: XERO_DEFAULT_ACCOUNTS.filter((account) => account.code !== '850') });
    const ws = workspace({ xero });
    const mappingFile = join(ws.dir, 'mappings', 'xero.yaml');
    await bookEntries(ws.dir, [spendEntry(1, '2024-02-03')]);

    const warned = await doctor('xero', ws);
    expect(warned.code, warned.stdout).toBe(0);
    expect(warned.stdout).toContain(
      '  ! account 850 (suspense): does not exist in Xero; no entry waiting to be posted is booked to suspense, so nothing is held back yet\n',
    );
    expect((await post('xero', ws)).code).toBe(0);
    expect(xero.fake.journals()).toHaveLength(1);

    await bookEntries(ws.dir, [
      {
        ...spendEntry(2, '2024-02-04'),
        lines: spendEntry(2).lines.map((line) =>
          line.account === 'panel_prepaid' ? { ...line, account: 'suspense' } : line,
        ),
      },
    ]);
    const checked = await doctor('xero', ws);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain(
      `  ✗ account 850 (suspense): does not exist in Xero\n      fix: create account 850 in Xero (Accounting → Chart of accounts → Add Account, code 850), or put the code of an existing account in accounts.suspense of ${mappingFile}\n`,
    );
    expect(checked.stdout).toMatch(/1 to fix\n$/);
    const posted = await post('xero', ws);
    expect(posted.code).toBe(1);
    expect(posted.stdout).toContain(
      `je:test:0002 (2024-02-04): held back, not sent to Xero: account 850 (suspense) does not exist in Xero (${mappingFile} at accounts.suspense): create account 850 in Xero`,
    );
    expect(xero.fake.journals()).toHaveLength(1);
  });

  it('an archived account: doctor exit 1 (as JSON here), post exit 2 naming it', async () => {
    const xero = await xeroFake({
      accounts: XERO_DEFAULT_ACCOUNTS.map((account) =>
        account.code === '410' ? { ...account, status: 'ARCHIVED' as const } : account,
      ),
    });
    const ws = workspace({ xero });
    await bookEntries(ws.dir, [spendEntry(1, '2024-02-03')]);

    const checked = await doctor('xero', ws, true);
    expect(checked.code).toBe(1);
    const report = JSON.parse(checked.stdout) as {
      ok: boolean;
      exitCode: number;
      checks: { area: string; status: string; subject: string; detail: string }[];
    };
    expect(report).toMatchObject({ ok: false, exitCode: 1 });
    expect(report.checks.filter((check) => check.status === 'fail')).toEqual([
      {
        area: 'Xero',
        status: 'fail',
        subject: 'account 410 (smm_services_expense)',
        detail: '"SMM Services" is archived in Xero',
        fix: 'restore account 410 in Xero (Chart of accounts → Archive tab → Restore), or map this ledger account to an active one',
      },
    ]);

    const posted = await post('xero', ws);
    expect(posted.code).toBe(1);
    expect(posted.stdout).toContain(
      'held back, not sent to Xero: account 410 (smm_services_expense) "SMM Services" is archived in Xero (',
    );
    expect(posted.stdout).toContain('xero.yaml at accounts.smm_services_expense)');
    expect(xero.fake.writeRequestCount()).toBe(0);
  });

  it('a system account that takes no manual journal (Accounts Receivable, DEBTORS): doctor exit 1, post holds the entry back (exit 1)', async () => {
    const xero = await xeroFake();
    const ws = workspace({ xero }, [
      { file: 'xero.yaml', key: 'smm_services_expense', line: '{ code: "610", taxType: NONE, taxRate: Tax Exempt }' },
    ]);
    await bookEntries(ws.dir, [spendEntry(1, '2024-02-03')]);

    const checked = await doctor('xero', ws);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain(
      '  ✗ account 610 (smm_services_expense): "Accounts Receivable" is a Xero system account (DEBTORS), which does not take manual journals\n',
    );

    const posted = await post('xero', ws);
    expect(posted.code).toBe(1);
    expect(posted.stdout).toContain(
      'held back, not sent to Xero: account 610 (smm_services_expense) "Accounts Receivable" is a Xero system account (DEBTORS)',
    );
    expect(xero.fake.writeRequestCount()).toBe(0);
  });

  it('a tax type that cannot be used on the account (purchases tax on a revenue account): doctor exit 1, post holds the entry back (exit 1)', async () => {
    const taxRates = XERO_DEFAULT_TAX_RATES.map((rate) =>
      rate.taxType === 'INPUT' ? { ...rate, canApplyTo: ['ASSET', 'EXPENSE', 'LIABILITY'] } : rate,
    );
    const xero = await xeroFake({ taxRates });
    const ws = workspace({ xero }, [
      { file: 'xero.yaml', key: 'ad_revenue', line: '{ code: "210", taxType: INPUT, taxRate: Tax on Purchases }' },
    ]);
    await bookEntries(ws.dir, [earningsEntry('2024-02-03')]);

    const checked = await doctor('xero', ws);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain(
      '  ✗ account 210 (ad_revenue): is a revenue account, and tax rate "Tax on Purchases" (INPUT) cannot be used on revenue accounts\n      fix: choose a tax rate meant for revenue accounts in accounts.ad_revenue.taxType, or NONE for no tax\n',
    );

    const posted = await post('xero', ws);
    expect(posted.code).toBe(1);
    expect(posted.stdout).toContain('held back, not sent to Xero: account 210 (ad_revenue) is a revenue account');
    expect(posted.stdout).toContain('xero.yaml at accounts.ad_revenue.taxType)');
    expect(xero.fake.writeRequestCount()).toBe(0);
  });

  it("a region that is not the organisation's country: doctor exit 1, post exit 2 naming destinations.xero.region", async () => {
    const xero = await xeroFake({ countryCode: 'US' });
    const ws = workspace({ xero });
    writeFileSync(
      ws.config,
      readFileSync(ws.config, 'utf8').replace(
        `    tokenUrl: ${xero.tokenUrl}\n`,
        `    tokenUrl: ${xero.tokenUrl}\n    region: UK\n`,
      ),
    );
    await bookEntries(ws.dir, [spendEntry(1, '2024-02-03')]);

    const checked = await doctor('xero', ws);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('  ✗ region: is set to UK, but organisation "Ledgerline Sandbox Ltd" is in US\n');

    const posted = await post('xero', ws);
    expect(posted.code).toBe(2);
    expect(posted.stderr).toContain(
      `${ws.config} at destinations.xero.region: region is set to UK, but organisation "Ledgerline Sandbox Ltd" is in US`,
    );
    expect(xero.fake.writeRequestCount()).toBe(0);
  });

  it('a locked period: doctor counts the entries it holds back (exit 1); post refuses those, posts the rest, exit 1', async () => {
    const xero = await xeroFake({ periodLockDate: '2024-02-10' });
    const ws = workspace({ xero });
    await bookEntries(ws.dir, [spendEntry(1, '2024-02-03'), spendEntry(2, '2024-02-15')]);

    const checked = await doctor('xero', ws);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain(
      '  ✗ lock date: books locked through 2024-02-10; 1 entry waiting to be posted (from 2024-02-03) fall on or before it and will be held back\n',
    );

    const posted = await post('xero', ws);
    expect(posted.code).toBe(1);
    expect(posted.stdout).toContain(
      'je:test:0001 (2024-02-03): Xero: entry je:test:0001 dated 2024-02-03 falls in a closed period (books locked through 2024-02-10)',
    );
    expect(xero.fake.journals().map((journal) => journal.date)).toEqual(['2024-02-15']);
  });

  it('a configuration that cannot be read is exit 2 with the problem in the checklist', async () => {
    const xero = await xeroFake();
    const ws = workspace({ xero }, [{ file: 'xero.yaml', key: 'rounding', line: '{ taxType: NONE }' }]);
    const checked = await doctor('xero', ws);
    expect(checked.code).toBe(2);
    expect(checked.stdout).toMatch(
      /^configuration\n {2}✗ ledgerline\.yaml and mappings: configuration error: .*xero\.yaml at accounts\.rounding/,
    );
  });
});

describe('ledgerline doctor and post against a QuickBooks company', () => {
  it('a class and a location by name: doctor finds their ids (exit 0), post sends ClassRef and DepartmentRef by them', async () => {
    const quickbooks = await quickbooksFake({
      classes: [{ id: '5000000000000012', name: 'SMM panels' }],
      departments: [{ id: '7', name: 'Remote' }],
    });
    const ws = workspace({ quickbooks }, [
      {
        file: 'quickbooks.yaml',
        key: 'smm_services_expense',
        line: '{ id: "11", name: "SMM Services", class: SMM panels, location: Remote }',
      },
    ]);
    await bookEntries(ws.dir, [spendEntry(1, '2024-02-03')]);

    const checked = await doctor('quickbooks', ws);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toContain(
      '  ✓ class "SMM panels" of account 11 "SMM Services" (smm_services_expense): exists (id 5000000000000012)\n',
    );
    expect(checked.stdout).toContain(
      '  ✓ location "Remote" of account 11 "SMM Services" (smm_services_expense): exists (id 7)\n',
    );

    const posted = await post('quickbooks', ws);
    expect(posted.code, posted.stdout + posted.stderr).toBe(0);
    const lines = quickbooks.fake.journalEntries().flatMap((entry) => entry.lines);
    expect(lines.filter((line) => line.classId === '5000000000000012' && line.departmentId === '7')).toHaveLength(1);
  });

  it('a class QuickBooks does not have: doctor exit 1, post holds the entry back naming it (exit 1)', async () => {
    const quickbooks = await quickbooksFake({ classes: [{ id: '1', name: 'Other' }] });
    const ws = workspace({ quickbooks }, [
      {
        file: 'quickbooks.yaml',
        key: 'smm_services_expense',
        line: '{ id: "11", name: "SMM Services", class: SMM panels }',
      },
    ]);
    await bookEntries(ws.dir, [spendEntry(1, '2024-02-03')]);
    expect((await doctor('quickbooks', ws)).code).toBe(1);
    const posted = await post('quickbooks', ws);
    expect(posted.code).toBe(1);
    expect(posted.stdout).toContain(
      'class "SMM panels" of account 11 "SMM Services" (smm_services_expense) is not an active class in QuickBooks (',
    );
    expect(posted.stdout).toContain('quickbooks.yaml at accounts.smm_services_expense.class)');
    expect(quickbooks.fake.writeRequestCount()).toBe(0);
  });

  it('an Accounts Receivable line: held back without a customer (doctor exit 1, post exit 1); with one, each line carries it', async () => {
    const accounts = shippedChartsForFakes().quickbooks.map((account) =>
      account.id === '2' ? { ...account, accountType: 'Accounts Receivable' } : account,
    );
    const quickbooks = await quickbooksFake({ accounts, customers: [{ id: '58', name: 'Payelancer' }] });
    const ws = workspace({ quickbooks });
    await bookEntries(ws.dir, [earningsEntry('2024-02-03')]);

    const unchecked = await doctor('quickbooks', ws);
    expect(unchecked.code).toBe(1);
    expect(unchecked.stdout).toContain(
      '  ✗ account 2 "Payelancer Receivable" (payelancer_receivable): is an Accounts Receivable account: QuickBooks needs a customer on each of its journal lines\n',
    );
    const refused = await post('quickbooks', ws);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'held back, not sent to QuickBooks: account 2 "Payelancer Receivable" (payelancer_receivable) is an Accounts Receivable account',
    );
    expect(quickbooks.fake.writeRequestCount()).toBe(0);

    editMapping(ws.dir, {
      file: 'quickbooks.yaml',
      key: 'payelancer_receivable',
      line: '{ id: "2", name: "Payelancer Receivable", customer: Payelancer }',
    });
    const checked = await doctor('quickbooks', ws);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toContain(
      '  ✓ customer "Payelancer" of account 2 "Payelancer Receivable" (payelancer_receivable): exists (id 58)\n',
    );
    const posted = await post('quickbooks', ws);
    expect(posted.code, posted.stdout + posted.stderr).toBe(0);
    const [entry] = quickbooks.fake.journalEntries();
    expect(entry?.lines.map((line) => [line.accountId, line.entity])).toEqual([
      ['2', { type: 'Customer', id: '58' }],
      ['9', undefined],
    ]);
  });

  it('an inactive account no waiting entry uses: a warning (exit 0), and post delivers the rest (exit 0)', async () => {
    const accounts = shippedChartsForFakes().quickbooks.map((account) =>
      account.id === '13' ? { ...account, active: false } : account,
    );
    const quickbooks = await quickbooksFake({ accounts });
    const ws = workspace({ quickbooks });
    await bookEntries(ws.dir, [spendEntry(1, '2024-02-03')]);
    const checked = await doctor('quickbooks', ws);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain(
      '  ! account 13 "Suspense" (suspense): "Suspense (suspense)" is inactive (deleted) in QuickBooks; no entry waiting to be posted is booked to suspense',
    );
    expect((await post('quickbooks', ws)).code).toBe(0);
    expect(quickbooks.fake.journalEntries()).toHaveLength(1);
  });

  it('a company that cannot be reached is exit 3', async () => {
    const quickbooks = await quickbooksFake();
    const ws = workspace({ quickbooks });
    quickbooks.fake.revokeTokens();
    const checked = await doctor('quickbooks', ws);
    expect(checked.code).toBe(3);
    expect(checked.stdout).toContain('  ✗ connection: ');
    expect(checked.stdout).not.toContain(SECRETS.QBO_REFRESH_TOKEN);
  });
});

describe('ledgerline doctor on the configuration init writes for the sandbox', () => {
  it('asks each source once and checks both destinations (exit 0); a wrong panel key makes the panel unreachable (exit 3)', async () => {
    const fakes = createDestinationFakes();
    const sandbox = await startSandbox({ port: 0, today: '2026-03-01', extraMounts: [fakes.xero, fakes.quickbooks] });
    closers.push(() => sandbox.close());
    const dir = tempDir();
    const env = { ...SANDBOX_ENVIRONMENT, NO_COLOR: '1' };
    expect((await runLedgerline(['init', '--sandbox-url', sandbox.baseUrl], { cwd: dir, env })).code).toBe(0);

    const checked = await runLedgerline(['doctor'], { cwd: dir, env });
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(
      /^configuration\n {2}✓ ledgerline\.yaml and mappings: read .*: 3 sources, destinations: xero, quickbooks\n/,
    );
    expect(checked.stdout).toMatch(/\n {2}✓ balance: the panel answered: [\d.]+/);
    expect(checked.stdout).toContain('\n  ✓ stats: the ad network answered (publisher key)\n');
    expect(checked.stdout).toContain('\nXero\n  ✓ token: ');
    expect(checked.stdout).toContain('\nQuickBooks\n  ✓ token: ');
    expect(fakes.xero.writeRequestCount() + fakes.quickbooks.writeRequestCount()).toBe(0);

    const wrongKey = await runLedgerline(['doctor', '--to', 'xero'], {
      cwd: dir,
      env: { ...env, PANEL_KEY: 'not-the-key' },
    });
    expect(wrongKey.code).toBe(3);
    expect(wrongKey.stdout).toMatch(
      / {2}✗ balance: .*\n {6}fix: check this source's url and apiKey in ledgerline\.yaml/,
    );
    expect(wrongKey.stdout).not.toContain('not-the-key');
  });
});
