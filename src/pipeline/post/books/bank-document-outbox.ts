import type { BankDocumentRecord, BankDocumentRequest } from '../../../ledger/index.js';
import { queryBuilder, type StoreHandle, type StoreTx, statements } from '../../../store/index.js';

export type { BankDocumentRecord, BankDocumentRequest };

/** What creating bank-side documents reads of one destination's steps: on the port itself and in its unit alike. */
interface BankDocumentReads {
  /** The items with a step recorded, by item id. */
  records(itemIds: readonly string[]): Promise<Map<string, BankDocumentRecord>>;
  /** Every document recorded, by item id: what the nightly read-back asks the destination about. */
  documents(): Promise<Map<string, string>>;
}

/** The steps' writes, only on the `tx` of a unit of work (`BankDocumentOutbox.unit` hands them). `at` is the write's time, ISO 8601. */
export interface BankDocumentOutboxTx extends BankDocumentReads {
  recordIntent(request: BankDocumentRequest, at: string): Promise<void>;
  /** The document's id: from the create call's reply ('created') or a look-up by reference ('found'). */
  recordDocument(request: BankDocumentRequest, documentId: string, how: 'created' | 'found', at: string): Promise<void>;
}

/**
 * What creating bank-side documents needs of the books: one destination's steps, written in units that commit
 * before the use case goes on. The intent is recorded before the create call leaves and the document's id after,
 * so a crash between them leaves an intent alone, which the next run looks up by reference before creating
 * anything. Reads on the port; the writes only on the `tx` its unit hands (issue 53 item 4).
 */
export interface BankDocumentOutbox extends BankDocumentReads {
  unit<T>(work: (tx: BankDocumentOutboxTx) => Promise<T>): Promise<T>;
}

/** The steps' reads over the store or a unit's `tx`. */
const bankDocumentReads = (store: StoreHandle, destination: string): BankDocumentReads => ({
  records: (itemIds) => records(store, destination, itemIds),
  documents: () => documents(store, destination),
});

/** The steps' writes and reads in one unit of work, over its `tx`. */
const bankDocumentOutboxTx = (tx: StoreTx, destination: string): BankDocumentOutboxTx => ({
  ...bankDocumentReads(tx, destination),
  recordIntent: (request, at) => appendStep(tx, destination, request, { step: 'intent', documentId: null }, at),
  recordDocument: (request, documentId, how, at) => appendStep(tx, destination, request, { step: how, documentId }, at),
});

/** One destination's bank-side documents over the store's handle (`books.of(bankDocumentOutbox, destination)`): append-only steps (migration 0021). */
export const bankDocumentOutbox = (store: StoreHandle, destination: string): BankDocumentOutbox => ({
  ...bankDocumentReads(store, destination),
  unit: (work) => store.unitOfWork((tx) => work(bankDocumentOutboxTx(tx, destination))),
});

async function appendStep(
  store: StoreTx,
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
  store: StoreHandle,
  destination: string,
  itemIds: readonly string[],
): Promise<Map<string, BankDocumentRecord>> {
  const found = new Map<string, BankDocumentRecord>();
  const rows = statements.rowsOfIds(store, itemIds, (ids) =>
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

async function documents(store: StoreHandle, destination: string): Promise<Map<string, string>> {
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
