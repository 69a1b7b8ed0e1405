import { afterEach, describe, expect, it } from 'vitest';
import type { DestinationClient } from '../../../src/destinations/index.js';
import { callBudgetToday, recordCallsSpent, withinBudget } from '../../../src/pipeline/post/call-budget.js';
import { planNights } from '../../../src/pipeline/post/budget-plan.js';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';
import { postBooksInMemory } from '../../support/post-outbox-double.js';
import { useTempDir } from '../../support/temp-dir.js';
import { clientHarness, spendEntry, START_MS, xeroClientFor } from '../post-fixtures.js';
import { planOver, postOver } from './post-over-books.js';

const tempDir = useTempDir('ledgerline-budget-');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const DAY_MS = 86_400_000;
/** The fake's and the client's day: 40 calls, so a year of daily journals at 5 a request takes three nights. */
const PER_DAY = 40;
const YEAR = Array.from({ length: 365 }, (_, index) =>
  spendEntry(index + 1, new Date(Date.UTC(2023, 0, 1) + index * DAY_MS).toISOString().slice(0, 10)),
);

/** The plan and the nights are the subject: the outbox's rows on each engine are post-outbox-contract.test.ts's. */
describe.each(['in-memory books'])('a year backfilled into a Xero tenant within its daily calls, on %s', () => {
  it('is planned as three nights, oldest first, then runs night after night inside the budget, resumed, nothing posted twice', async () => {
    const dir = tempDir();
    const harness = clientHarness(dir);
    const server: RunningXeroFake = await startXeroFake({
      limits: { perDay: PER_DAY },
      now: () => harness.clock.now(),
    });
    closers.push(server.close);
    const books = postBooksInMemory();
    await books.ledger.appendEntries(YEAR, { now: new Date(START_MS) });
    const outbox = books.postOutbox('xero');
    const clientNow = (): DestinationClient =>
      xeroClientFor(server, harness, { limits: { requestsPerDay: PER_DAY, entriesPerRequest: 5 } });

    const planning = clientNow();
    const dryRun = await planOver(books, { client: planning });
    const plan = planNights(
      dryRun.entries,
      { settingsReads: planning.callCounts().reads, entriesPerRequest: 5 },
      await callBudgetToday(outbox, planning, harness.clock.now()),
      dryRun.calls.total,
    );
    expect(plan.days).toBe(3);
    expect(plan.nights.map(({ day, entries, from, to }) => ({ day, entries, from, to }))).toEqual([
      { day: '2024-03-01', entries: 155, from: '2023-01-01', to: '2023-06-04' },
      { day: '2024-03-02', entries: 170, from: '2023-06-05', to: '2023-11-21' },
      { day: '2024-03-03', entries: 40, from: '2023-11-22', to: '2023-12-31' },
    ]);

    const night = async () => {
      const client = clientNow();
      const budget = (await callBudgetToday(outbox, client, harness.clock.now()))!;
      try {
        return await postOver(books, { client: withinBudget(client, budget), clock: harness.clock });
      } finally {
        await recordCallsSpent(outbox, client, budget, new Date(harness.clock.now()).toISOString());
      }
    };
    const reports = [];
    for (let nights = 0; nights < 5; nights += 1) {
      reports.push(await night());
      // The same day again sends nothing and asks Xero nothing: the ledger's counter says the budget is spent.
      const calls = server.fake.requestLog().length;
      if (reports.at(-1)?.unfinished !== 0) expect((await night()).stoppedBy?.error).toBe('CallBudgetSpentError');
      expect(server.fake.requestLog().length).toBe(calls);
      harness.clock.advance(DAY_MS);
    }

    expect(reports.map((report) => [report.posted, report.unfinished, report.stoppedBy?.error])).toEqual([
      // The dry run's own read counted against the first day: Xero's remaining-call header said so.
      [150, 215, 'CallBudgetSpentError'],
      [170, 45, 'CallBudgetSpentError'],
      [45, 0, undefined],
      [0, 0, undefined],
      [0, 0, undefined],
    ]);
    expect(reports[0]?.stoppedBy?.message).toMatch(/resets at 2024-03-02T00:00:00\.000Z/);
    // Xero never had to refuse a call, and each day's calls stayed within its 40.
    expect(server.fake.requestLog().filter((record) => record.outcome === 429)).toEqual([]);
    const perDay = new Map<string, number>();
    for (const record of server.fake.requestLog().filter((call) => call.path.startsWith('/api.xro'))) {
      const day = new Date(record.at).toISOString().slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    // The plan's read and the first night's 39 calls, the second night's 40, the last 11; then a lock-date read a night.
    expect([...perDay.values()]).toEqual([40, 40, 11, 1, 1]);
    // Each of the 365 entries is one journal at Xero, found by its reference.
    const references = server.fake.journals().map((journal) => /\[([^\]]+)\]$/.exec(journal.narration)?.[1]);
    expect(references).toHaveLength(365);
    expect(new Set(references).size).toBe(365);
  });
});
