import type { HeldSourceLock } from './postgres/source-lock.js';

export type { HeldSourceLock };

/** The close locks of `sourceIds` on a PostgreSQL ledger (see lockPostgresSources); node-postgres is loaded only when one is taken. */
export async function lockSources(ledgerUrl: string, sourceIds: readonly string[], options: { waitMs: number }): Promise<HeldSourceLock> {
  return (await import('./postgres/source-lock.js')).lockPostgresSources(ledgerUrl, sourceIds, options);
}

/** Held while the job queue is set up (see lockPostgresQueueSetup). */
export async function lockQueueSetup(ledgerUrl: string): Promise<HeldSourceLock> {
  return (await import('./postgres/source-lock.js')).lockPostgresQueueSetup(ledgerUrl);
}
