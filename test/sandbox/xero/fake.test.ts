import { fetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { LineAmountTypes, ManualJournal, XeroClient, type ManualJournalLine } from 'xero-node';
import { startXeroFake, type RunningXeroFake, type XeroFakeOptions } from '../../../sandbox/xero/fake.js';

const START = Date.UTC(2024, 2, 1, 12, 0, 0);

interface Harness {
  server: RunningXeroFake;
  xero: XeroClient;
  clock: { now: number };
  tenantId: string;
}

let running: RunningXeroFake | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function harness(options: Omit<XeroFakeOptions, 'now'> = {}): Promise<Harness> {
  const clock = { now: START };
  const server = await startXeroFake({ ...options, now: () => clock.now });
  running = server;
  const xero = new XeroClient({
    clientId: server.fake.clientId,
    clientSecret: server.fake.clientSecret,
    grantType: 'client_credentials',
  });
  xero.accountingApi.basePath = server.apiUrl;
  const token = server.fake.issueAccessToken();
  xero.setTokenSet({ access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn });
  return { server, xero, clock, tenantId: server.fake.tenantId };
}

function line(lineAmount: number, accountCode: string, description?: string): ManualJournalLine {
  return { lineAmount, accountCode, description };
}

function journal(
  narration: string,
  lines: ManualJournalLine[],
  date = '2024-02-29',
  status = ManualJournal.StatusEnum.POSTED,
): ManualJournal {
  return { narration, date, status, lineAmountTypes: LineAmountTypes.NoTax, journalLines: lines };
}

/** xero-node rejects with a JSON string; this reads it back. */
async function rejection(
  promise: Promise<unknown>,
): Promise<{ statusCode: number; body: any; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    const parsed = JSON.parse(error as string) as {
      response: { statusCode: number; body: any; headers: Record<string, string> };
    };
    return parsed.response;
  }
  throw new Error('expected the call to fail');
}

