import type { Books } from './books.js';
import { sourceKinds } from '../pipeline/kinds/index.js';
import { ledgerReads, type ReconcileReads } from '../reads/index.js';

/**
 * What reconcile, `report` and `serve` read of these books: the ledger's read port, and what the kinds raise (a
 * panel's books against its balance, the panel proxy's `add` requests without an outcome, its orders open too long),
 * the findings' words and which of them late orders explain, through the registry. What reconcile and status list is
 * listed-reconcile-items.ts': a command that only reads (report, serve) loads neither the sealed periods' checks nor
 * the runs' findings folder.
 */
export function reconcileReadsOf(books: Books): ReconcileReads {
  const kindReads = kindReadsOf(books);
  return {
    ...books.of(ledgerReads),
    kindItems: (asOf) => sourceKinds.reconcileItems(kindReads, asOf),
    stuckOrders: (sourceId, seenBy, judgedOn) => sourceKinds.stuckOrders(kindReads, sourceId, seenBy, judgedOn),
    findingWords: sourceKinds.findingWords(),
    explainedByLateOrders: sourceKinds.settledFindings().byLateOrders,
  };
}

/** What the kinds read of these books (the registry's KindReads): their own books, and the ledger's reads. */
export function kindReadsOf(books: Books): Parameters<typeof sourceKinds.reconcileItems>[0] {
  return { of: books.of, ledgerReads: books.of(ledgerReads) };
}
