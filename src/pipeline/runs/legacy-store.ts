import { runRecordsOver, type LedgerStore } from '../../store/index.js';
import type { RunRecords } from './run-records.js';

/**
 * Transitional (issue 39): the callers in other use cases still hand these functions the store while they move
 * to their ports; this lets both work until the merge reconnects them, and then goes.
 */
export type LegacyStore = LedgerStore;

/** The run records of what a caller handed: the port, or (transitional) the store it is built over. */
export function runRecordsOf(given: RunRecords | LegacyStore): RunRecords {
  return isLegacyStore(given) ? runRecordsOver(given) : given;
}

/** Only a store can migrate: no port has that verb. */
export function isLegacyStore(given: object): given is LegacyStore {
  return 'migrate' in given && 'unitOfWork' in given;
}
