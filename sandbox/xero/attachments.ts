import { deterministicUuid, jsonReply, type FakeOutcome } from '../fake-kit/index.js';
import type { XeroTenant } from './tenant.js';

/**
 * A manual journal's attachments (XOAS paths /ManualJournals/{ManualJournalID}/Attachments…; schema
 * `Attachment`): PUT or POST the raw bytes under a file name, and list them. What the fake
 * refuses as Xero does: a journal it does not hold (404), an 11th file on one document (10 at most), a body
 * over the size limit (413 RequestEntityTooLarge / PayloadTooLarge). The same file name again replaces it.
 */

export interface XeroStoredAttachment {
  attachmentId: string;
  manualJournalId: string;
  fileName: string;
  bytes: Buffer;
  mimeType: string;
}

/** Files a document takes (bank-side-facts.md §2: "Count per document 10"). */
export const XERO_MAX_ATTACHMENTS = 10;
/** The smaller of the per-file limits the sources give (3 MB); a test may give its own. */
export const XERO_ATTACHMENT_LIMIT_BYTES = 3 * 1024 * 1024;

export function writeAttachment(
  tenant: XeroTenant,
  manualJournalId: string,
  fileName: string,
  body: Buffer,
  contentType: string | undefined,
): FakeOutcome {
  const missing = journalMissing(tenant, manualJournalId);
  if (missing) return missing;
  if (body.length > tenant.attachmentLimitBytes)
    return {
      reply: tenant.problem(413, 'RequestEntityTooLarge', 'PayloadTooLarge'),
      note: `attachment of ${body.length} bytes over the limit`,
    };
  if (body.length === 0) return { reply: validation('The file content is empty.'), note: 'empty attachment' };
  const held = tenant.attachments.filter((attachment) => attachment.manualJournalId === manualJournalId);
  const same = held.find((attachment) => attachment.fileName === fileName);
  if (same === undefined && held.length >= XERO_MAX_ATTACHMENTS) {
    return {
      reply: validation(`A document can have at most ${XERO_MAX_ATTACHMENTS} attachments.`),
      note: 'an 11th attachment',
    };
  }
  const attachment: XeroStoredAttachment = {
    attachmentId: same?.attachmentId ?? deterministicUuid(tenant.seed, 'attachment', tenant.attachments.length + 1),
    manualJournalId,
    fileName,
    bytes: Buffer.from(body),
    mimeType: contentType ?? 'application/octet-stream',
  };
  if (same === undefined) tenant.attachments.push(attachment);
  else tenant.attachments.splice(tenant.attachments.indexOf(same), 1, attachment);
  return {
    reply: jsonReply(200, tenant.envelope({ Attachments: [renderAttachment(attachment)] })),
    note: same === undefined ? `attached ${fileName}` : `replaced ${fileName}`,
  };
}

export function listAttachments(tenant: XeroTenant, manualJournalId: string): FakeOutcome {
  const missing = journalMissing(tenant, manualJournalId);
  if (missing) return missing;
  const held = tenant.attachments.filter((attachment) => attachment.manualJournalId === manualJournalId);
  return {
    reply: jsonReply(200, tenant.envelope({ Attachments: held.map(renderAttachment) })),
    note: `listed ${held.length} attachments`,
  };
}

/** XOAS `Attachment`: AttachmentID, FileName, Url, MimeType, ContentLength (IncludeOnline is for invoices). */
export function renderAttachment(attachment: XeroStoredAttachment): Record<string, unknown> {
  return {
    AttachmentID: attachment.attachmentId,
    FileName: attachment.fileName,
    Url: `https://api.xero.com/api.xro/2.0/ManualJournals/${attachment.manualJournalId}/Attachments/${encodeURIComponent(attachment.fileName)}`,
    MimeType: attachment.mimeType,
    ContentLength: attachment.bytes.length,
  };
}

function journalMissing(tenant: XeroTenant, manualJournalId: string): FakeOutcome | undefined {
  if (tenant.stored.some((journal) => journal.manualJournalId === manualJournalId)) return undefined;
  return {
    reply: tenant.problem(404, 'Not Found', `No ManualJournal with ID ${manualJournalId}`),
    note: 'attachment to no journal',
  };
}

function validation(message: string): ReturnType<typeof jsonReply> {
  return jsonReply(400, {
    ErrorNumber: 10,
    Type: 'ValidationException',
    Message: 'A validation exception occurred',
    Elements: [{ ValidationErrors: [{ Message: message }] }],
  });
}
