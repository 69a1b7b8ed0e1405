import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { reply, startLocalServer } from '../http/local-server.js';
import { usePostgresNight } from '../scenarios/postgres-night.js';
import { startWorker, until, type RunningWorker } from '../scenarios/queued-workers.js';
import { createWorkspace, finished, runLedgerline, spawnLedgerline, type Workspace } from '../scenarios/scenario-harness.js';

/** Sets the workspace's schedule: the given cron in UTC, on the job queue. */
function scheduleOnQueue(workspace: Workspace, cron: string): void {
  const path = join(workspace.dir, 'ledgerline.yaml');
  const document = parseDocument(readFileSync(path, 'utf8'));
  document.setIn(['schedule', 'cron'], cron);
  document.setIn(['schedule', 'timezone'], 'UTC');
  document.setIn(['schedule', 'queue'], true);
  writeFileSync(path, document.toString());
}

const BROKEN_PANEL = 'broken-panel';
const WRONG_PANEL_KEY = 'wrong-panel-key-0123456789';

/** Adds a panel source whose key the panel refuses, and alerts to `alertUrl` (both secrets, so from the environment). */
function withBrokenPanel(workspace: Workspace, alertUrl: string): void {
  workspace.env.BROKEN_PANEL_KEY = WRONG_PANEL_KEY;
  workspace.env.ALERT_WEBHOOK_URL = `${alertUrl}/hook`;
  const path = join(workspace.dir, 'ledgerline.yaml');
  const document = parseDocument(readFileSync(path, 'utf8'));
  const panel = (document.get('sources') as { items: { toJSON(): Record<string, unknown> }[] }).items.map((item) => item.toJSON()).find((source) => source.id === 'smm-panel')!;
  (document.get('sources') as { add(value: unknown): void }).add(document.createNode({ id: BROKEN_PANEL, kind: 'panel', url: panel.url, apiKey: '${BROKEN_PANEL_KEY}' }));
  document.set('alerts', document.createNode({ webhookUrl: '${ALERT_WEBHOOK_URL}' }));
  writeFileSync(path, document.toString());
}

/**
 * A daily cron (node-cron's six fields: second first) at the first whole second at least 15 s away, in UTC, and
 * that second: time for both schedulers to start before it is due (a `schedule` set its cron 2.6 s after
 * spawning at load 8, and the test asserts each did before the second), without waiting for the next whole
 * minute (up to 80 s). A shorter lead saved nothing: on the queue the night is enqueued at a cron check after
 * the second (pg-boss looks every 15 s, CRON_CHECK_SECONDS of src/queue/job-queue.ts), and the test took 22.6 s
 * with a 10 s lead, 22.7 s with 15 s.
 */
function cronSoon(now = new Date()): { cron: string; due: Date } {
  const due = new Date(Math.ceil((now.getTime() + 15_000) / 1000) * 1000);
  return { cron: `${due.getUTCSeconds()} ${due.getUTCMinutes()} ${due.getUTCHours()} * * *`, due };
}

/** When a `schedule` logged that its cron was set (its line `scheduled "CRON" in ZONE …`), in ms; NaN when it never did. */
function scheduledAt(stderr: string): number {
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    const record = JSON.parse(line) as { time?: string; message?: string };
    if (record.message?.startsWith('scheduled "') && record.time !== undefined) return Date.parse(record.time);
  }
  return Number.NaN;
}

