import { pacificTime, type Outcome, type QuickBooksCompany } from './company.js';
import { objectNotFound, unsupportedBody, validation } from './faults.js';
import { isObject, readJson } from './request-body.js';

/**
 * Attachable uploads (Intuit's "attach images and notes" workflow; Finance.xsd complexType Attachable):
 * POST /v3/company/{realmId}/upload, multipart/form-data, one part `file_metadata_N` the Attachable JSON (its
 * AttachableRef[].EntityRef names the JournalEntry it belongs to) and one part `file_content_N` the file. Read
 * back with `select * from Attachable where AttachableRef.EntityRef.Type = 'JournalEntry' and
 * AttachableRef.EntityRef.value = '12'` (queries.ts). Refused: no metadata or no file part, a link to no
 * entry the company holds, a FileName over 1000 characters, a file over the size limit (Intuit's wording for
 * that one is not published; the fake answers a ValidationFault).
 */

export interface QuickBooksStoredAttachable {
  id: string;
  fileName: string;
  contentType: string;
  bytes: Buffer;
  entityType: string;
  entityId: string;
  note: string | undefined;
  createdAt: number;
}

/** Finance.xsd's FileName length (bank-side-facts.md §2). */
const MAX_FILE_NAME = 1000;
/** 100 MB, the per-file size given for QuickBooks (bank-side-facts.md §2, unconfirmed). */
export const QUICKBOOKS_ATTACHMENT_LIMIT_BYTES = 100 * 1024 * 1024;

export function uploadAttachable(company: QuickBooksCompany, contentType: string | undefined, body: Buffer): Outcome {
  const refuse = (fault: ReturnType<typeof validation>, note: string): Outcome => ({
    reply: company.faultReply(400, fault),
    note,
    committed: false,
  });
  const parts = multipartParts(contentType, body);
  const metadata = parts.find((part) => part.name.startsWith('file_metadata_'));
  const content = parts.find((part) => part.name.startsWith('file_content_'));
  const parsed = metadata === undefined ? undefined : readJson(metadata.bytes);
  if (parsed === undefined || !parsed.ok || !isObject(parsed.value))
    return refuse(unsupportedBody('file_metadata'), 'no Attachable metadata');
  if (content === undefined)
    return refuse(
      validation(
        '2020',
        'Required param missing, need to supply the required value for the API',
        'Required parameter file_content is missing in the request',
        'file_content',
      ),
      'no file part',
    );
  const attachable = parsed.value;
  const { entityType, entityId } = linkedEntity(attachable);
  if (entityType !== 'JournalEntry' || !company.entries.some((entry) => entry.id === entityId))
    return refuse(objectNotFound(entityId), `link to no entry (${entityType} ${entityId})`);
  const fileName = typeof attachable.FileName === 'string' ? attachable.FileName : (content.fileName ?? '');
  const fileFault = fileRefusal(fileName, content.bytes.length, company.attachmentLimitBytes);
  if (fileFault !== undefined) return refuse(fileFault.fault, fileFault.note);
  const stored: QuickBooksStoredAttachable = {
    id: String((company.entriesCreated += 1)),
    fileName,
    contentType:
      typeof attachable.ContentType === 'string'
        ? attachable.ContentType
        : (content.contentType ?? 'application/octet-stream'),
    bytes: content.bytes,
    entityType,
    entityId,
    note: typeof attachable.Note === 'string' ? attachable.Note : undefined,
    createdAt: company.now(),
  };
  company.attachables.push(stored);
  return {
    reply: company.reply(200, {
      AttachableResponse: [{ Attachable: renderAttachable(company, stored) }],
      time: company.time(),
    }),
    note: `stored attachable ${stored.id}`,
    committed: true,
  };
}

/** The entity an Attachable's first AttachableRef names (type and id, empty when it names none). */
function linkedEntity(attachable: Record<string, unknown>): { entityType: string; entityId: string } {
  const reference =
    Array.isArray(attachable.AttachableRef) && isObject(attachable.AttachableRef[0])
      ? attachable.AttachableRef[0].EntityRef
      : undefined;
  return {
    entityType: isObject(reference) && typeof reference.type === 'string' ? reference.type : '',
    entityId: isObject(reference) && typeof reference.value === 'string' ? reference.value : '',
  };
}

/** A file name empty or over Finance.xsd's length, or a file over the company's size limit. */
function fileRefusal(
  fileName: string,
  size: number,
  limitBytes: number,
): { fault: ReturnType<typeof validation>; note: string } | undefined {
  if (fileName === '' || fileName.length > MAX_FILE_NAME)
    return {
      fault: validation(
        '2050',
        'String length is either shorter or longer than supported by specification',
        `FileName must be 1 to ${MAX_FILE_NAME} characters`,
        'FileName',
      ),
      note: 'bad file name',
    };
  if (size > limitBytes)
    return {
      fault: validation(
        '2000',
        'File size exceeds the limit',
        `The file is ${size} bytes; at most ${limitBytes} are taken`,
        'file_content',
      ),
      note: 'file over the limit',
    };
  return undefined;
}

/** An Attachable as QuickBooks answers it: Finance.xsd's elements, with the IntuitEntity ones (Id, SyncToken, MetaData). */
export function renderAttachable(
  company: QuickBooksCompany,
  attachable: QuickBooksStoredAttachable,
): Record<string, unknown> {
  const created = pacificTime(attachable.createdAt, false);
  return {
    domain: 'QBO',
    sparse: false,
    Id: attachable.id,
    SyncToken: '0',
    MetaData: { CreateTime: created, LastUpdatedTime: created },
    FileName: attachable.fileName,
    FileAccessUri: `/v3/company/${company.realmId}/download/${attachable.id}`,
    TempDownloadUri: `https://intuit-fake.example/attachables/${attachable.id}`,
    Size: attachable.bytes.length,
    ContentType: attachable.contentType,
    ...(attachable.note === undefined ? {} : { Note: attachable.note }),
    AttachableRef: [{ EntityRef: { type: attachable.entityType, value: attachable.entityId }, IncludeOnSend: false }],
  };
}

interface Part {
  name: string;
  fileName: string | undefined;
  contentType: string | undefined;
  bytes: Buffer;
}

/** The parts of a multipart/form-data body (RFC 7578): each part's name, file name, type and bytes; none when it is not one. */
function multipartParts(contentType: string | undefined, body: Buffer): Part[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!/^multipart\/form-data/i.test(contentType ?? '') || boundary === undefined) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length + 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const raw = body.subarray(start, next - 2);
    const split = raw.indexOf('\r\n\r\n');
    if (split >= 0) {
      const headers = raw.subarray(0, split).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      parts.push({
        name,
        fileName: /filename="([^"]*)"/i.exec(headers)?.[1],
        contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim(),
        bytes: Buffer.from(raw.subarray(split + 4)),
      });
    }
    at = next;
  }
  return parts;
}
