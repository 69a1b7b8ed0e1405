import type { DeliveryWindow } from '../../ledger/index.js';

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
 * anything. store/evidence-attachments-store.ts implements it.
 */
export interface EvidenceAttachmentOutbox extends EvidenceAttachmentReads {
  unit<T>(work: (tx: EvidenceAttachmentTx) => Promise<T>): Promise<T>;
}
