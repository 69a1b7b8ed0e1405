import { describe, expect, it } from 'vitest';
import { newConsentRequest, s256Challenge } from '../../../src/destinations/consent/consent-request.js';
import { readConsentCallback } from '../../../src/destinations/consent/redirect-callback.js';
import { xeroConsent } from '../../../src/destinations/consent/vendor-consent.js';

const vendor = xeroConsent({ clientId: 'app-id', clientSecret: 'app-secret' });

describe('the consent request', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    expect(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('sends a fresh 256-bit state and verifier each time, the exact redirect URI, the granular scopes and the S256 challenge', () => {
    const first = newConsentRequest(vendor, 'http://localhost:5110/callback');
    const second = newConsentRequest(vendor, 'http://localhost:5110/callback');
    expect(first.state).toMatch(/^[\w-]{43}$/);
    expect(first.codeVerifier).toMatch(/^[\w-]{43}$/);
    expect(second.state).not.toBe(first.state);
    const url = new URL(first.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://login.xero.com/identity/connect/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'app-id',
      redirect_uri: 'http://localhost:5110/callback',
      scope: 'offline_access accounting.manualjournals accounting.settings.read accounting.reports.trialbalance.read',
      state: first.state,
      code_challenge: s256Challenge(first.codeVerifier),
      code_challenge_method: 'S256',
    });
    expect(first.url).not.toContain(first.codeVerifier);
  });
});

describe('reading the redirect', () => {
  const expected = { redirectUri: 'http://localhost:5110/callback', state: 'the-state' };
  it('takes the code (and QuickBooks realmId) from the redirect this run asked for', () => {
    expect(
      readConsentCallback(
        'QuickBooks',
        'http://localhost:5110/callback?code=c1&state=the-state&realmId=9130',
        expected,
      ),
    ).toEqual({ code: 'c1', realmId: '9130' });
  });

  it('checks the state before believing anything, an error reply included', () => {
    expect(() =>
      readConsentCallback('Xero', 'http://localhost:5110/callback?error=access_denied&state=other', expected),
    ).toThrow(/does not carry the state this run sent/);
    expect(() =>
      readConsentCallback('Xero', 'http://localhost:5110/callback?error=access_denied&state=the-state', expected),
    ).toThrow(/not given \(access_denied\)/);
  });

  it('refuses another address, a missing code and text that is no URL, without repeating the code', () => {
    expect(() =>
      readConsentCallback('Xero', 'http://localhost:5111/callback?code=secret-code&state=the-state', expected),
    ).toThrow(/not http:\/\/localhost:5110\/callback/);
    expect(() => readConsentCallback('Xero', 'http://localhost:5110/callback?state=the-state', expected)).toThrow(
      /has no code/,
    );
    expect(() => readConsentCallback('Xero', 'code=secret-code', expected)).toThrow(/not a URL/);
    try {
      readConsentCallback('Xero', 'http://localhost:5111/callback?code=secret-code&state=the-state', expected);
    } catch (error) {
      expect(String(error)).not.toContain('secret-code');
    }
  });
});
