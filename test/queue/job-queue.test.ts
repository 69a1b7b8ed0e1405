import { describe, expect, it } from 'vitest';
import { JobQueue, type JobStatus } from '../../src/queue/index.js';
import { locks } from '../support/ledger-tables.js';
import { usePostgresServer } from '../support/postgres-server.js';

const { freshDatabase } = usePostgresServer();
const OPTIONS = { expireInSeconds: 60, retryLimit: 0 };

function openQueue(url: string): Promise<JobQueue> {
  return JobQueue.open(url, { setupLock: () => locks.holdQueueSetup(url), supervise: false, onError: () => undefined });
}

function closeJobs(keys: readonly string[]) {
  return keys.map((key) => ({ key, data: { sourceId: key.split('/')[0]!, day: key.split('/')[1]! } }));
}

/** The job's status once it has finished, looking at most 300 times, 100 ms apart (a bound for a loaded machine). */
async function finishedStatus(queue: JobQueue, id: string): Promise<JobStatus> {
  for (let look = 0; look < 300; look += 1) {
    const [status] = await queue.statuses('close', [id]);
    if (JobQueue.isFinished(status!.state)) return status!;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${id} did not finish in 30 s`);
}

describe('the job queue on PostgreSQL', { timeout: 60_000 }, () => {
  it('enqueues a night at once; a second enqueue of its waiting keys is a no-op that knows them, and enqueues only the new key', async () => {
    const url = await freshDatabase();
    const queue = await openQueue(url);
    try {
      const keys = ['smm-panel/2026-03-01', 'ads-publisher/2026-03-01'];
      const first = await queue.enqueueAll('close', closeJobs(keys), OPTIONS);
      expect(first.map((job) => job.enqueued)).toEqual([true, true]);
      const second = await queue.enqueueAll('close', closeJobs([...keys, 'other-panel/2026-03-01']), OPTIONS);
      expect(second.map((job) => job.enqueued)).toEqual([false, false, true]);
      expect(second.slice(0, 2).map((job) => job.id)).toEqual(first.map((job) => job.id));
      expect(
        (
          await queue.statuses(
            'close',
            second.map((job) => job.id),
          )
        ).map((status) => status.state),
      ).toEqual(['created', 'created', 'created']);
    } finally {
      await queue.stop();
    }
  });

  it("keeps a finished job's output, replaces the finished job when its key is enqueued again, and tells an unknown job as missing", async () => {
    const url = await freshDatabase();
    const queue = await openQueue(url);
    try {
      const [job] = await queue.enqueueAll('close', closeJobs(['smm-panel/2026-03-01']), OPTIONS);
      const worker = await openQueue(url);
      try {
        await worker.work('close', 1, async () => ({ runId: 'run-1' }));
        expect(await finishedStatus(queue, job!.id)).toEqual({
          id: job!.id,
          state: 'completed',
          output: { runId: 'run-1' },
        });
      } finally {
        await worker.stop();
      }
      const [again] = await queue.enqueueAll('close', closeJobs(['smm-panel/2026-03-01']), OPTIONS);
      expect(again).toEqual({ id: job!.id, enqueued: true });
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect(await queue.statuses('close', [job!.id, unknown])).toEqual([
        { id: job!.id, state: 'created', output: null },
        { id: unknown, state: 'missing', output: undefined },
      ]);
    } finally {
      await queue.stop();
    }
  });

  it("tells a waiting enqueuer when a worker completes one of its jobs, with the job's completion already visible", async () => {
    const url = await freshDatabase();
    const queue = await openQueue(url);
    const worker = await openQueue(url);
    try {
      const [job] = await queue.enqueueAll('close', closeJobs(['smm-panel/2026-03-01']), OPTIONS);
      const ids = new Set([job!.id]);
      // A first call, stopped before it waits, starts the LISTEN: the notice cannot pass before it.
      await queue.finishNoticed('close', ids, AbortSignal.abort());
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      await worker.work('close', 1, async () => (await released, { runId: 'run-1' }));
      const noticed = queue.finishNoticed('close', ids, new AbortController().signal);
      release();
      await noticed;
      expect(await queue.statuses('close', [job!.id])).toEqual([
        { id: job!.id, state: 'completed', output: { runId: 'run-1' } },
      ]);
    } finally {
      await worker.stop();
      await queue.stop();
    }
  });
});
