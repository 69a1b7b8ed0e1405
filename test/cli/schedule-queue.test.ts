import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { usePostgresNight } from '../scenarios/postgres-night.js';
import { startWorker, until, type RunningWorker } from '../scenarios/queued-workers.js';
import { createWorkspace, finished, spawnLedgerline, type Workspace } from '../scenarios/scenario-harness.js';

/** Sets the workspace's schedule: the given cron in UTC, on the job queue. */
function scheduleOnQueue(workspace: Workspace, cron: string): void {
  const path = join(workspace.dir, 'ledgerline.yaml');
  const document = parseDocument(readFileSync(path, 'utf8'));
  document.setIn(['schedule', 'cron'], cron);
  document.setIn(['schedule', 'timezone'], 'UTC');
  document.setIn(['schedule', 'queue'], true);
  writeFileSync(path, document.toString());
}

/** A daily cron at the first whole minute at least 20 s away, in UTC: time for the schedulers to start before it is due. */
function cronSoon(now = new Date()): string {
  const due = new Date(Math.ceil((now.getTime() + 20_000) / 60_000) * 60_000);
  return `${due.getUTCMinutes()} ${due.getUTCHours()} * * *`;
}

describe('schedule with schedule.queue on a PostgreSQL ledger', { timeout: 180_000 }, () => {
  const night = usePostgresNight('schedule-queue');
  const { day } = night;
  const jobsOf = (kind: string) =>
    night.rows(`SELECT state FROM ledgerline_queue.job WHERE name = 'ledgerline_${kind}' UNION ALL SELECT state FROM ledgerline_queue.archive WHERE name = 'ledgerline_${kind}'`);

  it('enqueues the night once with two schedulers running: each source is closed once, by the worker', async () => {
    const { workspace } = night;
    scheduleOnQueue(workspace, cronSoon());
    const schedulers = [0, 1].map(() => {
      const child = spawnLedgerline(workspace.dir, ['schedule'], workspace.env);
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      return { child, stderr: () => stderr, ended: finished(child, 170_000) };
    });
    let worker: RunningWorker | undefined;
    try {
      worker = startWorker(workspace);
      await until(() => schedulers.some((scheduler) => scheduler.stderr().includes(`the night of ${day}: queued the closes of 3 sources`)), 'a scheduler to enqueue the night', 120_000);
      await until(() => (worker!.stderr().match(/booked \d+ events/g) ?? []).length >= 3, 'the worker to close the three sources', 60_000);
      // Past the minute the night was due in: a second scheduler that was going to send it has had its chance.
      await new Promise((resolve) => setTimeout(resolve, 20_000));
    } finally {
      for (const scheduler of schedulers) scheduler.child.kill('SIGTERM');
      worker?.child.kill('SIGTERM');
    }
    for (const scheduler of schedulers) expect((await scheduler.ended).code).toBe(0);
    const stopped = await worker!.ended;
    expect(stopped.code).toBe(0);
    expect(await jobsOf('nightly')).toHaveLength(1);
    expect(await jobsOf('close')).toHaveLength(3);
    const takers = schedulers.filter((scheduler) => scheduler.stderr().includes('queued the closes'));
    expect(takers).toHaveLength(1);
    expect((stopped.stderr.match(new RegExp(`taking the close of ${day}`, 'g')) ?? []).length).toBe(3);
    const closed = await night.rows(`SELECT count(*)::int AS n FROM journal_entries WHERE date = '${day}'`);
    expect(closed[0]!.n).toBeGreaterThan(0);
  });

  it('is a configuration error naming schedule.queue on a SQLite ledger, exit 2', async () => {
    const sqlite = await createWorkspace(night.sandbox, 'schedule-queue-sqlite');
    try {
      scheduleOnQueue(sqlite, '30 2 * * *');
      const refused = await finished(spawnLedgerline(sqlite.dir, ['schedule'], sqlite.env));
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('schedule.queue');
      expect(refused.stderr).toContain('needs a PostgreSQL ledger');
    } finally {
      sqlite.remove();
    }
  });
});
