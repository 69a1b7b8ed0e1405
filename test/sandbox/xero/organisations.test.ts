import { afterEach, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake, type XeroFakeOptions } from '../../../sandbox/xero/fake.js';
import { answerConsent } from '../../cli/connect-harness.js';

/**
 * The Xero fake serves several organisations to one app as Xero does: a consent connects the ones ticked
 * (GET /connections lists each), an API call reaches the organisation its xero-tenant-id names, with books,
 * an idempotency cache and minute and day allowances of its own, while the app's minute allowance is shared.
 */

const SOUTH = { tenantId: 'b7e2d4f1-0000-4000-8000-50074b0c5e7a', name: 'South Ltd' };
const REDIRECT = 'http://localhost:5110/callback';

let running: RunningXeroFake | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function fake(options: XeroFakeOptions): Promise<RunningXeroFake> {
  running = await startXeroFake({ clientId: 'id', clientSecret: 'secret', ...options });
  return running;
}

async function tokenCall(server: RunningXeroFake, form: Record<string, string>) {
  const reply = await fetch(server.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('id:secret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
  });
  return { status: reply.status, body: (await reply.json()) as Record<string, string> };
}

/** A person's consent ticking both organisations, and the access token its code is exchanged for. */
async function consentToBoth(server: RunningXeroFake): Promise<string> {
  const url = new URL(server.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: 'id',
    redirect_uri: REDIRECT,
    scope: 'offline_access accounting.manualjournals accounting.settings',
    state: 's',
  }).toString();
  const ticked = [server.fake.tenantId, SOUTH.tenantId];
  const location = new URL(await answerConsent(url.toString(), 'allow', ticked, 'tenant'));
  const code = location.searchParams.get('code')!;
  const issued = await tokenCall(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  expect(issued.status).toBe(200);
  return issued.body.access_token!;
}

async function api(
  server: RunningXeroFake,
  token: string,
  tenantId: string,
  path: string,
  init: { method?: string; body?: unknown; key?: string } = {},
) {
  const reply = await fetch(`${server.apiUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      'xero-tenant-id': tenantId,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.key === undefined ? {} : { 'idempotency-key': init.key }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await reply.text();
  return { status: reply.status, headers: reply.headers, body: text === '' ? undefined : JSON.parse(text) };
}

function journal(narration: string, cents: number) {
  const amount = cents / 100;
  return {
    ManualJournals: [
      {
        Narration: narration,
        Date: '2024-02-29',
        Status: 'POSTED',
        LineAmountTypes: 'NoTax',
        JournalLines: [
          { LineAmount: amount, AccountCode: '400' },
          { LineAmount: -amount, AccountCode: '850' },
        ],
      },
    ],
  };
}

describe('the Xero fake with two organisations', () => {
  it('one consent connects both; each call reaches the organisation its xero-tenant-id names, with its own journals and idempotency cache', async () => {
    const server = await fake({ otherOrganisations: [SOUTH] });
    const north = server.fake.tenantId;
    expect(server.fake.connections().map((connection) => connection.tenantId)).toEqual([north]);
    const token = await consentToBoth(server);

    const connections = await api(server, token, '', '/../../connections');
    expect(connections.body.map((row: { tenantId: string; tenantName: string }) => row.tenantName)).toEqual([
      'Ledgerline Sandbox Ltd',
      'South Ltd',
    ]);
    const organisation = await api(server, token, SOUTH.tenantId, '/Organisation');
    expect(organisation.body.Organisations[0].Name).toBe('South Ltd');

    const put = (tenantId: string, narration: string, cents: number) =>
      api(server, token, tenantId, '/ManualJournals', { method: 'PUT', body: journal(narration, cents), key: 'k-1' });
    expect((await put(north, 'north E-1', 1000)).status).toBe(200);
    // The same Idempotency-Key with another body is a first request in the other organisation, not a 422.
    expect((await put(SOUTH.tenantId, 'south E-1', 2500)).status).toBe(200);
    expect((await put(SOUTH.tenantId, 'south E-1', 2500)).status).toBe(200);

    expect(server.fake.journals().map((stored) => stored.narration)).toEqual(['north E-1']);
    const south = server.fake.organisation(SOUTH.tenantId);
    expect(south.journals().map((stored) => [stored.narration, stored.lines[0]?.cents])).toEqual([
      ['south E-1', 2500n],
    ]);
    expect(south.journals()[0]?.manualJournalId).not.toBe(server.fake.journals()[0]?.manualJournalId);
    expect([server.fake.idempotentReplays(), south.idempotentReplays()]).toEqual([
      [],
      [{ key: 'k-1', sameBody: true }],
    ]);
    const listed = await api(server, token, SOUTH.tenantId, '/ManualJournals');
    expect(listed.body.ManualJournals.map((row: { Narration: string }) => row.Narration)).toEqual(['south E-1']);
  });

  it('counts the minute and day allowances per organisation and the app minute across both', async () => {
    const server = await fake({
      otherOrganisations: [{ ...SOUTH, connected: true }],
      limits: { perMinute: 2, appPerMinute: 3 },
    });
    const north = server.fake.tenantId;
    const token = server.fake.issueAccessToken().accessToken;
    const call = async (tenantId: string) => {
      const reply = await api(server, token, tenantId, '/Accounts');
      return [
        reply.status,
        reply.headers.get('x-rate-limit-problem') ?? reply.headers.get('x-minlimit-remaining'),
        reply.headers.get('x-daylimit-remaining'),
      ];
    };
    expect(await call(north)).toEqual([200, '1', '4999']);
    expect(await call(north)).toEqual([200, '0', '4998']);
    expect(await call(north)).toEqual([429, 'minute', '4998']);
    expect(await call(SOUTH.tenantId)).toEqual([200, '1', '4999']);
    expect(await call(SOUTH.tenantId)).toEqual([429, 'appminute', '4999']);
  });

  it("refuses an organisation the token does not reach: one not connected, and any but a custom connection's own", async () => {
    const server = await fake({ otherOrganisations: [SOUTH] });
    const issued = server.fake.issueAccessToken().accessToken;
    expect((await api(server, issued, SOUTH.tenantId, '/Accounts')).status).toBe(403);
    await consentToBoth(server);
    expect((await api(server, issued, SOUTH.tenantId, '/Accounts')).status).toBe(200);
    const custom = await tokenCall(server, { grant_type: 'client_credentials' });
    expect((await api(server, custom.body.access_token!, SOUTH.tenantId, '/Accounts')).status).toBe(403);
    expect((await api(server, custom.body.access_token!, '', '/Accounts')).status).toBe(200);
  });

  it('two grants (two consents) rotate their refresh tokens without spending each other', async () => {
    const server = await fake({ refreshTokens: ['grant-north', 'grant-south'] });
    const refresh = (token: string) => tokenCall(server, { grant_type: 'refresh_token', refresh_token: token });
    const north = await refresh('grant-north');
    expect(north.status).toBe(200);
    expect((await refresh('grant-south')).status).toBe(200);
    expect(await refresh('grant-north')).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect((await refresh(north.body.refresh_token!)).status).toBe(200);
  });
});
