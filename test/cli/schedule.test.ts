import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPortUrl, reply, startLocalServer, type LocalServer } from '../http/local-server.js';
import { useTempDir } from '../support/temp-dir.js';
import { holdReply } from '../scenarios/scenario-harness.js';
import {
  overlaps,
  recordedRuns,
  runInProcess,
  sandboxProject,
  until,
  workedRuns,
  type SandboxProject,
} from './schedule-harness.js';

const tempDir = useTempDir('ledgerline-schedule-');
const closing: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of closing.splice(0)) await item.close();
});

/** The sandbox's world runs from 2026-03-01; the CLI's clock is moved there, keeping real durations. */
const SHIFT_MS = Date.parse('2026-03-05T02:30:00.000Z') - Date.now();
const shiftedNow = () => new Date(Date.now() + SHIFT_MS);
const NIGHTLY_POSTING_TO_XERO = 'schedule:\n  cron: "30 2 * * *"\n  timezone: UTC\n  post: [xero]';
const EVERY_SECOND = 'schedule:\n  cron: "* * * * * *"\n  timezone: UTC';
const WRONG_PANEL_KEY = 'wrong-panel-key-5f1e9a7c3b';
const WRONG_XERO_SECRET = 'wrong-xero-secret-8d2c4e6a0f';

async function project(options: Parameters<typeof sandboxProject>[1]): Promise<SandboxProject> {
  const made = await sandboxProject(tempDir(), { today: '2026-03-05', ...options });
  closing.push(made);
  return made;
}

async function receiver(status: number): Promise<LocalServer> {
  const server = await startLocalServer((_request, response) => reply(response, status, 'ok'));
  closing.push(server);
  return server;
}

