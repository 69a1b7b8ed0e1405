import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { reply, startLocalServer } from '../http/local-server.js';
import { usePostgresNight } from '../scenarios/postgres-night.js';
import { startWorkerInProcess, until, type WorkerInProcess } from '../scenarios/queued-workers.js';
import {
  createWorkspace,
  finished,
  runLedgerline,
  spawnLedgerline,
  type Workspace,
} from '../scenarios/scenario-harness.js';

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
  const panel = (document.get('sources') as { items: { toJSON(): Record<string, unknown> }[] }).items
    .map((item) => item.toJSON())
    .find((source) => source.id === 'smm-panel')!;
  (document.get('sources') as { add(value: unknown): void }).add(
    document.createNode({ id: BROKEN_PANEL, kind: 'panel', url: panel.url, apiKey: '${BROKEN_PANEL_KEY}' }),
  );
  document.set('alerts', document.createNode({ webhookUrl: '${ALERT_WEBHOOK_URL}' }));
  writeFileSync(path, document.toString());
}

/**
 * A daily cron (node-cron's six fields: second first) at a whole minute, in UTC, and that minute: the one begun at
 * most DUE_SLACK_MS ago, else the next. pg-boss sends a schedule at any check within 60 s of its time, at most once
 * per clock minute, so a time at a whole minute is sent once for all of its 60 s, however many checks and schedulers
 * there are (a time at :45 could be sent again at :00). Those 60 s must hold the schedulers' start (when it falls after
 * the time), a check (5 s), the night and one more check: the minute begun up to 40 s ago left 20 s, which a night at
 * load 31 overran by 58 ms; the minute begun at most 5 s ago, or the next one, leaves at least 55 s (a lead of up to
 * 55 s instead, 27 s on average, in which both schedulers start and wait for the time as a real night does).
 */
function cronDue(now = new Date()): { cron: string; due: Date } {
  const minute = Math.floor(now.getTime() / 60_000) * 60_000;
  const due = new Date(now.getTime() - minute <= DUE_SLACK_MS ? minute : minute + 60_000);
  return { cron: `0 ${due.getUTCMinutes()} ${due.getUTCHours()} * * *`, due };
}

/** How far into its minute the night's time may already be when the schedulers are started. */
const DUE_SLACK_MS = 5_000;

/** When a `schedule` logged a line containing `text` (its JSON log's `time`), in ms; NaN when it never did. */
function loggedAt(stderr: string, text: string): number {
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    const record = JSON.parse(line) as { time?: string; message?: string };
    if (record.message?.includes(text) === true && record.time !== undefined) return Date.parse(record.time);
  }
  return Number.NaN;
}

describe('schedule with schedule.queue on a PostgreSQL ledger', { timeout: 180_000 }, () => {
  const night = usePostgresNight('schedule-queue');
  const { day } = night;
  const jobsOf = (name: string) =>
    night.rows(
      `SELECT state FROM ledgerline_queue.job WHERE name = '${name}' UNION ALL SELECT state FROM ledgerline_queue.archive WHERE name = '${name}'`,
    );
  /** When a scheduler last looked whether a schedule is due (pg-boss's cron_on, one for all schedulers), in ms. */
  const lastCronCheck = async () =>
    Number((await night.rows(`SELECT extract(epoch FROM cron_on) * 1000 AS at FROM ledgerline_queue.version`))[0]!.at);

  it('runs the night once with two schedulers running: each source closed once by the worker, one recorded night, one alert', async () => {
    const { workspace } = night;
    const alertHook = await startLocalServer((_request, response) => reply(response, 200, 'ok'));
    try {
      const soon = cronDue();
      scheduleOnQueue(workspace, soon.cron);
      withBrokenPanel(workspace, alertHook.url);
      const schedulers = [0, 1].map(() => {
        const child = spawnLedgerline(workspace.dir, ['schedule'], workspace.env);
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        return { child, stderr: () => stderr, ended: finished(child, 170_000) };
      });
      let worker: WorkerInProcess | undefined;
      let finishedAt = Number.NaN;
      let checkedAt = Number.NaN;
      try {
        // In this process: the schedulers are the processes here, the worker only closes what they queue.
        worker = startWorkerInProcess(workspace);
        await until(
          () =>
            schedulers.some((scheduler) =>
              scheduler.stderr().includes(`the night of ${day}: queued the closes of 4 sources`),
            ),
          'a scheduler to enqueue the night',
          120_000,
        );
        await until(
          () => schedulers.some((scheduler) => scheduler.stderr().includes('scheduled run finished')),
          'the night to finish',
          60_000,
        );
        finishedAt = Math.min(
          ...schedulers
            .map((scheduler) => loggedAt(scheduler.stderr(), 'scheduled run finished'))
            .filter((at) => !Number.isNaN(at)),
        );
        // One more look whether the night is due, after it finished: a scheduler that would send it again does so there.
        await until(async () => (await lastCronCheck()) > finishedAt, 'a cron check after the night', 30_000);
        checkedAt = await lastCronCheck();
      } finally {
        for (const scheduler of schedulers) scheduler.child.kill('SIGTERM');
        worker?.stop();
      }
      for (const scheduler of schedulers) expect((await scheduler.ended).code).toBe(0);
      // Both were running, their schedule set, while the night ran, and a scheduler looked again while it was
      // still due (within 60 s of its time): two schedulers due at once, not one, and one send.
      for (const scheduler of schedulers)
        expect(loggedAt(scheduler.stderr(), 'scheduled "'), scheduler.stderr()).toBeLessThan(finishedAt);
      expect(checkedAt).toBeLessThan(soon.due.getTime() + 60_000);
      const stopped = await worker!.ended;
      expect(stopped.code).toBe(0);
      expect(await jobsOf('__pgboss__send-it')).toHaveLength(1);
      expect(await jobsOf('ledgerline_nightly')).toHaveLength(1);
      expect(await jobsOf('ledgerline_close')).toHaveLength(4);
      expect(schedulers.filter((scheduler) => scheduler.stderr().includes('queued the closes'))).toHaveLength(1);
      expect((stopped.stderr.match(new RegExp(`taking the close of ${day}`, 'g')) ?? []).length).toBe(4);

      // Recorded as a local scheduler records its night: one `schedule` run, every source's outcome and money.
      const nights = await night.rows(`SELECT as_of, outcome, summary FROM runs WHERE command = 'schedule'`);
      expect(nights).toHaveLength(1);
      expect(nights[0]).toMatchObject({ as_of: day, outcome: 'failed' });
      const sources = (
        JSON.parse(nights[0]!.summary as string) as {
          sources: { sourceId: string; outcome: string; booked: unknown[] }[];
        }
      ).sources;
      expect(sources.map((source) => [source.sourceId, source.outcome]).sort()).toEqual([
        ['ads-advertiser', 'booked'],
        ['ads-publisher', 'booked'],
        [BROKEN_PANEL, 'failed'],
        ['smm-panel', 'booked'],
      ]);
      expect(sources.find((source) => source.sourceId === 'smm-panel')!.booked.length).toBeGreaterThan(0);
      // And alerted as one: the failed source with its error class and what to do about it.
      const alerts = alertHook.received.map(
        (request) =>
          JSON.parse(request.body) as { kind: string; items: { subject: string; kind: string; nextStep: string }[] },
      );
      const failed = alerts.filter((alert) => alert.kind === 'run_failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]!.items).toEqual([
        expect.objectContaining({
          subject: BROKEN_PANEL,
          kind: 'AuthError',
          nextStep: `check the API key configured for ${BROKEN_PANEL}`,
        }),
      ]);
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
