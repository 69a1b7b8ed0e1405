import { createHash, randomBytes } from 'node:crypto';
import type { FakeReply } from './exchange.js';
import type { Now } from './values.js';

/**
 * The consent side of an OAuth 2.0 authorization server, shared by the Xero and
 * QuickBooks fakes: the authorize request checked and parked behind a consent
 * page, codes issued on Allow, and a code redeemed once at the token endpoint
 * against its redirect URI and PKCE verifier (RFC 6749 §4.1, RFC 7636).
 */

/** What an authorize request asked for, kept server-side while the consent page is shown. */
export interface ParkedConsent {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string | undefined;
  codeChallenge: string | undefined;
}

/** A code's grant: what was consented to, and to whom it was issued. */
export interface ConsentGrant extends ParkedConsent {
  /** The organisations (Xero tenant ids) or company (QuickBooks realm id) chosen on the page. */
  chosen: readonly string[];
}

export type Redemption =
  { ok: true; grant: ConsentGrant } | { ok: false; error: 'invalid_grant' | 'invalid_client'; reason: string };

/** Codes live 5 minutes at both vendors, and work once. */
const CODE_TTL_MS = 5 * 60_000;

export class ConsentBook {
  private readonly parked = new Map<string, ParkedConsent>();
  private readonly codes = new Map<string, { grant: ConsentGrant; expiresAt: number; used: boolean }>();
  /** Every redemption attempt's outcome, for tests: "issued", "invalid_grant: redirect_uri differs" … */
  readonly redemptions: string[] = [];
  /** Every code and verifier presented, for tests proving neither leaks into ledgerline's output. */
  readonly presented: { code: string; codeVerifier: string | undefined }[] = [];

  constructor(private readonly now: Now) {}

  park(request: ParkedConsent): string {
    const id = randomBytes(12).toString('hex');
    this.parked.set(id, request);
    return id;
  }

  /** The parked request, taken (a consent page answers once). */
  take(id: string): ParkedConsent | undefined {
    const request = this.parked.get(id);
    this.parked.delete(id);
    return request;
  }

  issueCode(grant: ConsentGrant): string {
    const code = `fake-code-${randomBytes(16).toString('hex')}`;
    this.codes.set(code, { grant, expiresAt: this.now() + CODE_TTL_MS, used: false });
    return code;
  }

  /**
   * Redeems a code: unknown, used or expired codes, another redirect URI, a
   * missing or wrong verifier are invalid_grant; a code issued to another
   * client is invalid_client. A used code stays used even when refused.
   */
  redeem(
    code: string,
    presented: { clientId: string; redirectUri: string; codeVerifier: string | undefined },
  ): Redemption {
    this.presented.push({ code, codeVerifier: presented.codeVerifier });
    const outcome = this.check(code, presented);
    this.redemptions.push(outcome.ok ? 'issued' : `${outcome.error}: ${outcome.reason}`);
    return outcome;
  }

  private check(
    code: string,
    presented: { clientId: string; redirectUri: string; codeVerifier: string | undefined },
  ): Redemption {
    const record = this.codes.get(code);
    if (!record) return { ok: false, error: 'invalid_grant', reason: 'unknown code' };
    if (record.used) return { ok: false, error: 'invalid_grant', reason: 'code already used' };
    record.used = true;
    if (this.now() >= record.expiresAt) return { ok: false, error: 'invalid_grant', reason: 'code expired' };
    const { grant } = record;
    if (grant.clientId !== presented.clientId)
      return { ok: false, error: 'invalid_client', reason: 'code issued to another client' };
    if (grant.redirectUri !== presented.redirectUri)
      return { ok: false, error: 'invalid_grant', reason: 'redirect_uri differs from the authorize request' };
    if (grant.codeChallenge !== undefined) {
      if (presented.codeVerifier === undefined)
        return { ok: false, error: 'invalid_grant', reason: 'code_verifier missing' };
      if (createHash('sha256').update(presented.codeVerifier).digest('base64url') !== grant.codeChallenge)
        return { ok: false, error: 'invalid_grant', reason: 'code_verifier does not match' };
    }
    return { ok: true, grant };
  }
}

/** A 302 to the redirect URI with `params` added to its query (RFC 6749 §4.1.2). */
export function redirectReply(redirectUri: string, params: Record<string, string | undefined>): FakeReply {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' }, body: '' };
}

