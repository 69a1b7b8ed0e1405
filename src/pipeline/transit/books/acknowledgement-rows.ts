import type { Acknowledgement } from '../../../ledger/index.js';
import { queryBuilder, type StoreHandle, seals } from '../../../store/index.js';

// A person's word on a reconcile item: the transit's books and the adjustments' write it, the transit's and the
// reads' read it; the transit holds it, as both others may import the transit.

/** Appends a person's word on a reconcile item. */
export async function recordAcknowledgement(store: StoreHandle, itemId: string, word: Acknowledgement): Promise<void> {
  await store.unitOfWork(async (tx) => {
    const kept = await tx.first(
      queryBuilder(tx)
        .insertInto('acknowledgements')
        .values({ item_id: itemId, action: word.action, note: word.note, os_user: word.user, at: word.at })
        .returning('id'),
    );
    await seals.rows(tx, 'acknowledgements', { id: kept!.id });
  });
}

/**
 * Every word on every item that has one, oldest first: the table is append-only, and so is what a person
 * reads of it (a second ack without a note never hides the first one's note).
 */
export async function acknowledgementHistory(store: StoreHandle): Promise<Map<string, Acknowledgement[]>> {
  const history = new Map<string, Acknowledgement[]>();
  for await (const row of store.iterate(
    queryBuilder(store)
      .selectFrom('acknowledgements')
      .select(['item_id', 'action', 'note', 'os_user', 'at'])
      .orderBy('id'),
  )) {
    const words = history.get(row.item_id) ?? [];
    words.push({ action: row.action, note: row.note, user: row.os_user, at: row.at });
    history.set(row.item_id, words);
  }
  return history;
}
