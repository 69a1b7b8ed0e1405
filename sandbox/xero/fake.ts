import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  acceptsJson,
  fakeControls,
  jsonReply,
  openExchange,
  requestLine,
  serveFake,
  xmlRefusal,
  type FakeRequestRecord,
  type FaultOptions,
  type RequestClass,
  type RunningFake,
  type TokenBookSnapshot,
} from '../fake-kit/index.js';
import type { SandboxMount } from '../mount.js';
import {
  openTenant,
  type XeroFakeFault,
  type XeroIdempotentReplay,
  type XeroJournalEdit,
  type XeroStoredJournal,
  type XeroTenant,
} from './tenant.js';
import type { XeroFakeOptions } from './settings.js';
import { tokenEndpoint, refuseUnauthorized } from './auth.js';
import {
  authorize,
  consentDecision,
  deleteConnection,
  refuseMissingScope,
  renderConnections,
  revocation,
} from './consent.js';
import { admit, injectedReply } from './faults.js';
import { routeOf, respondToApi, WRITE_ROUTES } from './routes.js';
import { adminReconcile, markReconciled, type XeroReconcileSide } from './bank-reconcile.js';
import { addJournal, adminJournal, adminLockDates, editJournal, removeJournal } from './journal-admin.js';
import type { XeroStoredBankTransfer } from './bank-transfers.js';
import type { XeroStoredBankTransaction } from './bank-transactions.js';
import type { XeroStoredAttachment } from './attachments.js';

export type {
  XeroFakeFault,
  XeroIdempotentReplay,
  XeroJournalEdit,
  XeroRateLimitProblem,
  XeroStoredJournal,
  XeroStoredJournalLine,
} from './tenant.js';
export { XERO_RATE_LIMIT_PROBLEMS } from './tenant.js';
export type { XeroFakeAccount, XeroFakeTaxRate } from './journal-checks.js';
export { XERO_AU_TAX_RATES, XERO_NZ_TAX_RATES, XERO_UK_TAX_RATES, XERO_US_TAX_RATES } from './tax-rates.js';
export type { XeroStoredBankTransfer } from './bank-transfers.js';
export type { XeroStoredBankTransaction } from './bank-transactions.js';
export type { XeroReconcileSide } from './bank-reconcile.js';
export {
  XERO_DEFAULT_ACCOUNTS,
  XERO_DEFAULT_LIMITS,
  XERO_DEFAULT_TAX_RATES,
  XERO_FAKE_DEFAULT_CLIENT_ID,
  XERO_FAKE_DEFAULT_CLIENT_SECRET,
  type XeroFakeLimits,
  type XeroFakeOptions,
} from './settings.js';

/**
 * A stateful Xero (Accounting API + identity token endpoint) for tests, the
 * demo and `ledgerline sandbox`. Paths are Xero's own under the `/xero`
 * prefix, so `xero.accountingApi.basePath = <origin>/xero/api.xro/2.0` works
 * unchanged. It keeps journals, rotates tokens, counts the per-tenant limits
 * (60/min, 5 in flight, 5000/day) and fails on demand.
 */

export const XERO_FAKE_PREFIX = '/xero';

export interface XeroFakeUrls {
  /** What xero-node's `accountingApi.basePath` is set to. */
  apiUrl: string;
  /** Xero's identity token endpoint (client_credentials and refresh_token grants). */
  tokenUrl: string;
  /** GET: the tenants a token can reach; DELETE …/{id}: remove one. */
  connectionsUrl: string;
  /** The consent page (login.xero.com/identity/connect/authorize at Xero). */
  authorizeUrl: string;
  /** POST token=…: identity.xero.com/connect/revocation at Xero. */
  revokeUrl: string;
}

/** The URLs of a Xero fake mounted on a server at `origin` ("http://127.0.0.1:4100"). */
export function xeroFakeUrls(origin: string): XeroFakeUrls {
  const base = `${origin.replace(/\/$/, '')}${XERO_FAKE_PREFIX}`;
  return {
    apiUrl: `${base}/api.xro/2.0`,
    tokenUrl: `${base}/connect/token`,
    connectionsUrl: `${base}/connections`,
    authorizeUrl: `${base}/identity/connect/authorize`,
    revokeUrl: `${base}/connect/revocation`,
  };
}

