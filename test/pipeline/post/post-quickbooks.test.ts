import { afterEach, beforeEach, describe, expect, it as vitestIt, type TestFunction } from 'vitest';
import type { QuickbooksClientOptions } from '../../../src/destinations/quickbooks/quickbooks-client.js';
import { quickbooksDocNumber } from '../../../src/destinations/quickbooks/quickbooks-payload.js';
import { planOver, postOver } from './post-over-books.js';
import {
  startQuickBooksFake,
  type QuickBooksFakeOptions,
  type RunningQuickBooksFake,
} from '../../../sandbox/quickbooks/fake.js';
import { LEDGER_ENGINES, useLedgerEngines, type LedgerEngine } from '../../support/ledger-engines.js';
import { enginesWithTests, runsOn } from '../../support/soak.js';
import { useTempDir } from '../../support/temp-dir.js';
import {
  clientHarness,
  entryId,
  quickbooksClientFor,
  quickbooksConfig,
  spendEntry,
  type ClientHarness,
} from '../post-fixtures.js';
import { appendEntries, deliveryStates, openLedgerBooks } from '../post-books.js';
import { collect, type Books } from '../../support/books.js';

const tempDir = useTempDir('ledgerline-post-qbo-');
const engines = useLedgerEngines();
/** The engine the running describe block's ledgers are on. */
let engine: LedgerEngine = 'sqlite';
const REFRESH = 'qbo-configured-refresh-token-1';
let running: RunningQuickBooksFake | undefined;
let booksOpen: Books[] = [];

afterEach(async () => {
  await running?.close();
  running = undefined;
  for (const books of booksOpen) await books.close();
  booksOpen = [];
});

async function setup(entries: number, options: Omit<QuickBooksFakeOptions, 'now' | 'refreshToken'> = {}) {
  const dir = tempDir();
  const harness: ClientHarness = clientHarness(dir);
  running = await startQuickBooksFake({ ...options, refreshToken: REFRESH, now: () => harness.clock.now() });
  const server = running;
  const books = await openLedgerBooks(dir, await engines.fresh(engine));
  booksOpen.push(books);
  await appendEntries(
    books,
    Array.from({ length: entries }, (_, index) =>
      spendEntry(index + 1, `2024-02-${String((index % 28) + 1).padStart(2, '0')}`),
    ),
  );
  const post = (extra: Partial<QuickbooksClientOptions> = {}) =>
    postOver(books, { client: quickbooksClientFor(server, harness, REFRESH, extra), clock: harness.clock });
  return { server, harness, books, post };
}

/** Journal entries the fake holds per store entry, read from the id in PrivateNote: exactly-once means all 1. */
function copiesByEntry(server: RunningQuickBooksFake): Record<string, number> {
  const copies: Record<string, number> = {};
  for (const journal of server.fake.journalEntries()) {
    const id = /\[([^\]]+)\]$/.exec(journal.privateNote ?? '')?.[1] ?? '?';
    copies[id] = (copies[id] ?? 0) + 1;
  }
  return copies;
}

const ids = (count: number): string[] => Array.from({ length: count }, (_, index) => entryId(index + 1));
const once = (list: readonly string[]): Record<string, number> => Object.fromEntries(list.map((id) => [id, 1]));