async function api(
  server: RunningXeroFake,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; token?: string } = {},
) {
  const token = init.token ?? server.fake.issueAccessToken().accessToken;
  const response = await fetch(`${server.apiUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      'xero-tenant-id': server.fake.tenantId,
      ...init.headers,
    },
    body: init.body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

describe('Xero fake: manual journals through xero-node', () => {
  it('stores an accepted journal once with its exact cents and answers in Xero shape', async () => {
    const { server, xero, tenantId } = await harness();
    const result = await xero.accountingApi.createManualJournals(
      tenantId,
      { manualJournals: [journal('ledgerline E-1001', [line(100.05, '400', 'ads'), line(-100.05, '850')])] },
      false,
      'key-1',
    );

    expect(result.response.status).toBe(200);
    const created = result.body.manualJournals?.[0];
    expect(created?.status).toBe(ManualJournal.StatusEnum.POSTED);
    expect(created?.narration).toBe('ledgerline E-1001');
    expect(created?.journalLines?.map((l) => [l.accountCode, l.lineAmount, l.taxType])).toEqual([
      ['400', 100.05, 'NONE'],
      ['850', -100.05, 'NONE'],
    ]);
    expect(result.response.headers['x-minlimit-remaining']).toBe('59');
    expect(result.response.headers['x-daylimit-remaining']).toBe('4999');

    const stored = server.fake.journals();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      manualJournalId: created?.manualJournalID,
      narration: 'ledgerline E-1001',
      date: '2024-02-29',
      status: 'POSTED',
      lineAmountTypes: 'NoTax',
      idempotencyKey: 'key-1',
    });
    expect(stored[0]?.lines.map((l) => [l.accountCode, l.cents, l.description])).toEqual([
      ['400', 10005n, 'ads'],
      ['850', -10005n, undefined],
    ]);
    expect(server.fake.writeRequestCount()).toBe(1);
  });

  it('writes dates the MS-JSON way and the lines amounts with two decimals', async () => {
    const { server } = await harness();
    const created = await api(server, '/ManualJournals', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"ManualJournals":[{"Narration":"raw","Date":"2024-02-29","Status":"POSTED","JournalLines":[{"LineAmount":12.5,"AccountCode":"400"},{"LineAmount":-12.5,"AccountCode":"850"}]}]}',
    });
    const id = created.body.ManualJournals[0].ManualJournalID as string;
    const response = await fetch(`${server.apiUrl}/ManualJournals/${id}`, {
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${server.fake.issueAccessToken().accessToken}`,
        'xero-tenant-id': server.fake.tenantId,
      },
    });
    const text = await response.text();
    expect(text).toContain('"Date":"/Date(1709164800000+0000)/"');
    expect(text).toContain('"LineAmount":12.50');
    expect(text).toContain('"LineAmount":-12.50');
  });

  it('a repeated Idempotency-Key with the same body gets the first response back; with another body it is refused (422); nothing new is stored', async () => {
    const { server, xero, tenantId } = await harness();
    const body = { manualJournals: [journal('ledgerline E-1', [line(10, '400'), line(-10, '850')])] };
    const first = await xero.accountingApi.createManualJournals(tenantId, body, false, 'same-key');
    const second = await xero.accountingApi.createManualJournals(tenantId, body, false, 'same-key');
    const third = await rejection(
      xero.accountingApi.createManualJournals(
        tenantId,
        { manualJournals: [journal('ledgerline E-2', [line(5, '400'), line(-5, '850')])] },
        false,
        'same-key',
      ),
    );

    expect(second.body.manualJournals?.[0]?.manualJournalID).toBe(first.body.manualJournals?.[0]?.manualJournalID);
    // The key names the first request: another body under it is refused, never answered with the first reply nor stored.
    expect(third.statusCode).toBe(422);
    expect(third.body.Detail).toBe('The Idempotency-Key same-key was already used for a different request.');
    expect(server.fake.journals().map((j) => j.narration)).toEqual(['ledgerline E-1']);
    expect(server.fake.idempotentReplays()).toEqual([
      { key: 'same-key', sameBody: true },
      { key: 'same-key', sameBody: false },
    ]);
    expect(server.fake.writeRequestCount()).toBe(3);
  });

  it('refuses an Idempotency-Key longer than 128 characters', async () => {
    const { server, xero, tenantId } = await harness();
    const failure = await rejection(
      xero.accountingApi.createManualJournals(
        tenantId,
        { manualJournals: [journal('x', [line(1, '400'), line(-1, '850')])] },
        false,
        'k'.repeat(129),
      ),
    );
    expect(failure.statusCode).toBe(400);
    expect(server.fake.journals()).toEqual([]);
  });

  it('refuses an unbalanced journal with ValidationException and Xero own text, storing nothing', async () => {
    const { server, xero, tenantId } = await harness();
    const failure = await rejection(
      xero.accountingApi.createManualJournals(tenantId, {
        manualJournals: [
          journal('fine', [line(1, '400'), line(-1, '850')]),
          journal('ledgerline E-7', [line(100, '400'), line(-10, '850'), line(-90, '476')]),
        ],
      }),
    );

    expect(failure.statusCode).toBe(400);
    expect(failure.body.ErrorNumber).toBe(10);
    expect(failure.body.Type).toBe('ValidationException');
    expect(failure.body.Message).toBe('A validation exception occurred');
    expect(failure.body.Elements).toHaveLength(1);
    expect(failure.body.Elements[0].Narration).toBe('ledgerline E-7');
    expect(failure.body.Elements[0].StatusAttributeString).toBe('ERROR');
    expect(failure.body.Elements[0].HasValidationErrors).toBeUndefined();
    expect(failure.body.Elements[0].ValidationErrors).toEqual([
      { Message: 'The total debits (100.00) must equal total credits (-10.00)' },
    ]);
    expect(failure.body.Elements[0].Warnings).toEqual([
      { Message: "Account code '476' has been removed as it does not match a recognised account." },
    ]);
    expect(server.fake.journals()).toEqual([]);
  });

  it('with summarizeErrors=false stores the good journals and returns the bad ones with their errors in a 200', async () => {
    const { server, xero, tenantId } = await harness();
    const result = await xero.accountingApi.createManualJournals(
      tenantId,
      {
        manualJournals: [
          journal('good', [line(3.3, '400'), line(-3.3, '850')]),
          journal('bad', [line(100, '400'), line(-10, '850')]),
          journal('', [line(1, '400'), line(-1, '850')]),
          journal('decimals', [line(100.005, '400'), line(-100.005, '850')]),
        ],
      },
      false,
    );

    expect(result.response.status).toBe(200);
    const [good, bad, unnamed, decimals] = result.body.manualJournals ?? [];
    expect(good?.validationErrors).toBeUndefined();
    expect(good?.statusAttributeString).toBe('OK');
    expect(bad?.statusAttributeString).toBe('ERROR');
    expect(bad?.manualJournalID).toBe('00000000-0000-0000-0000-000000000000');
    expect(bad?.validationErrors?.map((e) => e.message)).toEqual([
      'The total debits (100.00) must equal total credits (-10.00)',
    ]);
    expect(unnamed?.validationErrors?.map((e) => e.message)).toEqual(['Narration is mandatory for a manual journal.']);
    expect(decimals?.validationErrors?.map((e) => e.message)).toEqual([
      'Journal line 1: LineAmount 100.005 has more than 2 decimal places.',
      'Journal line 2: LineAmount -100.005 has more than 2 decimal places.',
      'A manual journal must have journal lines.',
    ]);
    expect(server.fake.journals().map((j) => j.narration)).toEqual(['good']);
  });

  it('refuses posted journals on or before a lock date with the lock-date texts, and reports the dates in Organisation', async () => {
    const { server, xero, tenantId } = await harness({ periodLockDate: '2024-01-31' });
    server.fake.setLockDates({ endOfYearLockDate: '2023-12-31' });

    const failure = await rejection(
      xero.accountingApi.createManualJournals(tenantId, {
        manualJournals: [journal('old', [line(1, '400'), line(-1, '850')], '2023-12-31')],
      }),
    );
    expect(failure.body.Elements[0].ValidationErrors).toEqual([
      { Message: 'The document date cannot be before the period lock date, currently set at 31-Jan-2024' },
      { Message: 'The document date cannot be before the end of year lock date, currently set at 31-Dec-2023' },
    ]);

    const onLockDate = await rejection(
      xero.accountingApi.createManualJournals(tenantId, {
        manualJournals: [journal('jan', [line(1, '400'), line(-1, '850')], '2024-01-31')],
      }),
    );
    expect(onLockDate.body.Elements[0].ValidationErrors).toEqual([
      { Message: 'The document date cannot be before the period lock date, currently set at 31-Jan-2024' },
    ]);

    const draft = await xero.accountingApi.createManualJournals(tenantId, {
      manualJournals: [
        journal(
          'draft in locked period',
          [line(1, '400'), line(-1, '850')],
          '2024-01-15',
          ManualJournal.StatusEnum.DRAFT,
        ),
      ],
    });
    expect(draft.body.manualJournals?.[0]?.status).toBe(ManualJournal.StatusEnum.DRAFT);

    const organisation = await api(server, '/Organisation');
    expect(organisation.body.Organisations[0].PeriodLockDate).toBe('/Date(1706659200000+0000)/');
    expect(organisation.body.Organisations[0].EndOfYearLockDate).toBe('/Date(1703980800000+0000)/');
    expect(server.fake.journals().map((j) => j.narration)).toEqual(['draft in locked period']);
  });

  it('refuses more than 50 journals in one request', async () => {
    const { server, xero, tenantId } = await harness();
    const many = Array.from({ length: 51 }, (_, index) => journal(`J-${index}`, [line(1, '400'), line(-1, '850')]));
    const failure = await rejection(xero.accountingApi.createManualJournals(tenantId, { manualJournals: many }));
    expect(failure.statusCode).toBe(400);
    expect(failure.body.Type).toBe('ValidationException');
    expect(server.fake.journals()).toEqual([]);
  });

  it('refuses a date that is not a date for the whole request (PostDataInvalidException)', async () => {
    const { server, xero, tenantId } = await harness();
    const failure = await rejection(
      xero.accountingApi.createManualJournals(tenantId, {
        manualJournals: [journal('bad date', [line(1, '400'), line(-1, '850')], '2024-02-30')],
      }),
    );
    expect(failure.statusCode).toBe(400);
    expect(failure.body.ErrorNumber).toBe(14);
    expect(failure.body.Type).toBe('PostDataInvalidException');
    expect(server.fake.journals()).toEqual([]);
  });

  it('finds a journal by its narration after an unknown outcome (where Contains and ==, paging)', async () => {
    const { server, xero, tenantId } = await harness();
    await xero.accountingApi.createManualJournals(tenantId, {
      manualJournals: [
        journal('ledgerline entry E-1 daily summary', [line(1, '400'), line(-1, '850')]),
        journal('ledgerline entry E-2 daily summary', [line(2, '400'), line(-2, '850')]),
      ],
    });

    const byContains = await xero.accountingApi.getManualJournals(tenantId, undefined, 'Narration.Contains("E-2")');
    expect(byContains.body.manualJournals?.map((j) => j.narration)).toEqual(['ledgerline entry E-2 daily summary']);
    const byEquality = await xero.accountingApi.getManualJournals(
      tenantId,
      undefined,
      'Narration=="ledgerline entry E-1 daily summary" AND Status=="POSTED"',
    );
    expect(byEquality.body.manualJournals?.map((j) => j.narration)).toEqual(['ledgerline entry E-1 daily summary']);
    const byDate = await xero.accountingApi.getManualJournals(tenantId, undefined, 'Date >= DateTime(2024, 03, 01)');
    expect(byDate.body.manualJournals).toEqual([]);
    const page2 = await api(server, '/ManualJournals?page=2&pageSize=1');
    expect(page2.body.pagination).toEqual({ page: 2, pageSize: 1, pageCount: 2, itemCount: 2 });
    expect(page2.body.ManualJournals.map((j: { Narration: string }) => j.Narration)).toEqual([
      'ledgerline entry E-2 daily summary',
    ]);

    const badField = await api(server, `/ManualJournals?where=${encodeURIComponent('Reference=="x"')}`);
    expect(badField.status).toBe(400);
    expect(badField.body).toEqual({
      ErrorNumber: 16,
      Type: 'QueryParseException',
      Message: "No property or field 'Reference' exists in type 'ManualJournal'",
    });
  });

  it('serves the chart of accounts and the tax rates', async () => {
    const { xero, tenantId } = await harness({
      accounts: [
        { code: '400', name: 'Advertising', type: 'EXPENSE', status: 'ACTIVE', taxType: 'INPUT' },
        { code: '499', name: 'Old', type: 'EXPENSE', status: 'ARCHIVED', taxType: 'INPUT' },
      ],
    });
    const accounts = await xero.accountingApi.getAccounts(tenantId, undefined, 'Status=="ACTIVE"');
    expect(accounts.body.accounts?.map((a) => [a.code, a.name, a.taxType])).toEqual([['400', 'Advertising', 'INPUT']]);
    const taxRates = await xero.accountingApi.getTaxRates(tenantId);
    expect(taxRates.body.taxRates?.map((rate) => rate.taxType)).toContain('NONE');
  });

  it('refuses a journal on an archived account like an unknown one', async () => {
    const { xero, tenantId } = await harness({
      accounts: [
        { code: '850', name: 'Suspense', type: 'CURRLIAB', status: 'ACTIVE', taxType: 'NONE' },
        { code: '499', name: 'Old', type: 'EXPENSE', status: 'ARCHIVED', taxType: 'INPUT' },
      ],
    });
    const onArchived = journal('old acct', [line(5, '499'), line(-5, '850')]);
    const failure = await rejection(
      xero.accountingApi.createManualJournals(tenantId, { manualJournals: [onArchived] }),
    );
    expect(failure.body.Elements[0].Warnings).toEqual([
      { Message: "Account code '499' has been removed as it does not match a recognised account." },
    ]);
    expect(failure.body.Elements[0].ValidationErrors).toEqual([
      { Message: 'The total debits (0.00) must equal total credits (-5.00)' },
    ]);
  });
});