export interface XeroFake extends SandboxMount {
  readonly tenantId: string;
  /** The organisations the app is connected to now (consents add, DELETE /connections removes). */
  connections(): readonly { id: string; tenantId: string; tenantName: string }[];
  /** How each code presented at the token endpoint fared: "issued", "invalid_grant: …". */
  codeRedemptions(): readonly string[];
  /** Revocation requests accepted. */
  revocationCount(): number;
  /** The codes and PKCE verifiers presented at the token endpoint (secrets a test looks for in output). */
  presentedCodes(): readonly { code: string; codeVerifier: string | undefined }[];
  readonly clientId: string;
  readonly clientSecret: string;
  /** An access token as the token endpoint would issue it, for `xero.setTokenSet` without a token call. */
  issueAccessToken(): { accessToken: string; expiresIn: number };
  /** Every access token issued so far answers 401 TokenExpired from now on. */
  expireAccessTokens(): void;
  /** Every access token answers 401 AuthenticationUnsuccessful; refresh tokens are refused (invalid_grant). */
  revokeTokens(): void;
  /** Moves the lock dates; null clears one, undefined leaves it (also POST /xero/__admin/lock-dates). */
  setLockDates(dates: { periodLockDate?: string | null; endOfYearLockDate?: string | null }): void;
  injectFault(fault: XeroFakeFault, options?: FaultOptions): void;
  clearFaults(): void;
  journals(): readonly XeroStoredJournal[];
  /** PUT/POST requests to ManualJournals received, whatever became of them. */
  writeRequestCount(): number;
  /** API calls being answered now (what the concurrent-call limit counts): a test waits on it, not on time. */
  callsInFlight(): number;
  idempotentReplays(): readonly XeroIdempotentReplay[];
  requestLog(): readonly FakeRequestRecord[];
  bankTransfers(): readonly XeroStoredBankTransfer[];
  bankTransactions(): readonly XeroStoredBankTransaction[];
  attachments(): readonly XeroStoredAttachment[];
  /**
   * What a person does in Xero's reconcile screen: matches a statement line to a bank transfer's side (the
   * bank side: 'to' for money arriving, 'from' for money leaving) or to a bank transaction. Also served as
   * POST /xero/__admin/reconcile {"id", "side"?}.
   */
  markReconciled(id: string, side?: XeroReconcileSide): void;
  /** What a person does in Xero's web app: removes a journal (a draft becomes DELETED, a posted one VOIDED). */
  removeJournal(manualJournalId: string): void;
  /** What a person does in Xero's web app: replaces a journal's lines. */
  editJournal(manualJournalId: string, edit: XeroJournalEdit): void;
  /** What a person does in Xero's web app past the lock dates: adds a posted journal on any date; returns its id. */
  addJournal(journal: { date: string; narration?: string; lines: XeroJournalEdit['lines'] }): string;
  /** The organisation's books (journals, bank documents, attachments, lock dates) and tokens, for a sandbox that keeps them across a restart. */
  books(): XeroBooks;
  /** Takes up the books a `books()` of an earlier run gave, in place of these (tokens are added). */
  restoreBooks(books: XeroBooks): void;
}

/** What `ledgerline sandbox --resume` keeps of a Xero fake between runs. */
export interface XeroBooks {
  journals: XeroStoredJournal[];
  bankTransfers: XeroStoredBankTransfer[];
  bankTransactions: XeroStoredBankTransaction[];
  attachments: XeroStoredAttachment[];
  periodLockDate: string | undefined;
  endOfYearLockDate: string | undefined;
  tokens: TokenBookSnapshot;
}

export function createXeroFake(options: XeroFakeOptions = {}): XeroFake {
  const tenant = openTenant(options);
  const { stored } = tenant;

  return {
    prefix: XERO_FAKE_PREFIX,
    tenantId: tenant.tenantId,
    connections: () => tenant.connections.map((connection) => ({ ...connection })),
    codeRedemptions: () => [...tenant.consent.redemptions],
    revocationCount: () => tenant.revocations,
    presentedCodes: () => tenant.consent.presented.map((entry) => ({ ...entry })),
    clientId: tenant.clientId,
    clientSecret: tenant.clientSecret,
    handle: (request, response, subPath, body) => handle(tenant, request, response, subPath, body),
    ...fakeControls(tenant.tokens, tenant.faults, tenant.log),
    setLockDates: (dates) => {
      if (dates.periodLockDate !== undefined) tenant.periodLockDate = dates.periodLockDate ?? undefined;
      if (dates.endOfYearLockDate !== undefined) tenant.endOfYearLockDate = dates.endOfYearLockDate ?? undefined;
    },
    journals: () => stored.map((journal) => ({ ...journal, lines: journal.lines.map((line) => ({ ...line })) })),
    attachments: () => tenant.attachments.map((attachment) => ({ ...attachment })),
    writeRequestCount: () => tenant.writeRequests,
    callsInFlight: () => tenant.inFlight,
    bankTransfers: () => tenant.bankTransfers.map((transfer) => ({ ...transfer })),
    bankTransactions: () => tenant.bankTransactions.map((transaction) => ({ ...transaction })),
    markReconciled: (id, side) => markReconciled(tenant, id, side),
    idempotentReplays: () => tenant.replays.map((replay) => ({ ...replay })),
    removeJournal: (manualJournalId) => removeJournal(tenant, manualJournalId),
    editJournal: (manualJournalId, edit) => editJournal(tenant, manualJournalId, edit),
    addJournal: (journal) => addJournal(tenant, { ...journal, narration: journal.narration ?? 'Entered in Xero' }),
    books: () => ({
      journals: [...stored],
      bankTransfers: [...tenant.bankTransfers],
      bankTransactions: [...tenant.bankTransactions],
      attachments: [...tenant.attachments],
      periodLockDate: tenant.periodLockDate,
      endOfYearLockDate: tenant.endOfYearLockDate,
      tokens: tenant.tokens.snapshot(),
    }),
    restoreBooks: (books) => {
      stored.splice(0, stored.length, ...books.journals);
      tenant.bankTransfers.splice(0, tenant.bankTransfers.length, ...books.bankTransfers);
      tenant.bankTransactions.splice(0, tenant.bankTransactions.length, ...books.bankTransactions);
      tenant.attachments.splice(0, tenant.attachments.length, ...books.attachments);
      tenant.periodLockDate = books.periodLockDate;
      tenant.endOfYearLockDate = books.endOfYearLockDate;
      tenant.tokens.restoreFrom(books.tokens);
    },
  };
}

