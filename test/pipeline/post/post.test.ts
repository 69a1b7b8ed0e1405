import { afterEach, beforeEach, describe, expect, it, type TestFunction } from 'vitest';
import type { DestinationClient } from '../../../src/destinations/destination-client.js';
import { ConfigError, InvariantViolation } from '../../../src/errors.js';
import { postOutbox, type postEntries } from '../../../src/pipeline/post/index.js';
import { planOver, postOver } from './post-over-books.js';
import {
  startXeroFake,
  XERO_DEFAULT_ACCOUNTS,
  type RunningXeroFake,
  type XeroFakeOptions,
} from '../../../sandbox/xero/fake.js';
import { LEDGER_ENGINES, useLedgerEngines, type LedgerEngine } from '../../support/ledger-engines.js';
import { enginesWithTests, runsOn } from '../../support/soak.js';
import { useTempDir } from '../../support/temp-dir.js';
import { clientHarness, entryId, spendEntry, xeroClientFor, type ClientHarness } from '../post-fixtures.js';
import { appendEntries, deliveryStates, openLedgerBooks } from '../post-books.js';
import { collect, type Books } from '../../support/books.js';
import { queryTables } from '../../support/ledger-tables.js';

const tempDir = useTempDir('ledgerline-post-');
const engines = useLedgerEngines();
/** The engine the running describe block's ledgers are on. */
let engine: LedgerEngine = 'sqlite';
let running: RunningXeroFake | undefined;
let booksOpen: Books[] = [];

afterEach(async () => {
  await running?.close();
  running = undefined;
  for (const books of booksOpen) await books.close();
  booksOpen = [];
});

interface Setup {
  server: RunningXeroFake;
  harness: ClientHarness;
  books: Books;
  client: () => DestinationClient;
  post: (window?: { from?: string; until?: string }) => ReturnType<typeof postEntries>;
}

async function setup(entries: number, options: Omit<XeroFakeOptions, 'now'> = {}): Promise<Setup> {
  const dir = tempDir();
  const harness = clientHarness(dir);
  running = await startXeroFake({ ...options, now: () => harness.clock.now() });
  const server = running;
  const books = await openLedgerBooks(dir, await engines.fresh(engine));
  booksOpen.push(books);
  await appendEntries(
    books,
    Array.from({ length: entries }, (_, index) =>
      spendEntry(index + 1, `2024-02-${String((index % 28) + 1).padStart(2, '0')}`),
    ),
  );
  // A fresh client per run, as each CLI run has: state lives in the ledger and the token store.
  const client = () => xeroClientFor(server, harness);
  return {
    server,
    harness,
    books,
    client,
    post: (window = {}) => postOver(books, { client: client(), window, clock: harness.clock }),
  };
}

/** How many journals the fake holds for each entry id: exactly-once means every count is 1. */
function copiesByEntry(server: RunningXeroFake): Record<string, number> {
  const copies: Record<string, number> = {};
  for (const journal of server.fake.journals()) {
    const id = /\[([^\]]+)\]$/.exec(journal.narration)?.[1] ?? '?';
    copies[id] = (copies[id] ?? 0) + 1;
  }
  return copies;
}

function once(ids: readonly string[]): Record<string, number> {
  return Object.fromEntries(ids.map((id) => [id, 1]));
}

const ids = (count: number, from = 1): string[] => Array.from({ length: count }, (_, index) => entryId(from + index));

