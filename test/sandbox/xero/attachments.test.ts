import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';

/** XOAS (XeroAPI/Xero-OpenAPI xero_accounting.yaml) schema `Attachment`: its properties and their types. */
const XOAS_ATTACHMENT = {
  AttachmentID: 'string',
  FileName: 'string',
  Url: 'string',
  MimeType: 'string',
  ContentLength: 'number',
  IncludeOnline: 'boolean',
} as const;
const LIMIT = 2_000;

let xero: RunningXeroFake;
let journalId: string;
beforeAll(async () => {
  xero = await startXeroFake({ attachmentLimitBytes: LIMIT });
  journalId = xero.fake.addJournal({
    date: '2024-02-10',
    lines: [
      { accountCode: '400', cents: 1250n },
      { accountCode: '200', cents: -1250n },
    ],
  });
});
afterAll(async () => {
  await xero.close();
});

async function call(
  method: string,
  path: string,
  body?: Buffer,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers = {
    authorization: `Bearer ${xero.fake.issueAccessToken().accessToken}`,
    'xero-tenant-id': xero.fake.tenantId,
    'content-type': 'application/octet-stream',
    accept: 'application/json',
  };
  const response = await fetch(`${xero.apiUrl}/ManualJournals/${path}`, { method, headers, ...(body && { body }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the Xero fake's manual journal attachments", () => {
  it('takes a file by PUT, lists it by GET in the published Attachment shape, and replaces it when the same name comes again', async () => {
    const put = await call('PUT', `${journalId}/Attachments/evidence-je-1.zip`, Buffer.from('zip bytes'));
    expect(put.status).toBe(200);
    const [attachment] = put.body.Attachments as Record<string, unknown>[];
    for (const [key, value] of Object.entries(attachment!))
      expect(typeof value, key).toBe(XOAS_ATTACHMENT[key as keyof typeof XOAS_ATTACHMENT]);
    expect(attachment).toMatchObject({
      FileName: 'evidence-je-1.zip',
      ContentLength: 9,
      MimeType: 'application/octet-stream',
    });
    const again = await call('POST', `${journalId}/Attachments/evidence-je-1.zip`, Buffer.from('zip bytes 2'));
    expect((again.body.Attachments as Record<string, unknown>[])[0]).toMatchObject({
      AttachmentID: attachment!.AttachmentID,
      ContentLength: 11,
    });
    const listed = await call('GET', `${journalId}/Attachments`);
    expect(listed.body.Attachments).toEqual([{ ...attachment, ContentLength: 11 }]);
  });

  it('refuses a body over the limit as Xero does (413 RequestEntityTooLarge, PayloadTooLarge), keeping nothing', async () => {
    const refused = await call('PUT', `${journalId}/Attachments/big.zip`, Buffer.alloc(LIMIT + 1));
    expect(refused).toMatchObject({
      status: 413,
      body: { Title: 'RequestEntityTooLarge', Status: 413, Detail: 'PayloadTooLarge' },
    });
    expect(xero.fake.attachments().map((held) => held.fileName)).not.toContain('big.zip');
  });

  it('refuses an 11th file on one journal (10 at most) and any file for a journal it does not hold', async () => {
    for (let index = 2; index <= 10; index += 1)
      expect((await call('PUT', `${journalId}/Attachments/part-${index}.zip`, Buffer.from('x'))).status).toBe(200);
    const eleventh = await call('PUT', `${journalId}/Attachments/part-11.zip`, Buffer.from('x'));
    expect(eleventh.status).toBe(400);
    expect(JSON.stringify(eleventh.body)).toContain('at most 10 attachments');
    expect((await call('PUT', `00000000-0000-0000-0000-000000000001/Attachments/a.zip`, Buffer.from('x'))).status).toBe(
      404,
    );
  });
});
