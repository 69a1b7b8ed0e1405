import type { IncomingMessage } from 'node:http';
import { assertNever } from '../../src/rules/index.js';
import {
  basicCredentials,
  bearerToken,
  consentPage,
  headerText,
  readAuthorizeRequest,
  readCodeGrant,
  redirectReply,
  type FakeReply,
} from '../fake-kit/index.js';
import type { Outcome, QuickBooksCompany } from './company.js';
import { isObject, readJson } from './request-body.js';

/**
 * Intuit's OAuth endpoints (token refresh with rotation, revoke) and the bearer check every API call passes. The
 * endpoints are the app's; each token is one company's (the one its consent picked), kept in that company's book.
 */

/** The company whose book holds the token (of either kind); the first company when none does. */
export function holderOf(companies: readonly QuickBooksCompany[], token: string | undefined): QuickBooksCompany {
  return companies.find((company) => company.tokens.holds(token)) ?? companies[0]!;
}

/** Refresh tokens can no longer outlive five years (x_refresh_token_hard_expires_in). */
const REFRESH_HARD_TTL_SECONDS = 157_680_000;

export function tokenEndpoint(
  companies: readonly QuickBooksCompany[],
  request: IncomingMessage,
  body: Buffer,
): Outcome {
  const form = new URLSearchParams(body.toString('utf8'));
  const company = holderOf(companies, form.get('refresh_token') ?? undefined);
  const { now, clientId, clientSecret, createdAt, tokens, reply } = company;
  const credentials = basicCredentials(request);
  const grant = form.get('grant_type') ?? '';
  if (!credentials || credentials.id !== clientId || credentials.secret !== clientSecret) {
    return { reply: reply(401, { error: 'invalid_client' }), note: `${grant}: invalid_client`, committed: false };
  }
  if (grant === 'authorization_code') return codeGrant(companies, form, credentials.id);
  if (grant !== 'refresh_token')
    return {
      reply: reply(400, { error: 'unsupported_grant_type' }),
      note: `unsupported grant ${grant}`,
      committed: false,
    };
  const outcome = tokens.rotateRefresh(form.get('refresh_token') ?? '');
  if (outcome.status === 'invalid')
    return { reply: reply(400, { error: 'invalid_grant' }), note: 'refresh_token: invalid_grant', committed: false };
  const issued = tokens.issueAccess('refresh_token');
  const hardExpiry =
    headerText(request, 'x-include-refresh-token-hard-expires-in') === 'true'
      ? {
          x_refresh_token_hard_expires_in: Math.max(
            0,
            REFRESH_HARD_TTL_SECONDS - Math.floor((now() - createdAt) / 1000),
          ),
        }
      : {};
  return {
    reply: reply(200, {
      x_refresh_token_expires_in: tokens.refreshTtlSeconds(),
      refresh_token: outcome.refreshToken,
      access_token: issued.accessToken,
      token_type: 'bearer',
      expires_in: issued.expiresIn,
      ...hardExpiry,
    }),
    note: 'refresh_token: rotated',
    committed: true,
  };
}

/** The authorization_code grant: the code, its redirect URI and PKCE verifier checked; the first refresh token handed out. */
function codeGrant(companies: readonly QuickBooksCompany[], form: URLSearchParams, clientId: string): Outcome {
  const presented = readCodeGrant(form, { id: clientId, secret: '' });
  const redemption = companies[0]!.consent.redeem(presented.code, presented);
  if (!redemption.ok)
    return {
      reply: companies[0]!.reply(redemption.error === 'invalid_client' ? 401 : 400, { error: redemption.error }),
      note: `authorization_code: ${redemption.error} (${redemption.reason})`,
      committed: false,
    };
  // The tokens are the picked company's: they reach it and no other.
  const picked = companies.find((company) => company.realmId === redemption.grant.chosen[0]) ?? companies[0]!;
  const { tokens, reply } = picked;
  const issued = tokens.issueAccess('issued');
  return {
    reply: reply(200, {
      x_refresh_token_expires_in: tokens.refreshTtlSeconds(),
      refresh_token: tokens.issueRefresh(),
      access_token: issued.accessToken,
      token_type: 'bearer',
      expires_in: issued.expiresIn,
    }),
    note: 'authorization_code: issued',
    committed: true,
  };
}