async function handle(
  tenant: XeroTenant,
  request: IncomingMessage,
  response: ServerResponse,
  subPath: string,
  body: Buffer,
): Promise<void> {
  const { faults, log, problem, limitHeaders } = tenant;
  const { method, url, logPath } = requestLine(request, subPath);
  const route = routeOf(method, subPath);
  const requestClass: RequestClass =
    route.kind === 'token' || route.kind === 'revocation'
      ? 'token'
      : WRITE_ROUTES.includes(route.kind)
        ? 'write'
        : 'read';
  if (route.kind === 'journals-write') tenant.writeRequests += 1;

  const exchange = await openExchange({
    request,
    response,
    method,
    logPath,
    log,
    fault: faults.take(requestClass),
    injected: (fault) => injectedReply(tenant, fault),
  });
  if (!exchange) return;
  const { finish, deliver } = exchange;

  if (route.kind === 'token') {
    return deliver(
      method === 'POST'
        ? tokenEndpoint(tenant, request, body)
        : { reply: jsonReply(405, { error: 'invalid_request' }), note: 'token: not POST' },
    );
  }
  if (route.kind === 'revocation') return deliver(revocation(tenant, request, body));
  if (route.kind === 'authorize')
    return finish(authorize(tenant, url.searchParams, `${XERO_FAKE_PREFIX}/identity/connect/consent`), 'authorize');
  if (route.kind === 'consent')
    return finish(consentDecision(tenant, url.searchParams), `consent: ${url.searchParams.get('decision') ?? ''}`);
  if (route.kind === 'connection-delete')
    return finish(deleteConnection(tenant, request, route.id), 'delete connection');
  if (route.kind === 'admin-reconcile') return finish(adminReconcile(tenant, body), 'admin: reconcile');
  if (route.kind === 'admin-journal') return finish(adminJournal(tenant, body), 'admin: journal');
  if (route.kind === 'admin-lock-dates') return finish(adminLockDates(tenant, body), 'admin: lock dates');
  if (route.kind === 'not-found')
    return finish(problem(404, 'Not Found', "The resource you're looking for cannot be found"), 'no such path');
  if (!acceptsJson(request)) return finish(xmlRefusal('Xero'), 'not JSON');
  const unauthorized = refuseUnauthorized(tenant, request, route.kind !== 'connections');
  if (unauthorized) return finish(unauthorized, `refused: ${unauthorized.status}`);
  if (route.kind === 'connections') return deliver({ reply: renderConnections(tenant), note: 'connections' });
  const lacking = refuseMissingScope(tenant, request, route);
  if (lacking) return finish(lacking, 'refused: scope');

  const refused = admit(tenant);
  if (refused) return finish(refused, `429 ${refused.headers['x-rate-limit-problem'] ?? ''}`);
  tenant.inFlight += 1;
  try {
    const outcome = respondToApi(tenant, route, request, body, url.searchParams);
    await deliver({
      reply: { ...outcome.reply, headers: { ...outcome.reply.headers, ...limitHeaders() } },
      note: outcome.note,
    });
  } finally {
    tenant.inFlight -= 1;
  }
}

export type RunningXeroFake = RunningFake<XeroFake> & XeroFakeUrls;

/** Serves a Xero fake alone on 127.0.0.1 (an ephemeral port). */
export function startXeroFake(options: XeroFakeOptions = {}): Promise<RunningXeroFake> {
  return serveFake(createXeroFake(options), xeroFakeUrls);
}
