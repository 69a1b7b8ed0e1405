import type { JobLocks } from './postgres/job-locks.js';
import type { HeldSourceLock, SourceLocks } from './postgres/advisory-locks.js';

/**
 * Who holds a ledger, one group at the store's face (`locks.holdSources(url, ids, { waitMs })`): a PostgreSQL ledger's
 * advisory locks of its sources and queue. Whether a lock's recorded holder still lives is the process's own
 * question (src/runtime/process-liveness.ts).
 */
export type { HeldSourceLock, JobLocks, SourceLocks };

/** The close locks of `sourceIds` on a PostgreSQL ledger (see lockPostgresSources); node-postgres is loaded only when one is taken. */
export async function holdSources(
  ledgerUrl: string,
  sourceIds: readonly string[],
  options: { waitMs: number },
): Promise<HeldSourceLock> {
  return (await import('./postgres/advisory-locks.js')).lockPostgresSources(ledgerUrl, sourceIds, options);
}

/** Source locks for a worker's closes on kept connections, `sessions` at most (see postgresSourceLocks). */
export async function openSources(
  ledgerUrl: string,
  options: { waitMs: number; sessions: number },
): Promise<SourceLocks> {
  return (await import('./postgres/advisory-locks.js')).postgresSourceLocks(ledgerUrl, options);
}

/** Held while the job queue is set up (see lockPostgresQueueSetup). */
export async function holdQueueSetup(ledgerUrl: string): Promise<HeldSourceLock> {
  return (await import('./postgres/advisory-locks.js')).lockPostgresQueueSetup(ledgerUrl);
}

/** A worker's job locks, by which another worker knows it died (see postgresJobLocks). */
export async function openJobs(ledgerUrl: string): Promise<JobLocks> {
  return (await import('./postgres/job-locks.js')).postgresJobLocks(ledgerUrl);
}
