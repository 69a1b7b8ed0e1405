import { createHash } from 'node:crypto';
import pg from 'pg';
import { describePostgresUrl } from '../../config/index.js';
import { LedgerStorageError, RunInProgressError } from '../../errors.js';

/** The first key of every advisory lock ledgerline takes ("LLSQ"), so its locks never meet another application's in a shared database. */
const LEDGERLINE_LOCK_SPACE = 0x4c4c5351;
/** SQLSTATE of a lock wait that ran past lock_timeout. */
const LOCK_NOT_AVAILABLE = '55P03';
const CONNECT_TIMEOUT_MS = 10_000;

export interface HeldSourceLock {
  /** Ends the lock's connection, which lets the lock go. Never throws. */
  release(): Promise<void>;
}

/**
 * Source close locks on a PostgreSQL ledger: session-level advisory locks on a connection of their own, so
 * a worker killed mid-close loses them with its connection and another worker can take the source over.
 * A worker takes one source's; a local sync or backfill takes those of every source it closes (in one
 * session, in id order), so it never closes a source beside a worker. Waits at most `waitMs` for each
 * source held by another run, then refuses (RunInProgressError), holding none. Different sources never
 * wait on each other (short of a 32-bit hash collision, which only serialises them).
 */
export async function lockPostgresSources(url: string, sourceIds: readonly string[], options: { waitMs: number }): Promise<HeldSourceLock> {
  const shown = describePostgresUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'ledgerline source lock' });
  // A dropped connection is noticed by the next query; without a listener it would end the process.
  client.on('error', () => undefined);
  let sourceId = sourceIds[0] ?? '';
  try {
    await client.connect();
    await client.query("SELECT set_config('lock_timeout', $1, false)", [`${Math.max(1, Math.round(options.waitMs))}ms`]);
    for (sourceId of [...new Set(sourceIds)].sort()) await client.query('SELECT pg_advisory_lock($1, $2)', [LEDGERLINE_LOCK_SPACE, sourceKey(sourceId)]);
  } catch (error) {
    await client.end().catch(() => undefined);
    if ((error as { code?: unknown }).code === LOCK_NOT_AVAILABLE) {
      throw new RunInProgressError(
        `source ${sourceId} is being closed by another run (a worker or a local sync) on ${shown} (waited ${options.waitMs} ms); try again when it finishes`,
      );
    }
    throw new LedgerStorageError(`cannot lock source ${sourceId} on the PostgreSQL ledger ${shown}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { release: () => client.end().catch(() => undefined) };
}

/** The key of the queue setup's lock (lockPostgresQueueSetup); a source whose key hashes to it only waits for a setup. */
const QUEUE_SETUP_KEY = 0;
/** How long a process opening the job queue waits for another setting it up. */
const QUEUE_SETUP_WAIT_MS = 60_000;

/** Held while pg-boss sets up its schema and queues, one process at a time: two at once can deadlock on a fresh database. */
export async function lockPostgresQueueSetup(url: string): Promise<HeldSourceLock> {
  const shown = describePostgresUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'ledgerline queue setup' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query("SELECT set_config('lock_timeout', $1, false)", [`${QUEUE_SETUP_WAIT_MS}ms`]);
    await client.query('SELECT pg_advisory_lock($1, $2)', [LEDGERLINE_LOCK_SPACE, QUEUE_SETUP_KEY]);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new LedgerStorageError(`cannot set up the job queue on the PostgreSQL ledger ${shown}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { release: () => client.end().catch(() => undefined) };
}

/** The source's lock key: the same in every process, from the id alone. */
function sourceKey(sourceId: string): number {
  return createHash('sha256').update(sourceId).digest().readInt32BE(0);
}
