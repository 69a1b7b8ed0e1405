import { createHash } from 'node:crypto';
import pg from 'pg';
import { describePostgresUrl } from '../../config/index.js';
import { LedgerStorageError, RunInProgressError, messageOf } from '../../errors.js';
import { CONNECT_TIMEOUT_MS, ownSession } from './postgres-database.js';

/** The first key of every advisory lock ledgerline takes ("LLSQ"), so its locks never meet another application's in a shared database. */
const LEDGERLINE_LOCK_SPACE = 0x4c4c5351;
/** SQLSTATE of a lock wait that ran past lock_timeout. */
const LOCK_NOT_AVAILABLE = '55P03';

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
export async function lockPostgresSources(
  url: string,
  sourceIds: readonly string[],
  options: { waitMs: number },
): Promise<HeldSourceLock> {
  const shown = describePostgresUrl(url);
  let client: pg.Client | undefined;
  let sourceId = sourceIds[0] ?? '';
  try {
    client = await ownSession(url, 'ledgerline source lock');
    await client.query("SELECT set_config('lock_timeout', $1, false)", [
      `${Math.max(1, Math.round(options.waitMs))}ms`,
    ]);
    for (sourceId of [...new Set(sourceIds)].sort())
      await client.query('SELECT pg_advisory_lock($1, $2)', [LEDGERLINE_LOCK_SPACE, sourceKey(sourceId)]);
  } catch (error) {
    await client?.end().catch(() => undefined);
    throw lockError(error, sourceId, shown, options.waitMs);
  }
  const held = client;
  return { release: () => held.end().catch(() => undefined) };
}

export interface SourceLocks {
  /** As lockPostgresSources for one source, on a connection kept for the next close once this one lets go. */
  lock(sourceId: string): Promise<HeldSourceLock>;
  /** Ends the kept connections, once every lock taken has been released. Never throws. */
  close(): Promise<void>;
}

/**
 * One source's lock at a time per close in hand, for a worker taking close after close: each lock is a
 * session of a small pool, unlocked and handed back when its close ends, so a night of hundreds of closes
 * does not start (and authenticate) a server process for each. A session the unlock fails on is ended
 * rather than kept; one still goes with its worker if the worker is killed.
 */
export function postgresSourceLocks(url: string, options: { waitMs: number; sessions: number }): SourceLocks {
  const shown = describePostgresUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.sessions,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'ledgerline source lock',
    options: `-c lock_timeout=${Math.max(1, Math.round(options.waitMs))}`,
  });
  // A session dropped, idle or held, is noticed by its next query; without a listener it would end the process.
  const ignore = () => undefined;
  pool.on('error', ignore);
  return {
    async lock(sourceId) {
      let client: pg.PoolClient | undefined;
      try {
        client = await pool.connect();
        client.on('error', ignore);
        await client.query('SELECT pg_advisory_lock($1, $2)', [LEDGERLINE_LOCK_SPACE, sourceKey(sourceId)]);
      } catch (error) {
        client?.off('error', ignore).release(true);
        throw lockError(error, sourceId, shown, options.waitMs);
      }
      const held = client;
      return {
        async release() {
          try {
            await held.query('SELECT pg_advisory_unlock_all()');
            held.off('error', ignore).release();
          } catch (error) {
            held.off('error', ignore).release(error instanceof Error ? error : true);
          }
        },
      };
    },
    close: () => pool.end().catch(() => undefined),
  };
}

function lockError(error: unknown, sourceId: string, shown: string, waitMs: number): Error {
  if ((error as { code?: unknown }).code === LOCK_NOT_AVAILABLE) {
    return new RunInProgressError(
      `source ${sourceId} is being closed by another run (a worker or a local sync) on ${shown} (waited ${waitMs} ms); try again when it finishes`,
    );
  }
  return new LedgerStorageError(
    `cannot lock source ${sourceId} on the PostgreSQL ledger ${shown}: ${messageOf(error)}`,
  );
}

/** The migration's advisory lock (space, key): one process migrates a ledger at a time. */
export const MIGRATION_LOCK: readonly [number, number] = [LEDGERLINE_LOCK_SPACE, 1];

/** The key of the queue setup's lock (lockPostgresQueueSetup); a source whose key hashes to it only waits for a setup. */
const QUEUE_SETUP_KEY = 0;
/** How long a process opening the job queue waits for another setting it up. */
const QUEUE_SETUP_WAIT_MS = 60_000;

/** Held while pg-boss sets up its schema and queues, one process at a time: two at once can deadlock on a fresh database. */
export async function lockPostgresQueueSetup(url: string): Promise<HeldSourceLock> {
  const shown = describePostgresUrl(url);
  let client: pg.Client | undefined;
  try {
    client = await ownSession(url, 'ledgerline queue setup');
    await client.query("SELECT set_config('lock_timeout', $1, false)", [`${QUEUE_SETUP_WAIT_MS}ms`]);
    await client.query('SELECT pg_advisory_lock($1, $2)', [LEDGERLINE_LOCK_SPACE, QUEUE_SETUP_KEY]);
  } catch (error) {
    await client?.end().catch(() => undefined);
    throw new LedgerStorageError(`cannot set up the job queue on the PostgreSQL ledger ${shown}: ${messageOf(error)}`);
  }
  const held = client;
  return { release: () => held.end().catch(() => undefined) };
}

/** The source's lock key: the same in every process, from the id alone. */
function sourceKey(sourceId: string): number {
  return createHash('sha256').update(sourceId).digest().readInt32BE(0);
}
