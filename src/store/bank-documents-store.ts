import type { BankDocumentOutbox, BankDocumentOutboxTx } from '../pipeline/post/bank-document-outbox.js';
import type { BankDocumentRecord, BankDocumentRequest } from '../ledger/index.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import { rowsOfIds } from './id-lists.js';
import { queryBuilder } from './query-builder.js';

/** The steps' reads over the store or a unit's `tx`. */
const bankDocumentReadsOver = (store: LedgerStore, destination: string) => ({
  records: (itemIds: readonly string[]) => records(store, destination, itemIds),
  documents: () => documents(store, destination),
});

/** The steps' writes and reads in one unit of work, over its `tx`. */
const bankDocumentsTxOver = (tx: LedgerTx, destination: string) =>
  ({
    ...bankDocumentReadsOver(tx, destination),
    recordIntent: (request: BankDocumentRequest, at: string) =>
      appendStep(tx, destination, request, { step: 'intent', documentId: null }, at),
    recordDocument: (request: BankDocumentRequest, documentId: string, how: 'created' | 'found', at: string) =>
      appendStep(tx, destination, request, { step: how, documentId }, at),
  }) satisfies BankDocumentOutboxTx;

/** The bank-side documents' outbox (pipeline/post BankDocumentOutbox) over the store, for one destination: append-only steps (migration 0021). */
export const bankDocumentsOver = (store: LedgerStore, destination: string) =>
  ({
    ...bankDocumentReadsOver(store, destination),
    unit: <T>(work: (tx: BankDocumentOutboxTx) => Promise<T>): Promise<T> =>
      store.unitOfWork((tx) => work(bankDocumentsTxOver(tx, destination))),
  }) satisfies BankDocumentOutbox;

async function appendStep(
  store: LedgerTx,
  destination: string,
  request: BankDocumentRequest,
  step: { step: 'intent' | 'created' | 'found'; documentId: string | null },
  at: string,
): Promise<void> {
  await store.run(
    queryBuilder(store).insertInto('bank_document_steps').values({
      destination,
      item_id: request.itemId,
      step: step.step,
      document_id: step.documentId,
      kind: request.kind,
      amount_micros: request.amount,
      currency: request.currency,
      due_on: request.date,
      clearing_account: request.clearingAccount,
      bank_account: request.bankAccount,
      recorded_at: at,
    }),
  );
}

async function records(
  store: LedgerStore,
  destination: string,
  itemIds: readonly string[],
): Promise<Map<string, BankDocumentRecord>> {
  const found = new Map<string, BankDocumentRecord>();
  const rows = rowsOfIds(store, itemIds, (ids) =>
    queryBuilder(store)
      .selectFrom('bank_document_steps')
      .select(['item_id', 'document_id'])
      .where('destination', '=', destination)
      .where('item_id', 'in', ids)
      .orderBy('id'),
  );
  // Steps come in the order written: a document id, once there, wins over the intent before it.
  for await (const row of rows)
    found.set(
      row.item_id,
      row.document_id === null
        ? (found.get(row.item_id) ?? { state: 'intent' })
        : { state: 'created', documentId: row.document_id },
    );
  return found;
}

async function documents(store: LedgerStore, destination: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const query = queryBuilder(store)
    .selectFrom('bank_document_steps')
    .select(['item_id', 'document_id'])
    .where('destination', '=', destination)
    .where('document_id', 'is not', null)
    .orderBy('id');
  for await (const row of store.iterate(query)) if (row.document_id !== null) found.set(row.item_id, row.document_id);
  return found;
}

/** The documents recorded at a destination (created there, or found by their reference), each as it was asked for. */
export async function recordedBankDocuments(store: LedgerStore, destination: string): Promise<BankDocumentRequest[]> {
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
export async function itemsWithBankDocuments(store: LedgerStore): Promise<Set<string>> {
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('bank_document_steps')
      .select('item_id')
      .distinct()
      .where('document_id', 'is not', null),
  );
  return new Set(rows.map((row) => row.item_id));
}