describe('Xero fake: limits and faults', () => {
  it('answers the 61st call in a minute with 429, Retry-After and X-Rate-Limit-Problem: minute, and lets calls through as the window rolls', async () => {
    const { server, xero, tenantId, clock } = await harness({ limits: { perMinute: 3 } });
    for (let second = 0; second < 3; second += 1) {
      clock.now = START + second * 1000;
      await xero.accountingApi.getOrganisations(tenantId);
    }
    clock.now = START + 20_000;
    const throttled = await rejection(xero.accountingApi.getOrganisations(tenantId));
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['retry-after']).toBe('40');
    expect(throttled.headers['x-rate-limit-problem']).toBe('minute');
    expect(throttled.headers['x-minlimit-remaining']).toBe('0');

    clock.now = START + 60_000;
    const after = await xero.accountingApi.getOrganisations(tenantId);
    expect(after.response.headers['x-minlimit-remaining']).toBe('0');
    expect(server.fake.requestLog().map((record) => record.outcome)).toEqual([200, 200, 200, 429, 200]);
  });

  it('answers 429 day with Retry-After once the daily allowance is spent', async () => {
    const { server, xero, tenantId, clock } = await harness({ limits: { perDay: 2 } });
    await xero.accountingApi.getOrganisations(tenantId);
    clock.now += 3_600_000;
    const fresh = server.fake.issueAccessToken();
    xero.setTokenSet({ access_token: fresh.accessToken, token_type: 'Bearer', expires_in: fresh.expiresIn });
    await xero.accountingApi.getOrganisations(tenantId);
    const throttled = await rejection(xero.accountingApi.getOrganisations(tenantId));
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['x-rate-limit-problem']).toBe('day');
    expect(throttled.headers['retry-after']).toBe(String(23 * 3600));
    expect(throttled.headers['x-daylimit-remaining']).toBe('0');
  });

  it("answers 429 appminute with Retry-After once the app's minute allowance is spent, before the tenant's", async () => {
    const { xero, tenantId, clock } = await harness({ limits: { appPerMinute: 2 } });
    const first = await xero.accountingApi.getOrganisations(tenantId);
    expect(first.response.headers['x-appminlimit-remaining']).toBe('1');
    expect(first.response.headers['x-minlimit-remaining']).toBe('59');
    clock.now = START + 15_000;
    await xero.accountingApi.getOrganisations(tenantId);
    const throttled = await rejection(xero.accountingApi.getOrganisations(tenantId));
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['x-rate-limit-problem']).toBe('appminute');
    expect(throttled.headers['retry-after']).toBe('45');
    expect(throttled.headers['x-appminlimit-remaining']).toBe('0');
    expect(throttled.headers['x-minlimit-remaining']).toBe('58');
  });

  it('answers 429 concurrent when more calls are in flight than allowed', async () => {
    const { server, xero, tenantId } = await harness({ limits: { concurrent: 1 } });
    // The second call is sent once the first is being answered (2 s, room for a loaded machine to send it), not after a guessed time.
    server.fake.injectFault({ kind: 'slow', delayMs: 2_000 }, { on: 'reads' });
    const slow = xero.accountingApi.getOrganisations(tenantId);
    for (let looks = 0; looks < 2_000 && server.fake.callsInFlight() === 0; looks += 1)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const throttled = await rejection(xero.accountingApi.getOrganisations(tenantId));
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['x-rate-limit-problem']).toBe('concurrent');
    expect(throttled.headers['retry-after']).toBeUndefined();
    expect((await slow).response.status).toBe(200);
  });

  it('plays injected 429s with the given Retry-After, then 5xx, then lets the write through', async () => {
    const { server, xero, tenantId } = await harness();
    server.fake.injectFault({ kind: 'rate-limit', problem: 'minute', retryAfterSeconds: 7 }, { times: 2 });
    server.fake.injectFault({ kind: 'server-error', status: 503 });
    const body = { manualJournals: [journal('retry me', [line(1, '400'), line(-1, '850')])] };

    const first = await rejection(xero.accountingApi.createManualJournals(tenantId, body, false, 'k'));
    const second = await rejection(xero.accountingApi.createManualJournals(tenantId, body, false, 'k'));
    const third = await rejection(xero.accountingApi.createManualJournals(tenantId, body, false, 'k'));
    const fourth = await xero.accountingApi.createManualJournals(tenantId, body, false, 'k');

    expect([first.statusCode, first.headers['retry-after'], first.headers['x-rate-limit-problem']]).toEqual([
      429,
      '7',
      'minute',
    ]);
    expect(second.statusCode).toBe(429);
    expect(third.statusCode).toBe(503);
    expect(fourth.response.status).toBe(200);
    expect(server.fake.journals()).toHaveLength(1);
    expect(server.fake.writeRequestCount()).toBe(4);
  });

  it('drops the connection after committing the write: the client sees no response, the journal is there, and the key replays it', async () => {
    const { server, xero, tenantId } = await harness();
    server.fake.injectFault({ kind: 'drop-after-commit' });
    const body = { manualJournals: [journal('ledgerline E-55', [line(9.99, '400'), line(-9.99, '850')])] };

    const lost = await rejection(xero.accountingApi.createManualJournals(tenantId, body, false, 'k-55'));
    expect(lost.statusCode).toBe(0);
    expect(server.fake.journals().map((j) => j.narration)).toEqual(['ledgerline E-55']);

    const lookedUp = await xero.accountingApi.getManualJournals(tenantId, undefined, 'Narration=="ledgerline E-55"');
    expect(lookedUp.body.manualJournals?.map((j) => j.manualJournalID)).toEqual([
      server.fake.journals()[0]?.manualJournalId,
    ]);

    const retried = await xero.accountingApi.createManualJournals(tenantId, body, false, 'k-55');
    expect(retried.body.manualJournals?.[0]?.manualJournalID).toBe(server.fake.journals()[0]?.manualJournalId);
    expect(server.fake.journals()).toHaveLength(1);
    expect(server.fake.requestLog().map((record) => record.outcome)).toEqual(['dropped', 200, 200]);
  });

  it('drops the connection before processing when asked: nothing is stored', async () => {
    const { server, xero, tenantId } = await harness();
    server.fake.injectFault({ kind: 'drop-before-commit' });
    const lost = await rejection(
      xero.accountingApi.createManualJournals(tenantId, {
        manualJournals: [journal('x', [line(1, '400'), line(-1, '850')])],
      }),
    );
    expect(lost.statusCode).toBe(0);
    expect(server.fake.journals()).toEqual([]);
  });
});

