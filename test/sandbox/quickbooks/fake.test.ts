import OAuthClient from 'intuit-oauth';
import { fetch } from 'undici';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  startQuickBooksFake,
  type QuickBooksFakeOptions,
  type RunningQuickBooksFake,
} from '../../../sandbox/quickbooks/fake.js';

const START = Date.UTC(2024, 2, 1, 12, 0, 0);
const CLOSED_BOOKS_DETAIL =
  'The account period has closed and the account books cannot be updated through the QBO Services API. Please use the QBO website to make these changes.';

interface Harness {
  server: RunningQuickBooksFake;
  clock: { now: number };
  token: string;
}

let running: RunningQuickBooksFake | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function harness(options: Omit<QuickBooksFakeOptions, 'now'> = {}): Promise<Harness> {
  const clock = { now: START };
  const server = await startQuickBooksFake({ ...options, now: () => clock.now });
  running = server;
  return { server, clock, token: server.fake.issueAccessToken().accessToken };
}

interface Reply {
  status: number;
  headers: { get(name: string): string | null };
  body: any;
}

async function call(
  h: Harness,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const response = await fetch(`${h.server.apiUrl}/v3/company/${h.server.fake.realmId}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${h.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const isJson = /application\/json/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
}

function entry(
  docNumber: string,
  lines: [number, 'Debit' | 'Credit', string][],
  txnDate = '2024-02-29',
): Record<string, unknown> {
  return {
    DocNumber: docNumber,
    TxnDate: txnDate,
    PrivateNote: `ledgerline [${docNumber}]`,
    CurrencyRef: { value: 'USD' },
    Line: lines.map(([amount, postingType, accountId]) => ({
      Description: `${postingType} ${accountId}`,
      Amount: amount,
      DetailType: 'JournalEntryLineDetail',
      JournalEntryLineDetail: { PostingType: postingType, AccountRef: { value: accountId } },
    })),
  };
}

const balanced = (docNumber: string, txnDate?: string) =>
  entry(
    docNumber,
    [
      [100.05, 'Debit', '10'],
      [100.05, 'Credit', '1'],
    ],
    txnDate,
  );

const faultCodes = (reply: Reply) => (reply.body.Fault.Error as { code: string }[]).map((error) => error.code);

describe('QuickBooks fake: tokens through intuit-oauth', () => {
  const saved = {
    authorize: OAuthClient.authorizeEndpoint,
    token: OAuthClient.tokenEndpoint,
    revoke: OAuthClient.revokeEndpoint,
    userInfo: OAuthClient.userinfo_endpoint_sandbox,
  };
  afterAll(() => {
    OAuthClient.authorizeEndpoint = saved.authorize;
    OAuthClient.tokenEndpoint = saved.token;
    OAuthClient.revokeEndpoint = saved.revoke;
    OAuthClient.userinfo_endpoint_sandbox = saved.userInfo;
  });

  it('refreshUsingToken rotates the refresh token; the replaced one works through the grace and is then invalid_grant', async () => {
    const h = await harness({ refreshToken: 'authorized-refresh-token', refreshTokenGraceMs: 60_000 });
    const oauth = new OAuthClient({
      clientId: h.server.fake.clientId,
      clientSecret: h.server.fake.clientSecret,
      environment: 'sandbox',
      redirectUri: 'http://127.0.0.1/callback',
    });
    oauth.setAuthorizeURLs({
      authorizeEndpoint: h.server.authorizeUrl,
      tokenEndpoint: h.server.tokenUrl,
      revokeEndpoint: h.server.revokeUrl,
      userInfoEndpoint: h.server.userInfoUrl,
    });

    const first = (await oauth.refreshUsingToken('authorized-refresh-token')).getJson() as Record<string, unknown>;
    expect(first.token_type).toBe('bearer');
    expect(first.expires_in).toBe(3600);
    expect(first.x_refresh_token_expires_in).toBe(8_726_400);
    expect(first.refresh_token).not.toBe('authorized-refresh-token');

    const withNewToken = await call({ ...h, token: first.access_token as string }, 'GET', '/preferences');
    expect(withNewToken.status).toBe(200);

    // Within the grace the replaced token still works (and rotates again).
    h.clock.now += 30_000;
    const second = (await oauth.refreshUsingToken('authorized-refresh-token')).getJson() as Record<string, unknown>;
    expect(typeof second.refresh_token).toBe('string');

    h.clock.now += 30_001;
    const stale = await oauth.refreshUsingToken('authorized-refresh-token').then(
      () => undefined,
      (error: { error?: string }) => error.error,
    );
    expect(stale).toBe('invalid_grant');

    const latest = (await oauth.refreshUsingToken(second.refresh_token as string)).getJson() as Record<string, unknown>;
    expect(latest.access_token).not.toBe(second.access_token);
    const log = JSON.stringify(h.server.fake.requestLog());
    expect(log).not.toContain(latest.access_token as string);
    expect(log).not.toContain('authorized-refresh-token');
  });

  it('refuses a wrong client secret with invalid_client', async () => {
    const h = await harness({ refreshToken: 'authorized-refresh-token' });
    const response = await fetch(h.server.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${h.server.fake.clientId}:wrong`).toString('base64')}`,
      },
      body: 'grant_type=refresh_token&refresh_token=authorized-refresh-token',
    });
    expect([response.status, await response.json()]).toEqual([401, { error: 'invalid_client' }]);
  });

  it('answers 401 AuthenticationFailed in Intuit shape for an expired token, and 403 for another company', async () => {
    const h = await harness();
    h.clock.now += 3_600_000;
    const expired = await call(h, 'GET', '/preferences');
    expect(expired.status).toBe(401);
    expect(expired.body.fault).toEqual({
      error: [
        {
          message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
          detail: 'Token expired: access-1',
          code: '3200',
          element: null,
        },
      ],
      type: 'AUTHENTICATION',
    });
    expect(expired.body.time).toBe(h.clock.now);

    const fresh = { ...h, token: h.server.fake.issueAccessToken().accessToken };
    const otherCompany = await fetch(`${h.server.apiUrl}/v3/company/123/preferences`, {
      headers: { accept: 'application/json', authorization: `Bearer ${fresh.token}` },
    });
    expect(otherCompany.status).toBe(403);

    h.server.fake.revokeTokens();
    expect((await call(fresh, 'GET', '/preferences')).status).toBe(401);
  });
});

describe('QuickBooks fake: journal entries', () => {
  it('stores an accepted entry once with exact cents; the same requestid returns the original response', async () => {
    const h = await harness();
    const created = await call(h, 'POST', '/journalentry?minorversion=75&requestid=req-1', balanced('LL-1-abcdef'));
    expect(created.status).toBe(200);
    expect(created.body.JournalEntry).toMatchObject({
      Id: '1',
      SyncToken: '0',
      DocNumber: 'LL-1-abcdef',
      TxnDate: '2024-02-29',
      CurrencyRef: { value: 'USD', name: 'United States Dollar' },
      PrivateNote: 'ledgerline [LL-1-abcdef]',
    });
    expect(created.body.JournalEntry.Line[0]).toEqual({
      Id: '0',
      Description: 'Debit 10',
      Amount: 100.05,
      DetailType: 'JournalEntryLineDetail',
      JournalEntryLineDetail: { PostingType: 'Debit', AccountRef: { value: '10', name: 'Advertising' } },
    });
    expect(created.headers.get('intuit_tid')).toMatch(/^1-[0-9a-f]{24}$/);

    const repeated = await call(h, 'POST', '/journalentry?minorversion=75&requestid=req-1', balanced('LL-1-abcdef'));
    expect(repeated.body).toEqual(created.body);
    expect(h.server.fake.journalEntries()).toHaveLength(1);
    expect(h.server.fake.journalEntries()[0]).toMatchObject({
      id: '1',
      docNumber: 'LL-1-abcdef',
      requestId: 'req-1',
      lines: [
        {
          cents: 10005n,
          postingType: 'Debit',
          accountId: '10',
          description: 'Debit 10',
          classId: undefined,
          departmentId: undefined,
        },
        {
          cents: 10005n,
          postingType: 'Credit',
          accountId: '1',
          description: 'Credit 1',
          classId: undefined,
          departmentId: undefined,
        },
      ],
    });
    expect(h.server.fake.requestIdReplays()).toEqual([{ requestId: 'req-1', sameBody: true }]);
    expect(h.server.fake.writeRequestCount()).toBe(2);
  });

  it('refuses unbalanced, negative, three-decimal, unknown-account and unknown-property entries with Intuit codes', async () => {
    const h = await harness();
    const unbalanced = await call(
      h,
      'POST',
      '/journalentry',
      entry('A', [
        [100, 'Debit', '10'],
        [90, 'Credit', '1'],
      ]),
    );
    expect([unbalanced.status, unbalanced.body.Fault.type, faultCodes(unbalanced)]).toEqual([
      400,
      'ValidationFault',
      ['2300'],
    ]);
    expect(unbalanced.body.Fault.Error[0].Message).toBe('Amount on debits not equal to credits');

    const negative = await call(
      h,
      'POST',
      '/journalentry',
      entry('B', [
        [-5, 'Debit', '10'],
        [-5, 'Credit', '1'],
      ]),
    );
    expect(faultCodes(negative)).toEqual(['2290', '2290']);

    const decimals = await call(
      h,
      'POST',
      '/journalentry',
      entry('C', [
        [100.005, 'Debit', '10'],
        [100.005, 'Credit', '1'],
      ]),
    );
    expect(faultCodes(decimals)).toEqual(['2110', '2110']);
    expect(decimals.body.Fault.Error[0].Detail).toBe(
      "The decimal supplied may be the correct format, but the value isn't supported by the API. Supplied value: 100.005",
    );

    const unknownAccount = await call(
      h,
      'POST',
      '/journalentry',
      entry('C', [
        [5, 'Debit', '999'],
        [5, 'Credit', '1'],
      ]),
    );
    expect(unknownAccount.body.Fault.Error).toEqual([
      {
        Message: 'Invalid Reference Id',
        Detail: 'Invalid Reference Id : Accounts element id 999 not found',
        code: '2500',
        element: '',
      },
    ]);

    const typo = await call(h, 'POST', '/journalentry', { ...balanced('D'), Memo: 'x' });
    expect(faultCodes(typo)).toEqual(['2010']);
    expect(typo.body.Fault.Error[0].Detail).toContain('Unrecognized field "Memo"');

    expect(h.server.fake.journalEntries()).toEqual([]);
  });

  it('refuses a DocNumber over 21 characters with 2050 and, with the duplicate-number preference on, a duplicate DocNumber with 6140', async () => {
    const h = await harness({ rejectDuplicateDocNumber: true });
    const long = await call(h, 'POST', '/journalentry', balanced('LL-123456789012-abcdef'));
    expect(long.body.Fault.Error).toEqual([
      {
        Message: 'String length is either shorter or longer than supported by specification',
        Detail:
          'String length specified does not match the supported length. Min:0 Max:21 supported. Supplied length:22',
        code: '2050',
        element: 'DocNumber',
      },
    ]);

    await call(h, 'POST', '/journalentry', balanced('LL-7-aaaaaa'));
    const duplicate = await call(h, 'POST', '/journalentry', balanced('LL-7-aaaaaa'));
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.Fault.Error).toEqual([
      {
        Message: 'Duplicate Document Number Error',
        Detail:
          'Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=LL-7-aaaaaa is assigned to TxnType=Journal Entry with TxnId=1',
        code: '6140',
        element: '',
      },
    ]);
    expect(h.server.fake.journalEntries().map((stored) => stored.docNumber)).toEqual(['LL-7-aaaaaa']);
  });

  it('shows BookCloseDate in preferences and refuses entries on or before it with 6210 and Intuit text', async () => {
    const h = await harness({ bookCloseDate: '2024-01-31' });
    const preferences = await call(h, 'GET', '/preferences?minorversion=75');
    expect(preferences.body.Preferences.AccountingInfoPrefs.BookCloseDate).toBe('2024-01-31');

    const closed = await call(h, 'POST', '/journalentry', balanced('LL-1-x', '2024-01-31'));
    expect(closed.status).toBe(400);
    expect(closed.body.Fault.Error).toEqual([
      {
        Message: 'Account Period Closed, Cannot Update Through Services API',
        Detail: CLOSED_BOOKS_DETAIL,
        code: '6210',
      },
    ]);

    h.server.fake.setBookCloseDate(null);
    expect((await call(h, 'POST', '/journalentry', balanced('LL-1-x', '2024-01-31'))).status).toBe(200);
  });

  it('can send the closed-books Fault inside an HTTP 200, as QuickBooks sometimes does', async () => {
    const h = await harness({ bookCloseDate: '2024-01-31', closedBooksReply: 'fault-in-200' });
    const closed = await call(h, 'POST', '/journalentry', balanced('LL-1-x', '2024-01-15'));
    expect(closed.status).toBe(200);
    expect(faultCodes(closed)).toEqual(['6210']);
    expect(h.server.fake.journalEntries()).toEqual([]);
  });

  it('refuses a requestid over 50 characters, a body without Content-Type JSON, and a request that does not accept JSON', async () => {
    const h = await harness();
    const longId = await call(h, 'POST', `/journalentry?requestid=${'r'.repeat(51)}`, balanced('A'));
    expect([longId.status, faultCodes(longId)]).toEqual([400, ['2130']]);
    const textBody = await call(h, 'POST', '/journalentry', JSON.stringify(balanced('A')), {
      'content-type': 'text/plain',
    });
    expect(textBody.status).toBe(415);
    const xml = await call(h, 'GET', '/preferences', undefined, { accept: '*/*' });
    expect(xml.status).toBe(406);
    expect(h.server.fake.journalEntries()).toEqual([]);
  });
});

describe('QuickBooks fake: batch', () => {
  it('answers 200 with per-item entities and Faults, each item seeing the ones before it', async () => {
    const h = await harness({ bookCloseDate: '2024-01-31', batchOrder: 'as-sent', rejectDuplicateDocNumber: true });
    const reply = await call(h, 'POST', '/batch?minorversion=75&requestid=batch-1', {
      BatchItemRequest: [
        { bId: '1', operation: 'create', JournalEntry: balanced('LL-1-a') },
        {
          bId: '2',
          operation: 'create',
          JournalEntry: entry('LL-2-b', [
            [100, 'Debit', '10'],
            [10, 'Credit', '1'],
          ]),
        },
        { bId: '3', operation: 'create', JournalEntry: balanced('LL-3-c', '2024-01-02') },
        { bId: '4', operation: 'create', JournalEntry: balanced('LL-1-a') },
        { bId: '5', Query: "select * from JournalEntry where DocNumber = 'LL-1-a'" },
      ],
    });

    expect(reply.status).toBe(200);
    const items = reply.body.BatchItemResponse as any[];
    expect(items.map((item) => item.bId)).toEqual(['1', '2', '3', '4', '5']);
    expect(items[0].JournalEntry).toMatchObject({ Id: '1', SyncToken: '0', DocNumber: 'LL-1-a' });
    expect(items[1].Fault).toMatchObject({ type: 'ValidationFault', Error: [{ code: '2300' }] });
    expect(items[2].Fault.Error).toEqual([
      {
        Message: 'Account Period Closed, Cannot Update Through Services API',
        Detail: CLOSED_BOOKS_DETAIL,
        code: '6210',
      },
    ]);
    expect(items[3].Fault.Error[0].code).toBe('6140');
    expect(items[4].QueryResponse.JournalEntry.map((found: { Id: string }) => found.Id)).toEqual(['1']);
    expect(h.server.fake.journalEntries().map((stored) => [stored.id, stored.batchItemId, stored.requestId])).toEqual([
      ['1', '1', 'batch-1'],
    ]);
  });

  it('refuses a batch of more than 30 items, a bId over 10 characters and a batch requestid over 36', async () => {
    const h = await harness();
    const items = (count: number) =>
      Array.from({ length: count }, (_, index) => ({
        bId: String(index + 1),
        operation: 'create',
        JournalEntry: balanced(`LL-${index}`),
      }));

    const tooMany = await call(h, 'POST', '/batch', { BatchItemRequest: items(31) });
    expect([tooMany.status, faultCodes(tooMany)]).toEqual([400, ['1040']]);
    const longBId = await call(h, 'POST', '/batch', {
      BatchItemRequest: [{ bId: 'b'.repeat(11), operation: 'create', JournalEntry: balanced('X') }],
    });
    expect([longBId.status, faultCodes(longBId)]).toEqual([400, ['2050']]);
    const longRequestId = await call(h, 'POST', `/batch?requestid=${'r'.repeat(37)}`, { BatchItemRequest: items(1) });
    expect([longRequestId.status, faultCodes(longRequestId)]).toEqual([400, ['2130']]);
    expect(h.server.fake.journalEntries()).toEqual([]);

    const thirty = await call(h, 'POST', '/batch', { BatchItemRequest: items(30) });
    expect(thirty.status).toBe(200);
    expect(h.server.fake.journalEntries()).toHaveLength(30);
  });
});

describe('QuickBooks fake: queries', () => {
  it('finds entries by DocNumber with = and IN, counts them, and answers an empty QueryResponse when nothing matches', async () => {
    const h = await harness();
    for (const docNumber of ['LL-1-a', 'LL-2-b', 'LL-3-c']) await call(h, 'POST', '/journalentry', balanced(docNumber));
    const query = (text: string) => call(h, 'GET', `/query?minorversion=75&query=${encodeURIComponent(text)}`);

    const single = await query("select * from JournalEntry where DocNumber = 'LL-2-b'");
    expect(single.body.QueryResponse.JournalEntry.map((found: { DocNumber: string }) => found.DocNumber)).toEqual([
      'LL-2-b',
    ]);
    expect(single.body.QueryResponse).toMatchObject({ startPosition: 1, maxResults: 1 });

    const several = await query("SELECT * FROM JournalEntry WHERE DocNumber IN ('LL-3-c', 'LL-1-a') ORDERBY Id DESC");
    expect(several.body.QueryResponse.JournalEntry.map((found: { Id: string }) => found.Id)).toEqual(['3', '1']);

    expect((await query("select count(*) from JournalEntry where TxnDate >= '2024-02-01'")).body.QueryResponse).toEqual(
      { totalCount: 3 },
    );
    expect((await query("select * from JournalEntry where DocNumber = 'nope'")).body.QueryResponse).toEqual({});

    const notQueryable = await query("select * from JournalEntry where PrivateNote = 'x'");
    expect([notQueryable.status, faultCodes(notQueryable)]).toEqual([400, ['4001']]);
    const unparsable = await query('select * from JournalEntry where');
    expect([unparsable.status, faultCodes(unparsable)]).toEqual([400, ['4000']]);
  });

  it('lists only active accounts unless asked, and reads one by id', async () => {
    const h = await harness({
      accounts: [
        {
          id: '1',
          name: 'Checking',
          accountType: 'Bank',
          accountSubType: 'Checking',
          classification: 'Asset',
          active: true,
        },
        {
          id: '2',
          name: 'Old',
          accountType: 'Expense',
          accountSubType: 'OtherBusinessExpenses',
          classification: 'Expense',
          active: false,
        },
      ],
    });
    const active = await call(h, 'GET', `/query?query=${encodeURIComponent('select * from Account')}`);
    expect(active.body.QueryResponse.Account.map((account: { Id: string }) => account.Id)).toEqual(['1']);
    const all = await call(
      h,
      'GET',
      `/query?query=${encodeURIComponent('select * from Account where Active IN (true, false)')}`,
    );
    expect(all.body.QueryResponse.Account.map((account: { Id: string }) => account.Id)).toEqual(['1', '2']);
    const one = await call(h, 'GET', '/account/2');
    expect(one.body.Account).toMatchObject({ Id: '2', Name: 'Old', Active: false, Classification: 'Expense' });

    const inactiveRef = await call(
      h,
      'POST',
      '/journalentry',
      entry('X', [
        [1, 'Debit', '2'],
        [1, 'Credit', '1'],
      ]),
    );
    expect(faultCodes(inactiveRef)).toEqual(['2500']);
  });
});

describe('QuickBooks fake: limits and faults', () => {
  it('throttles past the per-minute limit with ThrottleExceeded and no Retry-After, until the window rolls', async () => {
    const h = await harness({ limits: { perMinute: 2 } });
    expect((await call(h, 'GET', '/preferences')).status).toBe(200);
    h.clock.now += 10_000;
    expect((await call(h, 'GET', '/preferences')).status).toBe(200);
    const throttled = await call(h, 'GET', '/preferences');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBeNull();
    expect(throttled.body.Fault).toEqual({
      Error: [
        {
          Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
          Detail: 'The request limit was reached.',
          code: '3001',
        },
      ],
      type: 'SERVICE',
    });
    h.clock.now += 50_000;
    expect((await call(h, 'GET', '/preferences')).status).toBe(200);
  });

  it('throttles past 40 batches a minute, with Retry-After when configured', async () => {
    const h = await harness({ limits: { batchPerMinute: 1 }, retryAfterSeconds: 60 });
    const batch = { BatchItemRequest: [{ bId: '1', Query: 'select count(*) from JournalEntry' }] };
    expect((await call(h, 'POST', '/batch', batch)).status).toBe(200);
    const throttled = await call(h, 'POST', '/batch', batch);
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '60']);
    expect((await call(h, 'GET', '/preferences')).status).toBe(200);
  });

  it('plays injected 429s and a 503, then a Fault inside HTTP 200, storing nothing until the write goes through', async () => {
    const h = await harness();
    h.server.fake.injectFault({ kind: 'rate-limit' }, { times: 2 });
    h.server.fake.injectFault({ kind: 'server-error', status: 503 });
    h.server.fake.injectFault({ kind: 'fault-in-200' });
    const post = () => call(h, 'POST', '/journalentry?requestid=r-9', balanced('LL-9-z'));

    const outcomes = [];
    for (let attempt = 0; attempt < 5; attempt += 1) outcomes.push(await post());
    expect(outcomes.map((outcome) => outcome.status)).toEqual([429, 429, 503, 200, 200]);
    expect(outcomes[2]?.body.Fault.type).toBe('SystemFault');
    expect(outcomes[3]?.body.Fault.Error[0].code).toBe('10000');
    expect(outcomes[4]?.body.JournalEntry.DocNumber).toBe('LL-9-z');
    expect(h.server.fake.journalEntries()).toHaveLength(1);
    expect(h.server.fake.writeRequestCount()).toBe(5);
  });

  it('drops the connection after committing: the client sees an error, a DocNumber query finds the entry, and the requestid replays it', async () => {
    const h = await harness();
    h.server.fake.injectFault({ kind: 'drop-after-commit' });
    const lost = await call(h, 'POST', '/journalentry?requestid=r-lost', balanced('LL-5-e')).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    expect(lost).toBe('TypeError');
    expect(h.server.fake.journalEntries().map((stored) => stored.docNumber)).toEqual(['LL-5-e']);

    const found = await call(
      h,
      'GET',
      `/query?query=${encodeURIComponent("select * from JournalEntry where DocNumber = 'LL-5-e'")}`,
    );
    expect(found.body.QueryResponse.JournalEntry[0].Id).toBe('1');
    const retried = await call(h, 'POST', '/journalentry?requestid=r-lost', balanced('LL-5-e'));
    expect([retried.status, retried.body.JournalEntry.Id]).toEqual([200, '1']);
    expect(h.server.fake.journalEntries()).toHaveLength(1);
    expect(h.server.fake.requestLog().map((record) => record.outcome)).toEqual(['dropped', 200, 200]);
  });

  it('a reply slower than the client waits still commits the entry: the outcome is unknown to the client', async () => {
    const h = await harness();
    // Held after processing for longer than any run of this test: the client gives up once the fake has committed,
    // an event, not after a few milliseconds that a loaded machine may spend before the fake has read the request.
    h.server.fake.injectFault({ kind: 'slow', delayMs: 30_000 });
    const giveUp = new AbortController();
    const response = fetch(`${h.server.apiUrl}/v3/company/${h.server.fake.realmId}/journalentry?requestid=r-slow`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${h.token}` },
      body: JSON.stringify(balanced('LL-6-f')),
      signal: giveUp.signal,
    }).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    await vi.waitFor(
      () => expect(h.server.fake.journalEntries().map((stored) => stored.docNumber)).toEqual(['LL-6-f']),
      { timeout: 10_000, interval: 20 },
    );
    giveUp.abort();
    expect(await response).toBe('AbortError');
  });

  it('with successes-only replays, a refused requestid can be sent again once the cause is fixed', async () => {
    const h = await harness({ bookCloseDate: '2024-02-29', requestIdReplays: 'successes-only' });
    expect((await call(h, 'POST', '/journalentry?requestid=r-1', balanced('LL-1-a'))).status).toBe(400);
    h.server.fake.setBookCloseDate('2024-01-31');
    expect((await call(h, 'POST', '/journalentry?requestid=r-1', balanced('LL-1-a'))).status).toBe(200);
  });

  it('by default replays even a refusal for the same requestid, as Intuit documents', async () => {
    const h = await harness({ bookCloseDate: '2024-02-29' });
    expect((await call(h, 'POST', '/journalentry?requestid=r-1', balanced('LL-1-a'))).status).toBe(400);
    h.server.fake.setBookCloseDate(null);
    const replayed = await call(h, 'POST', '/journalentry?requestid=r-1', balanced('LL-1-a'));
    expect([replayed.status, faultCodes(replayed)]).toEqual([400, ['6210']]);
    expect((await call(h, 'POST', '/journalentry?requestid=r-2', balanced('LL-1-a'))).status).toBe(200);
  });
});