export function htmlReply(status: number, html: string): FakeReply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: html };
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** The small consent page: the app's request, a picker (checkboxes or radio buttons), Allow and Cancel. */
export function consentPage(options: {
  vendor: string;
  action: string;
  parkedId: string;
  scope: string;
  choices: readonly { value: string; label: string }[];
  multiple: boolean;
  pickerName: string;
}): FakeReply {
  const inputs = options.choices
    .map(
      (choice, index) =>
        `<label><input type="${options.multiple ? 'checkbox' : 'radio'}" name="${options.pickerName}" value="${escape(choice.value)}"${index === 0 && !options.multiple ? ' checked' : ''}> ${escape(choice.label)}</label><br>`,
    )
    .join('\n');
  return htmlReply(
    200,
    `<!doctype html><meta charset="utf-8"><title>${escape(options.vendor)}: allow access</title>
<h1>${escape(options.vendor)} (sandbox)</h1>
<p>ledgerline would like access to: <code id="scope">${escape(options.scope)}</code></p>
<form method="get" action="${escape(options.action)}">
<input type="hidden" name="request" value="${escape(options.parkedId)}">
<fieldset><legend>${options.multiple ? 'Organisations to connect' : 'Company to connect'}</legend>
${inputs}
</fieldset>
<button type="submit" name="decision" value="allow" id="allow">Allow access</button>
<button type="submit" name="decision" value="deny" id="deny">Cancel</button>
</form>`,
  );
}

/** The error page an authorization server shows (instead of redirecting) when the client or redirect URI cannot be trusted. */
export function authorizeErrorPage(vendor: string, error: string, description: string): FakeReply {
  return htmlReply(
    400,
    `<!doctype html><meta charset="utf-8"><title>${escape(vendor)}: error</title><h1>Error: ${escape(error)}</h1><p id="error">${escape(description)}</p>`,
  );
}

/**
 * Checks an authorize request. A wrong client or a redirect URI that is not
 * registered gets an error page, never a redirect (RFC 6749 §4.1.2.1: the
 * redirect URI cannot be trusted then); other mistakes go back to the app as
 * error=… on the redirect. `registered` empty stands for the sandbox's rule:
 * any http://localhost or 127.0.0.1 address, any port, as for development keys.
 */
export function readAuthorizeRequest(
  vendor: string,
  query: URLSearchParams,
  clientId: string,
  registered: readonly string[],
): { ok: true; request: ParkedConsent } | { ok: false; reply: FakeReply } {
  const state = query.get('state') ?? undefined;
  if (query.get('client_id') !== clientId)
    return {
      ok: false,
      reply: authorizeErrorPage(vendor, 'unauthorized_client', 'Unknown client or client not enabled'),
    };
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!redirectAllowed(redirectUri, registered))
    return {
      ok: false,
      reply: authorizeErrorPage(vendor, 'invalid_request', 'Invalid redirect_uri: it is not registered for this app'),
    };
  if (query.get('response_type') !== 'code')
    return { ok: false, reply: redirectReply(redirectUri, { error: 'unsupported_response_type', state }) };
  const codeChallenge = query.get('code_challenge') ?? undefined;
  if (codeChallenge !== undefined && query.get('code_challenge_method') !== 'S256') {
    return {
      ok: false,
      reply: redirectReply(redirectUri, {
        error: 'invalid_request',
        error_description: 'code_challenge_method must be S256',
        state,
      }),
    };
  }
  return { ok: true, request: { clientId, redirectUri, scope: query.get('scope') ?? '', state, codeChallenge } };
}

function redirectAllowed(redirectUri: string, registered: readonly string[]): boolean {
  if (registered.length > 0) return registered.includes(redirectUri);
  try {
    const url = new URL(redirectUri);
    return url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname);
  } catch {
    return false;
  }
}

/** The authorization_code grant's form fields, and the client: HTTP Basic, or client_id in the body for a public (PKCE-only) client. */
export function readCodeGrant(
  form: URLSearchParams,
  basic: { id: string; secret: string } | undefined,
): {
  clientId: string;
  secret: string | undefined;
  code: string;
  redirectUri: string;
  codeVerifier: string | undefined;
} {
  return {
    clientId: basic?.id ?? form.get('client_id') ?? '',
    secret: basic?.secret ?? form.get('client_secret') ?? undefined,
    code: form.get('code') ?? '',
    redirectUri: form.get('redirect_uri') ?? '',
    codeVerifier: form.get('code_verifier') ?? undefined,
  };
}