describe('Xero fake: tokens and tenants', () => {
  it('issues a client_credentials token for Basic credentials and the xero-node `scopes` field, and refuses a wrong secret', async () => {
    const { server } = await harness();
    const basic = (secret: string) => `Basic ${Buffer.from(`${server.fake.clientId}:${secret}`).toString('base64')}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };

    const good = await fetch(server.tokenUrl, {
      method: 'POST',
      headers: { ...form, authorization: basic(server.fake.clientSecret) },
      body: 'grant_type=client_credentials&scopes=accounting.transactions',
    });
    const token = (await good.json()) as {
      access_token: string;
      expires_in: number;
      token_type: string;
      scope: string;
    };
    expect(good.status).toBe(200);
    expect([token.expires_in, token.token_type, token.scope]).toEqual([1800, 'Bearer', 'accounting.transactions']);

    // A custom connection's token reaches its one organisation without a xero-tenant-id header.
    const organisation = await api(server, '/Organisation', {
      token: token.access_token,
      headers: { 'xero-tenant-id': '' },
    });
    expect(organisation.status).toBe(200);

    const bad = await fetch(server.tokenUrl, {
      method: 'POST',
      headers: { ...form, authorization: basic('wrong') },
      body: 'grant_type=client_credentials',
    });
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'invalid_client' }]);
  });

  it('answers 401 TokenExpired once the access token has expired, in Xero problem shape', async () => {
    const { xero, tenantId, clock } = await harness();
    clock.now = START + 1_800_000;
    const expired = await rejection(xero.accountingApi.getOrganisations(tenantId));
    expect(expired.statusCode).toBe(401);
    expect(expired.body).toMatchObject({
      Type: null,
      Title: 'Unauthorized',
      Status: 401,
      Detail: 'TokenExpired: token expired at 03/01/2024 12:30:00',
    });
  });

  it('answers 401 for expired-on-demand and revoked tokens, and 403 for another tenant', async () => {
    const { server, xero, tenantId } = await harness();
    server.fake.expireAccessTokens();
    expect((await rejection(xero.accountingApi.getOrganisations(tenantId))).body.Detail).toMatch(/^TokenExpired: /);

    const fresh = server.fake.issueAccessToken();
    xero.setTokenSet({ access_token: fresh.accessToken, token_type: 'Bearer', expires_in: fresh.expiresIn });
    const otherTenant = await rejection(xero.accountingApi.getOrganisations('6f2f0b7e-0000-4000-8000-000000000000'));
    expect([otherTenant.statusCode, otherTenant.body.Detail]).toEqual([403, 'AuthenticationUnsuccessful']);

    server.fake.revokeTokens();
    const revoked = await rejection(xero.accountingApi.getOrganisations(tenantId));
    expect([revoked.statusCode, revoked.body.Detail]).toEqual([401, 'AuthenticationUnsuccessful']);
  });

  it('rotates refresh tokens: each use returns a new one and the old one is refused with invalid_grant', async () => {
    const { server } = await harness({ refreshToken: 'initial-refresh-token' });
    const refresh = async (refreshToken: string) => {
      const response = await fetch(server.tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${server.fake.clientId}:${server.fake.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    const first = await refresh('initial-refresh-token');
    expect(first.status).toBe(200);
    expect(first.body.expires_in).toBe(1800);
    expect(typeof first.body.refresh_token).toBe('string');
    expect(first.body.refresh_token).not.toBe('initial-refresh-token');

    expect(await refresh('initial-refresh-token')).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    const second = await refresh(first.body.refresh_token as string);
    expect(second.status).toBe(200);
    expect(await refresh(first.body.refresh_token as string)).toEqual({
      status: 400,
      body: { error: 'invalid_grant' },
    });

    const organisation = await api(server, '/Organisation', { token: second.body.access_token as string });
    expect(organisation.status).toBe(200);
    expect(JSON.stringify(server.fake.requestLog())).not.toContain(second.body.access_token as string);
    expect(JSON.stringify(server.fake.requestLog())).not.toContain('initial-refresh-token');
  });

  it('refuses a request that does not ask for JSON, since Xero would answer XML', async () => {
    const { server } = await harness();
    const response = await fetch(`${server.apiUrl}/Organisation`, {
      headers: {
        authorization: `Bearer ${server.fake.issueAccessToken().accessToken}`,
        'xero-tenant-id': server.fake.tenantId,
      },
    });
    expect(response.status).toBe(406);
  });
});

describe('Xero fake: tax, people and reports', () => {
  it('takes a journal without LineAmountTypes as Exclusive and works out tax per line at its TaxType rate', async () => {
    const taxRates = [
      { taxType: 'NONE', name: 'No Tax' },
      { taxType: 'INPUT', name: 'Tax on Purchases', rate: '15' },
    ];
    const { server } = await harness({ taxRates });
    const body = (lines: unknown[]) =>
      JSON.stringify({
        ManualJournals: [{ Narration: 'tax', Date: '2024-02-29', Status: 'POSTED', JournalLines: lines }],
      });
    // Exclusive: 100.00 on an INPUT account carries 15.00 of tax on top, so −100.00 alone leaves it unbalanced.
    const unbalanced = await api(server, '/ManualJournals', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: body([
        { LineAmount: 100, AccountCode: '400' },
        { LineAmount: -100, AccountCode: '850' },
      ]),
    });
    expect(unbalanced.status).toBe(400);
    expect(unbalanced.body.Elements[0].LineAmountTypes).toBe('Exclusive');
    expect(unbalanced.body.Elements[0].ValidationErrors).toEqual([
      { Message: 'The total debits (115.00) must equal total credits (-100.00)' },
    ]);

    const balanced = await api(server, '/ManualJournals', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: body([
        { LineAmount: 33.33, AccountCode: '400' },
        { LineAmount: -38.33, AccountCode: '850' },
      ]),
    });
    expect(balanced.status).toBe(200);
    // 33.33 × 15 % = 4.9995 → 5.00 (half-even to the cent, per line).
    expect(balanced.body.ManualJournals[0].JournalLines.map((l: any) => [l.LineAmount, l.TaxAmount])).toEqual([
      [33.33, 5],
      [-38.33, 0],
    ]);
    expect(server.fake.journals()[0]?.lines.map((l) => l.taxCents)).toEqual([500n, 0n]);
  });

  it('its trial balance splits a coded line as Xero does: the net on the account, the tax on the VAT system account', async () => {
    const taxRates = [
      { taxType: 'NONE', name: 'No VAT' },
      { taxType: 'INPUT2', name: '20% (VAT on Expenses)', rate: '20' },
    ];
    const { server } = await harness({ taxRates });
    const posted = await api(server, '/ManualJournals', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ManualJournals: [
          {
            Narration: 'inclusive',
            Date: '2024-02-29',
            Status: 'POSTED',
            LineAmountTypes: 'Inclusive',
            JournalLines: [
              { LineAmount: 12.28, AccountCode: '400', TaxType: 'INPUT2' },
              { LineAmount: -12.28, AccountCode: '850', TaxType: 'NONE' },
            ],
          },
        ],
      }),
    });
    expect(posted.status).toBe(200);
    const report = await api(server, '/Reports/TrialBalance?date=2024-02-29');
    const rows = report.body.Reports[0].Rows.flatMap((section: any) =>
      section.RowType === 'Section' ? section.Rows : [],
    );
    // 12.28 × 20/120 = 2.046… → 2.05 of VAT, 10.23 on Advertising.
    expect(rows.map((row: any) => row.Cells.map((cell: any) => cell.Value))).toEqual(
      expect.arrayContaining([
        ['Advertising (400)', '10.23', '', '10.23', ''],
        ['VAT (820)', '2.05', '', '2.05', ''],
        ['Suspense (850)', '', '12.28', '', '12.28'],
      ]),
    );
  });

  it('lets a test remove and edit a journal as a person would, and serves the trial balance of posted journals', async () => {
    const { server, xero, tenantId } = await harness();
    await xero.accountingApi.createManualJournals(tenantId, {
      manualJournals: [
        journal('one', [line(10, '400'), line(-10, '850')], '2024-02-10'),
        journal('two', [line(5, '400'), line(-5, '850')], '2024-02-11'),
      ],
    });
    const [one, two] = server.fake.journals();
    server.fake.removeJournal(one!.manualJournalId);
    server.fake.editJournal(two!.manualJournalId, {
      lines: [
        { accountCode: '400', cents: 700n },
        { accountCode: '850', cents: -700n },
      ],
    });

    const read = await api(
      server,
      `/ManualJournals?where=${encodeURIComponent(`ManualJournalID==Guid("${one!.manualJournalId}") OR ManualJournalID==Guid("${two!.manualJournalId}")`)}`,
    );
    expect(
      read.body.ManualJournals.map((j: any) => [j.Narration, j.Status, j.JournalLines.map((l: any) => l.LineAmount)]),
    ).toEqual([
      ['one', 'VOIDED', [10, -10]],
      ['two', 'POSTED', [7, -7]],
    ]);

    const report = await api(server, '/Reports/TrialBalance?date=2024-02-29');
    const rows = report.body.Reports[0].Rows.flatMap((section: any) =>
      section.RowType === 'Section' ? section.Rows : [],
    );
    expect(rows.map((row: any) => row.Cells.map((cell: any) => cell.Value))).toEqual([
      ['Advertising (400)', '7.00', '', '7.00', ''],
      ['Suspense (850)', '', '7.00', '', '7.00'],
    ]);
  });
});
