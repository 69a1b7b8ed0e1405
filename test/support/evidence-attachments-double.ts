import { LedgerIntegrityError } from '../../src/errors.js';
import type {
  EvidenceAttachment,
  EvidenceAttachmentOutbox,
  EvidenceAttachmentReads,
} from '../../src/pipeline/post/books/evidence-attachment-outbox.js';
import { boundTo, clonedPart } from './in-memory-units.js';
import type { PostBooksDouble } from './post-outbox-double.js';

interface Step extends EvidenceAttachment {
  destination: string;
  attachmentId: string | null;
}

/**
 * The evidence attachments' outbox (EvidenceAttachmentOutbox) over in-memory books (post-outbox-double.ts), for the
 * unit tier (issue 53 item 5): the journals posted to one destination in date and entry order, and the append-only
 * steps of each file (an attachment id, once recorded, wins over the intent before it). One per books: each
 * destination's steps apart. test/store/evidence-attachments-contract.test.ts holds it to both engines.
 */
export function evidenceAttachmentsInMemory(books: PostBooksDouble): (destination: string) => EvidenceAttachmentOutbox {
  const held: { steps: Step[] } = { steps: [] };
  books.journal.units.join(clonedPart(held));
  return (destination) => {
    const reads: EvidenceAttachmentReads = {
      postedJournals: async (window) => {
        const posted = books.postedRemoteIds(destination);
        return books.journal
          .entries()
          .filter((entry) => posted.has(entry.id))
          .filter(
            (entry) => (!window.from || entry.date >= window.from) && (!window.until || entry.date <= window.until),
          )
          .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1))
          .map((entry) => ({ entryId: entry.id, journalId: posted.get(entry.id)! }));
      },
      steps: async (entryIds) => {
        const found = new Map<string, 'intent' | 'attached'>();
        for (const step of held.steps.filter(
          (kept) => kept.destination === destination && entryIds.includes(kept.entryId),
        )) {
          const key = `${step.entryId}\u0000${step.fileName}`;
          found.set(key, step.attachmentId === null ? (found.get(key) ?? 'intent') : 'attached');
        }
        return found;
      },
    };
    // One intent and one id per file (migration 0023's unique index evidence_attachment_steps_once).
    const append = (attachment: EvidenceAttachment, attachmentId: string | null) => {
      const same = (step: Step) =>
        step.destination === destination &&
        step.entryId === attachment.entryId &&
        step.fileName === attachment.fileName &&
        (step.attachmentId === null) === (attachmentId === null);
      if (held.steps.some(same))
        throw new LedgerIntegrityError(
          `the ledger refused the write: unique constraint "evidence_attachment_steps_once" (${attachment.entryId} ${attachment.fileName})`,
        );
      held.steps.push({ ...attachment, destination, attachmentId });
    };
    const tx = {
      ...reads,
      recordIntent: async (attachment: EvidenceAttachment) => append(attachment, null),
      recordAttached: async (attachment: EvidenceAttachment, attachmentId: string) => append(attachment, attachmentId),
    };
    return { ...reads, unit: (work) => books.journal.units.run((unit) => work(boundTo(unit, tx))) };
  };
}