describe('schedule with schedule.queue on a PostgreSQL ledger', { timeout: 180_000 }, () => {
  const night = usePostgresNight('schedule-queue');
  const { day } = night;
  const jobsOf = (kind: string) =>
    night.rows(`SELECT state FROM ledgerline_queue.job WHERE name = 'ledgerline_${kind}' UNION ALL SELECT state FROM ledgerline_queue.archive WHERE name = 'ledgerline_${kind}'`);

  it('runs the night once with two schedulers running: each source closed once by the worker, one recorded night, one alert', async () => {
    const { workspace } = night;
    const alertHook = await startLocalServer((_request, response) => reply(response, 200, 'ok'));
    try {
      const soon = cronSoon();
      scheduleOnQueue(workspace, soon.cron);
      withBrokenPanel(workspace, alertHook.url);
      const schedulers = [0, 1].map(() => {
        const child = spawnLedgerline(workspace.dir, ['schedule'], workspace.env);
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        return { child, stderr: () => stderr, ended: finished(child, 170_000) };
      });
      let worker: RunningWorker | undefined;
      try {
        worker = startWorker(workspace);
        await until(() => schedulers.some((scheduler) => scheduler.stderr().includes(`the night of ${day}: queued the closes of 4 sources`)), 'a scheduler to enqueue the night', 120_000);
        await until(() => schedulers.some((scheduler) => scheduler.stderr().includes('scheduled run finished')), 'the night to finish', 60_000);
        // Both schedulers were due in the same second, seconds before the night finished; a few more seconds
        // give a second scheduler that was going to send it one more chance to show it.
        await new Promise((resolve) => setTimeout(resolve, 5_000));
      } finally {
        for (const scheduler of schedulers) scheduler.child.kill('SIGTERM');
        worker?.child.kill('SIGTERM');
      }
      for (const scheduler of schedulers) expect((await scheduler.ended).code).toBe(0);
      // Both were running, their schedule set, before the second came: two schedulers due at once, not one.
      for (const scheduler of schedulers) expect(scheduledAt(scheduler.stderr()), scheduler.stderr()).toBeLessThan(soon.due.getTime());
      const stopped = await worker!.ended;
      expect(stopped.code).toBe(0);
      expect(await jobsOf('nightly')).toHaveLength(1);
      expect(await jobsOf('close')).toHaveLength(4);
      expect(schedulers.filter((scheduler) => scheduler.stderr().includes('queued the closes'))).toHaveLength(1);
      expect((stopped.stderr.match(new RegExp(`taking the close of ${day}`, 'g')) ?? []).length).toBe(4);

      // Recorded as a local scheduler records its night: one `schedule` run, every source's outcome and money.
      const nights = await night.rows(`SELECT as_of, outcome, summary FROM runs WHERE command = 'schedule'`);
      expect(nights).toHaveLength(1);
      expect(nights[0]).toMatchObject({ as_of: day, outcome: 'failed' });
      const sources = (JSON.parse(nights[0]!.summary as string) as { sources: { sourceId: string; outcome: string; booked: unknown[] }[] }).sources;
      expect(sources.map((source) => [source.sourceId, source.outcome]).sort()).toEqual([
        ['ads-advertiser', 'booked'],
        ['ads-publisher', 'booked'],
        [BROKEN_PANEL, 'failed'],
        ['smm-panel', 'booked'],
      ]);
      expect(sources.find((source) => source.sourceId === 'smm-panel')!.booked.length).toBeGreaterThan(0);
      // And alerted as one: the failed source with its error class and what to do about it.
      const alerts = alertHook.received.map((request) => JSON.parse(request.body) as { kind: string; items: { subject: string; kind: string; nextStep: string }[] });
      const failed = alerts.filter((alert) => alert.kind === 'run_failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]!.items).toEqual([expect.objectContaining({ subject: BROKEN_PANEL, kind: 'AuthError', nextStep: `check the API key configured for ${BROKEN_PANEL}` })]);
      expect(JSON.stringify(alerts)).not.toContain(WRONG_PANEL_KEY);
    } finally {
      await alertHook.close();
    }
  });

  it('is a configuration error naming schedule.queue on a SQLite ledger, exit 2', async () => {
    const sqlite = await createWorkspace(night.sandbox, 'schedule-queue-sqlite');
    try {
      scheduleOnQueue(sqlite, '30 2 * * *');
      // In this process: a refusal before anything starts is about the message and the exit code, not the process.
      const refused = await runLedgerline(sqlite.dir, ['schedule'], sqlite.env, 20_000);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('schedule.queue');
      expect(refused.stderr).toContain('needs a PostgreSQL ledger');
    } finally {
      sqlite.remove();
    }
  });
});
