import { proxyBooksOver, type LedgerStore } from '../../store/index.js';
import type { ProxyBooks } from './proxy-books.js';

/**
 * Transitional (issue 39): the sync and reconcile still hand these functions the store while they move to
 * their ports; this lets both work until the merge reconnects them, and then goes.
 */
export type LegacyStore = LedgerStore;

/** The proxy's books of what a caller handed: the port, or (transitional) the store it is built over. */
export function proxyBooksOf<Port extends object>(given: Port | LegacyStore): Port | ProxyBooks {
  return isLegacyStore(given) ? proxyBooksOver(given) : given;
}

/** Only a store can migrate: no port has that verb. */
function isLegacyStore(given: object): given is LegacyStore {
  return 'migrate' in given && 'unitOfWork' in given;
}
