import { createHash } from 'node:crypto';
import pg from 'pg';
import { describePostgresUrl } from '../../config/index.js';
import { LedgerStorageError, messageOf } from '../../errors.js';
import { ownSession } from './postgres-database.js';

/** The first key of the job locks ("LLJB"): never the space of the source locks, so the two never meet. */
const JOB_LOCK_SPACE = 0x4c4c4a42;

/**
 * A worker's hold on the jobs it runs: one session per lane, holding an advisory lock keyed by the job it
 * runs. The database ends the session when the worker dies (kill -9 included), which frees the lock: another
 * worker that finds a running job's lock free knows its worker is gone and has it retried at once, instead
 * of after the job's expiry (15 minutes by default). A lane lets its last job's lock go only when it takes
 * the next one (by then the queue has recorded the last one finished), so a job is never taken for dead
 * between its handler's end and its completion.
 */
export interface JobLocks {
  /** Holds `jobId`'s lock on `lane`'s session, letting go of that lane's previous job. */
  hold(lane: number, jobId: string): Promise<void>;
  /** Of `jobIds` (running, by the queue), those whose lock no session holds: their workers are gone. */
  abandoned(jobIds: readonly string[]): Promise<string[]>;
  /** Ends every session. Never throws. */
  close(): Promise<void>;
}

export function postgresJobLocks(url: string): JobLocks {
  const shown = describePostgresUrl(url);
  const sessions = new Map<number, Promise<pg.Client>>();
  const session = (lane: number): Promise<pg.Client> => {
    let client = sessions.get(lane);
    if (client === undefined) {
      client = ownSession(url, `ledgerline job lock ${lane}`);
      // A failed connection is tried again by the next job rather than kept.
      client.catch(() => sessions.delete(lane));
      sessions.set(lane, client);
    }
    return client;
  };
  return {
    async hold(lane, jobId) {
      try {
        const client = await session(lane);
        await client.query('SELECT pg_advisory_unlock_all()');
        await client.query('SELECT pg_advisory_lock($1, $2)', [JOB_LOCK_SPACE, jobKey(jobId)]);
      } catch (error) {
        sessions.delete(lane);
        throw new LedgerStorageError(
          `cannot hold the lock of job ${jobId} on the PostgreSQL ledger ${shown}: ${messageOf(error)}`,
        );
      }
    },
    async abandoned(jobIds) {
      if (jobIds.length === 0) return [];
      const client = await ownSession(url, 'ledgerline job watch');
      try {
        const gone: string[] = [];
        for (const jobId of jobIds) {
          const { rows } = await client.query<{ free: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS free', [
            JOB_LOCK_SPACE,
            jobKey(jobId),
          ]);
          if (rows[0]?.free !== true) continue;
          await client.query('SELECT pg_advisory_unlock($1, $2)', [JOB_LOCK_SPACE, jobKey(jobId)]);
          gone.push(jobId);
        }
        return gone;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    async close() {
      const clients = [...sessions.values()];
      sessions.clear();
      for (const client of clients) await client.then((held) => held.end()).catch(() => undefined);
    },
  };
}

/** The job's lock key: the same in every process, from its id alone. */
function jobKey(jobId: string): number {
  return createHash('sha256').update(jobId).digest().readInt32BE(0);
}
