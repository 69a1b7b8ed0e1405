import type { IncomingMessage } from 'node:http';
import {
  basicCredentials,
  bearerToken,
  consentPage,
  deterministicUuid,
  jsonReply,
  readAuthorizeRequest,
  readCodeGrant,
  redirectReply,
  type FakeOutcome,
  type FakeReply,
} from '../fake-kit/index.js';
import type { ApiRoute } from './routes.js';
import type { XeroConnectionRecord, XeroTenant } from './tenant.js';

/**
 * Xero's consent side (developer.xero.com/documentation/guides/oauth2/auth-flow
 * and /pkce-flow): the authorize page with its organisation picker, the
 * authorization_code grant, revocation, and the connections a consent leaves.
 */

/** The broad scopes an app created on or after 2 March 2026 may not ask for. */
const BROAD_SCOPES = ['accounting.transactions', 'accounting.transactions.read', 'accounting.reports.read'];

export function authorize(tenant: XeroTenant, query: URLSearchParams, consentPath: string): FakeReply {
  const checked = readAuthorizeRequest('Xero', query, tenant.clientId, tenant.redirectUris);
  if (!checked.ok) return checked.reply;
  const { request } = checked;
  const asked = request.scope.split(' ').filter(Boolean);
  if (!tenant.legacyScopes && asked.some((scope) => BROAD_SCOPES.includes(scope))) {
    // What integrators report for a new app asking for a broad scope.
    return redirectReply(request.redirectUri, {
      error: 'unauthorized_client',
      error_description: 'Invalid scope for client',
      state: request.state,
    });
  }
  const parkedId = tenant.consent.park(request);
  const choices = tenant.organisations.map((organisation) => ({
    value: organisation.tenantId,
    label: organisation.name,
  }));
  return consentPage({
    vendor: 'Xero',
    action: consentPath,
    parkedId,
    scope: request.scope,
    choices,
    multiple: true,
    pickerName: 'tenant',
  });
}

/** Allow (with the ticked organisations) or Cancel on the consent page: back to the app with a code, or with access_denied. */
export function consentDecision(tenant: XeroTenant, query: URLSearchParams): FakeReply {
  const request = tenant.consent.take(query.get('request') ?? '');
  if (!request)
    return jsonReply(400, { error: 'invalid_request', error_description: 'this consent page was already answered' });
  const chosen = query
    .getAll('tenant')
    .filter((id) => tenant.organisations.some((organisation) => organisation.tenantId === id));
  if (query.get('decision') !== 'allow' || chosen.length === 0)
    return redirectReply(request.redirectUri, { error: 'access_denied', state: request.state });
  const code = tenant.consent.issueCode({ ...request, chosen });
  return redirectReply(request.redirectUri, {
    code,
    scope: request.scope,
    state: request.state,
    session_state: 'fake-session',
  });
}

/** grant_type=authorization_code: a confidential client with Basic, or a public one (client_id in the body) that must have used PKCE. */
export function codeGrant(tenant: XeroTenant, request: IncomingMessage, form: URLSearchParams): FakeOutcome {
  const presented = readCodeGrant(form, basicCredentials(request));
  if (
    presented.clientId !== tenant.clientId ||
    (presented.secret !== undefined && presented.secret !== tenant.clientSecret)
  ) {
    return { reply: jsonReply(400, { error: 'invalid_client' }), note: 'authorization_code: invalid_client' };
  }
  const redemption = tenant.consent.redeem(presented.code, presented);
  if (!redemption.ok)
    return {
      reply: jsonReply(400, { error: redemption.error }),
      note: `authorization_code: ${redemption.error} (${redemption.reason})`,
    };
  if (presented.secret === undefined && redemption.grant.codeChallenge === undefined)
    return {
      reply: jsonReply(400, { error: 'invalid_client' }),
      note: 'authorization_code: public client without PKCE',
    };
  const { grant } = redemption;
  const at = new Date(tenant.now()).toISOString();
  for (const tenantId of grant.chosen) {
    if (tenant.connections.some((connection) => connection.tenantId === tenantId)) continue;
    const organisation = tenant.organisations.find((candidate) => candidate.tenantId === tenantId)!;
    tenant.connections.push({
      id: deterministicUuid(tenant.seed, 'connection', tenantId),
      tenantId,
      tenantName: organisation.name,
      createdDateUtc: at,
    });
  }
  tenant.grantedScope = grant.scope;
  const issued = tenant.tokens.issueAccess('issued');
  const offline = grant.scope.split(' ').includes('offline_access');
  return {
    reply: jsonReply(200, {
      access_token: issued.accessToken,
      expires_in: issued.expiresIn,
      token_type: 'Bearer',
      ...(offline ? { refresh_token: tenant.tokens.issueRefresh() } : {}),
      scope: grant.scope,
    }),
    note: 'authorization_code: issued',
  };
}

