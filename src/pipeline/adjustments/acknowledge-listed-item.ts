import { reconcileReport, type ReconcileReads, type StuckAfterDays } from '../../reads/index.js';
import { acknowledgeItem, type ItemWord, type WordTaken } from './acknowledge-item.js';
import type { Acknowledgements } from './books/acknowledgement-books.js';

/** What a word on a reconcile item reads and writes, in one unit: reconcile's reads and the acknowledgements. */
interface ListedItemBooks {
  decide<T>(
    work: (tx: { reconcileReads: ReconcileReads; acknowledgements: Acknowledgements }) => Promise<T>,
  ): Promise<T>;
}

/**
 * `reconcile ack ID` and `unack ID`: a person's word on an item the report lists as of `asOf`, read and written in
 * one unit under the ledger's lock, so two acks at once record one word; an id the report does not list is refused,
 * with the closest one (acknowledgeItem).
 */
export function acknowledgeListedItem(
  books: ListedItemBooks,
  listed: { asOf: string; today: string; stuckAfterDays: StuckAfterDays; findingsFolder: string },
  word: ItemWord,
): Promise<WordTaken> {
  return books.decide(async (tx) => {
    const report = await reconcileReport(
      tx.reconcileReads,
      listed.asOf,
      listed.today,
      listed.stuckAfterDays,
      listed.findingsFolder,
    );
    return acknowledgeItem(tx.acknowledgements, report.items, word);
  });
}
