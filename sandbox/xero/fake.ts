import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  acceptsJson,
  fakeControls,
  headerText,
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
  otherOrganisationOptions,
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
import { routeOf, respondToApi, WRITE_ROUTES, type ApiRoute } from './routes.js';
import { adminReconcile, markReconciled, type XeroReconcileSide } from './bank-reconcile.js';
import { addJournal, adminJournal, adminLockDates, editJournal, removeJournal } from './journal-admin.js';
import type { XeroStoredBankTransfer } from './bank-transfers.js';
import type { XeroStoredBankTransaction } from './bank-transactions.js';
import type { XeroStoredAttachment } from './attachments.js';
import { trialBalance } from './reports.js';

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

/** One organisation's books as the fake keeps them (its journals, bank documents, attachments, lock dates). */
export interface XeroOrganisationView {
  readonly tenantId: string;
  readonly organisationName: string;
  /** Moves the lock dates; null clears one, undefined leaves it (also POST /xero/__admin/lock-dates, the first organisation's). */
  setLockDates(dates: { periodLockDate?: string | null; endOfYearLockDate?: string | null }): void;
  journals(): readonly XeroStoredJournal[];
  idempotentReplays(): readonly XeroIdempotentReplay[];
  bankTransfers(): readonly XeroStoredBankTransfer[];
  bankTransactions(): readonly XeroStoredBankTransaction[];
  attachments(): readonly XeroStoredAttachment[];
}

/**
 * The fake's first organisation's view is the fake's own (journals(), …); `organisation(tenantId)` gives any
 * organisation's (otherOrganisations), each with books of its own.
 */