/** POST /connect/revocation: the refresh token (and so the grant) ends; Xero answers 200 for a token it does not know. */
export function revocation(tenant: XeroTenant, request: IncomingMessage, body: Buffer): FakeOutcome {
  const form = new URLSearchParams(body.toString('utf8'));
  // Basic for an app with a secret; a PKCE app names itself with client_id in the form.
  const credentials = basicCredentials(request) ?? { id: form.get('client_id') ?? '', secret: undefined };
  if (
    credentials.id !== tenant.clientId ||
    (credentials.secret !== undefined && credentials.secret !== tenant.clientSecret)
  ) {
    return { reply: jsonReply(400, { error: 'invalid_client' }), note: 'revocation: invalid_client' };
  }
  const token = form.get('token') ?? '';
  if (token === '') return { reply: jsonReply(400, { error: 'invalid_request' }), note: 'revocation: no token' };
  tenant.tokens.revoke(token);
  tenant.revocations += 1;
  return { reply: { status: 200, headers: {}, body: '' }, note: 'revocation' };
}

export function renderConnections(tenant: XeroTenant): FakeReply {
  return jsonReply(
    200,
    tenant.connections.map((connection: XeroConnectionRecord) => ({
      id: connection.id,
      authEventId: deterministicUuid(tenant.seed, 'auth-event'),
      tenantId: connection.tenantId,
      tenantType: 'ORGANISATION',
      tenantName: connection.tenantName,
      createdDateUtc: connection.createdDateUtc,
      updatedDateUtc: connection.createdDateUtc,
    })),
  );
}

/** DELETE /connections/{id}: 204, or 404 for a connection that is not there. */
export function deleteConnection(tenant: XeroTenant, request: IncomingMessage, id: string): FakeReply {
  if (tenant.tokens.checkAccess(bearerToken(request)).status !== 'valid')
    return tenant.problem(401, 'Unauthorized', 'AuthenticationUnsuccessful');
  const index = tenant.connections.findIndex((connection) => connection.id === id);
  if (index < 0) return tenant.problem(404, 'Not Found', 'The connection was not found');
  tenant.connections.splice(index, 1);
  return { status: 204, headers: {}, body: '' };
}

/** Which scopes let a call through: the granular one, its broad predecessor, and (for reads) their .read forms. */
const SCOPES_FOR: Record<ApiRoute['kind'], readonly string[]> = {
  'journals-write': ['accounting.manualjournals', 'accounting.transactions'],
  'journals-list': [
    'accounting.manualjournals',
    'accounting.manualjournals.read',
    'accounting.transactions',
    'accounting.transactions.read',
  ],
  'journal-get': [
    'accounting.manualjournals',
    'accounting.manualjournals.read',
    'accounting.transactions',
    'accounting.transactions.read',
  ],
  organisation: ['accounting.settings', 'accounting.settings.read'],
  accounts: ['accounting.settings', 'accounting.settings.read'],
  'tax-rates': ['accounting.settings', 'accounting.settings.read'],
  'tracking-categories': ['accounting.settings', 'accounting.settings.read'],
  'trial-balance': ['accounting.reports.trialbalance.read', 'accounting.reports.read'],
  'bank-transfers-write': ['accounting.banktransactions', 'accounting.transactions'],
  'bank-transfers-get': [
    'accounting.banktransactions',
    'accounting.banktransactions.read',
    'accounting.transactions',
    'accounting.transactions.read',
  ],
  'bank-transactions-write': ['accounting.banktransactions', 'accounting.transactions'],
  'bank-transactions-get': [
    'accounting.banktransactions',
    'accounting.banktransactions.read',
    'accounting.transactions',
    'accounting.transactions.read',
  ],
  'attachments-write': ['accounting.attachments'],
  'attachments-list': ['accounting.attachments', 'accounting.attachments.read'],
};

/**
 * A call the consented scopes do not cover: Xero answers 401 with Detail
 * "AuthorizationUnsuccessful" (a bad token says "AuthenticationUnsuccessful").
 * Tokens from a custom connection, or handed out without a consent, pass.
 */
export function refuseMissingScope(
  tenant: XeroTenant,
  request: IncomingMessage,
  route: ApiRoute,
): FakeReply | undefined {
  if (tenant.grantedScope === undefined) return undefined;
  const access = tenant.tokens.checkAccess(bearerToken(request));
  if (access.status !== 'valid' || access.grant === 'client_credentials') return undefined;
  const granted = tenant.grantedScope.split(' ');
  return SCOPES_FOR[route.kind].some((scope) => granted.includes(scope))
    ? undefined
    : tenant.problem(401, 'Unauthorized', 'AuthorizationUnsuccessful');
}
