import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidReplyError, RequestRejectedError } from '../../errors.js';
import type { DestinationClientOptions } from '../destination-client-options.js';
import type { EvidenceAttachmentClient } from '../evidence-attachment-client.js';
import type { XeroDestinationConfig } from './xero-config.js';
import { xeroTransportFor } from './xero-client.js';
import { readXeroReply } from './xero-replies.js';
import type { XeroAccount } from './xero-payload.js';

const attachmentsReplySchema = z.object({
  attachments: z.array(z.object({ attachmentID: z.string().optional(), fileName: z.string().optional() })),
});

/**
 * Xero's side of evidence attachments (XOAS /ManualJournals/{ManualJournalID}/Attachments, scope
 * accounting.attachments), through the same transport as journals (pacing, retries, token renewal): the
 * journal's files listed by GET, a file uploaded by PUT with its raw bytes under an Idempotency-Key made of
 * the journal, the name and the bytes, so a resend of the same file is replayed, never kept twice.
 */
export function createXeroEvidenceAttachments(
  options: DestinationClientOptions<XeroDestinationConfig, XeroAccount>,
): EvidenceAttachmentClient {
  const { tenantId, transport } = xeroTransportFor(options);
  return {
    name: 'Xero',
    async attached(journalId) {
      const reply = await transport.read(`listing the attachments of journal ${journalId}`, () =>
        transport.api.getManualJournalAttachments(tenantId, journalId),
      );
      const found = new Map<string, string>();
      for (const attachment of readAttachments(reply.body, `GET ManualJournals/${journalId}/Attachments`)) {
        if (attachment.fileName !== undefined && attachment.attachmentID !== undefined)
          found.set(attachment.fileName, attachment.attachmentID);
      }
      return found;
    },
    async attach(journalId, file) {
      const what = `attaching the evidence ${file.fileName} to journal ${journalId}`;
      const key = `evidence-${createHash('sha256').update(`${journalId}\n${file.fileName}\n`).update(file.bytes).digest('hex').slice(0, 40)}`;
      const result = await transport.call(what, true, () =>
        transport.api.createManualJournalAttachmentByFileName(tenantId, journalId, file.fileName, file.bytes, key),
      );
      if (result.kind === 'refused') throw new RequestRejectedError('Xero', result.status, `${what}: ${result.text}`);
      const attachment = readAttachments(
        result.value.body,
        `PUT ManualJournals/${journalId}/Attachments/${file.fileName}`,
      )[0];
      if (attachment?.attachmentID === undefined)
        throw new InvalidReplyError(
          'Xero',
          `PUT ManualJournals/${journalId}/Attachments`,
          'no AttachmentID in the reply',
        );
      return attachment.attachmentID;
    },
    close: () => transport.close(),
  };
}

function readAttachments(body: unknown, call: string) {
  return readXeroReply(attachmentsReplySchema, body, call, 'no Attachments list in the reply').attachments;
}
