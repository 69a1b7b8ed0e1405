import type { BankDocumentRequest } from '../../../ledger/index.js';
import { queryBuilder, type StoreHandle } from '../../../store/index.js';

// The post's books (pipeline/post/books) write the steps; the transit and the reads, which may not import the post,
// read them here.

/** The documents recorded at a destination (created there, or found by their reference), each as it was asked for. */
export async function recordedBankDocuments(store: StoreHandle, destination: string): Promise<BankDocumentRequest[]> {
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('bank_document_steps')
      .select(['item_id', 'kind', 'amount_micros', 'currency', 'due_on', 'clearing_account', 'bank_account'])
      .where('destination', '=', destination)
      .where('document_id', 'is not', null)
      .orderBy('id'),
  );
  return rows.map((row) => ({
    itemId: row.item_id,
    kind: row.kind,
    amount: BigInt(row.amount_micros),
    currency: row.currency,
    date: row.due_on,
    clearingAccount: row.clearing_account,
    bankAccount: row.bank_account,
  }));
}

/** The items with a bank-side document at any destination: a step that recorded the document's id (created, or found by its reference). */
export async function itemsWithBankDocuments(store: StoreHandle): Promise<Set<string>> {
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('bank_document_steps')
      .select('item_id')
      .distinct()
      .where('document_id', 'is not', null),
  );
  return new Set(rows.map((row) => row.item_id));
}