describe('ledgerline schedule', () => {
  it('--once syncs yesterday, posts only the day it synced (never a backfilled one), and logs JSON lines with runId and sourceId to --log-file', async () => {
    const server = await receiver(200);
    const p = await project({ schedule: NIGHTLY_POSTING_TO_XERO, today: '2026-03-02', alertUrl: `${server.url}/hook` });
    // A backfill by hand books the panel's opening balance on 2 March; the scheduler must leave it for an explicit post.
    // Taken on 03-03 (the sandbox stands at 03-02): a first close tells only the present, so not from a later day (issue 69).
    const onMarch3 = () => new Date(shiftedNow().getTime() - 2 * 86_400_000);
    const backfill = await runInProcess(['sync', '--as-of', '2026-03-02'], { cwd: p.dir, env: p.env, now: onMarch3 });
    expect(backfill.code, backfill.stderr).toBe(0);
    p.sandbox.setToday('2026-03-05');

    const run = await runInProcess(['schedule', '--once', '--log-file', 'schedule.log', '--log-format', 'text'], {
      cwd: p.dir,
      env: p.env,
      now: shiftedNow,
    });

    // The panel's balance fell more than its orders explain: booked to suspense, and a discrepancy to look at.
    expect(run.code).toBe(1);
    const [, scheduled] = recordedRuns(p.ledgerPath);
    expect(scheduled).toMatchObject({ command: 'schedule', as_of: '2026-03-04', outcome: 'attention', error: null });
    expect(p.fakes.xero.journals().map((journal) => journal.date)).toEqual(['2026-03-04', '2026-03-04']);
    const alerts = server.received.map(
      (request) => JSON.parse(request.body) as { kind: string; items: { subject: string; kind: string }[] },
    );
    expect(alerts.map((alert) => [alert.kind, alert.items.map((item) => `${item.subject} ${item.kind}`)])).toEqual([
      ['discrepancies', ['smm-panel balance_fall']],
    ]);

    const lines = readFileSync(join(p.dir, 'schedule.log'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      expect(line.runId).toBe(scheduled!.id);
      expect(line).toHaveProperty('sourceId');
    }
    expect(
      lines.filter((line) => line.message === 'taking the close of 2026-03-04').map((line) => line.sourceId),
    ).toEqual(['ads-publisher', 'smm-panel']);
    // stderr kept the readable text.
    expect(run.stderr).toContain('taking the close of 2026-03-04  (sourceId=smm-panel)');
  });

  it('every second against a slow panel: runs never overlap, the ticks in between are skipped and logged, and a stop ends it with exit 0', async () => {
    const p = await project({ schedule: EVERY_SECOND });
    // The first run's panel balance reply is held at the sandbox: the run holds the ledger while ticks come and go.
    const balance = await holdReply(p.sandbox, 'panel', 'balance');
    const stop = new AbortController();
    let stderr = () => '';
    const running = runInProcess(['schedule', '--log-format', 'json'], {
      cwd: p.dir,
      env: p.env,
      now: shiftedNow,
      stopSignal: stop.signal,
      watchStderr: (soFar) => (stderr = soFar),
    });
    expect(await balance.held()).toBe(true);
    await until(() => stderr().includes('skipped: the previous run is still in progress'), 60_000, 'a tick skipped');
    await balance.release();

    await until(
      () => workedRuns(p.ledgerPath).filter((run) => run.finished_at !== null).length >= 2,
      60_000,
      'two finished runs',
    );
    stop.abort();
    const result = await running;

    expect(result.code).toBe(0);
    const runs = workedRuns(p.ledgerPath);
    expect(runs.every((run) => run.finished_at !== null && run.outcome === 'ok')).toBe(true);
    expect(overlaps(runs)).toEqual([]);
    const skipped = result.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; message: string })
      .filter((line) => / skipped: the previous run is still in progress$/.test(line.message));
    expect(skipped.length).toBeGreaterThanOrEqual(1);
  });

  it('a source refusing its key: exit 3, the failure alert names the source and the next step, the daily digest follows, and no secret is in any body', async () => {
    const server = await receiver(200);
    const p = await project({
      schedule: `${NIGHTLY_POSTING_TO_XERO}\nmonitor:\n  digest: daily`,
      alertUrl: `${server.url}/hooks/T000/B000/ledgerline`,
      env: { PANEL_KEY: WRONG_PANEL_KEY },
    });

    const run = await runInProcess(['schedule', '--once'], { cwd: p.dir, env: p.env, now: shiftedNow });

    expect(run.code).toBe(3);
    expect(recordedRuns(p.ledgerPath)).toMatchObject([{ command: 'schedule', outcome: 'failed' }]);
    const bodies = server.received.map((request) => request.body);
    for (const body of bodies) {
      for (const secret of [WRONG_PANEL_KEY, p.env.PAYELANCER_KEY!, p.env.XERO_CLIENT_SECRET!])
        expect(body).not.toContain(secret);
    }
    const alerts = bodies.map(
      (body) =>
        JSON.parse(body) as {
          kind: string;
          text: string;
          items: { subject: string; kind: string; nextStep: string }[];
        },
    );
    const failed = alerts.find((alert) => alert.kind === 'run_failed');
    expect(failed?.items).toContainEqual(
      expect.objectContaining({
        subject: 'smm-panel',
        kind: 'AuthError',
        nextStep: 'check the API key configured for smm-panel',
      }),
    );
    expect(failed?.text).toMatch(/^ledgerline: the scheduled run of 2026-03-04 failed \(smm-panel: AuthError\)\n/);
    expect(failed?.text).toContain('next step: check the API key configured for smm-panel');
    // The daily digest comes after the night's own alert, read from the books the night wrote.
    expect(alerts.map((alert) => alert.kind).at(-1)).toBe('digest');
    const digest = alerts.at(-1)!;
    expect(digest.text).toMatch(/^ledgerline daily digest, 2026-03-05: 1 of 2 sources need you/);
    expect(digest.items).toContainEqual(expect.objectContaining({ subject: 'smm-panel', kind: 'failing' }));
  });

  it("a destination that refuses ledgerline: the day synced is recorded as not posted, and the alert says to check the custom connection's keys", async () => {
    const server = await receiver(200);
    const p = await project({
      // Weekly: sent on Monday's night only, and 2026-03-05 is a Thursday.
      schedule: `${NIGHTLY_POSTING_TO_XERO}\nmonitor:\n  digest: weekly`,
      alertUrl: `${server.url}/hook`,
      env: { XERO_CLIENT_SECRET: WRONG_XERO_SECRET },
    });

    const run = await runInProcess(['schedule', '--once'], { cwd: p.dir, env: p.env, now: shiftedNow });

    expect(run.code).toBe(3);
    const [scheduled] = recordedRuns(p.ledgerPath);
    expect(scheduled).toMatchObject({ outcome: 'failed' });
    expect(scheduled!.error).toMatch(/^AuthError: /);
    expect(JSON.parse(scheduled!.summary!)).toMatchObject({
      synced: true,
      posts: [{ destination: 'xero', days: ['2026-03-04'], outcome: 'failed' }],
    });
    const failed = server.received
      .map(
        (request) =>
          JSON.parse(request.body) as { kind: string; items: { subject: string; kind: string; nextStep: string }[] },
      )
      .find((alert) => alert.kind === 'run_failed');
    expect(failed?.items).toEqual([
      expect.objectContaining({
        kind: 'AuthError',
        nextStep: expect.stringMatching(/^check destinations\.xero\.clientId and clientSecret against the app's keys/),
      }),
    ]);
    expect(server.received.filter((request) => request.body.includes('"kind":"digest"'))).toEqual([]);
    for (const request of server.received) expect(request.body).not.toContain(WRONG_XERO_SECRET);
    expect(run.stderr).not.toContain(WRONG_XERO_SECRET);
  });

  it('a dead alert endpoint does not fail the run', async () => {
    const p = await project({
      schedule: EVERY_SECOND,
      alertUrl: `${await closedPortUrl()}/hook`,
      env: { PANEL_KEY: WRONG_PANEL_KEY },
    });
    const run = await runInProcess(['schedule', '--once', '--log-format', 'json'], {
      cwd: p.dir,
      env: p.env,
      now: shiftedNow,
    });
    // The run's own verdict (a source failed), not the alert's.
    expect(run.code).toBe(3);
    expect(recordedRuns(p.ledgerPath)).toMatchObject([{ outcome: 'failed' }]);
    expect(run.stderr).toContain('alert not delivered to the webhook');
  });

  it('a configuration without a schedule is refused before anything is contacted', async () => {
    const p = await project({ schedule: '' });
    const run = await runInProcess(['schedule', '--once'], { cwd: p.dir, env: p.env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('schedule');
    expect(p.sandbox.requestLog()).toEqual([]);
  });
});
