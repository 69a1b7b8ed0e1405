import type { IncomingMessage } from 'node:http';
import { assertNever } from '../../src/rules/index.js';
import {
  basicCredentials,
  bearerToken,
  headerText,
  jsonReply,
  type FakeOutcome,
  type FakeReply,
} from '../fake-kit/index.js';
import type { XeroTenant } from './tenant.js';
import { codeGrant } from './consent.js';

/** The identity token endpoint (refresh with rotation) and the bearer and tenant check every API call passes. */

export function tokenEndpoint(tenant: XeroTenant, request: IncomingMessage, body: Buffer): FakeOutcome {
  const { clientId, clientSecret, customConnection, tokens } = tenant;
  const form = new URLSearchParams(body.toString('utf8'));
  const grant = form.get('grant_type') ?? '';
  if (grant === 'authorization_code') return codeGrant(tenant, request, form);
  const credentials: { id: string; secret: string | undefined } = basicCredentials(request) ?? {
    id: form.get('client_id') ?? '',
    secret: form.get('client_secret') ?? undefined,
  };
  // A PKCE app has no secret: it refreshes with its client_id alone (developer.xero.com/documentation/guides/oauth2/pkce-flow).
  const publicRefresh = grant === 'refresh_token' && credentials.secret === undefined;
  if (credentials.id !== clientId || (!publicRefresh && credentials.secret !== clientSecret)) {
    return { reply: jsonReply(400, { error: 'invalid_client' }), note: `${grant}: invalid_client` };
  }
  if (grant === 'client_credentials') {
    if (!customConnection)
      return {
        reply: jsonReply(400, { error: 'unauthorized_client' }),
        note: 'client_credentials: not a custom connection',
      };
    const issued = tokens.issueAccess('client_credentials');
    const scope = form.get('scopes') ?? form.get('scope');
    return {
      reply: jsonReply(200, {
        access_token: issued.accessToken,
        expires_in: issued.expiresIn,
        token_type: 'Bearer',
        scope: scope && scope !== 'undefined' ? scope : 'accounting.transactions accounting.settings',
      }),
      note: 'client_credentials: issued',
    };
  }
  if (grant === 'refresh_token') {
    const outcome = tokens.rotateRefresh(form.get('refresh_token') ?? '');
    if (outcome.status === 'invalid')
      return { reply: jsonReply(400, { error: 'invalid_grant' }), note: 'refresh_token: invalid_grant' };
    const issued = tokens.issueAccess('refresh_token');
    return {
      reply: jsonReply(200, {
        access_token: issued.accessToken,
        expires_in: issued.expiresIn,
        token_type: 'Bearer',
        refresh_token: outcome.refreshToken,
        scope: 'offline_access accounting.transactions accounting.settings',
      }),
      note: 'refresh_token: rotated',
    };
  }
  return { reply: jsonReply(400, { error: 'unsupported_grant_type' }), note: `unsupported grant ${grant}` };
}

/** 401/403 for a request without a usable token or for an organisation it does not reach; undefined when it may go on. */
export function refuseUnauthorized(
  tenant: XeroTenant,
  request: IncomingMessage,
  checkTenant: boolean,
): FakeReply | undefined {
  const { tenantId, tokens, problem } = tenant;
  const access = tokens.checkAccess(bearerToken(request));
  switch (access.status) {
    case 'valid':
      break;
    case 'expired':
      return problem(401, 'Unauthorized', `TokenExpired: token expired at ${usDateTime(access.expiredAt)}`);
    case 'revoked':
    case 'unknown':
      return problem(401, 'Unauthorized', 'AuthenticationUnsuccessful');
    default:
      return assertNever(access);
  }
  if (!checkTenant) return undefined;
  const tenantHeader = (headerText(request, 'xero-tenant-id') ?? '').toLowerCase();
  // A custom connection reaches exactly one organisation, so Xero lets it leave the header empty.
  if (tenantHeader === '' && access.grant === 'client_credentials') return undefined;
  // A custom connection's token reaches its own organisation only; a consent's token, each organisation connected.
  if (access.grant === 'client_credentials' && tenantHeader !== tenantId.toLowerCase())
    return problem(403, 'Forbidden', 'AuthenticationUnsuccessful');
  // An organisation whose connection was deleted (disconnect), or never made, does not answer this app.
  if (!tenant.connections.some((connection) => connection.tenantId.toLowerCase() === tenantHeader))
    return problem(403, 'Forbidden', 'AuthenticationUnsuccessful');
  return undefined;
}

/** Xero's TokenExpired detail writes the time as "09/24/2021 08:23:47" (UTC). */
function usDateTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)} ${iso.slice(11, 19)}`;
}
