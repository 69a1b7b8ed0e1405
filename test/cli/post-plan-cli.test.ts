import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';
import { shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';
import { deliveryStates, openLedgerBooks } from '../pipeline/post-books.js';
import { SECRETS, assertBuilt, bookEntries, runCli, writeConfig } from './post-cli-harness.js';
import { sameUtcDayFor } from '../support/utc-day.js';

const tempDir = useTempDir('ledgerline-post-plan-');
const engines = useLedgerEngines();
const charts = shippedChartsForFakes();
const closers: (() => Promise<void>)[] = [];

beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A Xero tenant whose day allows 16 calls: two plans, one post, and too few left for the next. */
async function xeroFake(): Promise<RunningXeroFake> {
  const server = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    accounts: charts.xero,
    limits: { perDay: 16 },
  });
  closers.push(server.close);
  return server;
}

const entries = (first: number, count: number) =>
  Array.from({ length: count }, (_, index) =>
    spendEntry(first + index, `2024-02-${String(first + index).padStart(2, '0')}`),
  );

describe.each(LEDGER_ENGINES)('ledgerline post --plan and the day budget (the built CLI, %s ledger)', (engine) => {
  let ledgerUrl: string | undefined;
  beforeEach(async () => {
    ledgerUrl = await engines.fresh(engine);
    // The budget is the UTC day's: a test that crossed midnight would see it reset between its runs.
    await sameUtcDayFor(90_000);
  });

  it("plans inside Xero's word on the calls left, posts, then stops before sending once the day's budget is spent", async () => {
    const dir = tempDir();
    const xero = await xeroFake();
    const config = writeConfig(dir, { xero }, '', ledgerUrl);
    await bookEntries(dir, entries(1, 3), ledgerUrl);
    const tomorrow = new Date(Date.parse(new Date().toISOString().slice(0, 10)) + 86_400_000).toISOString();

    const plan = await runCli(['post', '--plan', '--to', 'xero', '--json', '--config', config], { cwd: dir });
    expect(plan.code).toBe(0);
    // The plan's reads of the organisation (4) already count: Xero says 12 of its 16 are left.
    expect(JSON.parse(plan.stdout)).toEqual({
      destination: 'Xero',
      entries: 3,
      heldBack: [],
      callsNeeded: 6,
      budget: { left: 12, perDay: 5000, resetsAt: tomorrow },
      days: 1,
      nights: [
        {
          night: 1,
          day: new Date().toISOString().slice(0, 10),
          entries: 3,
          from: '2024-02-01',
          to: '2024-02-03',
          calls: 6,
        },
      ],
    });
    const text = await runCli(['post', 'xero', '--plan', '--config', config], { cwd: dir });
    expect(text.stdout).toBe(
      [
        'post plan for Xero (nothing is sent): 3 entries to send',
        'calls needed: 6 (reads of the organisation, look-ups and journals)',
        `calls left today: 8 of 5000 a day (resets at ${tomorrow})`,
        'days: 1',
        `night 1, ${new Date().toISOString().slice(0, 10)}: 3 entries dated 2024-02-01 to 2024-02-03, 6 calls`,
        '',
      ].join('\n'),
    );
    expect(xero.fake.writeRequestCount()).toBe(0);
    // Each plan is recorded under the command that ran: a plan, not a dry run.
    const status = await runCli(['status', '--json', '--config', config], { cwd: dir });
    const commands = (JSON.parse(status.stdout) as { runs: { command: string }[] }).runs.map((run) => run.command);
    expect(commands.filter((command) => command.startsWith('post'))).toEqual(['post --plan', 'post --plan']);

    const posted = await runCli(['post', 'xero', '--config', config], { cwd: dir });
    expect(posted.code).toBe(0);
    expect(xero.fake.journals()).toHaveLength(3);

    await bookEntries(dir, entries(4, 2), ledgerUrl);
    const calls = xero.fake.requestLog().length;
    const spent = await runCli(['post', 'xero', '--config', config], { cwd: dir });
    expect(spent.code).toBe(3);
    expect(spent.stderr).toContain(
      `Xero: today's budget of 5000 API calls for organisation ${xero.fake.tenantId} is spent; nothing more was sent. ` +
        `It resets at ${tomorrow}: run the same post again then, and it resumes where this one stopped`,
    );
    // Stopped on the ledger's counter and Xero's last word (2 left, fewer than reading the organisation takes): no call made.
    expect(xero.fake.requestLog().length).toBe(calls);
    const books = await openLedgerBooks(join(dir, 'data'), ledgerUrl);
    try {
      expect(Object.values(await deliveryStates(books, 'xero'))).toEqual(['posted', 'posted', 'posted']);
    } finally {
      await books.close();
    }
  });
});
