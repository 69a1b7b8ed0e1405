import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir.js';
import {
  assertBuilt,
  lockHolder,
  recordedRuns,
  sandboxProject,
  spawnCli,
  until,
  type SandboxProject,
  useScheduleProcesses,
  type SpawnedCli,
} from './schedule-harness.js';

/**
 * `ledgerline schedule --once` as its own process on a sandbox trial (sandboxClock: the night is the sandbox's day,
 * so it books and posts), told to stop while its post step waits for Xero.
 */
const tempDir = useTempDir('ledgerline-schedule-stop-');
const NIGHTLY_POSTING_TO_XERO = 'schedule:\n  cron: "30 2 * * *"\n  timezone: UTC\n  post: [xero]';
const processes = useScheduleProcesses();

beforeAll(() => assertBuilt());

async function project(today: string): Promise<SandboxProject> {
  const made = await sandboxProject(tempDir(), { schedule: NIGHTLY_POSTING_TO_XERO, today });
  processes.keep(made);
  appendFileSync(join(made.dir, 'ledgerline.yaml'), `sandboxClock: ${made.sandbox.adminUrl}/day\n`);
  return made;
}

/** One night, bounded past the minute a post that sat a 429's wait out would take (at load 30). */
function night(p: SandboxProject): SpawnedCli {
  const spawned = spawnCli(['schedule', '--once', '--log-format', 'json'], {
    cwd: p.dir,
    env: p.env,
    timeoutMs: 110_000,
  });
  processes.spawned(spawned);
  return spawned;
}

describe('ledgerline schedule told to stop while its post waits for the destination (the built CLI)', () => {
  it("SIGTERM during a 429's Retry-After wait: exit 0 at once, the night interrupted, and the next night posts the days once", async () => {
    const p = await project('2026-03-04');
    p.fakes.xero.injectFault({ kind: 'rate-limit', problem: 'minute', retryAfterSeconds: 60 });

    const stopped = night(p);
    await until(() => stopped.stderr().includes('waiting 60 s before attempt 2'), 100_000, 'the Retry-After wait');
    stopped.child.kill('SIGTERM');

    expect(await stopped.exited).toEqual({ code: 0, signal: null });
    expect(stopped.stderr()).toContain('received SIGTERM: finishing the current step, then stopping');
    expect(stopped.stderr()).toContain('Xero: asked to stop while waiting to try a call again');
    // The 429's write only: a post that sat the minute out would have sent it again and posted the night.
    expect(p.fakes.xero.writeRequestCount()).toBe(1);
    expect(p.fakes.xero.journals()).toEqual([]);
    const [first] = recordedRuns(p.ledgerPath);
    expect(first).toMatchObject({ command: 'schedule', as_of: '2026-03-04', outcome: 'interrupted', error: null });
    expect(JSON.parse(first!.summary!)).toMatchObject({
      synced: true,
      posts: [{ destination: 'xero', days: ['2026-03-04'], outcome: 'skipped' }],
    });
    expect(lockHolder(p.ledgerPath)).toBeUndefined();

    p.sandbox.setToday('2026-03-05');
    const next = night(p);
    // Exit 1: the panel's balance fell on 5 March more than its orders explain (a discrepancy, not the stop).
    expect(await next.exited).toEqual({ code: 1, signal: null });
    const [, second] = recordedRuns(p.ledgerPath);
    expect(second).toMatchObject({ command: 'schedule', as_of: '2026-03-05', outcome: 'attention' });
    expect(JSON.parse(second!.summary!)).toMatchObject({
      posts: [{ destination: 'xero', days: ['2026-03-04', '2026-03-05'], outcome: 'ok' }],
    });
    // The stopped night's entry and the next night's, each once.
    const narrations = p.fakes.xero.journals().map((journal) => /\[(je:[^\]]+)\]$/.exec(journal.narration)?.[1]);
    expect(narrations.toSorted()).toEqual([
      'je:ads-publisher:2026-03-05',
      'je:smm-panel:2026-03-04',
      'je:smm-panel:2026-03-05',
    ]);
  });
});
