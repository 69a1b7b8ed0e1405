import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  acceptsJson,
  bearerToken,
  fakeControls,
  headerText,
  openExchange,
  requestLine,
  serveFake,
  xmlRefusal,
  type FakeReply,
  type FakeRequestRecord,
  type FaultOptions,
  type RequestClass,
  type RunningFake,
} from '../fake-kit/index.js';
import type { SandboxMount } from '../mount.js';
import { assertNever } from '../../src/rules/index.js';
import { authorize, consentDecision, holderOf, refuseUnauthorized, revokeEndpoint, tokenEndpoint } from './auth.js';
import {
  openCompany,
  otherCompanyOptions,
  type QuickBooksCompany,
  type QuickBooksFakeFault,
  type QuickBooksStoredEntry,
} from './company.js';
import { admit, injectedReply, validation } from './faults.js';
import { companyRequest, isWriteRoute, routeOf } from './routes.js';
import { adminClear, markCleared, type QuickBooksClearedStatus } from './bank-documents.js';
import { adminCloseDate, adminJournal, deleteEntry } from './journal-admin.js';
import { trialBalance } from './reports.js';
import type { QuickBooksFakeOptions } from './settings.js';
import {
  companyBooks,
  companyView,
  restoreCompany,
  type QuickBooksCompanyBooks,
  type QuickBooksCompanyView,
} from './company-view.js';

export type { QuickBooksCompanyBooks, QuickBooksCompanyView } from './company-view.js';

export type {
  QuickBooksFakeFault,
  QuickBooksRequestIdReplay,
  QuickBooksStoredEntry,
  QuickBooksStoredLine,
} from './company.js';
export type { QuickBooksClearedStatus, QuickBooksStoredDeposit, QuickBooksStoredTransfer } from './bank-documents.js';
export type { IntuitFault, IntuitFaultError, QuickBooksFakeAccount, QuickBooksFakeListItem } from './entry-checks.js';
export {
  QUICKBOOKS_DEFAULT_ACCOUNTS,
  QUICKBOOKS_DEFAULT_LIMITS,
  QUICKBOOKS_FAKE_DEFAULT_CLIENT_ID,
  QUICKBOOKS_FAKE_DEFAULT_CLIENT_SECRET,
  QUICKBOOKS_FAKE_DEFAULT_REALM_ID,
  type QuickBooksFakeLimits,
  type QuickBooksFakeOptions,
} from './settings.js';

/**
 * A stateful QuickBooks Online (Accounting API v3 + Intuit's OAuth endpoints)
 * for tests, the demo and `ledgerline sandbox`. Paths are Intuit's under the
 * `/quickbooks` prefix: the API host root is `<origin>/quickbooks` (the client
 * adds `/v3/company/{realmId}/…`) and the token endpoint is
 * `<origin>/quickbooks/oauth2/v1/tokens/bearer`. It keeps journal entries,
 * rotates refresh tokens, honours requestid, throttles per realm and fails on
 * demand, with Faults in Intuit's shape (also inside HTTP 200).
 */

export const QUICKBOOKS_FAKE_PREFIX = '/quickbooks';

export interface QuickBooksFakeUrls {
  /** The API host root; requests go to `${apiUrl}/v3/company/${realmId}/…`. */
  apiUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  authorizeUrl: string;
  userInfoUrl: string;
}

/** The URLs of a QuickBooks fake on a server at `origin`; the last four are what intuit-oauth's setAuthorizeURLs takes. */
export function quickBooksFakeUrls(origin: string): QuickBooksFakeUrls {
  const base = `${origin.replace(/\/$/, '')}${QUICKBOOKS_FAKE_PREFIX}`;
  return {
    apiUrl: base,
    tokenUrl: `${base}/oauth2/v1/tokens/bearer`,
    revokeUrl: `${base}/v2/oauth2/tokens/revoke`,
    authorizeUrl: `${base}/connect/oauth2`,
    userInfoUrl: `${base}/v1/openid_connect/userinfo`,
  };
}

