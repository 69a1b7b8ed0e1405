import { isPostgresUrl, type Config } from '../config/index.js';
import type { RunLockChoice } from '../pipeline/runs/index.js';
import { locks } from '../store/index.js';

/** How long a local run waits for a worker still closing one of its sources before it refuses (exit 75), unless told. */
const SOURCE_LOCK_WAIT_SECONDS = 5;

/**
 * The lock of a local run that closes `sourceIds`: the ledger's run lock, and on PostgreSQL also those
 * sources' locks, which workers take too, so a local close never runs beside a worker's on the same source.
 */
export function localRunLock(
  config: Config,
  sourceIds: readonly string[],
  waitSeconds = SOURCE_LOCK_WAIT_SECONDS,
): RunLockChoice {
  if (!isPostgresUrl(config.ledger)) return { kind: 'ledger' };
  return {
    kind: 'ledger',
    sources: () => locks.holdSources(config.ledger, sourceIds, { waitMs: waitSeconds * 1000 }),
  };
}
