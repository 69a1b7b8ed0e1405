import type {
  EvidenceAttachment,
  EvidenceAttachmentOutbox,
  EvidenceAttachmentReads,
  EvidenceAttachmentTx,
} from '../pipeline/post/evidence-attachment-outbox.js';
import type { DeliveryWindow } from '../ledger/index.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import { rowsOfIds } from './id-lists.js';
import { queryBuilder } from './query-builder.js';

/** The outbox's reads over the store or a unit's `tx`. */
const evidenceReadsOver = (store: LedgerStore, destination: string) =>
  ({
    postedJournals: (window: DeliveryWindow) => postedJournals(store, destination, window),
    steps: (entryIds: readonly string[]) => steps(store, destination, entryIds),
  }) satisfies EvidenceAttachmentReads;

/** The reads and the append-only steps over a unit's `tx`. */
const evidenceTxOver = (tx: LedgerTx, destination: string) =>
  ({
    ...evidenceReadsOver(tx, destination),
    recordIntent: (attachment: EvidenceAttachment, at: string) =>
      appendStep(tx, destination, attachment, 'intent', null, at),
    recordAttached: (attachment: EvidenceAttachment, attachmentId: string, how: 'attached' | 'found', at: string) =>
      appendStep(tx, destination, attachment, how, attachmentId, at),
  }) satisfies EvidenceAttachmentTx;

/** The evidence attachments' outbox (pipeline/post EvidenceAttachmentOutbox) over the store, for one destination: append-only steps (migration 0023). */
export const evidenceAttachmentsOver = (store: LedgerStore, destination: string) =>
  ({
    ...evidenceReadsOver(store, destination),
    unit: <T>(work: (tx: EvidenceAttachmentTx) => Promise<T>): Promise<T> =>
      store.unitOfWork((tx) => work(evidenceTxOver(tx, destination))),
  }) satisfies EvidenceAttachmentOutbox;

async function postedJournals(
  store: LedgerStore,
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
  store: LedgerStore,
  destination: string,
  entryIds: readonly string[],
): Promise<Map<string, 'intent' | 'attached'>> {
  const found = new Map<string, 'intent' | 'attached'>();
  const rows = rowsOfIds(store, entryIds, (ids) =>
    queryBuilder(store)
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
  store: LedgerTx,
  destination: string,
  attachment: EvidenceAttachment,
  step: 'intent' | 'attached' | 'found',
  attachmentId: string | null,
  at: string,
): Promise<void> {
  await store.run(
    queryBuilder(store).insertInto('evidence_attachment_steps').values({
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