/** The first company's view is the fake's own (journalEntries(), …); `company(realmId)` gives any company's (otherCompanies). */
export interface QuickBooksFake extends SandboxMount, QuickBooksCompanyView {
  /** A company the fake serves, by realm id; a RangeError for one it does not. */
  company(realmId: string): QuickBooksCompanyView;
  /** How each code presented at the token endpoint fared: "issued", "invalid_grant: …". */
  codeRedemptions(): readonly string[];
  /** Revocation requests accepted. */
  revocationCount(): number;
  readonly clientId: string;
  readonly clientSecret: string;
  /** An access token as the token endpoint would issue it, for API calls without a refresh first. */
  issueAccessToken(): { accessToken: string; expiresIn: number };
  /** Every access token issued so far answers 401 (Token expired) from now on. */
  expireAccessTokens(): void;
  /** Every access token answers 401 and every refresh token invalid_grant. */
  revokeTokens(): void;
  injectFault(fault: QuickBooksFakeFault, options?: FaultOptions): void;
  clearFaults(): void;
  /** POSTs to journalentry and batch received, whatever became of them. */
  writeRequestCount(): number;
  /** What a person does in QuickBooks: deletes a journal entry (it is gone from queries and reports; also POST /quickbooks/__admin/journal, with edit and add). */
  deleteJournalEntry(id: string): void;
  /** What a person does in QuickBooks: replaces a journal entry's lines (SyncToken goes up). */
  editJournalEntry(
    id: string,
    lines: readonly { accountId: string; postingType: 'Debit' | 'Credit'; cents: bigint }[],
  ): void;
  /** What a person does in QuickBooks' register or reconcile screen (also POST /quickbooks/__admin/clear {"id", "status"?}). */
  markCleared(id: string, status?: QuickBooksClearedStatus): void;
  requestLog(): readonly FakeRequestRecord[];
  /** The company's books (journal entries, bank documents, attachables, close date) and tokens, for a sandbox that keeps them across a restart. */
  books(): QuickBooksBooks;
  /** Takes up the books a `books()` of an earlier run gave, in place of these (tokens are added). */
  restoreBooks(books: QuickBooksBooks): void;
}

/** What `ledgerline sandbox --resume` keeps of a QuickBooks fake between runs: the first company's books, the others' by realm id. */
export interface QuickBooksBooks extends QuickBooksCompanyBooks {
  otherCompanies?: Record<string, QuickBooksCompanyBooks>;
}

const MAX_REQUEST_ID = 50;
const MAX_BATCH_REQUEST_ID = 36;

export function createQuickBooksFake(options: QuickBooksFakeOptions = {}): QuickBooksFake {
  const company = openCompany(options);
  const companies = [
    company,
    ...(options.otherCompanies ?? []).map((other) => openCompany(otherCompanyOptions(options, other), company)),
  ];
  const { entries } = company;

  function storedEntry(id: string): QuickBooksStoredEntry {
    const entry = entries.find((candidate) => candidate.id === id);
    if (!entry) throw new RangeError(`the QuickBooks fake holds no journal entry ${id}`);
    return entry;
  }
  function servedCompany(realmId: string): QuickBooksCompany {
    const found = companies.find((candidate) => candidate.realmId === realmId);
    if (!found) throw new RangeError(`the QuickBooks fake serves no company ${realmId}`);
    return found;
  }

  return {
    prefix: QUICKBOOKS_FAKE_PREFIX,
    ...companyView(company),
    company: (realmId) => companyView(servedCompany(realmId)),
    codeRedemptions: () => [...company.consent.redemptions],
    revocationCount: () => company.revocations,
    clientId: company.clientId,
    clientSecret: company.clientSecret,
    handle: (request, response, subPath, body) => handle(companies, request, response, subPath, body),
    ...fakeControls(company.tokens, company.faults, company.log),
    expireAccessTokens: () => companies.forEach((each) => each.tokens.expireAccessTokens()),
    revokeTokens: () =>
      companies.forEach((each) => {
        each.tokens.revokeAccessTokens();
        each.tokens.revokeRefreshTokens();
      }),
    writeRequestCount: () => company.writeRequests,
    deleteJournalEntry: (id) => deleteEntry(company, id),
    editJournalEntry: (id, lines) => {
      const entry = storedEntry(id);
      entry.lines = lines.map((line, index) => ({
        ...line,
        description: entry.lines[index]?.description,
        classId: undefined,
        departmentId: undefined,
        entity: entry.lines[index]?.entity,
        tax: undefined,
      }));
      entry.syncToken = String(Number(entry.syncToken) + 1);
    },
    markCleared: (id, status) => markCleared(company, id, status),
    books: () => ({
      ...companyBooks(company),
      otherCompanies: Object.fromEntries(companies.slice(1).map((other) => [other.realmId, companyBooks(other)])),
    }),
    restoreBooks: (books) => {
      restoreCompany(company, books);
      for (const [realmId, kept] of Object.entries(books.otherCompanies ?? {}))
        if (companies.some((candidate) => candidate.realmId === realmId)) restoreCompany(servedCompany(realmId), kept);
    },
  };
}

