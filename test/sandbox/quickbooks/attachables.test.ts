import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../../sandbox/quickbooks/fake.js';

/**
 * Finance.xsd (intuit/QuickBooks-V3-Java-SDK, ipp-v3-java-data/src/main/xsd/Finance.xsd): the elements of
 * complexType Attachable, and those of IntuitEntity it extends.
 */
const ATTACHABLE_ELEMENTS = [
  'AttachableRef',
  'FileName',
  'FileAccessUri',
  'TempDownloadUri',
  'Size',
  'ContentType',
  'Category',
  'Lat',
  'Long',
  'PlaceName',
  'Note',
  'Tag',
  'ThumbnailFileAccessUri',
  'ThumbnailTempDownloadUri',
  'AttachableEx',
];
const INTUIT_ENTITY = ['Id', 'SyncToken', 'MetaData', 'CustomField', 'AttachableRef', 'domain', 'status', 'sparse'];
const LIMIT = 2_000;

let quickbooks: RunningQuickBooksFake;
let token: string;
let entryId: string;
beforeAll(async () => {
  quickbooks = await startQuickBooksFake({ attachmentLimitBytes: LIMIT });
  token = quickbooks.fake.issueAccessToken().accessToken;
  const line = (postingType: string, accountId: string) => ({
    Amount: 12.5,
    DetailType: 'JournalEntryLineDetail',
    JournalEntryLineDetail: { PostingType: postingType, AccountRef: { value: accountId } },
  });
  const created = await call(
    'journalentry',
    'application/json',
    Buffer.from(
      JSON.stringify({
        TxnDate: '2024-02-10',
        CurrencyRef: { value: 'USD' },
        Line: [line('Debit', '10'), line('Credit', '1')],
      }),
    ),
  );
  entryId = created.body.JournalEntry.Id;
});
afterAll(async () => {
  await quickbooks.close();
});

async function call(path: string, contentType: string, body: Buffer): Promise<{ status: number; body: any }> {
  const response = await fetch(`${quickbooks.apiUrl}/v3/company/${quickbooks.fake.realmId}/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': contentType },
    body,
  });
  return { status: response.status, body: await response.json() };
}

/** A multipart upload as Intuit's workflow describes it: the Attachable JSON, then the file. */
function upload(attachable: Record<string, unknown> | undefined, file: Buffer | undefined) {
  const boundary = 'ledgerline-evidence-boundary';
  const parts: Buffer[] = [];
  if (attachable)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file_metadata_0"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(attachable)}\r\n`,
      ),
    );
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file_content_0"; filename="e.zip"\r\nContent-Type: application/zip\r\n\r\n`,
      ),
      file,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return call('upload', `multipart/form-data; boundary=${boundary}`, Buffer.concat(parts));
}

const linked = (value: string) => ({
  FileName: 'evidence-je-1.zip',
  ContentType: 'application/zip',
  AttachableRef: [{ EntityRef: { type: 'JournalEntry', value } }],
});

describe("the QuickBooks fake's Attachable uploads", () => {
  it("takes a file linked to a JournalEntry, answers Finance.xsd's Attachable, and the query by the entry finds it", async () => {
    const uploaded = await upload(linked(entryId), Buffer.from('zip bytes'));
    expect(uploaded.status).toBe(200);
    const attachable = uploaded.body.AttachableResponse[0].Attachable;
    expect(
      Object.keys(attachable).filter(
        (element) => !ATTACHABLE_ELEMENTS.includes(element) && !INTUIT_ENTITY.includes(element),
      ),
    ).toEqual([]);
    expect(attachable).toMatchObject({
      FileName: 'evidence-je-1.zip',
      Size: 9,
      ContentType: 'application/zip',
      AttachableRef: [{ EntityRef: { type: 'JournalEntry', value: entryId } }],
    });
    const query = `select * from Attachable where AttachableRef.EntityRef.Type = 'JournalEntry' and AttachableRef.EntityRef.value = '${entryId}'`;
    const found = await call('query', 'application/text', Buffer.from(query));
    expect(found.body.QueryResponse.Attachable).toEqual([attachable]);
  });

  it('refuses a link to no entry it holds, a missing file part, missing metadata and a file over the limit, keeping none', async () => {
    const before = quickbooks.fake.attachables().length;
    expect((await upload(linked('99999'), Buffer.from('x'))).body.Fault.Error[0].code).toBe('610');
    expect((await upload(linked(entryId), undefined)).body.Fault.Error[0].code).toBe('2020');
    expect((await upload(undefined, Buffer.from('x'))).body.Fault.Error[0].code).toBe('2010');
    const big = await upload(linked(entryId), Buffer.alloc(LIMIT + 1));
    expect([big.status, big.body.Fault.Error[0].element]).toEqual([400, 'file_content']);
    expect(quickbooks.fake.attachables()).toHaveLength(before);
  });
});
