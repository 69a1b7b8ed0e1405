import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { usePostgresServer } from '../support/postgres-server.js';
import { useTempDir } from '../support/temp-dir.js';
import { shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';
import { SECRETS, assertBuilt, bookEntries, runCli, startPostWorker, writeConfig } from './post-cli-harness.js';
import { until } from '../scenarios/queued-workers.js';

const tempDir = useTempDir('ledgerline-post-queue-');
const { freshDatabase } = usePostgresServer();
const charts = shippedChartsForFakes();
const closers: (() => Promise<void>)[] = [];

beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function xeroFake(limits?: { perMinute: number }): Promise<RunningXeroFake> {
  const server = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    accounts: charts.xero,
    ...(limits === undefined ? {} : { limits }),
  });
  closers.push(server.close);
  return server;
}

function startWorker(dir: string, config: string): () => string {
  return startStoppableWorker(dir, config).stderr;
}

function startStoppableWorker(dir: string, config: string): ReturnType<typeof startPostWorker> {
  const worker = startPostWorker(dir, config);
  closers.push(worker.stop);
  return worker;
}

const entries = (count: number) =>
  Array.from({ length: count }, (_, index) => spendEntry(index + 1, `2024-02-${String(index + 1).padStart(2, '0')}`));

describe(
  'ledgerline post --queue (the built CLI, a worker and the Xero fake, PostgreSQL ledger)',
  { timeout: 90_000 },
  () => {
    it("prints the local post's summary and exit code, a second post has nothing left, and no secret shows", async () => {
      const dir = tempDir();
      const url = await freshDatabase();
      const xero = await xeroFake();
      const config = writeConfig(dir, { xero }, '', url);
      await bookEntries(dir, entries(3), url);
      const workerErr = startWorker(dir, config);

      const first = await runCli(['post', '--queue', '--to', 'xero', '--until', '2024-02-28', '--config', config], {
        cwd: dir,
        timeoutMs: 60_000,
      });
      // Four reads check the organisation; the fifth looks the request's journal numbers up before it leaves (a twin ledger's).
      expect([first.code, first.stdout]).toEqual([0, 'Xero: 3 posted, 0 refused\nAPI calls: 5 reads, 1 write\n']);
      // Each narration names the entry's chain hash before its id (issue 52).
      expect(
        xero.fake.journals().map((journal) => journal.narration.replace(/ · chain sha256:[0-9a-f]{64} \[/, ' [')),
      ).toEqual(entries(3).map((entry) => `${entry.description} [${entry.id}]`));

      const second = await runCli(['post', '--queue', '--to', 'xero', '--until', '2024-02-28', '--config', config], {
        cwd: dir,
        timeoutMs: 60_000,
      });
      expect([second.code, second.stdout]).toEqual([
        0,
        'Xero: nothing to post (every entry in the window is delivered)\nAPI calls: 4 reads, 0 writes\n',
      ]);
      expect(xero.fake.writeRequestCount()).toBe(1);
      for (const secret of [SECRETS.XERO_CLIENT_SECRET, url]) {
        expect(first.stderr + second.stderr + workerErr()).not.toContain(secret);
      }
    });

    it('treats a second enqueue of a waiting post as a no-op: both print the one post a worker then runs', async () => {
      const dir = tempDir();
      const url = await freshDatabase();
      const xero = await xeroFake();
      const config = writeConfig(dir, { xero }, '', url);
      await bookEntries(dir, entries(2), url);
      const args = ['post', '--queue', '--to', 'xero', '--until', '2024-02-28', '--config', config];
      const said: (() => string)[] = [];
      const hasQueued = (index: number) => () => said[index]?.().includes('; waiting for a worker') === true;
      const first = runCli(args, { cwd: dir, timeoutMs: 60_000, watchStderr: (soFar) => said.push(soFar) });
      await until(hasQueued(0), 'the first post to queue', 20_000);
      // The second starts once the first's job waits. Started together, both may find no job and both insert it:
      // pg-boss keeps one (its id is the post's key), but each then says it queued it (JobQueue.enqueueAll).
      const second = runCli(args, { cwd: dir, timeoutMs: 60_000, watchStderr: (soFar) => said.push(soFar) });
      await until(hasQueued(1), 'the second post to queue', 20_000);
      startWorker(dir, config);
      const [a, b] = [await first, await second];
      expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, expect.any(String), expect.any(String)]);
      expect([a.code, a.stdout]).toEqual([0, 'Xero: 2 posted, 0 refused\nAPI calls: 5 reads, 1 write\n']);
      expect([b.code, b.stdout]).toEqual([a.code, a.stdout]);
      expect(a.stderr).not.toContain('(already queued)');
      expect(b.stderr).toContain('queued the post to xero (already queued); waiting for a worker');
      expect(xero.fake.writeRequestCount()).toBe(1);
    });

    it("a worker told to stop while its post job waits for Xero's calls a minute stops at once; the next post sends the rest once", async () => {
      const dir = tempDir();
      const url = await freshDatabase();
      // The post's own pace is the subject: the fake's minute allowance would make the second post wait out the first's.
      const xero = await xeroFake({ perMinute: 1_000_000 });
      const config = writeConfig(dir, { xero }, '', url);
      // 30 look-ups and 30 requests of 50 journals beside 4 reads: past Xero's 60 calls a minute.
      const count = 1_500;
      await bookEntries(
        dir,
        Array.from({ length: count }, (_, index) => spendEntry(index + 1)),
        url,
      );
      const args = ['post', '--queue', '--to', 'xero', '--until', '2024-02-28', '--config', config];
      const worker = startStoppableWorker(dir, config);
      const queued = runCli(args, { cwd: dir, timeoutMs: 80_000 });
      await until(() => worker.stderr().includes('60 calls in the last minute, its limit'), 'the pace', 60_000);
      // Exit 0 within its 20 s bound, where sitting the wait out would take most of a minute.
      await worker.stop();
      const stopped = await queued;
      const left = Number(/stopped early: (\d+) entries left for the next post/.exec(stopped.stdout)?.[1]);
      expect(stopped.code).toBe(0);
      expect(left).toBeGreaterThan(0);
      expect(xero.fake.journals()).toHaveLength(count - left);

      startWorker(dir, config);
      const rest = await runCli(args, { cwd: dir, timeoutMs: 60_000 });
      expect(rest.code).toBe(0);
      expect(rest.stdout).toMatch(new RegExp(`^Xero: ${left} posted, 0 refused\\n`));
      const ids = xero.fake.journals().map((journal) => /\[(je:[^\]]+)\]$/.exec(journal.narration)?.[1]);
      expect(new Set(ids).size).toBe(count);
      expect(ids).toHaveLength(count);
    });

    it('is refused on a SQLite ledger, exit 2, naming the key', async () => {
      const dir = tempDir();
      const config = writeConfig(dir, { xero: await xeroFake() });
      const refused = await runCli(['post', '--queue', '--to', 'xero', '--config', config], { cwd: dir });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('post --queue needs a PostgreSQL ledger');
    });
  },
);
