import type { Generated } from 'kysely';
import type { DeliveryWindow } from '../../../ledger/index.js';
import { queryBuilder, type StoreHandle, type StoreTx, statements } from '../../../store/index.js';

/** The evidence attachments' steps: the post's books alone read and write them. */
type EvidenceAttachmentTables = { evidence_attachment_steps: EvidenceAttachmentStepTable };

const evidenceAttachmentQueries = (store: StoreHandle) => queryBuilder(store).withTables<EvidenceAttachmentTables>();

/** Each evidence file attached to a posted journal (migration 0023): the intent, then the attachment's id. */
interface EvidenceAttachmentStepTable {
  id: Generated<bigint>;
  destination: string;
  entry_id: string;
  journal_id: string;
  file_name: string;
  manifest_sha256: string;
  step: 'intent' | 'attached' | 'found';
  attachment_id: string | null;
  recorded_at: string;
}

/** One evidence file to attach to one posted journal. */
export interface EvidenceAttachment {
  entryId: string;
  /** The destination's id of the journal the entry was posted as. */
  journalId: string;
  fileName: string;
  manifestSha256: string;
}

/** What attaching evidence reads of the books, for one destination: on the port itself and in its unit alike. */
export interface EvidenceAttachmentReads {
  /** The entries posted there dated in the window, with the destination's journal id, in date and entry order. */
  postedJournals(window: DeliveryWindow): Promise<{ entryId: string; journalId: string }[]>;
  /** What is recorded of each entry's files: by `entryId \u0000 fileName`, 'intent' or 'attached'. */
  steps(entryIds: readonly string[]): Promise<Map<string, 'intent' | 'attached'>>;
}

/** The attachment steps' writes, only in a unit of work (`EvidenceAttachmentOutbox.unit` hands them). `at` is ISO 8601. */
export interface EvidenceAttachmentTx extends EvidenceAttachmentReads {
  recordIntent(attachment: EvidenceAttachment, at: string): Promise<void>;
  /** The attachment's id: from the upload's reply ('attached') or a look-up by file name ('found'). */
  recordAttached(
    attachment: EvidenceAttachment,
    attachmentId: string,
    how: 'attached' | 'found',
    at: string,
  ): Promise<void>;
}

/**
 * What attaching evidence needs of the books, for one destination: the journals posted there, the steps
 * recorded, and a unit whose `tx` alone writes (issue 53 item 4); each write's unit commits before the use case
 * goes on. The intent is recorded before the upload leaves and the attachment's id after, so a crash between
 * them leaves an intent alone, which the next post looks up among the journal's attachments before uploading
 * anything.
 */
export interface EvidenceAttachmentOutbox extends EvidenceAttachmentReads {
  unit<T>(work: (tx: EvidenceAttachmentTx) => Promise<T>): Promise<T>;
}

/** The outbox's reads over the store or a unit's `tx`. */
const evidenceAttachmentReads = (store: StoreHandle, destination: string): EvidenceAttachmentReads => ({
  postedJournals: (window) => postedJournals(store, destination, window),
  steps: (entryIds) => steps(store, destination, entryIds),
});

/** The reads and the append-only steps over a unit's `tx`. */
const evidenceAttachmentTx = (tx: StoreTx, destination: string): EvidenceAttachmentTx => ({
  ...evidenceAttachmentReads(tx, destination),
  recordIntent: (attachment, at) => appendStep(tx, destination, attachment, 'intent', null, at),
  recordAttached: (attachment, attachmentId, how, at) => appendStep(tx, destination, attachment, how, attachmentId, at),
});

/** One destination's evidence attachments over the store's handle (`books.of(evidenceAttachmentOutbox, destination)`): append-only steps (migration 0023). */
export const evidenceAttachmentOutbox = (store: StoreHandle, destination: string): EvidenceAttachmentOutbox => ({
  ...evidenceAttachmentReads(store, destination),
  unit: (work) => store.unitOfWork((tx) => work(evidenceAttachmentTx(tx, destination))),
});

async function postedJournals(
  store: StoreHandle,
  destination: string,
  window: DeliveryWindow,
): Promise<{ entryId: string; journalId: string }[]> {
  let query = queryBuilder(store)
    .selectFrom('deliveries as d')
    .innerJoin('journal_entries as e', 'e.id', 'd.entry_id')
    .select(['d.entry_id', 'd.remote_id'])
    .where('d.destination', '=', destination)
    .where('d.state', '=', 'posted')
    .where('d.remote_id', 'is not', null);
  if (window.from !== undefined) query = query.where('e.date', '>=', window.from);
  if (window.until !== undefined) query = query.where('e.date', '<=', window.until);
  const rows = await store.all(query.orderBy('e.date').orderBy('e.id'));
  return rows.map((row) => ({ entryId: row.entry_id, journalId: row.remote_id ?? '' }));
}

async function steps(
  store: StoreHandle,
  destination: string,
  entryIds: readonly string[],
): Promise<Map<string, 'intent' | 'attached'>> {
  const found = new Map<string, 'intent' | 'attached'>();
  const rows = statements.rowsOfIds(store, entryIds, (ids) =>
    evidenceAttachmentQueries(store)
      .selectFrom('evidence_attachment_steps')
      .select(['entry_id', 'file_name', 'attachment_id'])
      .where('destination', '=', destination)
      .where('entry_id', 'in', ids)
      .orderBy('id'),
  );
  // Steps come in the order written: an attachment id, once there, wins over the intent before it.
  for await (const row of rows) {
    const key = `${row.entry_id}\u0000${row.file_name}`;
    found.set(key, row.attachment_id === null ? (found.get(key) ?? 'intent') : 'attached');
  }
  return found;
}

async function appendStep(
  store: StoreTx,
  destination: string,
  attachment: EvidenceAttachment,
  step: 'intent' | 'attached' | 'found',
  attachmentId: string | null,
  at: string,
): Promise<void> {
  await store.run(
    evidenceAttachmentQueries(store).insertInto('evidence_attachment_steps').values({
      destination,
      entry_id: attachment.entryId,
      journal_id: attachment.journalId,
      file_name: attachment.fileName,
      manifest_sha256: attachment.manifestSha256,
      step,
      attachment_id: attachmentId,
      recorded_at: at,
    }),
  );
}
