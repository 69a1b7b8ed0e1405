import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import { startXeroFake, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { approveAdjustment } from '../../src/pipeline/reports/index.js';
import { adjustmentBooksOver } from '../../src/store/adjustment-books-store.js';
import { queryBuilder } from '../../src/store/query-builder.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';
import { openLedgerStore, shippedChartsForFakes } from '../pipeline/post-fixtures.js';
import { SECRETS, runCli, writeConfig } from './post-cli-harness.js';

const tempDir = useTempDir('ledgerline-adjust-cli-');
const engines = useLedgerEngines();
const charts = shippedChartsForFakes();
const FINDING = 'finding:smm-panel:panel_unexplained_fall:close:2024-02-09';
const ENTRY = 'je:adjustment:2024-02-10:1';
const LINES = ['--debit', 'smm_services_expense=28.71', '--credit', 'Suspense (to review)=28.71'];

/** Each world its own fakes: QuickBooks rotates the refresh token, which only the first world's token store would keep. */
const fakes: { xero: RunningXeroFake; quickbooks: RunningQuickBooksFake }[] = [];
async function startFakes(): Promise<{ xero: RunningXeroFake; quickbooks: RunningQuickBooksFake }> {
  const xero = await startXeroFake({ clientId: SECRETS.XERO_CLIENT_ID, clientSecret: SECRETS.XERO_CLIENT_SECRET, accounts: charts.xero });
  const quickbooks = await startQuickBooksFake({
    clientId: SECRETS.QBO_CLIENT_ID,
    clientSecret: SECRETS.QBO_CLIENT_SECRET,
    refreshToken: SECRETS.QBO_REFRESH_TOKEN,
    refreshTokenGraceMs: 0,
    accounts: charts.quickbooks,
  });
  fakes.push({ xero, quickbooks });
  return { xero, quickbooks };
}
afterAll(async () => {
  for (const { xero, quickbooks } of fakes.splice(0)) {
    await xero.close();
    await quickbooks.close();
  }
});

/** A ledger with one open suspense finding: the panel's balance fell by 28.71 that no order explains. */
async function worldWithFinding(ledgerUrl: string | undefined, extra = '', dir = tempDir()): Promise<{ dir: string; config: string; xero: RunningXeroFake }> {
  const { xero, quickbooks } = await startFakes();
  const config = writeConfig(dir, { xero, quickbooks }, extra, ledgerUrl);
  const store = await openLedgerStore(join(dir, 'data'), ledgerUrl);
  try {
    await store.run(
      queryBuilder(store)
        .insertInto('discrepancies')
        .values({ id: FINDING, kind: 'panel_unexplained_fall', source_id: 'smm-panel', date: '2024-02-09', amount_micros: 28_710_000n, currency: 'USD', ref: 'close', message: 'the balance fell by 28.71 USD that no order explains', created_at: '2024-02-10T00:00:00.000Z', resolved_at: null }),
    );
  } finally {
    await store.close();
  }
  return { dir, config, xero };
}

async function adjustmentCount(dir: string, ledgerUrl?: string): Promise<number> {
  const store = await openLedgerStore(join(dir, 'data'), ledgerUrl);
  try {
    return (await adjustmentBooksOver(store).all()).length;
  } finally {
    await store.close();
  }
}

describe.each(LEDGER_ENGINES)('ledgerline adjust (%s ledger)', (engine) => {
  it('books a balanced entry explaining a finding (acknowledged, with who and why), and post delivers it to Xero and QuickBooks', async () => {
    const ledgerUrl = await engines.fresh(engine);
    const { dir, config, xero } = await worldWithFinding(ledgerUrl);
    const booked = await runCli(['adjust', '--config', config, '--date', '2024-02-10', ...LINES, '--reason', 'orders placed by hand on the panel', '--explains', FINDING], { cwd: dir });
    expect(booked.stderr).toBe('');
    expect(booked.code).toBe(0);
    expect(booked.stdout).toMatch(new RegExp(`^booked adjusting entry ${ENTRY} dated 2024-02-10, by \\S+ at \\S+: orders placed by hand on the panel\\n`));
    expect(booked.stdout).toContain('  Dr smm_services_expense                28.71 USD\n  Cr suspense                            28.71 USD\n');
    expect(booked.stdout).toContain(`acknowledged: ${FINDING} (explained by this entry)`);

    const items = JSON.parse((await runCli(['reconcile', '--config', config, '--as-of', '2024-02-10', '--json'], { cwd: dir })).stdout) as { items: { id: string; acknowledged: { note: string | null } | null }[] };
    expect(items.items.find((item) => item.id === FINDING)?.acknowledged?.note).toBe(`explained by adjusting entry ${ENTRY}: orders placed by hand on the panel`);

    const report = await runCli(['report', '--config', config, '--out', join(dir, 'report.html')], { cwd: dir });
    expect(report.code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(
      new RegExp(`<tr><td>2024-02-10</td><td>${ENTRY}</td><td>orders placed by hand on the panel</td><td>[^<]+</td><td class="num">[^<]+</td><td>${FINDING}</td><td>not needed</td></tr>`),
    );

    const toXero = await runCli(['post', 'xero', '--config', config], { cwd: dir });
    expect(toXero.stdout).toMatch(/^Xero: 1 posted, 0 refused/);
    const journal = xero.fake.journals().find((candidate) => candidate.narration.includes(ENTRY));
    expect(journal?.narration).toBe(`Adjusting entry: orders placed by hand on the panel [${ENTRY}]`);
    const toQuickBooks = await runCli(['post', 'quickbooks', '--config', config], { cwd: dir });
    expect(toQuickBooks.stdout).toMatch(/^QuickBooks: 1 posted, 0 refused/);
  });
});

describe('ledgerline adjust refuses, naming what is wrong, and books nothing', () => {
  let world: { dir: string; config: string; xero: RunningXeroFake };
  // One world read by every refusal (made outside useTempDir, which empties a folder after each test).
  beforeAll(async () => {
    world = await worldWithFinding(undefined, '', mkdtempSync(join(tmpdir(), 'ledgerline-adjust-refusals-')));
  });
  afterAll(() => rmSync(world.dir, { recursive: true, force: true }));
  const adjust = (...args: string[]) => runCli(['adjust', '--config', world.config, '--reason', 'a test', ...args], { cwd: world.dir });

  it.each([
    [['--date', '2024-02-10', '--debit', 'suspense=28.71', '--credit', 'smm_services_expense=28.70'], 'the lines do not balance: debits 28.71 USD, credits 28.70 USD (a difference of 0.01)'],
    [['--date', '2024-02-10', '--debit', 'suspence=28.71', '--credit', 'smm_services_expense=28.71'], '--debit suspence=28.71: no account "suspence" in'],
    [['--date', '2024-02-10', '--debit', 'suspense=28.715', '--credit', 'smm_services_expense=28.715'], '--debit suspense=28.715: 28.715 has more than the 2 decimal places USD is written with'],
    [['--date', '2024-02-10', '--debit', 'suspense=-1', '--credit', 'smm_services_expense=1'], '--debit suspense=-1: the amount "-1" is not a plain positive amount'],
  ])('%j', async (args, message) => {
    const run = await adjust(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(await adjustmentCount(world.dir)).toBe(0);
  });

  it('an entry dated in a destination\'s locked period, naming the date and the lock', async () => {
    world.xero.fake.setLockDates({ periodLockDate: '2024-02-29' });
    try {
      const run = await adjust('--date', '2024-02-10', ...LINES);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('Xero: an adjusting entry dated 2024-02-10 falls in a closed period (books locked through 2024-02-29); nothing was booked');
    } finally {
      world.xero.fake.setLockDates({ periodLockDate: null });
    }
    expect(await adjustmentCount(world.dir)).toBe(0);
  });
});

describe('with adjustments.requireApproval', () => {
  it('post holds the entry back until a second person approves it; its author cannot', async () => {
    const { dir, config } = await worldWithFinding(undefined, 'adjustments:\n  requireApproval: true\n');
    const booked = await runCli(['adjust', '--config', config, '--date', '2024-02-11', ...LINES, '--reason', 'waits for a second person'], { cwd: dir });
    expect(booked.code).toBe(0);
    const entry = 'je:adjustment:2024-02-11:1';
    expect(booked.stdout).toContain(`it waits for a second person's approval before it is posted: ledgerline adjust approve ${entry}`);

    const held = await runCli(['post', 'xero', '--config', config], { cwd: dir });
    expect(held.code).toBe(1);
    expect(held.stdout).toContain(`adjusting entry ${entry} waits for a second person's approval (adjustments.requireApproval): run "ledgerline adjust approve ${entry}" as another user`);

    const own = await runCli(['adjust', 'approve', entry, '--config', config], { cwd: dir });
    expect(own.code).toBe(2);
    expect(own.stderr).toContain(`: a second person approves it (run "ledgerline adjust approve ${entry}" as another user)`);

    // The second person: another OS user, which this process cannot become; the use case is handed that user.
    const store = await openLedgerStore(join(dir, 'data'));
    try {
      const approved = await approveAdjustment({ adjustments: adjustmentBooksOver(store) }, entry, { user: 'second-person', now: new Date('2024-02-12T09:00:00Z') });
      expect(approved.approval).toEqual({ by: 'second-person', at: '2024-02-12T09:00:00.000Z' });
    } finally {
      await store.close();
    }
    const posted = await runCli(['post', 'xero', '--config', config], { cwd: dir });
    expect(posted.stdout).toMatch(/^Xero: 1 posted, 0 refused/);
  });
});
