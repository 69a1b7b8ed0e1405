import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';
import { answerConsent } from '../../cli/connect-harness.js';

/** The Xero fake's consent side refuses each mistake at the token endpoint as Xero documents it (OAuth 2.0 errors). */

let xero: RunningXeroFake | undefined;
afterEach(async () => {
  await xero?.close();
});

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const REDIRECT = 'http://localhost:5110/callback';

async function codeFor(fake: RunningXeroFake): Promise<string> {
  const url = new URL(fake.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: 'id',
    redirect_uri: REDIRECT,
    scope: 'offline_access accounting.settings.read',
    state: 's',
    code_challenge: createHash('sha256').update(VERIFIER).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const location = new URL(await answerConsent(url.toString(), 'allow', [fake.fake.tenantId], 'tenant'));
  expect(location.searchParams.get('state')).toBe('s');
  return location.searchParams.get('code')!;
}

async function exchange(
  fake: RunningXeroFake,
  fields: Record<string, string>,
  secret = 'secret',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const reply = await fetch(fake.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`id:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
      ...fields,
    }).toString(),
  });
  return { status: reply.status, body: (await reply.json()) as Record<string, unknown> };
}

describe('the Xero fake token endpoint for authorization codes', () => {
  it('issues tokens once for the right code, redirect URI, verifier and client; each mistake is refused with its OAuth error', async () => {
    xero = await startXeroFake({ clientId: 'id', clientSecret: 'secret' });
    expect(await exchange(xero, { code: await codeFor(xero) }, 'wrong-secret')).toEqual({
      status: 400,
      body: { error: 'invalid_client' },
    });
    expect(await exchange(xero, { code: await codeFor(xero), redirect_uri: 'http://localhost:5111/callback' })).toEqual(
      { status: 400, body: { error: 'invalid_grant' } },
    );
    expect(await exchange(xero, { code: await codeFor(xero), code_verifier: 'x'.repeat(43) })).toEqual({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    const code = await codeFor(xero);
    const issued = await exchange(xero, { code });
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      expires_in: 1800,
      token_type: 'Bearer',
      scope: 'offline_access accounting.settings.read',
    });
    expect(await exchange(xero, { code })).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect(xero.fake.codeRedemptions()).toEqual([
      'invalid_grant: redirect_uri differs from the authorize request',
      'invalid_grant: code_verifier does not match',
      'issued',
      'invalid_grant: code already used',
    ]);
  });

  it('an unknown client or an unregistered redirect URI gets an error page, never a redirect', async () => {
    xero = await startXeroFake({ clientId: 'id', clientSecret: 'secret', redirectUris: [REDIRECT] });
    const page = await fetch(
      `${xero.authorizeUrl}?response_type=code&client_id=id&redirect_uri=${encodeURIComponent('http://localhost:9999/callback')}`,
      { redirect: 'manual' },
    );
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Invalid redirect_uri');
    const stranger = await fetch(
      `${xero.authorizeUrl}?response_type=code&client_id=other&redirect_uri=${encodeURIComponent(REDIRECT)}`,
      { redirect: 'manual' },
    );
    expect(stranger.status).toBe(400);
  });
});
