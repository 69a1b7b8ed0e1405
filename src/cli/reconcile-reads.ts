import type { Books } from '../app/index.js';
import { proxyBooks, unansweredAddItems } from '../kinds/panel/proxy/index.js';
import type { ReconcileReads } from '../reads/index.js';

/**
 * What reconcile, `report` and `serve` read of these books: the ledger's read port, and the `add` requests
 * without an outcome, which pipeline/panel-proxy reads. Transitional (issue 39): that area still takes the
 * store until its own port is merged. What reconcile and status list is listed-reconcile-items.ts': a command that
 * only reads (report, serve) loads neither the sealed periods' checks nor the runs' findings folder.
 */
export function reconcileReadsOf(books: Books): ReconcileReads {
  return { ...books.ledgerReads, unansweredAdds: (asOf) => unansweredAddItems(books.booksOf(proxyBooks), asOf) };
}
