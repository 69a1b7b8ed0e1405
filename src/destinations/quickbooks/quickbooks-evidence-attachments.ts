import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { EvidenceAttachmentClient } from '../evidence-attachment-client.js';
import {
  answerOf,
  QUICKBOOKS_MINOR_VERSION,
  queryUrl,
  quickbooksReaderFor,
  quoted,
  read,
  type QuickbooksClientOptions,
} from './quickbooks-session.js';

const attachableSchema = z.object({ Id: z.string(), FileName: z.string().optional() });
const attachableQuerySchema = z.object({
  QueryResponse: z.object({ Attachable: z.array(attachableSchema).optional() }),
});
const uploadedSchema = z.object({ AttachableResponse: z.array(z.object({ Attachable: attachableSchema })).min(1) });

/**
 * QuickBooks' side of evidence attachments, through the journals' transport: an Attachable uploaded to
 * /upload (multipart/form-data: `file_metadata_0` the Attachable JSON linked to the JournalEntry, `file_content_0`
 * the file) under a requestid made of the journal, the name and the bytes, so a resend is replayed; the files a
 * journal holds found by querying Attachable by its EntityRef.
 */
export function createQuickbooksEvidenceAttachments(options: QuickbooksClientOptions): EvidenceAttachmentClient {
  const session = quickbooksReaderFor(options);
  return {
    name: 'QuickBooks',
    async attached(journalId) {
      const query = `select * from Attachable where AttachableRef.EntityRef.Type = 'JournalEntry' and AttachableRef.EntityRef.value = ${quoted(journalId)}`;
      const reply = await read(
        session,
        `listing the attachments of journal entry ${journalId}`,
        queryUrl(session, query),
        attachableQuerySchema,
      );
      return new Map(
        (reply.QueryResponse.Attachable ?? []).flatMap((attachable) =>
          attachable.FileName === undefined ? [] : [[attachable.FileName, attachable.Id]],
        ),
      );
    },
    async attach(journalId, file) {
      const what = `attaching the evidence ${file.fileName} to journal entry ${journalId}`;
      const digest = createHash('sha256').update(`${journalId}\n${file.fileName}\n`).update(file.bytes).digest('hex');
      const boundary = `ledgerline-${digest.slice(0, 32)}`;
      const metadata = {
        AttachableRef: [{ EntityRef: { type: 'JournalEntry', value: journalId } }],
        FileName: file.fileName,
        ContentType: 'application/zip',
      };
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file_metadata_0"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(metadata)}\r\n`,
        ),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file_content_0"; filename="${file.fileName}"\r\nContent-Type: application/zip\r\n\r\n`,
        ),
        file.bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const url = `${session.company}/upload?minorversion=${QUICKBOOKS_MINOR_VERSION}&requestid=ev-${digest.slice(0, 40)}`;
      const request = { method: 'POST', url, body, contentType: `multipart/form-data; boundary=${boundary}` } as const;
      return (await answerOf(session, what, request, uploadedSchema)).AttachableResponse[0]!.Attachable.Id;
    },
    close: () => session.transport.close(),
  };
}