export interface XeroFake extends SandboxMount, XeroOrganisationView {
  /** An organisation the fake serves, by tenant id; a RangeError for one it does not. */
  organisation(tenantId: string): XeroOrganisationView;
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
  injectFault(fault: XeroFakeFault, options?: FaultOptions): void;
  clearFaults(): void;
  /** PUT/POST requests to ManualJournals received, whatever became of them. */
  writeRequestCount(): number;
  /** API calls being answered now (what the concurrent-call limit counts): a test waits on it, not on time. */
  callsInFlight(): number;
  requestLog(): readonly FakeRequestRecord[];
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

/** What `ledgerline sandbox --resume` keeps of one organisation between runs. */
export interface XeroOrganisationBooks {
  journals: XeroStoredJournal[];
  bankTransfers: XeroStoredBankTransfer[];
  bankTransactions: XeroStoredBankTransaction[];
  attachments: XeroStoredAttachment[];
  periodLockDate: string | undefined;
  endOfYearLockDate: string | undefined;
}

/** What `ledgerline sandbox --resume` keeps of a Xero fake between runs: the first organisation's books, the others' by tenant id, the tokens. */
export interface XeroBooks extends XeroOrganisationBooks {
  tokens: TokenBookSnapshot;
  otherOrganisations?: Record<string, XeroOrganisationBooks>;
}

export function createXeroFake(options: XeroFakeOptions = {}): XeroFake {
  const tenant = openTenant(options);
  const others = (options.otherOrganisations ?? []).map((other) =>
    openTenant(otherOrganisationOptions(options, other), tenant),
  );
  const served = new Map(
    [tenant, ...others].map((organisation) => [organisation.tenantId.toLowerCase(), organisation]),
  );
  const servedOrganisation = (tenantId: string): XeroTenant => {
    const organisation = served.get(tenantId.toLowerCase());
    if (!organisation) throw new RangeError(`the Xero fake serves no organisation ${tenantId}`);
    return organisation;
  };
  return {
    prefix: XERO_FAKE_PREFIX,
    ...organisationView(tenant),
    organisation: (tenantId) => organisationView(servedOrganisation(tenantId)),
    connections: () => tenant.connections.map((connection) => ({ ...connection })),
    codeRedemptions: () => [...tenant.consent.redemptions],
    revocationCount: () => tenant.revocations,
    presentedCodes: () => tenant.consent.presented.map((entry) => ({ ...entry })),
    clientId: tenant.clientId,
    clientSecret: tenant.clientSecret,
    handle: (request, response, subPath, body) => handle(tenant, served, request, response, subPath, body),
    ...fakeControls(tenant.tokens, tenant.faults, tenant.log),
    writeRequestCount: () => tenant.writeRequests,
    callsInFlight: () => [tenant, ...others].reduce((sum, organisation) => sum + organisation.inFlight, 0),
    markReconciled: (id, side) => markReconciled(tenant, id, side),
    removeJournal: (manualJournalId) => removeJournal(tenant, manualJournalId),
    editJournal: (manualJournalId, edit) => editJournal(tenant, manualJournalId, edit),
    addJournal: (journal) => addJournal(tenant, { ...journal, narration: journal.narration ?? 'Entered in Xero' }),
    books: () => ({
      ...organisationBooks(tenant),
      tokens: tenant.tokens.snapshot(),
      otherOrganisations: Object.fromEntries(others.map((other) => [other.tenantId, organisationBooks(other)])),
    }),
    restoreBooks: (books) => {
      restoreOrganisation(tenant, books);
      for (const [tenantId, kept] of Object.entries(books.otherOrganisations ?? {}))
        if (served.has(tenantId.toLowerCase())) restoreOrganisation(servedOrganisation(tenantId), kept);
      tenant.tokens.restoreFrom(books.tokens);
    },
  };
}

function organisationView(tenant: XeroTenant): XeroOrganisationView {
  return {
    tenantId: tenant.tenantId,
    organisationName: tenant.organisationName,
    setLockDates: (dates) => {
      if (dates.periodLockDate !== undefined) tenant.periodLockDate = dates.periodLockDate ?? undefined;
      if (dates.endOfYearLockDate !== undefined) tenant.endOfYearLockDate = dates.endOfYearLockDate ?? undefined;
    },
    journals: () => tenant.stored.map((journal) => ({ ...journal, lines: journal.lines.map((line) => ({ ...line })) })),
    idempotentReplays: () => tenant.replays.map((replay) => ({ ...replay })),
    bankTransfers: () => tenant.bankTransfers.map((transfer) => ({ ...transfer })),
    bankTransactions: () => tenant.bankTransactions.map((transaction) => ({ ...transaction })),
    attachments: () => tenant.attachments.map((attachment) => ({ ...attachment })),
  };
}

function organisationBooks(tenant: XeroTenant): XeroOrganisationBooks {
  return {
    journals: [...tenant.stored],
    bankTransfers: [...tenant.bankTransfers],
    bankTransactions: [...tenant.bankTransactions],
    attachments: [...tenant.attachments],
    periodLockDate: tenant.periodLockDate,
    endOfYearLockDate: tenant.endOfYearLockDate,
  };
}

function restoreOrganisation(tenant: XeroTenant, books: XeroOrganisationBooks): void {
  tenant.stored.splice(0, tenant.stored.length, ...books.journals);
  tenant.bankTransfers.splice(0, tenant.bankTransfers.length, ...books.bankTransfers);
  tenant.bankTransactions.splice(0, tenant.bankTransactions.length, ...books.bankTransactions);
  tenant.attachments.splice(0, tenant.attachments.length, ...books.attachments);
  tenant.periodLockDate = books.periodLockDate;
  tenant.endOfYearLockDate = books.endOfYearLockDate;
}

/**
 * One request: the app's endpoints (tokens, consent, connections) answered by the first organisation, which holds
 * the app's parts; an API call, once its token reaches the organisation its xero-tenant-id names, by that one.
 */
async function handle(
  tenant: XeroTenant,
  served: ReadonlyMap<string, XeroTenant>,
  request: IncomingMessage,
  response: ServerResponse,
  subPath: string,
  body: Buffer,
): Promise<void> {
  const { faults, log, problem } = tenant;
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
  if (route.kind === 'admin-trial-balance') {
    const report = trialBalance(tenant, url.searchParams);
    return finish(report.reply, 'admin: trial balance');
  }
  if (route.kind === 'not-found')
    return finish(problem(404, 'Not Found', "The resource you're looking for cannot be found"), 'no such path');
  if (!acceptsJson(request)) return finish(xmlRefusal('Xero'), 'not JSON');
  const unauthorized = refuseUnauthorized(tenant, request, route.kind !== 'connections');
  if (unauthorized) return finish(unauthorized, `refused: ${unauthorized.status}`);
  if (route.kind === 'connections') return deliver({ reply: renderConnections(tenant), note: 'connections' });
  const lacking = refuseMissingScope(tenant, request, route);
  if (lacking) return finish(lacking, 'refused: scope');

  // An empty header passed only for a custom connection, whose one organisation is the first.
  const organisation = served.get((headerText(request, 'xero-tenant-id') ?? '').toLowerCase()) ?? tenant;
  return answerApi(organisation, route, { request, body, query: url.searchParams }, exchange);
}

/** An API call the organisation answers: counted against its allowances (and the app's), then answered with its limits' headers. */
async function answerApi(
  organisation: XeroTenant,
  route: ApiRoute,
  call: { request: IncomingMessage; body: Buffer; query: URLSearchParams },
  { finish, deliver }: Pick<NonNullable<Awaited<ReturnType<typeof openExchange>>>, 'finish' | 'deliver'>,
): Promise<void> {
  const refused = admit(organisation);
  if (refused) return finish(refused, `429 ${refused.headers['x-rate-limit-problem'] ?? ''}`);
  organisation.inFlight += 1;
  try {
    const outcome = respondToApi(organisation, route, call.request, call.body, call.query);
    await deliver({
      reply: { ...outcome.reply, headers: { ...outcome.reply.headers, ...organisation.limitHeaders() } },
      note: outcome.note,
    });
  } finally {
    organisation.inFlight -= 1;
  }
}

export type RunningXeroFake = RunningFake<XeroFake> & XeroFakeUrls;

/** Serves a Xero fake alone on 127.0.0.1 (an ephemeral port). */
export function startXeroFake(options: XeroFakeOptions = {}): Promise<RunningXeroFake> {
  return serveFake(createXeroFake(options), xeroFakeUrls);
}
