import type { Generated } from 'kysely';
import type { ExceptionWord, ExceptionWords, ExceptionWordsTx } from '../pipeline/adjustments/exception-words.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

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

export type ExceptionWordTables = { exception_words: ExceptionWordTable };

const wordQueries = (store: LedgerStore) => queryBuilder(store).withTables<ExceptionWordTables>();

const exceptionWordsTxOver = (tx: LedgerTx) =>
  ({
    recordExceptionWord: async (word: ExceptionWord) => {
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
  }) satisfies ExceptionWordsTx;

/** The exception queue's words (`ExceptionWords`, pipeline/adjustments/exception-words.ts) over the store. */
export const exceptionWordsOver = (store: LedgerStore) =>
  ({
    words: (): Promise<ExceptionWord[]> =>
      store.all(
        wordQueries(store)
          .selectFrom('exception_words')
          .select(['item_id as itemId', 'action', 'facts', 'assignee', 'note', 'os_user as user', 'at'])
          .orderBy('id'),
      ),
    unit: <T>(work: (tx: ExceptionWordsTx) => Promise<T>): Promise<T> =>
      store.unitOfWork((tx) => work(exceptionWordsTxOver(tx))),
  }) satisfies ExceptionWords;