/**
 * A person's act in QuickBooks, as a test or `ledgerline sandbox`'s user asks for it (POST /quickbooks/__admin/…), or
 * the company's trial balance read with no token (GET /quickbooks/__admin/trial-balance?end_date=).
 */
function adminReply(
  company: QuickBooksCompany,
  kind: 'admin-clear' | 'admin-journal' | 'admin-close-date' | 'admin-trial-balance',
  body: Buffer,
  query: URLSearchParams,
): FakeReply {
  if (kind === 'admin-trial-balance') return trialBalance(company, query.get('end_date') ?? company.today());
  if (kind === 'admin-clear') return adminClear(company, body);
  return kind === 'admin-journal' ? adminJournal(company, body) : adminCloseDate(company, body);
}

/**
 * One request: the app's endpoints (tokens, consent, revoke, user info) and the first company's admin, or a call to
 * a company's API, answered by the company whose book holds the bearer token.
 */
async function handle(
  companies: readonly QuickBooksCompany[],
  request: IncomingMessage,
  response: ServerResponse,
  subPath: string,
  body: Buffer,
): Promise<void> {
  const company = companies[0]!;
  const { faults, log, reply, faultReply } = company;
  const { method, url, logPath } = requestLine(request, subPath);
  const route = routeOf(method, subPath);
  const isWrite = isWriteRoute(route);
  const requestClass: RequestClass =
    route.kind === 'token' || route.kind === 'revoke' ? 'token' : isWrite ? 'write' : 'read';
  if (isWrite) company.writeRequests += 1;

  const exchange = await openExchange({
    request,
    response,
    method,
    logPath,
    log,
    fault: faults.take(requestClass),
    injected: (fault) => injectedReply(company, fault),
  });
  if (!exchange) return;
  const { finish, deliver } = exchange;

  switch (route.kind) {
    case 'token':
      if (method !== 'POST') return finish(reply(405, { error: 'invalid_request' }), 'token: not POST');
      return deliver(tokenEndpoint(companies, request, body));
    case 'revoke':
      return deliver(revokeEndpoint(companies, request, body));
    case 'authorize':
      return finish(
        authorize(companies, url.searchParams, `${QUICKBOOKS_FAKE_PREFIX}/connect/oauth2/consent`),
        'authorize',
      );
    case 'consent':
      return finish(consentDecision(companies, url.searchParams), `consent: ${url.searchParams.get('decision') ?? ''}`);
    case 'user-info': {
      const answer = userInfo(companies, request);
      return finish(answer.reply, answer.note);
    }
    case 'admin-clear':
    case 'admin-journal':
    case 'admin-close-date':
    case 'admin-trial-balance':
      return finish(adminReply(company, route.kind, body, url.searchParams), `admin: ${route.kind.slice(6)}`);
    case 'not-found':
      const unsupportedPath = validation(
        '500',
        'Unsupported Operation',
        `Operation ${method} ${subPath} is not supported.`,
        '',
      );
      return finish(faultReply(404, unsupportedPath), 'no such path');
    case 'company': {
      if (!acceptsJson(request)) return finish(xmlRefusal('QuickBooks'), 'not JSON');
      // The token's own company answers; a realm in the path other than its company's is refused (403).
      const holder = holderOf(companies, bearerToken(request));
      const unauthorized = refuseUnauthorized(holder, request, route.realmId);
      if (unauthorized) return finish(unauthorized, `refused: ${unauthorized.status}`);
      return answerCompany(holder, route, { request, body, query: url.searchParams, isWrite }, exchange);
    }
    default:
      return assertNever(route);
  }
}

