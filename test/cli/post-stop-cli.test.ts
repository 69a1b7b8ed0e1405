import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { useTempDir } from '../support/temp-dir.js';
import { shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';
import { deliveryStates, openLedgerBooks } from '../pipeline/post-books.js';
import { SECRETS, assertBuilt, bookEntries, runCli, writeConfig } from './post-cli-harness.js';
import { runRecords } from '../../src/pipeline/runs/index.js';

const tempDir = useTempDir('ledgerline-post-stop-');
const charts = shippedChartsForFakes();
const closers: (() => Promise<void>)[] = [];

beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/**
 * 1,500 entries go to Xero as 30 look-ups and 30 requests of 50 journals, beside 4 reads of the organisation: 64
 * calls, past Xero's 60 a rolling minute, so the post's own pace makes the last calls wait for most of a minute.
 */
const ENTRIES = 1_500;

async function xeroFake(): Promise<RunningXeroFake> {
  const server = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    accounts: charts.xero,
    // The post's own pace is the subject: the fake's minute allowance would make the second post wait out the first's.
    limits: { perMinute: 1_000_000 },
  });
  closers.push(server.close);
  return server;
}

/** Polls `done` every 25 ms for at most `withinMs`: a bound for a loaded machine, not a wait. */
async function until(done: () => boolean, withinMs: number, what: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** What the books in `dir` say after a post: each entry's delivery state at Xero, and the last run recorded. */
async function deliveriesAndLastRun(dir: string) {
  const books = await openLedgerBooks(join(dir, 'data'));
  try {
    const [lastRun] = await books.of(runRecords).recentRuns(1);
    return { states: await deliveryStates(books, 'xero'), lastRun };
  } finally {
    await books.close();
  }
}

/**
 * `post xero` as its own process, sent SIGTERM once its stderr says `waiting` (the wait it is in). Bounded past the
 * minute a post that sat the wait out would take (at load 30): one that does not stop is killed, and fails its test.
 */
async function postStoppedOnceItSays(dir: string, config: string, waiting: string) {
  let child: ChildProcess | undefined;
  let stderr = '';
  const stopped = runCli(['post', 'xero', '--config', config], {
    cwd: dir,
    timeoutMs: 110_000,
    onSpawn: (spawned) => {
      child = spawned;
      spawned.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    },
  });
  await until(() => stderr.includes(waiting), 100_000, `"${waiting}"`);
  child!.kill('SIGTERM');
  return stopped;
}

describe('ledgerline post told to stop while it waits for the destination (the built CLI)', () => {
  it('SIGTERM during the wait: exit 0 at once, nothing half-posted, and the next post posts the rest exactly once', async () => {
    const dir = tempDir();
    const xero = await xeroFake();
    const config = writeConfig(dir, { xero });
    await bookEntries(
      dir,
      Array.from({ length: ENTRIES }, (_, index) => spendEntry(index + 1)),
    );

    const run = await postStoppedOnceItSays(dir, config, '60 calls in the last minute, its limit; the next waits');

    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('received SIGTERM: finishing the current step, then stopping');
    expect(run.stderr).toContain(
      'stopped: Xero: asked to stop while waiting for its calls a minute; nothing more was sent, the next post resumes',
    );
    // Had the wait been sat out, every entry would have gone: some are left (requests already in flight finish).
    const left = Number(/stopped early: (\d+) entries left for the next post/.exec(run.stdout)?.[1]);
    expect(left).toBeGreaterThan(0);
    expect(xero.fake.journals()).toHaveLength(ENTRIES - left);
    // Nothing half-posted: each entry is posted or has no delivery at all (none left 'sending').
    const after = await deliveriesAndLastRun(dir);
    const states = Object.values(after.states);
    expect(states.filter((state) => state !== 'posted')).toEqual([]);
    expect(states).toHaveLength(ENTRIES - left);
    expect(after.lastRun).toMatchObject({ command: 'post', outcome: 'interrupted' });

    const rest = await runCli(['post', 'xero', '--config', config], { cwd: dir, timeoutMs: 110_000 });
    expect(rest.code).toBe(0);
    expect(rest.stdout).toMatch(new RegExp(`^Xero: ${left} posted, 0 refused\\n`));
    const narrations = xero.fake.journals().map((journal) => /\[(je:[^\]]+)\]$/.exec(journal.narration)?.[1]);
    expect(narrations).toHaveLength(ENTRIES);
    expect(new Set(narrations).size).toBe(ENTRIES);
  });

  it("SIGTERM during a 429's Retry-After wait: exit 0 at once, the refused write not sent again, and the next post posts it all once", async () => {
    const dir = tempDir();
    const xero = await xeroFake();
    const config = writeConfig(dir, { xero });
    await bookEntries(dir, [spendEntry(1), spendEntry(2), spendEntry(3)]);
    xero.fake.injectFault({ kind: 'rate-limit', problem: 'minute', retryAfterSeconds: 60 });

    // A post that sat the wait out would send the write again after it.
    const run = await postStoppedOnceItSays(dir, config, 'waiting 60 s before attempt 2');

    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'stopped: Xero: asked to stop while waiting to try a call again; nothing more was sent, the next post resumes',
    );
    expect(run.stdout).toContain('stopped early: 3 entries left for the next post');
    // The 429's write only: a post that sat the minute out would have sent it again and posted all three.
    expect(xero.fake.writeRequestCount()).toBe(1);
    expect(xero.fake.journals()).toEqual([]);
    const after = await deliveriesAndLastRun(dir);
    expect(after.states).toEqual({});
    expect(after.lastRun).toMatchObject({ command: 'post', outcome: 'interrupted' });

    const rest = await runCli(['post', 'xero', '--config', config], { cwd: dir, timeoutMs: 110_000 });
    expect(rest.code).toBe(0);
    expect(rest.stdout).toMatch(/^Xero: 3 posted, 0 refused\n/);
    expect(xero.fake.journals()).toHaveLength(3);
  });

  it("SIGTERM during the token request's Retry-After wait: exit 0, recorded interrupted with no error, and the next post posts it", async () => {
    const dir = tempDir();
    const xero = await xeroFake();
    const config = writeConfig(dir, { xero });
    await bookEntries(dir, [spendEntry(1), spendEntry(2)]);
    // 20 s, within the token client's 30 s: a post that sat it out would ask for the token again and post both.
    xero.fake.injectFault({ kind: 'rate-limit', problem: 'minute', retryAfterSeconds: 20 }, { on: 'token' });

    const run = await postStoppedOnceItSays(dir, config, 'rate limited (HTTP 429) on attempt 1; retrying in 20000 ms');

    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'Xero: asked to stop while waiting to try its token request again; nothing more was sent, the next post resumes',
    );
    expect(run.stderr).not.toContain('error:');
    expect(xero.fake.requestLog().filter((request) => request.path.includes('connect/token'))).toHaveLength(1);
    expect(xero.fake.journals()).toEqual([]);
    const after = await deliveriesAndLastRun(dir);
    expect(after.states).toEqual({});
    expect(after.lastRun).toMatchObject({ command: 'post', outcome: 'interrupted', error: null });

    const rest = await runCli(['post', 'xero', '--config', config], { cwd: dir, timeoutMs: 110_000 });
    expect(rest.code).toBe(0);
    expect(rest.stdout).toMatch(/^Xero: 2 posted, 0 refused\n/);
    expect(xero.fake.journals()).toHaveLength(2);
  });
});