describe.each(enginesWithTests(LEDGER_ENGINES))('post to QuickBooks (%s ledger)', (ledgerEngine) => {
  beforeEach(() => {
    engine = ledgerEngine;
  });
  /** `test`: the outbox's rows on each engine are the subject (both engines in npm test; soak.ts runsOn). */
  const test = (name: string, fn: TestFunction) => {
    if (runsOn(ledgerEngine, 'store')) vitestIt(name, fn);
  };
  /** `it`: the poster's rule, the same over either engine's books (SQLite in npm test, PostgreSQL in the soak). */
  const it = (name: string, fn: TestFunction) => {
    if (runsOn(ledgerEngine, 'rule')) vitestIt(name, fn);
  };

  test('posts every entry once in batches of 30 under their journal numbers, and a second post sends nothing', async () => {
    const { server, books, post } = await setup(70);

    const first = await post();

    expect(first).toMatchObject({
      destination: 'quickbooks',
      posted: 70,
      refused: [],
      unfinished: 0,
      calls: { reads: 4, writes: 3 },
    });
    expect(copiesByEntry(server)).toEqual(once(ids(70)));
    const rendered = await collect(books.ledger.renderedEntries());
    expect(
      server.fake
        .journalEntries()
        .map((journal) => journal.docNumber)
        .sort(),
    ).toEqual(rendered.map((entry) => quickbooksDocNumber(entry)).sort());

    expect((await post()).posted).toBe(0);
    expect(server.fake.writeRequestCount()).toBe(3);
  });

  it('a batch refused for its size (1040) goes again in the smaller batches the refusal names, and later chunks are split before sending: no entry twice', async () => {
    const { server, harness, post } = await setup(70, { limits: { batchItems: 10 } });
    const report = await post();
    expect(report).toMatchObject({ posted: 70, refused: [], unfinished: 0 });
    expect(report.stoppedBy).toBeUndefined();
    expect(copiesByEntry(server)).toEqual(once(ids(70)));
    // The first batch of 30 was refused, and so was the second when it left before that refusal came back (requests
    // run in parallel: on SQLite they do, on PostgreSQL the first reply may come back first); then seven of 10.
    const batches = server.fake
      .requestLog()
      .filter((record) => record.method === 'POST' && record.path.includes('/batch'));
    const outcomes = batches.map((record) => record.outcome);
    expect(outcomes.filter((outcome) => outcome === 200)).toHaveLength(7);
    expect(outcomes.filter((outcome) => outcome === 400).length).toBeOneOf([1, 2]);
    expect(outcomes).toHaveLength(batches.length);
    expect(harness.logs).toContain('QuickBooks refused a batch of 30 for its size; sending batches of 10 from now on');
  });

  it('destinations.quickbooks.batchSize sets the batch size: 70 entries in batches of 20 are 4 requests', async () => {
    const { server, post } = await setup(70);
    const config = quickbooksConfig(server, REFRESH, { batchSize: 20 });
    const report = await post({ config });
    // Reads: the organisation, then what QuickBooks holds of the 70, looked up once for the run (30 DocNumbers a query), not before each request.
    expect(report).toMatchObject({ posted: 70, calls: { reads: 4, writes: 4 } });
    expect(copiesByEntry(server)).toEqual(once(ids(70)));
  });

  it('entries on or before BookCloseDate are refused without sending; the others post, and each refusal names the entry, its date and the close date', async () => {
    const { server, post } = await setup(4, { bookCloseDate: '2024-02-02' });
    const report = await post();
    expect(report.posted).toBe(2);
    expect(report.refused).toEqual([
      {
        entryId: entryId(1),
        date: '2024-02-01',
        reason:
          'QuickBooks: entry je:test:0001 dated 2024-02-01 falls in a closed period (books locked through 2024-02-02); it stays unposted until the lock date is moved',
      },
      {
        entryId: entryId(2),
        date: '2024-02-02',
        reason:
          'QuickBooks: entry je:test:0002 dated 2024-02-02 falls in a closed period (books locked through 2024-02-02); it stays unposted until the lock date is moved',
      },
    ]);
    // A batch runs in an order QuickBooks does not promise.
    expect(
      server.fake
        .journalEntries()
        .map((journal) => journal.txnDate)
        .sort(),
    ).toEqual(['2024-02-03', '2024-02-04']);

    server.fake.setBookCloseDate(null);
    expect((await post()).posted).toBe(2);
    expect(copiesByEntry(server)).toEqual(once(ids(4)));
  });

  it('a Fault inside HTTP 200 for one item refuses only that entry; the rest of the batch is posted', async () => {
    const { server, books, post } = await setup(3);
    await appendEntries(books, [
      {
        ...spendEntry(4),
        lines: spendEntry(4).lines.map((line) =>
          line.account === 'smm_services_expense' ? { ...line, account: 'advertising_expense' } : line,
        ),
      },
    ]);
    const report = await post({
      mapping: {
        smm_services_expense: { id: '11', name: 'SMM' },
        panel_prepaid: { id: '3', name: 'Panel' },
        advertising_expense: { id: '404', name: 'Gone' },
      },
    });
    expect(report.posted).toBe(3);
    expect(report.refused).toEqual([
      {
        entryId: entryId(4),
        date: '2024-02-15',
        reason:
          'QuickBooks: request refused (HTTP 200): entry je:test:0004: Invalid Reference Id: Invalid Reference Id : Accounts element id 404 not found (code 2500)',
      },
    ]);
    expect(await deliveryStates(books, 'quickbooks')).toEqual({
      [entryId(1)]: 'posted',
      [entryId(2)]: 'posted',
      [entryId(3)]: 'posted',
      [entryId(4)]: 'refused',
    });
    expect(copiesByEntry(server)).toEqual(once(ids(3)));
  });

  it('an entry whose journal number an entry of the same date already holds is refused unsent, naming both; the others post', async () => {
    const { server, books, post } = await setup(0);
    // These two ids' SHA-256 share their first 45 bits: on one date both make LL-<date>-rpf814pxd.
    const [holder, latecomer] = ['je:clash:10052836', 'je:clash:11399223'];
    await appendEntries(books, [{ ...spendEntry(1), id: holder }]);
    expect((await post()).posted).toBe(1);

    await appendEntries(books, [{ ...spendEntry(2), id: latecomer }, spendEntry(3)]);
    const report = await post();
    expect(report.posted).toBe(1);
    expect(report.refused).toEqual([
      {
        entryId: latecomer,
        date: '2024-02-15',
        reason: `entry ${latecomer}: its journal number LL-20240215-rpf814pxd is also that of entry ${holder} (the same date and the same 9 hash digits); it is held back: please report it`,
      },
    ]);
    expect(copiesByEntry(server)).toEqual({ [holder]: 1, [entryId(3)]: 1 });
  });

  it('a batch stored before the connection dropped is found by DocNumber, not sent twice', async () => {
    // Two full batches of 30: they leave at once and either may reach the fake first and be the one dropped.
    const { server, post } = await setup(60);
    server.fake.injectFault({ kind: 'drop-after-commit' });
    const report = await post();
    expect(report).toMatchObject({ posted: 60, unfinished: 0 });
    expect(report.confirmedByLookup).toBe(30);
    expect(server.fake.requestLog().filter((record) => record.outcome === 'dropped')).toHaveLength(1);
    expect(copiesByEntry(server)).toEqual(once(ids(60)));
  });

  test('a 429 storm past the budget stops the run (exit 3) and puts the throttled batch back as it was', async () => {
    const { server, books, post } = await setup(10);
    server.fake.injectFault({ kind: 'rate-limit' }, { times: 10 });
    const report = await post({ waitBudget: { maxAttempts: 3, maxTotalWaitMs: 10 * 60_000 } });
    expect(report.stoppedBy).toEqual({
      error: 'RateLimitedError',
      exitCode: 3,
      message: 'QuickBooks: creating 10 journal entries in a batch: kept answering 429',
    });
    expect(await deliveryStates(books, 'quickbooks')).toEqual({});
    server.fake.clearFaults();
    expect((await post()).posted).toBe(10);
    expect(copiesByEntry(server)).toEqual(once(ids(10)));
  });

  it('a dry run forecasts against 40 batch writes a minute and sends nothing', async () => {
    const { server, books, harness } = await setup(1250);
    const plan = await planOver(books, { client: quickbooksClientFor(server, harness, REFRESH) });
    expect(server.fake.writeRequestCount()).toBe(0);
    expect(plan.entries).toHaveLength(1250);
    // The lock-date read and the journal numbers of each batch looked up before it leaves.
    expect(plan.calls).toEqual({ reads: 43, writes: 42, total: 85 });
    expect(plan.forecast).toEqual({
      requestsPerMinute: 500,
      writesPerMinute: 40,
      requestsPerDay: undefined,
      minutesAtLimit: 2,
      percentOfDay: undefined,
    });
  });
});
