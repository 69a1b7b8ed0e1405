import type { HeldSourceLock } from './postgres/source-lock.js';

export type { HeldSourceLock };

/** A worker's lock on one source of a PostgreSQL ledger (see lockPostgresSource); node-postgres is loaded only when one is taken. */
export async function lockSource(ledgerUrl: string, sourceId: string, options: { waitMs: number }): Promise<HeldSourceLock> {
  return (await import('./postgres/source-lock.js')).lockPostgresSource(ledgerUrl, sourceId, options);
}