/** OpenID Connect's userinfo for the token's holder (the sandbox's one user), or the token's refusal. */
function userInfo(companies: readonly QuickBooksCompany[], request: IncomingMessage) {
  const holder = holderOf(companies, bearerToken(request));
  const unauthorized = refuseUnauthorized(holder, request, undefined);
  if (unauthorized) return { reply: unauthorized, note: `refused: ${unauthorized.status}` };
  const user = {
    sub: holder.realmId,
    givenName: 'Sandbox',
    familyName: 'User',
    email: 'sandbox@example.invalid',
    emailVerified: true,
  };
  return { reply: companies[0]!.reply(200, user), note: 'user info' };
}

/** A call to the company's API: its throttles, then a read answered, or a write checked and kept once per requestid. */
async function answerCompany(
  company: QuickBooksCompany,
  route: Extract<ReturnType<typeof routeOf>, { kind: 'company' }>,
  call: { request: IncomingMessage; body: Buffer; query: URLSearchParams; isWrite: boolean },
  { finish, deliver }: Pick<NonNullable<Awaited<ReturnType<typeof openExchange>>>, 'finish' | 'deliver'>,
): Promise<void> {
  const { request, body, query, isWrite } = call;
  const { requestIds, replays, requestIdReplayMode } = company;
  const refused = admit(company, route.resource.kind === 'batch');
  if (refused) return finish(refused, '429 throttled');

  company.inFlight += 1;
  try {
    if (!isWrite) return await deliver(companyRequest(company, route.resource, request, body, query));
    const requestId = query.get('requestid') ?? undefined;
    const maxRequestId = route.resource.kind === 'batch' ? MAX_BATCH_REQUEST_ID : MAX_REQUEST_ID;
    const refusal = writeRefusal(
      company,
      request,
      requestId,
      maxRequestId,
      route.resource.kind === 'upload' ? 'multipart/form-data' : 'application/json',
    );
    if (refusal) return finish(refusal.reply, refusal.note);
    const cacheKey =
      requestId === undefined ? undefined : `${route.realmId}\u0000${route.resource.kind}\u0000${requestId}`;
    const previous = cacheKey === undefined ? undefined : requestIds.replay(cacheKey, body);
    if (requestId !== undefined && previous) {
      replays.push({ requestId, sameBody: previous.sameBody });
      return await deliver({ reply: previous.reply, note: 'replayed requestid response' });
    }
    const outcome = companyRequest(company, route.resource, request, body, query);
    if (cacheKey !== undefined && (requestIdReplayMode === 'every-response' || outcome.committed)) {
      requestIds.remember(cacheKey, body, outcome.reply);
    }
    return await deliver(outcome);
  } finally {
    company.inFlight -= 1;
  }
}

/** A write QuickBooks refuses before reading it: a requestid of a length it does not take, or a body not sent as JSON (an upload: as multipart/form-data). */
function writeRefusal(
  company: QuickBooksCompany,
  request: IncomingMessage,
  requestId: string | undefined,
  maxRequestId: number,
  type: string,
) {
  if (requestId !== undefined && (requestId.length === 0 || requestId.length > maxRequestId)) {
    const detail = `The format of the request ID is invalid and not supported by the API. Max length ${maxRequestId}, supplied length ${requestId.length}.`;
    return {
      reply: company.faultReply(400, validation('2130', 'Invalid Request Id Format', detail, 'requestid')),
      note: 'bad requestid',
    };
  }
  if (!(headerText(request, 'content-type') ?? '').toLowerCase().startsWith(type)) {
    const fault415 = validation('1050', 'Invalid Content Type', `Send the body with Content-Type: ${type}.`, '');
    return { reply: company.faultReply(415, fault415), note: 'not JSON body' };
  }
  return undefined;
}

export type RunningQuickBooksFake = RunningFake<QuickBooksFake> & QuickBooksFakeUrls;

/** Serves a QuickBooks fake alone on 127.0.0.1 (an ephemeral port). */
export function startQuickBooksFake(options: QuickBooksFakeOptions = {}): Promise<RunningQuickBooksFake> {
  return serveFake(createQuickBooksFake(options), quickBooksFakeUrls);
}
