import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/errors.js';
import { createSystemClock } from '../../../src/http/clock.js';
import { createLogger } from '../../../src/log/logger.js';
import { queuedNightSteps } from '../../../src/pipeline/nightly/queued-night.js';
import { JobQueue } from '../../../src/queue/index.js';
import { startXeroFake } from '../../../sandbox/xero/fake.js';
import { SECRETS, bookEntries, startPostWorker, writeConfig } from '../../cli/post-cli-harness.js';
import { usePostgresServer } from '../../support/postgres-server.js';
import { useTempDir } from '../../support/temp-dir.js';
import { shippedChartsForFakes, spendEntry } from '../post-fixtures.js';
import { openBooks } from '../../support/books.js';
import { locks } from '../../support/ledger-tables.js';
import { parkedSources, syncBooks } from '../../../src/pipeline/sync/index.js';

const tempDir = useTempDir('ledgerline-queued-night-');
const { freshDatabase } = usePostgresServer();
const charts = shippedChartsForFakes();
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** The queued night's post step against a real queue, one worker (in this process) and the Xero fake, on 2024-02-01, 02 and 05. */
async function postStep(workerEnv: Record<string, string> = {}, { syncFirst = false } = {}) {
  const dir = tempDir();
  const url = await freshDatabase();
  const xero = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    accounts: charts.xero,
  });
  closers.push(xero.close);
  const config = writeConfig(dir, { xero }, '', url);
  await bookEntries(
    dir,
    [
      spendEntry(1, '2024-02-01'),
      spendEntry(2, '2024-02-02'),
      spendEntry(3, '2024-02-03'),
      spendEntry(5, '2024-02-05'),
    ],
    url,
  );
  const worker = startPostWorker(dir, config, workerEnv);
  closers.push(worker.stop);
  const books = await openBooks(url);
  closers.push(() => books.close());
  const queue = await JobQueue.open(url, {
    setupLock: () => locks.holdQueueSetup(url),
    supervise: false,
    onError: (message) => expect.fail(message),
  });
  closers.push(() => queue.stop());
  const lines: string[] = [];
  const logger = createLogger({
    format: 'text',
    level: 'info',
    write: (line) => lines.push(line),
    redact: (text) => text,
    clock: () => new Date(),
    color: false,
  });
  const steps = queuedNightSteps({
    queue,
    entities: [
      { entity: undefined, syncBooks: books.of(syncBooks), parkedSources: books.of(parkedSources), sourceIds: [] },
    ],
    closeJobs: { expireInSeconds: 60, retryLimit: 0 },
    postJobs: { expireInSeconds: 60, retryLimit: 0 },
    limits: { clock: createSystemClock(), maxWaitMs: 60_000, pollMs: 200 },
  });
  // The night's sync (of no source here) comes first, as in runNightly: it gives the entity its code, which posts fold into.
  if (syncFirst) await steps.sync({ asOf: '2024-02-05', runId: 'night', logger });
  const posted = await steps.postDays({
    destination: 'xero',
    days: ['2024-02-01', '2024-02-02', '2024-02-05'],
    runId: 'night',
    logger,
    stopSignal: new AbortController().signal,
    onProgress: async () => undefined,
  });
  return { posted, xero: xero.fake, lines, entityExitCodes: steps.entityExitCodes };
}

describe('a queued night', { timeout: 90_000 }, () => {
  it('posts the days due through the workers, one post job per run of consecutive days, and only those days', async () => {
    const { posted, xero, lines } = await postStep();
    expect(posted).toEqual({
      exitCode: EXIT.ok,
      refused: [],
      summary: [
        { from: '2024-02-01', until: '2024-02-02', posted: 2, refused: 0, skipped: 0, unfinished: 0 },
        { from: '2024-02-05', until: '2024-02-05', posted: 1, refused: 0, skipped: 0, unfinished: 0 },
      ],
    });
    // 02-03 was not among the night's days: it waits for an explicit post, as on a local night.
    expect(xero.journals().map((journal) => journal.date)).toEqual(
      ['2024-02-01', '2024-02-02', '2024-02-05'].map((day) => expect.stringContaining(day)),
    );
    expect(lines.filter((line) => line.includes('queued'))).toHaveLength(2);
  });

  it("reports a destination's refusal with its error class, so the night's alert gives the right next step", async () => {
    const { posted, xero } = await postStep({ XERO_CLIENT_SECRET: 'not-the-secret' });
    expect(posted.exitCode).not.toBe(EXIT.ok);
    expect(posted.failure?.errorClass).toBe('AuthError');
    expect(posted.summary).toEqual([]);
    expect(xero.journals()).toEqual([]);
  });

  it("keeps each entity's exit code for its own monitor check: its sources' closes (0 here), then its posts' (the refusal's)", async () => {
    const { posted, entityExitCodes } = await postStep({ XERO_CLIENT_SECRET: 'not-the-secret' }, { syncFirst: true });
    expect(posted.exitCode).not.toBe(EXIT.ok);
    expect([...entityExitCodes]).toEqual([[undefined, posted.exitCode]]);
  });
});
