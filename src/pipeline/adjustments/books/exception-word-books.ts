import type { Generated } from 'kysely';
import type { ExceptionWord } from '../../../reads/index.js';
import { queryBuilder, type StoreHandle } from '../../../store/index.js';

export type { ExceptionWord };

/** The exception queue's write, only on the `tx` of a unit of work (`ExceptionWords.unit` hands it). */
export interface ExceptionWordsTx {
  /** Appends a word to the item's history: words are never edited. */
  recordExceptionWord(word: ExceptionWord): Promise<void>;
}

/**
 * A person's words on the exception queue's items (`exceptions ack|assign|note`, migration 0037), in the ledger of
 * the entity the item is in: read on the port, written only on the `tx` its unit hands.
 */
export interface ExceptionWords {
  /** Every word, oldest first. */
  words(): Promise<ExceptionWord[]>;
  unit<T>(work: (tx: ExceptionWordsTx) => Promise<T>): Promise<T>;
}

/** A person's word on an exception-queue item (migration 0037): append-only, its latest ack and assign say the state. */
interface ExceptionWordTable {
  id: Generated<bigint>;
  item_id: string;
  action: ExceptionWord['action'];
  facts: string | null;
  assignee: string | null;
  note: string | null;
  os_user: string;
  at: string;
}

const wordQueries = (store: StoreHandle) => queryBuilder(store).withTables<{ exception_words: ExceptionWordTable }>();

/** The exception queue's words over the store's handle (`books.of(exceptionWordBooks)`): read, and written in a unit. */
export const exceptionWordBooks = (store: StoreHandle): ExceptionWords => ({
  words: () =>
    store.all(
      wordQueries(store)
        .selectFrom('exception_words')
        .select(['item_id as itemId', 'action', 'facts', 'assignee', 'note', 'os_user as user', 'at'])
        .orderBy('id'),
    ),
  unit: (work) =>
    store.unitOfWork((tx) =>
      work({
        recordExceptionWord: async (word) => {
          await tx.run(
            wordQueries(tx).insertInto('exception_words').values({
              item_id: word.itemId,
              action: word.action,
              facts: word.facts,
              assignee: word.assignee,
              note: word.note,
              os_user: word.user,
              at: word.at,
            }),
          );
        },
      }),
    ),
});
