import type { Books } from './books.js';
import { sourceKinds } from '../pipeline/kinds/index.js';
import type { ReconcileReads } from '../reads/index.js';

/**
 * What reconcile, `report` and `serve` read of these books: the ledger's read port, and the items each kind's own
 * books raise (the panel proxy's `add` requests without an outcome) and the findings' words, through the registry. What reconcile and status list is listed-reconcile-items.ts': a command that
 * only reads (report, serve) loads neither the sealed periods' checks nor the runs' findings folder.
 */
export function reconcileReadsOf(books: Books): ReconcileReads {
  return {
    ...books.ledgerReads,
    unansweredAdds: (asOf) => sourceKinds.reconcileItems(books, asOf),
    findingWords: sourceKinds.findingWords(),
    ordersOpenSince: (sourceId, seenBy) => sourceKinds.ordersOpenSince(books, sourceId, seenBy),
  };
}
