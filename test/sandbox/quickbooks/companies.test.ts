import { afterEach, describe, expect, it } from 'vitest';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../../sandbox/quickbooks/fake.js';
import { answerConsent } from '../../cli/connect-harness.js';

/**
 * The QuickBooks fake serves several companies to one app as Intuit does: the consent picks one company, its tokens
 * reach that company only (its realm in the URL path), and each company keeps its own books, requestid cache and
 * throttle.
 */

const NORTH_REALM = '9130350000000001';
const SOUTH = { realmId: '9130350000000002', companyName: 'South Company', refreshToken: 'grant-south' };
const REDIRECT = 'http://localhost:5110/callback';

let running: RunningQuickBooksFake | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function fake(limits: { perMinute?: number } = {}): Promise<RunningQuickBooksFake> {
  running = await startQuickBooksFake({
    clientId: 'id',
    clientSecret: 'secret',
    realmId: NORTH_REALM,
    refreshToken: 'grant-north',
    otherCompanies: [SOUTH],
    limits,
  });
  return running;
}

async function tokenCall(server: RunningQuickBooksFake, form: Record<string, string>) {
  const reply = await fetch(server.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('id:secret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: new URLSearchParams(form).toString(),
  });
  return { status: reply.status, body: (await reply.json()) as Record<string, string> };
}

async function accessFor(server: RunningQuickBooksFake, refreshToken: string): Promise<string> {
  const issued = await tokenCall(server, { grant_type: 'refresh_token', refresh_token: refreshToken });
  expect(issued.status).toBe(200);
  return issued.body.access_token!;
}

async function call(server: RunningQuickBooksFake, token: string, realmId: string, path: string, body?: unknown) {
  const reply = await fetch(`${server.apiUrl}/v3/company/${realmId}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await reply.text();
  return { status: reply.status, body: text === '' ? undefined : JSON.parse(text) };
}

const entry = (docNumber: string, amount: number) => ({
  DocNumber: docNumber,
  TxnDate: '2024-02-29',
  PrivateNote: `ledgerline [${docNumber}]`,
  Line: [
    { Amount: amount, DetailType: 'JournalEntryLineDetail', JournalEntryLineDetail: debitOrCredit('Debit', '10') },
    { Amount: amount, DetailType: 'JournalEntryLineDetail', JournalEntryLineDetail: debitOrCredit('Credit', '1') },
  ],
});
const debitOrCredit = (postingType: string, account: string) => ({
  PostingType: postingType,
  AccountRef: { value: account },
});

describe('the QuickBooks fake with two companies', () => {
  it("keeps each company's journal entries and requestid cache apart; a token reaches its own company only", async () => {
    const server = await fake();
    const north = await accessFor(server, 'grant-north');
    const south = await accessFor(server, 'grant-south');

    const posted = (token: string, realm: string, doc: string, amount: number) =>
      call(server, token, realm, '/journalentry?requestid=req-1', entry(doc, amount));
    expect((await posted(north, NORTH_REALM, 'N-1', 10)).status).toBe(200);
    // The same requestid with another body is a first request in the other company, not a replay of north's.
    expect((await posted(south, SOUTH.realmId, 'S-1', 25)).status).toBe(200);
    expect((await posted(south, SOUTH.realmId, 'S-1', 25)).status).toBe(200);

    expect(server.fake.journalEntries().map((stored) => stored.docNumber)).toEqual(['N-1']);
    const southBooks = server.fake.company(SOUTH.realmId);
    expect(southBooks.journalEntries().map((stored) => [stored.docNumber, stored.lines[0]?.cents])).toEqual([
      ['S-1', 2500n],
    ]);
    expect([server.fake.requestIdReplays(), southBooks.requestIdReplays()]).toEqual([
      [],
      [{ requestId: 'req-1', sameBody: true }],
    ]);
    const info = await call(server, south, SOUTH.realmId, `/companyinfo/${SOUTH.realmId}`);
    expect(info.body.CompanyInfo.CompanyName).toBe('South Company');

    const across = await call(server, north, SOUTH.realmId, '/journalentry', entry('N-2', 1));
    expect([across.status, across.body.Fault.Error[0].code]).toEqual([403, '3100']);
    expect(southBooks.journalEntries()).toHaveLength(1);
  });

  it('the consent page offers both companies; the code of the one picked gives tokens for it alone', async () => {
    const server = await fake();
    const url = new URL(server.authorizeUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'id',
      redirect_uri: REDIRECT,
      scope: 'com.intuit.quickbooks.accounting',
      state: 's',
    }).toString();
    const location = new URL(await answerConsent(url.toString(), 'allow', [SOUTH.realmId], 'realm'));
    expect(location.searchParams.get('realmId')).toBe(SOUTH.realmId);
    const code = location.searchParams.get('code')!;
    const issued = await tokenCall(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(issued.status).toBe(200);
    const token = issued.body.access_token!;
    expect((await call(server, token, SOUTH.realmId, '/query?query=select%20*%20from%20Account')).status).toBe(200);
    expect((await call(server, token, NORTH_REALM, '/query?query=select%20*%20from%20Account')).status).toBe(403);
  });

  it("throttles each company on its own: north's spent minute does not hold south back", async () => {
    const server = await fake({ perMinute: 2 });
    const north = await accessFor(server, 'grant-north');
    const south = await accessFor(server, 'grant-south');
    const read = (token: string, realm: string) =>
      call(server, token, realm, '/query?query=select%20*%20from%20Account').then((reply) => reply.status);
    expect([await read(north, NORTH_REALM), await read(north, NORTH_REALM), await read(north, NORTH_REALM)]).toEqual([
      200, 200, 429,
    ]);
    expect(await read(south, SOUTH.realmId)).toBe(200);
  });
});