describe.each(enginesWithTests(LEDGER_ENGINES))('post to Xero (%s ledger)', (ledgerEngine) => {
  beforeEach(() => {
    engine = ledgerEngine;
  });
  /** The outbox's rows on each engine are the subject: both engines in npm test. */
  const storeTest = (name: string, fn: TestFunction) => {
    if (runsOn(ledgerEngine, 'store')) it(name, fn);
  };
  /** The poster's rule, the same over either engine's books: SQLite in npm test, PostgreSQL in the soak. */
  const ruleTest = (name: string, fn: TestFunction) => {
    if (runsOn(ledgerEngine, 'rule')) it(name, fn);
  };

  storeTest('posts every entry once in requests of 50, and a second post sends nothing', async () => {
    const { server, books, post } = await setup(120);

    const first = await post();

    expect(first).toMatchObject({
      destination: 'xero',
      posted: 120,
      confirmedByLookup: 0,
      skipped: 0,
      refused: [],
      unfinished: 0,
      calls: { reads: 4, writes: 3 },
    });
    expect(first.stoppedBy).toBeUndefined();
    expect(copiesByEntry(server)).toEqual(once(ids(120)));
    expect(Object.values(await deliveryStates(books, 'xero'))).toEqual(Array(120).fill('posted'));
    const remote = await queryTables(books, (db) =>
      db.selectFrom('deliveries').select(['entry_id', 'remote_id', 'attempts']).where('entry_id', '=', entryId(7)),
    );
    expect(remote).toEqual([
      {
        entry_id: entryId(7),
        remote_id: server.fake.journals().find((journal) => journal.narration.endsWith(`[${entryId(7)}]`))
          ?.manualJournalId,
        attempts: 1n,
      },
    ]);

    const second = await post();
    expect(second).toMatchObject({ posted: 0, refused: [], calls: { reads: 1, writes: 0 } });
    expect(server.fake.writeRequestCount()).toBe(3);
    expect(server.fake.journals()).toHaveLength(120);
  });

  ruleTest('an entry whose every line rounds to 0.00 is skipped, never sent', async () => {
    const { server, books, post } = await setup(1);
    await appendEntries(books, [spendEntry(2, '2024-02-20', 4_000n)]);
    const report = await post();
    expect(report).toMatchObject({ posted: 1, skipped: 1 });
    expect(await deliveryStates(books, 'xero')).toEqual({ [entryId(1)]: 'posted', [entryId(2)]: 'skipped' });
    expect(copiesByEntry(server)).toEqual(once([entryId(1)]));
  });

  ruleTest('posts only the window given, and a plain post later delivers the rest', async () => {
    const { server, post } = await setup(10);
    const windowed = await post({ from: '2024-02-03', until: '2024-02-05' });
    expect(windowed.posted).toBe(3);
    expect(Object.keys(copiesByEntry(server)).sort()).toEqual([entryId(3), entryId(4), entryId(5)]);
    expect((await post()).posted).toBe(7);
    expect(copiesByEntry(server)).toEqual(once(ids(10)));
  });

  ruleTest(
    'entries on or before the lock date are refused unsent, naming entry and lock date; the rest post; moving the lock posts them later',
    async () => {
      const { server, books, post } = await setup(6, { periodLockDate: '2024-02-03' });

      const first = await post();

      expect(first.posted).toBe(3);
      expect(first.refused).toEqual(
        [1, 2, 3].map((index) => ({
          entryId: entryId(index),
          date: `2024-02-0${index}`,
          reason: `Xero: entry ${entryId(index)} dated 2024-02-0${index} falls in a closed period (books locked through 2024-02-03); it stays unposted until the lock date is moved`,
        })),
      );
      expect(server.fake.writeRequestCount()).toBe(1);
      expect(server.fake.journals().map((journal) => journal.date)).toEqual(['2024-02-04', '2024-02-05', '2024-02-06']);
      expect((await deliveryStates(books, 'xero'))[entryId(1)]).toBe('refused');

      server.fake.setLockDates({ periodLockDate: '2024-01-31' });
      const later = await post();
      expect(later).toMatchObject({ posted: 3, refused: [] });
      expect(copiesByEntry(server)).toEqual(once(ids(6)));
      expect(
        server.fake
          .journals()
          .slice(3)
          .map((journal) => journal.date),
      ).toEqual(['2024-02-01', '2024-02-02', '2024-02-03']);
    },
  );

  ruleTest(
    'a journal refused at Xero (the lock moved after it was read) gets a new key next time, so Xero does not replay the refusal',
    async () => {
      const { server, books, harness, post } = await setup(2);
      server.fake.setLockDates({ periodLockDate: '2024-02-01' });
      const client = xeroClientFor(server, harness);
      // The lock date read says nothing is locked, as if it moved between the read and the write.
      const stale: DestinationClient = { ...client, lockDate: async () => undefined };
      const first = await postOver(books, { client: stale, clock: harness.clock });
      expect(first.refused.map((refusal) => refusal.entryId)).toEqual([entryId(1)]);
      expect(first.refused[0]?.reason).toMatch(/books locked through 2024-02-01/);

      server.fake.setLockDates({ periodLockDate: null });
      expect((await post()).posted).toBe(1);
      expect(copiesByEntry(server)).toEqual(once(ids(2)));
      const keys = server.fake.journals().map((journal) => journal.idempotencyKey);
      expect(keys[1]).toBe(`ll:${entryId(1)} #1`);
      expect(await deliveryStates(books, 'xero')).toEqual({ [entryId(1)]: 'posted', [entryId(2)]: 'posted' });
    },
  );

  storeTest(
    'the daily limit stops the run with everything recorded so far and the refused request put back as it was',
    async () => {
      const { server, books, post } = await setup(120);
      server.fake.injectFault({ kind: 'rate-limit', problem: 'day', retryAfterSeconds: 3600 }, { times: 5 });

      const stopped = await post();

      expect(stopped.stoppedBy).toEqual({
        error: 'DailyLimitError',
        exitCode: 3,
        message: expect.stringMatching(
          /^Xero: the daily API limit is used up; nothing more was sent\. Run again after 2024-03-01T13:00:0\d\.\d{3}Z$/,
        ),
      });
      expect(stopped.posted).toBe(0);
      expect(stopped.unfinished).toBe(120);
      // No delivery half-recorded: nothing 'sending', nothing posted.
      expect(await deliveryStates(books, 'xero')).toEqual({});
      expect(server.fake.journals()).toEqual([]);

      server.fake.clearFaults();
      const resumed = await post();
      expect(resumed).toMatchObject({ posted: 120, unfinished: 0 });
      expect(copiesByEntry(server)).toEqual(once(ids(120)));
    },
  );

  storeTest('a day limit hit mid-run keeps the posted requests and leaves only the rest for the next run', async () => {
    const { server, books, harness, post } = await setup(150);
    // One request at a time here, so "the second request" is well defined.
    const sequential = () =>
      postOver(books, { client: xeroClientFor(server, harness, { limits: { maxInFlight: 1 } }), clock: harness.clock });
    server.fake.injectFault({ kind: 'slow', delayMs: 0 });
    server.fake.injectFault({ kind: 'rate-limit', problem: 'day', retryAfterSeconds: 600 });
    const stopped = await sequential();
    expect(stopped).toMatchObject({ posted: 50, unfinished: 100, stoppedBy: { error: 'DailyLimitError' } });
    expect(Object.values(await deliveryStates(books, 'xero'))).toEqual(Array(50).fill('posted'));
    server.fake.clearFaults();
    expect((await post()).posted).toBe(100);
    expect(copiesByEntry(server)).toEqual(once(ids(150)));
  });

  ruleTest(
    'a connection dropped after Xero stored the journals is resolved by a look-up, with no duplicate',
    async () => {
      const { server, books, post } = await setup(60);
      server.fake.injectFault({ kind: 'drop-after-commit' });

      const report = await post();

      expect(report).toMatchObject({ posted: 60, refused: [], unfinished: 0 });
      expect(report.stoppedBy).toBeUndefined();
      expect(copiesByEntry(server)).toEqual(once(ids(60)));
      expect(report.confirmedByLookup).toBeGreaterThan(0);
      expect(Object.values(await deliveryStates(books, 'xero'))).toEqual(Array(60).fill('posted'));
    },
  );

  ruleTest(
    'after an unknown outcome, the part of a request still to send goes under a key of its own, never the first key with another body',
    async () => {
      // Xero keeps the journals it can and refuses the one on an archived account; then the connection drops.
      const accounts = XERO_DEFAULT_ACCOUNTS.map((account) =>
        account.code === '400' ? { ...account, status: 'ARCHIVED' as const } : account,
      );
      const { server, books, post } = await setup(2, { accounts });
      const advertising = spendEntry(3, '2024-02-03');
      await appendEntries(books, [
        {
          ...advertising,
          lines: advertising.lines.map((line) =>
            line.account === 'smm_services_expense' ? { ...line, account: 'advertising_expense' } : line,
          ),
        },
      ]);
      server.fake.injectFault({ kind: 'drop-after-commit' });

      const report = await post();

      expect(report).toMatchObject({ posted: 2, confirmedByLookup: 2, unfinished: 0 });
      expect(report.stoppedBy).toBeUndefined();
      expect(report.refused.map((refusal) => refusal.entryId)).toEqual([entryId(3)]);
      expect(copiesByEntry(server)).toEqual(once(ids(2)));
      // The resent part went under its own key: Xero saw no key twice.
      expect(server.fake.idempotentReplays()).toEqual([]);
      const writes = server.fake.requestLog().filter((record) => record.method === 'PUT');
      expect(writes.map((record) => record.outcome)).toEqual(['dropped', 200]);
    },
  );

  ruleTest(
    'a connection dropped before Xero stored anything is resent under the same key after the look-up finds nothing',
    async () => {
      const { server, post } = await setup(3);
      server.fake.injectFault({ kind: 'drop-before-commit' });
      const report = await post();
      expect(report).toMatchObject({ posted: 3, confirmedByLookup: 0 });
      expect(copiesByEntry(server)).toEqual(once(ids(3)));
      const writes = server.fake.requestLog().filter((record) => record.method === 'PUT');
      expect(writes.map((record) => record.outcome)).toEqual(['dropped', 200]);
      expect(new Set(server.fake.journals().map((journal) => journal.idempotencyKey))).toEqual(
        new Set([`ll:${ids(3).join(' ')}`]),
      );
    },
  );

  storeTest(
    'deliveries a crashed run left "sending" are looked up first: the delivered ones are marked posted, the others resent under their key',
    async () => {
      const { server, books, harness, post } = await setup(4);
      const client = xeroClientFor(server, harness);
      const outbox = books.of(postOutbox, 'xero');
      const markSending = (entryIds: string[], key: string) =>
        outbox.unit((tx) => tx.recordAttempt(entryIds, key, new Map(), '2024-03-01T12:00:00.000Z'));
      const rendered = await collect(books.ledger.renderedEntries());
      // Run A: request 1 reached Xero, then the process died before recording; request 2 died before leaving.
      const sentKey = client.requestKey(rendered.slice(0, 2), 0);
      await markSending([entryId(1), entryId(2)], sentKey);
      await client.send(rendered.slice(0, 2), sentKey);
      const unsentKey = client.requestKey(rendered.slice(2), 0);
      await markSending([entryId(3), entryId(4)], unsentKey);

      const report = await post();

      expect(report).toMatchObject({ posted: 4, confirmedByLookup: 2, unfinished: 0 });
      expect(copiesByEntry(server)).toEqual(once(ids(4)));
      expect(server.fake.journals().map((journal) => journal.idempotencyKey)).toEqual([
        sentKey,
        sentKey,
        unsentKey,
        unsentKey,
      ]);
      expect(server.fake.writeRequestCount()).toBe(2);
    },
  );

  storeTest(
    'a destination that loses an entry between selection and settlement stops the post with InvariantViolation',
    async () => {
      const { server, books, harness } = await setup(3);
      const client = xeroClientFor(server, harness);
      // Xero takes all three, but the answer the post reads leaves one out: the run cannot account for it.
      const lossy: DestinationClient = {
        ...client,
        send: async (entries, requestKey) => {
          const outcomes = new Map(await client.send(entries, requestKey));
          outcomes.delete(entryId(2));
          return outcomes;
        },
      };

      const run = postOver(books, { client: lossy, clock: harness.clock });

      await expect(run).rejects.toThrow(InvariantViolation);
      await expect(run).rejects.toMatchObject({ exitCode: 70 });
      await expect(run).rejects.toThrow(
        'post to xero: the run was not stopped, yet 1 of the 3 entries selected were neither posted, refused nor skipped',
      );
      expect(await deliveryStates(books, 'xero')).toEqual({
        [entryId(1)]: 'posted',
        [entryId(2)]: 'sending',
        [entryId(3)]: 'posted',
      });
    },
  );

  ruleTest('a destination answering for an entry it was not sent stops the post with InvariantViolation', async () => {
    const { server, books, harness } = await setup(2);
    const client = xeroClientFor(server, harness);
    // Only the first day is posted; the answer also claims the entry of the second, which was never selected.
    const stray: DestinationClient = {
      ...client,
      send: async (entries, requestKey) =>
        new Map([...(await client.send(entries, requestKey)), [entryId(2), { status: 'posted', remoteId: 'stray' }]]),
    };

    await expect(
      postOver(books, { client: stray, window: { from: '2024-02-01', until: '2024-02-01' }, clock: harness.clock }),
    ).rejects.toThrow(
      'post to xero: 2 posted, 0 refused, 0 skipped and 0 unfinished do not add up to the 1 entries selected',
    );
  });

  ruleTest('an unmapped account stops the run before any call, naming the mapping and the key', async () => {
    const { server, books, harness } = await setup(2);
    const client = xeroClientFor(server, harness, { mapping: { smm_services_expense: { code: '410' } } });
    await expect(postOver(books, { client, clock: harness.clock })).rejects.toThrow(ConfigError);
    await expect(postOver(books, { client, clock: harness.clock })).rejects.toThrow(
      /configuration error: \S+ at accounts\.panel_prepaid: ledger account "panel_prepaid" has no Xero mapping, but entry je:test:0001 posts to it: add panel_prepaid under accounts: in \S+ \(the Xero account it goes to\)/,
    );
    expect(server.fake.requestLog()).toEqual([]);
  });

  ruleTest(
    'a dry run reads the lock date but sends no write, and plans entries, totals, calls and the forecast',
    async () => {
      const { server, books, client } = await setup(120, { periodLockDate: '2024-02-01' });
      await appendEntries(books, [spendEntry(121, '2024-02-20', 3_000n)]);

      const plan = await planOver(books, { client: client() });

      expect(server.fake.writeRequestCount()).toBe(0);
      expect(await deliveryStates(books, 'xero')).toEqual({});
      expect(plan.entries).toHaveLength(115);
      expect(plan.toRefuse.map((refusal) => refusal.entryId)).toEqual([
        entryId(1),
        entryId(29),
        entryId(57),
        entryId(85),
        entryId(113),
      ]);
      expect(plan.toSkip).toEqual([entryId(121)]);
      // 115 entries of 1.00 + n cents, without the five refused ones (1, 29, 57, 85 and 113).
      const totalCents = ids(120)
        .map((_, index) => index + 1)
        .filter((index) => ![1, 29, 57, 85, 113].includes(index))
        .reduce((sum, index) => sum + 100 + index, 0);
      expect(plan.totals).toEqual([
        {
          account: 'panel_prepaid',
          currency: 'USD',
          debit: '0.00',
          credit: formatTotal(totalCents),
          debitCents: '0',
          creditCents: String(totalCents),
        },
        {
          account: 'smm_services_expense',
          currency: 'USD',
          debit: formatTotal(totalCents),
          credit: '0.00',
          debitCents: String(totalCents),
          creditCents: '0',
        },
      ]);
      expect(plan.calls).toEqual({ reads: 4, writes: 3, total: 7 });
      expect(plan.forecast).toEqual({
        requestsPerMinute: 60,
        writesPerMinute: undefined,
        requestsPerDay: 5000,
        minutesAtLimit: 1,
        percentOfDay: '0.1',
      });
    },
  );
});

function formatTotal(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
