import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usePostgresNight } from '../scenarios/postgres-night.js';
import { startWorker } from '../scenarios/queued-workers.js';
import { PANEL_SOURCE, holdReply, runLedgerline } from '../scenarios/scenario-harness.js';

describe('a worker killed mid-close', { timeout: 150_000 }, () => {
  const night = usePostgresNight('worker-death');

  it("is noticed by the job lock it held: its close is retried by another worker within the sync's wait, long before the 15-minute expiry", async () => {
    const { workspace, day } = night;
    // The panel's balance reply (the close's first request) is held, so the kill lands while the close is in hand.
    const balance = await holdReply(night.sandbox, 'panel', 'balance');
    const doomed = startWorker(workspace);
    // The default job expiry (900 s) stands: only the dead worker's lock can bring the job back within 60 s.
    // The queued sync in this process: the workers are the processes killed and watched.
    const sync = runLedgerline(
      workspace.dir,
      // A retry 1 s after the dead worker's try (not the default 10 s): the wait is not the subject.
      ['sync', '--queue', '--as-of', day, '--source', PANEL_SOURCE, '--queue-wait', '60', '--retry-delay', '1'],
      workspace.env,
      100_000,
    );
    expect(await balance.held(), doomed.stderr()).toBe(true);
    expect(doomed.stderr()).toContain(`taking the close of ${day}`);
    doomed.child.kill('SIGKILL');
    await doomed.ended.catch(() => undefined);
    await balance.release();
    const survivor = startWorker(workspace);
    try {
      const result = await sync;
      expect(result.code, result.stderr).toBe(0);
      expect(survivor.stderr()).toContain('close job(s) whose worker died go back to the queue');
    } finally {
      survivor.child.kill('SIGTERM');
    }
    expect((await survivor.ended).code).toBe(0);
    const [, ...rows] = readFileSync(join(workspace.dir, 'orders.csv'), 'utf8').trim().split('\n');
    const booked = await night.rows(`SELECT order_id FROM orders WHERE source_id = '${PANEL_SOURCE}'`);
    expect(booked.map((row) => String(row.order_id)).sort()).toEqual(rows.map((row) => row.split(',')[0]!).sort());
  });
});