describe('QuickBooks fake: behaviour clients must not count on, currencies, reports and people', () => {
  it('takes a duplicate DocNumber when the company does not warn about duplicate numbers (the default)', async () => {
    const h = await harness();
    await call(h, 'POST', '/journalentry', balanced('LL-7-aaaaaa'));
    const again = await call(h, 'POST', '/journalentry', balanced('LL-7-aaaaaa'));
    expect(again.status).toBe(200);
    expect(h.server.fake.journalEntries().map((stored) => [stored.id, stored.docNumber])).toEqual([
      ['1', 'LL-7-aaaaaa'],
      ['2', 'LL-7-aaaaaa'],
    ]);
  });

  it('runs and answers batch items in an order drawn from its seed, the same for the same seed, so a client must match by bId', async () => {
    const items = Array.from({ length: 8 }, (_, index) => ({
      bId: String(index + 1),
      operation: 'create',
      JournalEntry: balanced(`LL-${index + 1}`),
    }));
    const orders: string[][] = [];
    for (const seed of ['one', 'one', 'two']) {
      const h = await harness({ seed });
      const reply = await call(h, 'POST', '/batch', { BatchItemRequest: items });
      const answered = (
        reply.body.BatchItemResponse as { bId: string; JournalEntry: { DocNumber: string; Id: string } }[]
      ).map((item) => item.bId);
      expect(answered).not.toEqual(items.map((item) => item.bId));
      expect([...answered].sort()).toEqual(items.map((item) => item.bId).sort());
      for (const item of reply.body.BatchItemResponse) expect(item.JournalEntry.DocNumber).toBe(`LL-${item.bId}`);
      // Stored in the order run: the first answered item has Id 1.
      expect(reply.body.BatchItemResponse[0].JournalEntry.Id).toBe('1');
      orders.push(answered);
      await running?.close();
      running = undefined;
    }
    expect(orders[1]).toEqual(orders[0]);
    expect(orders[2]).not.toEqual(orders[0]);
  });

  it('refuses a batch over its configured size with 1040, naming the limit, and stores nothing', async () => {
    const h = await harness({ limits: { batchItems: 10 } });
    const items = Array.from({ length: 11 }, (_, index) => ({
      bId: String(index + 1),
      operation: 'create',
      JournalEntry: balanced(`LL-${index}`),
    }));
    const refused = await call(h, 'POST', '/batch', { BatchItemRequest: items });
    expect(refused.status).toBe(400);
    expect(refused.body.Fault.Error).toEqual([
      {
        Message: 'Batch size exceeds allowed limit',
        Detail: 'The batch size for the batch request or BatchItemRequest is too big. The batch limit size is 10.',
        code: '1040',
        element: 'BatchItemRequest',
      },
    ]);
    expect(h.server.fake.journalEntries()).toEqual([]);
  });

  it('with multicurrency on keeps a EUR entry with its ExchangeRate and counts it in the trial balance in the home currency, each amount on its own', async () => {
    const h = await harness({ multiCurrency: true });
    const eur = {
      ...entry('LL-1-e', [
        [10.01, 'Debit', '10'],
        [10.01, 'Debit', '11'],
        [20.02, 'Credit', '1'],
      ]),
      CurrencyRef: { value: 'EUR' },
      ExchangeRate: 1.5,
    };
    expect((await call(h, 'POST', '/journalentry', eur)).status).toBe(200);
    const noRate = { ...eur, DocNumber: 'LL-2-e', ExchangeRate: undefined };
    expect(faultCodes(await call(h, 'POST', '/journalentry', noRate))).toEqual(['2020']);
    expect(h.server.fake.journalEntries().map((stored) => [stored.currency, stored.exchangeRate])).toEqual([
      ['EUR', '1.5'],
    ]);

    const report = await call(h, 'GET', '/reports/TrialBalance?end_date=2024-02-29&minorversion=75');
    // 15.015 + 15.015 − 30.03: half-even gives 15.02 twice and −30.03, each line on its own (issue 82 item 9); the
    // cent they leave over is the company's Exchange Gain or Loss, which multicurrency adds to the chart.
    expect(
      report.body.Rows.Row.map((row: any) => (row.ColData ?? row.Summary.ColData).map((cell: any) => cell.value)),
    ).toEqual([
      ['Checking', '', '30.03'],
      ['Advertising', '15.02', ''],
      ['SMM Services', '15.02', ''],
      ['Exchange Gain or Loss', '', '0.01'],
      ['TOTAL', '30.04', '30.04'],
    ]);
  });

  it("converts a foreign line as QuickBooks does whatever the entry's other lines: −27.50 USD at 0.79 is −21.72 GBP", async () => {
    const h = await harness({ multiCurrency: true, homeCurrency: 'GBP' });
    const usd = {
      ...entry('LL-1-u', [
        [27.5, 'Debit', '10'],
        [12.51, 'Debit', '11'],
        [40.01, 'Credit', '1'],
      ]),
      CurrencyRef: { value: 'USD' },
      ExchangeRate: 0.79,
    };
    expect((await call(h, 'POST', '/journalentry', usd)).status).toBe(200);
    const report = await call(h, 'GET', '/reports/TrialBalance?end_date=2024-02-29&minorversion=75');
    // 21.725 → 21.72 (half-even), 9.8829 → 9.88, −31.6079 → −31.61: 0.01 short, on Exchange Gain or Loss. Kept
    // balanced by moving that cent onto the 27.50 line, the ledger had said 21.73.
    expect(
      report.body.Rows.Row.map((row: any) => (row.ColData ?? row.Summary.ColData).map((cell: any) => cell.value)),
    ).toEqual([
      ['Checking', '', '31.61'],
      ['Advertising', '21.72', ''],
      ['SMM Services', '9.88', ''],
      ['Exchange Gain or Loss', '0.01', ''],
      ['TOTAL', '31.61', '31.61'],
    ]);
  });

  it('lets a test delete and edit an entry as a person would: a deleted one is gone from queries', async () => {
    const h = await harness();
    await call(h, 'POST', '/journalentry', balanced('LL-1-a'));
    await call(h, 'POST', '/journalentry', balanced('LL-2-b'));
    h.server.fake.deleteJournalEntry('1');
    h.server.fake.editJournalEntry('2', [
      { accountId: '10', postingType: 'Debit', cents: 9000n },
      { accountId: '1', postingType: 'Credit', cents: 9000n },
    ]);
    const found = await call(
      h,
      'GET',
      `/query?query=${encodeURIComponent("select * from JournalEntry where Id in ('1', '2')")}`,
    );
    expect(
      found.body.QueryResponse.JournalEntry.map((je: any) => [je.Id, je.SyncToken, je.Line.map((l: any) => l.Amount)]),
    ).toEqual([['2', '1', [90, 90]]]);
  });
});