/** GET /connect/oauth2: Intuit's sign-in and company picker, one company to pick of those this fake keeps. */
export function authorize(
  companies: readonly QuickBooksCompany[],
  query: URLSearchParams,
  consentPath: string,
): FakeReply {
  const company = companies[0]!;
  const checked = readAuthorizeRequest('Intuit', query, company.clientId, company.redirectUris);
  if (!checked.ok) return checked.reply;
  const parkedId = company.consent.park(checked.request);
  const choices = companies.map((each) => ({ value: each.realmId, label: `${each.companyName} (${each.realmId})` }));
  return consentPage({
    vendor: 'Intuit',
    action: consentPath,
    parkedId,
    scope: checked.request.scope,
    choices,
    multiple: false,
    pickerName: 'realm',
  });
}

/** Connect or Cancel: back to the app with code, state and realmId (Intuit's callback), or error=access_denied. */
export function consentDecision(companies: readonly QuickBooksCompany[], query: URLSearchParams): FakeReply {
  const company = companies[0]!;
  const picked = companies.find((each) => each.realmId === query.get('realm'));
  const request = company.consent.take(query.get('request') ?? '');
  if (!request)
    return company.reply(400, {
      error: 'invalid_request',
      error_description: 'this consent page was already answered',
    });
  if (query.get('decision') !== 'allow' || picked === undefined)
    return redirectReply(request.redirectUri, { error: 'access_denied', state: request.state });
  const code = company.consent.issueCode({ ...request, chosen: [picked.realmId] });
  return redirectReply(request.redirectUri, { code, state: request.state, realmId: picked.realmId });
}

export function revokeEndpoint(
  companies: readonly QuickBooksCompany[],
  request: IncomingMessage,
  body: Buffer,
): Outcome {
  const parsed = readJson(body);
  const token =
    parsed.ok && isObject(parsed.value) && typeof parsed.value.token === 'string' ? parsed.value.token : undefined;
  const { clientId, clientSecret, tokens, intuitTid, reply } = holderOf(companies, token);
  const credentials = basicCredentials(request);
  if (!credentials || credentials.id !== clientId || credentials.secret !== clientSecret) {
    return { reply: reply(401, { error: 'invalid_client' }), note: 'revoke: invalid_client', committed: false };
  }
  if (token === undefined)
    return { reply: reply(400, { error: 'invalid_request' }), note: 'revoke: no token', committed: false };
  tokens.revoke(token);
  companies[0]!.revocations += 1;
  return { reply: { status: 200, headers: { intuit_tid: intuitTid() }, body: '' }, note: 'revoke', committed: true };
}

/** 401 for a missing, expired or revoked token, 403 for another company; undefined when the call may go on. */
export function refuseUnauthorized(
  company: QuickBooksCompany,
  request: IncomingMessage,
  requestRealm: string | undefined,
): FakeReply | undefined {
  const { realmId, tokens, faultReply, authenticationFailed } = company;
  const token = bearerToken(request);
  const access = tokens.checkAccess(token);
  switch (access.status) {
    case 'valid':
      break;
    case 'expired':
      return authenticationFailed(`Token expired: ${tokenLabel(token)}`);
    case 'revoked':
      return authenticationFailed(`Token revoked: ${tokenLabel(token)}`);
    case 'unknown':
      return authenticationFailed('Token invalid');
    default:
      return assertNever(access);
  }
  if (requestRealm !== undefined && requestRealm !== realmId) {
    return faultReply(403, {
      type: 'AuthorizationFault',
      Error: [
        {
          Message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403',
          Detail: '',
          code: '3100',
        },
      ],
    });
  }
  return undefined;
}

/** "qbo-fake-access-3-…" → "access-3": names the token in a 401 without giving its value away. */
function tokenLabel(token: string | undefined): string {
  const match = token === undefined ? null : /^qbo-fake-(access-\d+)-/.exec(token);
  return match?.[1] ?? 'unknown token';
}
