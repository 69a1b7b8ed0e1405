import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { convertCents, formatCents, parseJsonExact, parseRate } from '../src/money/index.js';
import type { SandboxMount } from './mount.js';
import {
  checkJournalEntry,
  type QuickBooksEntryDraft,
  type QuickBooksEntryLine,
  type QuickBooksFakeAccount,
  type QuickBooksFakeListItem,
  type QuickBooksFault,
  type QuickBooksFaultError,
} from './quickbooks-fake-entries.js';
import { QUICKBOOKS_FAKE_LIST_ENTITIES, listRows, type QuickBooksFakeList } from './quickbooks-fake-organisation.js';
import { QueryError, compareValues, matchesQuery, parseQuery, type ParsedQuery, type QueryValue, type QueryableEntity } from './quickbooks-fake-query.js';
import {
  FaultQueue,
  ReplayCache,
  RequestLog,
  RollingWindow,
  TokenBook,
  acceptsJson,
  assertNever,
  basicCredentials,
  bearerToken,
  fakeControls,
  headerText,
  jsonReply,
  openExchange,
  requestLine,
  serveFake,
  textReply,
  xmlRefusal,
  type DeliveryFault,
  type FakeOutcome,
  type FakeReply,
  type FakeRequestRecord,
  type FaultOptions,
  type Now,
  type RequestClass,
  type RunningFake,
} from './fake-kit.js';
import { centsJson, JsonNumber } from './json-text.js';

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

export interface QuickBooksFakeLimits {
  perMinute: number;
  batchPerMinute: number;
  concurrent: number;
  batchItems: number;
}

export const QUICKBOOKS_DEFAULT_LIMITS: QuickBooksFakeLimits = { perMinute: 500, batchPerMinute: 40, concurrent: 10, batchItems: 30 };

/** A chart with an account for each key of ledgerline's default chart (DESIGN §3). */
export const QUICKBOOKS_DEFAULT_ACCOUNTS: readonly QuickBooksFakeAccount[] = [
  { id: '1', name: 'Checking', accountType: 'Bank', accountSubType: 'Checking', classification: 'Asset', active: true },
  { id: '2', name: 'Payelancer Receivable', accountType: 'Other Current Asset', accountSubType: 'OtherCurrentAssets', classification: 'Asset', active: true },
  { id: '3', name: 'SMM Panel Balance', accountType: 'Other Current Asset', accountSubType: 'PrepaidExpenses', classification: 'Asset', active: true },
  { id: '4', name: 'Payelancer Advertiser Balance', accountType: 'Other Current Asset', accountSubType: 'PrepaidExpenses', classification: 'Asset', active: true },
  { id: '5', name: 'Payout Clearing PayPal', accountType: 'Other Current Asset', accountSubType: 'OtherCurrentAssets', classification: 'Asset', active: true },
  { id: '6', name: 'Payout Clearing Razorpay', accountType: 'Other Current Asset', accountSubType: 'OtherCurrentAssets', classification: 'Asset', active: true },
  { id: '7', name: 'Payout Clearing Wire', accountType: 'Other Current Asset', accountSubType: 'OtherCurrentAssets', classification: 'Asset', active: true },
  { id: '8', name: 'Top-up Clearing', accountType: 'Other Current Asset', accountSubType: 'OtherCurrentAssets', classification: 'Asset', active: true },
  { id: '9', name: 'Ad Revenue', accountType: 'Income', accountSubType: 'ServiceFeeIncome', classification: 'Revenue', active: true },
  { id: '10', name: 'Advertising', accountType: 'Expense', accountSubType: 'AdvertisingPromotional', classification: 'Expense', active: true },
  { id: '11', name: 'SMM Services', accountType: 'Expense', accountSubType: 'OtherBusinessExpenses', classification: 'Expense', active: true },
  { id: '12', name: 'Opening Balance Equity', accountType: 'Equity', accountSubType: 'OpeningBalanceEquity', classification: 'Equity', active: true },
  { id: '13', name: 'Suspense', accountType: 'Other Current Liability', accountSubType: 'OtherCurrentLiabilities', classification: 'Liability', active: true },
  { id: '14', name: 'Rounding', accountType: 'Expense', accountSubType: 'OtherMiscellaneousServiceCost', classification: 'Expense', active: true },
];

export interface QuickBooksFakeOptions {
  /** Seeds every token value and intuit_tid so runs repeat; "ledgerline" unless given. */
  seed?: string;
  realmId?: string;
  companyName?: string;
  clientId?: string;
  clientSecret?: string;
  /** A refresh token to accept as if the user had just authorized the app. */
  refreshToken?: string;
  /** How long a rotated refresh token keeps working (Intuit: "24 hours after you receive a new one"); 24 h unless given. */
  refreshTokenGraceMs?: number;
  accounts?: readonly QuickBooksFakeAccount[];
  classes?: readonly QuickBooksFakeListItem[];
  departments?: readonly QuickBooksFakeListItem[];
  customers?: readonly QuickBooksFakeListItem[];
  vendors?: readonly QuickBooksFakeListItem[];
  homeCurrency?: string;
  /** CompanyInfo.Country: "US" unless given. */
  country?: string;
  /** "YYYY-MM-DD": entries dated on or before it are refused (6210). */
  bookCloseDate?: string;
  /** How the closed-books refusal of a single create arrives: HTTP 400 (default) or a Fault inside HTTP 200. */
  closedBooksReply?: 'http-400' | 'fault-in-200';
  /**
   * The company's "Warn if duplicate journal number is used" preference
   * (Settings → Advanced → Other preferences): when on, a DocNumber already
   * used by another journal entry is refused (6140). Off unless given, so a
   * client cannot count on it to catch a second delivery.
   */
  rejectDuplicateDocNumber?: boolean;
  /**
   * Batch items run and come back in an order of the fake's choosing, drawn
   * from the seed (Intuit promises nothing about order; clients match replies
   * by bId), unless 'as-sent'.
   */
  batchOrder?: 'shuffled' | 'as-sent';
  /** Multicurrency on: journal entries may carry a foreign CurrencyRef with its ExchangeRate. Off unless given. */
  multiCurrency?: boolean;
  /** Which responses a repeated requestid gets back: every processed one (Intuit's wording, default) or successes only. */
  requestIdReplays?: 'every-response' | 'successes-only';
  limits?: Partial<QuickBooksFakeLimits>;
  /** Sent as Retry-After on 429s; QuickBooks sends none, so none unless given. */
  retryAfterSeconds?: number;
  now?: Now;
}

export const QUICKBOOKS_FAKE_DEFAULT_CLIENT_ID = 'quickbooks-fake-client-id';
export const QUICKBOOKS_FAKE_DEFAULT_CLIENT_SECRET = 'quickbooks-fake-client-secret';
export const QUICKBOOKS_FAKE_DEFAULT_REALM_ID = '9130350000000001';

/**
 * A failure to inject: a 429 throttle, a 5xx, a connection cut before the
 * request is processed or after its write was committed (the unknown-outcome
 * case), a Fault inside HTTP 200 with nothing stored, or a reply held back
 * `delayMs` before or after processing.
 */
export type QuickBooksFakeFault =
  | { kind: 'rate-limit'; retryAfterSeconds?: number }
  | { kind: 'server-error'; status: 500 | 502 | 503 | 504 }
  | { kind: 'fault-in-200'; fault?: QuickBooksFault }
  | DeliveryFault;

/** A stored line is the line as it passed the checks. */
export type QuickBooksStoredLine = QuickBooksEntryLine;

export interface QuickBooksStoredEntry {
  id: string;
  syncToken: string;
  docNumber: string | undefined;
  txnDate: string;
  privateNote: string | undefined;
  currency: string;
  /** Home-currency units per foreign unit, as sent (decimal text); undefined in the home currency. */
  exchangeRate: string | undefined;
  lines: readonly QuickBooksStoredLine[];
  createdAt: number;
  /** The requestid of the call that created it. */
  requestId: string | undefined;
  /** The bId it had when created through /batch. */
  batchItemId: string | undefined;
}

export interface QuickBooksRequestIdReplay {
  requestId: string;
  /** False when the repeat carried a different body: QuickBooks still answers with the first response. */
  sameBody: boolean;
}

export interface QuickBooksFake extends SandboxMount {
  readonly realmId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** An access token as the token endpoint would issue it, for API calls without a refresh first. */
  issueAccessToken(): { accessToken: string; expiresIn: number };
  /** Every access token issued so far answers 401 (Token expired) from now on. */
  expireAccessTokens(): void;
  /** Every access token answers 401 and every refresh token invalid_grant. */
  revokeTokens(): void;
  /** Closes the books through `date` (entries on or before it are refused); null reopens them. */
  setBookCloseDate(date: string | null): void;
  injectFault(fault: QuickBooksFakeFault, options?: FaultOptions): void;
  clearFaults(): void;
  journalEntries(): readonly QuickBooksStoredEntry[];
  /** POSTs to journalentry and batch received, whatever became of them. */
  writeRequestCount(): number;
  /** What a person does in QuickBooks: deletes a journal entry (it is gone from queries and reports). */
  deleteJournalEntry(id: string): void;
  /** What a person does in QuickBooks: replaces a journal entry's lines (SyncToken goes up). */
  editJournalEntry(id: string, lines: readonly { accountId: string; postingType: 'Debit' | 'Credit'; cents: bigint }[]): void;
  requestIdReplays(): readonly QuickBooksRequestIdReplay[];
  requestLog(): readonly FakeRequestRecord[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const ACCESS_TTL_MS = 3_600_000;
/** Intuit's x_refresh_token_expires_in: 8726400 s, about 101 days. */
const REFRESH_TTL_MS = 8_726_400_000;
/** Refresh tokens can no longer outlive five years (x_refresh_token_hard_expires_in). */
const REFRESH_HARD_TTL_SECONDS = 157_680_000;
const MAX_REQUEST_ID = 50;
const MAX_BATCH_REQUEST_ID = 36;
const MAX_BATCH_ITEM_ID = 10;

const SYSTEM_FAILURE: QuickBooksFault = {
  type: 'SystemFault',
  Error: [
    {
      Message: 'An application error has occurred while processing your request',
      Detail:
        'System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again. If the problem persists, contact customer support.',
      code: '10000',
    },
  ],
};

const QUERYABLE: readonly QueryableEntity[] = [
  { name: 'JournalEntry', fields: { Id: 'id', DocNumber: 'text', TxnDate: 'date', 'MetaData.CreateTime': 'datetime', 'MetaData.LastUpdatedTime': 'datetime' } },
  {
    name: 'Account',
    fields: { Id: 'id', Name: 'text', AccountType: 'text', AccountSubType: 'text', Classification: 'text', Active: 'boolean', FullyQualifiedName: 'text' },
  },
  ...QUICKBOOKS_FAKE_LIST_ENTITIES,
];

const CURRENCY_NAMES: Readonly<Record<string, string>> = {
  USD: 'United States Dollar',
  EUR: 'Euro',
  GBP: 'British Pound Sterling',
  INR: 'Indian Rupee',
  CAD: 'Canadian Dollar',
  AUD: 'Australian Dollar',
};

type Route =
  | { kind: 'token' }
  | { kind: 'revoke' }
  | { kind: 'authorize' }
  | { kind: 'user-info' }
  | { kind: 'company'; realmId: string; resource: CompanyResource }
  | { kind: 'not-found' };

type CompanyResource =
  | { kind: 'entry-create' }
  | { kind: 'entry-get'; id: string }
  | { kind: 'batch' }
  | { kind: 'query' }
  | { kind: 'preferences' }
  | { kind: 'account-get'; id: string }
  | { kind: 'company-info'; id: string }
  | { kind: 'trial-balance' }
  | { kind: 'unsupported'; name: string };

/** `committed`: whether the request changed the company, which decides if its requestid keeps the reply (successes-only). */
type Outcome = FakeOutcome & { committed: boolean };

export function createQuickBooksFake(options: QuickBooksFakeOptions = {}): QuickBooksFake {
  const seed = options.seed ?? 'ledgerline';
  const now = options.now ?? Date.now;
  const realmId = options.realmId ?? QUICKBOOKS_FAKE_DEFAULT_REALM_ID;
  const clientId = options.clientId ?? QUICKBOOKS_FAKE_DEFAULT_CLIENT_ID;
  const clientSecret = options.clientSecret ?? QUICKBOOKS_FAKE_DEFAULT_CLIENT_SECRET;
  const limits: QuickBooksFakeLimits = { ...QUICKBOOKS_DEFAULT_LIMITS, ...options.limits };
  const accounts = options.accounts ?? QUICKBOOKS_DEFAULT_ACCOUNTS;
  const classes = options.classes ?? [];
  const departments = options.departments ?? [];
  const customers = options.customers ?? [];
  const vendors = options.vendors ?? [];
  const country = options.country ?? 'US';
  const homeCurrency = options.homeCurrency ?? 'USD';
  const companyName = options.companyName ?? 'Ledgerline Sandbox Company';
  const closedBooksReply = options.closedBooksReply ?? 'http-400';
  const rejectDuplicateDocNumber = options.rejectDuplicateDocNumber ?? false;
  const batchOrder = options.batchOrder ?? 'shuffled';
  const multiCurrency = options.multiCurrency ?? false;
  const requestIdReplayMode = options.requestIdReplays ?? 'every-response';
  const createdAt = now();
  let bookCloseDate = options.bookCloseDate;

  const tokens = new TokenBook({
    prefix: 'qbo-fake',
    seed,
    now,
    accessTtlMs: ACCESS_TTL_MS,
    refreshTtlMs: REFRESH_TTL_MS,
    refreshGraceMs: options.refreshTokenGraceMs ?? DAY_MS,
  });
  if (options.refreshToken !== undefined) tokens.seedRefresh(options.refreshToken);

  const entries: QuickBooksStoredEntry[] = [];
  const requestIds = new ReplayCache();
  const replays: QuickBooksRequestIdReplay[] = [];
  const faults = new FaultQueue<QuickBooksFakeFault>();
  const log = new RequestLog(now);
  const minuteWindow = new RollingWindow(MINUTE_MS);
  const batchWindow = new RollingWindow(MINUTE_MS);
  let inFlight = 0;
  let writeRequests = 0;
  let replyCount = 0;
  let batchCount = 0;
  let entriesCreated = 0;

  const intuitTid = (): string => `1-${createHash('sha256').update(`${seed}\u0000tid\u0000${(replyCount += 1)}`).digest('hex').slice(0, 24)}`;
  const time = (): string => pacificTime(now(), true);
  const today = (): string => new Date(now() - 8 * 3_600_000).toISOString().slice(0, 10);

  function reply(status: number, body: unknown, headers: Record<string, string> = {}): FakeReply {
    return jsonReply(status, body, { intuit_tid: intuitTid(), ...headers });
  }

  function faultBody(fault: QuickBooksFault): Record<string, unknown> {
    return { Fault: { Error: fault.Error, type: fault.type }, time: time() };
  }

  function faultReply(status: number, fault: QuickBooksFault): FakeReply {
    return reply(status, faultBody(fault));
  }

  function throttled(retryAfterSeconds: number | undefined): FakeReply {
    const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
    return reply(
      429,
      faultBody({ type: 'SERVICE', Error: [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', Detail: 'The request limit was reached.', code: '3001' }] }),
      headers,
    );
  }

  /** Intuit's 401 body, lower-case keys and all, as the API gateway sends it. */
  function authenticationFailed(detail: string): FakeReply {
    return reply(
      401,
      {
        warnings: null,
        intuitObject: null,
        fault: { error: [{ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', detail, code: '3200', element: null }], type: 'AUTHENTICATION' },
        report: null,
        queryResponse: null,
        batchItemResponse: [],
        attachableResponse: [],
        syncErrorResponse: null,
        requestId: null,
        time: now(),
        status: null,
        cdcresponse: [],
      },
      { 'www-authenticate': 'Bearer realm="Intuit", error="invalid_token"' },
    );
  }

  function renderEntry(entry: QuickBooksStoredEntry): Record<string, unknown> {
    const accountName = (id: string): string | undefined => accounts.find((account) => account.id === id)?.name;
    const listName = (items: readonly QuickBooksFakeListItem[], id: string): string | undefined => items.find((item) => item.id === id)?.name;
    const created = pacificTime(entry.createdAt, false);
    return {
      Adjustment: false,
      domain: 'QBO',
      sparse: false,
      Id: entry.id,
      SyncToken: entry.syncToken,
      MetaData: { CreateTime: created, LastUpdatedTime: created },
      DocNumber: entry.docNumber,
      TxnDate: entry.txnDate,
      CurrencyRef: { value: entry.currency, name: CURRENCY_NAMES[entry.currency] ?? entry.currency },
      ...(entry.exchangeRate === undefined ? {} : { ExchangeRate: new JsonNumber(entry.exchangeRate) }),
      PrivateNote: entry.privateNote,
      Line: entry.lines.map((line, index) => ({
        Id: String(index),
        Description: line.description,
        Amount: centsJson(line.cents),
        DetailType: 'JournalEntryLineDetail',
        JournalEntryLineDetail: {
          PostingType: line.postingType,
          AccountRef: { value: line.accountId, name: accountName(line.accountId) },
          Entity: line.entity === undefined ? undefined : { Type: line.entity.type, EntityRef: { value: line.entity.id, name: listName(line.entity.type === 'Customer' ? customers : vendors, line.entity.id) } },
          ClassRef: line.classId === undefined ? undefined : { value: line.classId, name: listName(classes, line.classId) },
          DepartmentRef: line.departmentId === undefined ? undefined : { value: line.departmentId, name: listName(departments, line.departmentId) },
        },
      })),
      TxnTaxDetail: {},
    };
  }

  function renderAccount(account: QuickBooksFakeAccount): Record<string, unknown> {
    const created = pacificTime(createdAt, false);
    return {
      Name: account.name,
      SubAccount: false,
      FullyQualifiedName: account.name,
      Active: account.active,
      Classification: account.classification,
      AccountType: account.accountType,
      AccountSubType: account.accountSubType,
      CurrentBalance: 0,
      CurrentBalanceWithSubAccounts: 0,
      CurrencyRef: { value: homeCurrency, name: CURRENCY_NAMES[homeCurrency] ?? homeCurrency },
      domain: 'QBO',
      sparse: false,
      Id: account.id,
      SyncToken: '0',
      MetaData: { CreateTime: created, LastUpdatedTime: created },
    };
  }

  function entryRules() {
    return {
      accounts,
      classes,
      departments,
      customers,
      vendors,
      homeCurrency,
      multiCurrency,
      bookCloseDate,
      today: today(),
      docNumberOwner: (docNumber: string) => (rejectDuplicateDocNumber ? entries.find((entry) => entry.docNumber === docNumber)?.id : undefined),
    };
  }

  function store(draft: QuickBooksEntryDraft, requestId: string | undefined, batchItemId: string | undefined): QuickBooksStoredEntry {
    const entry: QuickBooksStoredEntry = {
      id: String((entriesCreated += 1)),
      syncToken: '0',
      docNumber: draft.docNumber,
      txnDate: draft.txnDate,
      privateNote: draft.privateNote,
      currency: draft.currency,
      exchangeRate: draft.exchangeRate,
      lines: draft.lines.map((line) => ({ ...line })),
      createdAt: now(),
      requestId,
      batchItemId,
    };
    entries.push(entry);
    return entry;
  }

  function createEntry(body: Buffer, requestId: string | undefined): Outcome {
    const parsed = readJson(body);
    if (!parsed.ok) return { reply: faultReply(400, unsupportedBody(parsed.reason)), note: 'unreadable body', committed: false };
    const check = checkJournalEntry(parsed.value, entryRules());
    if (!check.ok) {
      const status = check.closedBooks && closedBooksReply === 'fault-in-200' ? 200 : 400;
      return { reply: faultReply(status, check.fault), note: `refused ${check.fault.Error.map((error) => error.code).join(',')}`, committed: false };
    }
    const entry = store(check.draft, requestId, undefined);
    return { reply: reply(200, { JournalEntry: renderEntry(entry), time: time() }), note: `stored entry ${entry.id}`, committed: true };
  }

  function runBatch(body: Buffer, requestId: string | undefined): Outcome {
    const parsed = readJson(body);
    if (!parsed.ok) return { reply: faultReply(400, unsupportedBody(parsed.reason)), note: 'unreadable body', committed: false };
    const items = isObject(parsed.value) && Array.isArray(parsed.value.BatchItemRequest) ? parsed.value.BatchItemRequest : undefined;
    if (!items || items.length === 0) {
      const detail = 'Required parameter BatchItemRequest is missing in the request';
      const fault = validation('2020', 'Required param missing, need to supply the required value for the API', detail, 'BatchItemRequest');
      return { reply: faultReply(400, fault), note: 'no items', committed: false };
    }
    if (items.length > limits.batchItems) {
      return {
        reply: faultReply(
          400,
          validation(
            '1040',
            'Batch size exceeds allowed limit',
            `The batch size for the batch request or BatchItemRequest is too big. The batch limit size is ${limits.batchItems}.`,
            'BatchItemRequest',
          ),
        ),
        note: `${items.length} items over the limit`,
        committed: false,
      };
    }
    const seen = new Set<string>();
    for (const item of items) {
      const bId = isObject(item) && typeof item.bId === 'string' ? item.bId : '';
      if (bId === '' || bId.length > MAX_BATCH_ITEM_ID || seen.has(bId)) {
        const detail =
          bId === ''
            ? 'Every BatchItemRequest needs a bId'
            : seen.has(bId)
              ? `bId ${bId} is used twice in this batch`
              : `String length specified does not match the supported length. Min:1 Max:${MAX_BATCH_ITEM_ID} supported. Supplied length:${bId.length}`;
        const fault = validation('2050', 'String length is either shorter or longer than supported by specification', detail, 'bId');
        return { reply: faultReply(400, fault), note: 'bad bId', committed: false };
      }
      seen.add(bId);
    }
    // Items run one after another, each seeing the entries the previous ones stored, in an order Intuit does not promise.
    batchCount += 1;
    const order = batchOrder === 'as-sent' ? items : shuffled(items, `${seed}\u0000batch\u0000${batchCount}`);
    let stored = 0;
    const responses = order.map((item) => {
      const record = item as Record<string, unknown>;
      const bId = record.bId as string;
      if (typeof record.Query === 'string') return { bId, ...queryResponse(record.Query, true) };
      if (record.operation !== 'create' || !isObject(record.JournalEntry)) {
        const what = `${String(record.operation)} ${Object.keys(record).filter((key) => key !== 'bId' && key !== 'operation').join(',')}`;
        const unsupportedItem = validation('500', 'Unsupported Operation', `Operation ${what} is not supported.`, '');
        return { bId, Fault: { Error: unsupportedItem.Error, type: unsupportedItem.type } };
      }
      const check = checkJournalEntry(record.JournalEntry, entryRules());
      if (!check.ok) return { bId, Fault: { Error: check.fault.Error, type: check.fault.type } };
      stored += 1;
      return { bId, JournalEntry: renderEntry(store(check.draft, requestId, bId)) };
    });
    return {
      reply: reply(200, { BatchItemResponse: responses, time: time() }),
      note: `batch of ${items.length}: stored ${stored}`,
      committed: stored > 0,
    };
  }

  /** A query's answer: `QueryResponse` for the envelope, or a `Fault` (inside a batch) when it cannot run. */
  function queryResponse(text: string, insideBatch: boolean): { QueryResponse: Record<string, unknown> } | { Fault: Record<string, unknown> } {
    let query: ParsedQuery;
    try {
      query = parseQuery(text, QUERYABLE);
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      const message = error.code === '4000' ? 'Error parsing query' : 'Invalid query';
      const fault = { Error: [{ Message: message, Detail: error.message, code: error.code }], type: 'ValidationFault' };
      if (insideBatch) return { Fault: fault };
      throw new QueryRefused(fault);
    }
    const rows =
      query.entity === 'JournalEntry'
        ? entries.map((entry) => ({ read: entryField(entry), render: () => renderEntry(entry) }))
        : query.entity === 'Account'
          ? accountRows(query)
          : listRows(query.entity as QuickBooksFakeList, { classes, departments, customers, vendors });
    const selected = rows.filter((row) => matchesQuery(row.read, query.conditions));
    if (query.count) return { QueryResponse: { totalCount: selected.length } };
    for (const order of [...query.orderBy].reverse()) {
      selected.sort((a, b) => {
        const sign = compareValues(a.read(order.field) ?? '', b.read(order.field) ?? '', order.kind) ?? 0;
        return order.descending ? -sign : sign;
      });
    }
    const page = selected.slice(query.startPosition - 1, query.startPosition - 1 + query.maxResults);
    // QuickBooks answers an empty QueryResponse object, without the entity key, when nothing matches.
    if (page.length === 0) return { QueryResponse: {} };
    return { QueryResponse: { [query.entity]: page.map((row) => row.render()), startPosition: query.startPosition, maxResults: page.length } };
  }

  function accountRows(query: ParsedQuery) {
    // Name lists answer only active items unless the query asks about Active itself.
    const asksActive = query.conditions.some((condition) => condition.field === 'Active');
    return accounts
      .filter((account) => asksActive || account.active)
      .map((account) => {
        const fields: Record<string, QueryValue> = {
          Id: account.id,
          Name: account.name,
          AccountType: account.accountType,
          AccountSubType: account.accountSubType,
          Classification: account.classification,
          Active: account.active,
          FullyQualifiedName: account.name,
        };
        return { read: (field: string) => fields[field], render: () => renderAccount(account) };
      });
  }

  function entryField(entry: QuickBooksStoredEntry): (field: string) => QueryValue | undefined {
    const created = pacificTime(entry.createdAt, false);
    const fields: Record<string, QueryValue | undefined> = {
      Id: entry.id,
      DocNumber: entry.docNumber,
      TxnDate: entry.txnDate,
      'MetaData.CreateTime': created,
      'MetaData.LastUpdatedTime': created,
    };
    return (field) => fields[field];
  }

  function preferences(): FakeReply {
    return reply(200, {
      Preferences: {
        AccountingInfoPrefs: { TrackDepartments: departments.length > 0, ClassTrackingPerTxnLine: classes.length > 0, BookCloseDate: bookCloseDate, UseAccountNumbers: false },
        CurrencyPrefs: { MultiCurrencyEnabled: multiCurrency, HomeCurrency: { value: homeCurrency } },
        domain: 'QBO',
        sparse: false,
        Id: '1',
        SyncToken: '0',
      },
      time: time(),
    });
  }

  /**
   * GET reports/TrialBalance?end_date=…: each account's balance through the
   * date in the home currency, in Intuit's report shape (Header, Columns,
   * Rows.Row[].ColData with the account id). A foreign entry counts at its
   * ExchangeRate, line by line, kept balanced (convertCents).
   */
  function trialBalance(endDate: string): FakeReply {
    const sums = new Map<string, bigint>();
    for (const entry of entries) {
      if (entry.txnDate > endDate) continue;
      const signed = entry.lines.map((line) => (line.postingType === 'Debit' ? line.cents : -line.cents));
      const home = entry.exchangeRate === undefined ? signed : convertCents(signed, parseRate(entry.exchangeRate));
      entry.lines.forEach((line, index) => sums.set(line.accountId, (sums.get(line.accountId) ?? 0n) + (home[index] ?? 0n)));
    }
    const money = (cents: bigint): string => (cents === 0n ? '' : formatCents(cents));
    const rows = accounts
      .filter((account) => (sums.get(account.id) ?? 0n) !== 0n)
      .map((account) => {
        const balance = sums.get(account.id) ?? 0n;
        return { ColData: [{ value: account.name, id: account.id }, { value: money(balance > 0n ? balance : 0n) }, { value: money(balance < 0n ? -balance : 0n) }] };
      });
    const debits = [...sums.values()].reduce((total, value) => (value > 0n ? total + value : total), 0n);
    return reply(200, {
      Header: { Time: time(), ReportName: 'TrialBalance', DateMacro: '', StartPeriod: '', EndPeriod: endDate, Currency: homeCurrency, Option: [{ Name: 'NoReportData', Value: String(rows.length === 0) }] },
      Columns: { Column: [{ ColTitle: '', ColType: 'Account' }, { ColTitle: 'Debit', ColType: 'Money' }, { ColTitle: 'Credit', ColType: 'Money' }] },
      Rows: { Row: [...rows, { Summary: { ColData: [{ value: 'TOTAL' }, { value: formatCents(debits) }, { value: formatCents(debits) }] }, type: 'Section', group: 'GrandTotal' }] },
    });
  }

  function storedEntry(id: string): QuickBooksStoredEntry {
    const entry = entries.find((candidate) => candidate.id === id);
    if (!entry) throw new RangeError(`the QuickBooks fake holds no journal entry ${id}`);
    return entry;
  }

  function companyRequest(resource: CompanyResource, request: IncomingMessage, body: Buffer, query: URLSearchParams): Outcome {
    const requestId = query.get('requestid') ?? undefined;
    switch (resource.kind) {
      case 'entry-create': {
        // The same URL updates, deletes and voids with ?operation=…; the fake only creates.
        const operation = query.get('operation');
        if (operation !== null && operation !== 'create') {
          const fault = validation('500', 'Unsupported Operation', `Operation ${operation} is not supported.`, '');
          return { reply: faultReply(400, fault), note: `unsupported operation ${operation}`, committed: false };
        }
        return createEntry(body, requestId);
      }
      case 'batch':
        return runBatch(body, requestId);
      case 'entry-get': {
        const entry = entries.find((candidate) => candidate.id === resource.id);
        if (!entry) return { reply: faultReply(400, objectNotFound(resource.id)), note: 'no such entry', committed: false };
        return { reply: reply(200, { JournalEntry: renderEntry(entry), time: time() }), note: `read entry ${entry.id}`, committed: false };
      }
      case 'account-get': {
        const account = accounts.find((candidate) => candidate.id === resource.id);
        if (!account) return { reply: faultReply(400, objectNotFound(resource.id)), note: 'no such account', committed: false };
        return { reply: reply(200, { Account: renderAccount(account), time: time() }), note: `read account ${account.id}`, committed: false };
      }
      case 'query': {
        const text = request.method === 'POST' ? body.toString('utf8') : (query.get('query') ?? '');
        try {
          return { reply: reply(200, { ...queryResponse(text, false), time: time() }), note: 'query', committed: false };
        } catch (error) {
          if (error instanceof QueryRefused) return { reply: reply(400, { Fault: error.fault, time: time() }), note: 'bad query', committed: false };
          throw error;
        }
      }
      case 'preferences':
        return { reply: preferences(), note: 'preferences', committed: false };
      case 'trial-balance':
        return { reply: trialBalance(query.get('end_date') ?? today()), note: 'trial balance', committed: false };
      case 'company-info':
        return {
          reply: reply(200, {
            CompanyInfo: { CompanyName: companyName, LegalName: companyName, Country: country, domain: 'QBO', sparse: false, Id: realmId, SyncToken: '0' },
            time: time(),
          }),
          note: 'company info',
          committed: false,
        };
      case 'unsupported':
        return {
          reply: faultReply(400, validation('500', 'Unsupported Operation', `Operation ${request.method ?? ''} ${resource.name} is not supported.`, '')),
          note: `unsupported ${resource.name}`,
          committed: false,
        };
      default:
        return assertNever(resource);
    }
  }

  function tokenEndpoint(request: IncomingMessage, body: Buffer): Outcome {
    const credentials = basicCredentials(request);
    const form = new URLSearchParams(body.toString('utf8'));
    const grant = form.get('grant_type') ?? '';
    if (!credentials || credentials.id !== clientId || credentials.secret !== clientSecret) {
      return { reply: reply(401, { error: 'invalid_client' }), note: `${grant}: invalid_client`, committed: false };
    }
    if (grant !== 'refresh_token') return { reply: reply(400, { error: 'unsupported_grant_type' }), note: `unsupported grant ${grant}`, committed: false };
    const outcome = tokens.rotateRefresh(form.get('refresh_token') ?? '');
    if (outcome.status === 'invalid') return { reply: reply(400, { error: 'invalid_grant' }), note: 'refresh_token: invalid_grant', committed: false };
    const issued = tokens.issueAccess('refresh_token');
    const hardExpiry = headerText(request, 'x-include-refresh-token-hard-expires-in') === 'true'
      ? { x_refresh_token_hard_expires_in: Math.max(0, REFRESH_HARD_TTL_SECONDS - Math.floor((now() - createdAt) / 1000)) }
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

  function revokeEndpoint(request: IncomingMessage, body: Buffer): Outcome {
    const credentials = basicCredentials(request);
    if (!credentials || credentials.id !== clientId || credentials.secret !== clientSecret) {
      return { reply: reply(401, { error: 'invalid_client' }), note: 'revoke: invalid_client', committed: false };
    }
    const parsed = readJson(body);
    const token = parsed.ok && isObject(parsed.value) && typeof parsed.value.token === 'string' ? parsed.value.token : undefined;
    if (token === undefined) return { reply: reply(400, { error: 'invalid_request' }), note: 'revoke: no token', committed: false };
    tokens.revoke(token);
    return { reply: { status: 200, headers: { intuit_tid: intuitTid() }, body: '' }, note: 'revoke', committed: true };
  }

  /** 401 for a missing, expired or revoked token, 403 for another company; undefined when the call may go on. */
  function refuseUnauthorized(request: IncomingMessage, requestRealm: string | undefined): FakeReply | undefined {
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
        Error: [{ Message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403', Detail: '', code: '3100' }],
      });
    }
    return undefined;
  }

  function admit(isBatch: boolean): FakeReply | undefined {
    const at = now();
    if (inFlight >= limits.concurrent || minuteWindow.count(at) >= limits.perMinute || (isBatch && batchWindow.count(at) >= limits.batchPerMinute)) {
      return throttled(options.retryAfterSeconds);
    }
    minuteWindow.add(at);
    if (isBatch) batchWindow.add(at);
    return undefined;
  }

  function injectedReply(fault: QuickBooksFakeFault): FakeReply | DeliveryFault {
    switch (fault.kind) {
      case 'rate-limit':
        return throttled(fault.retryAfterSeconds ?? options.retryAfterSeconds);
      case 'server-error':
        return faultReply(fault.status, SYSTEM_FAILURE);
      case 'fault-in-200':
        return faultReply(200, fault.fault ?? SYSTEM_FAILURE);
      case 'drop-before-commit':
      case 'drop-after-commit':
      case 'slow':
        return fault;
      default:
        return assertNever(fault);
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse, subPath: string, body: Buffer): Promise<void> {
    const { method, url, logPath } = requestLine(request, subPath);
    const route = routeOf(method, subPath);
    const isWrite = route.kind === 'company' && (route.resource.kind === 'entry-create' || route.resource.kind === 'batch');
    const requestClass: RequestClass = route.kind === 'token' || route.kind === 'revoke' ? 'token' : isWrite ? 'write' : 'read';
    if (isWrite) writeRequests += 1;

    const exchange = await openExchange({ request, response, method, logPath, log, fault: faults.take(requestClass), injected: injectedReply });
    if (!exchange) return;
    const { finish, deliver } = exchange;

    switch (route.kind) {
      case 'token':
        if (method !== 'POST') return finish(reply(405, { error: 'invalid_request' }), 'token: not POST');
        return deliver(tokenEndpoint(request, body));
      case 'revoke':
        return deliver(revokeEndpoint(request, body));
      case 'authorize':
        return finish(textReply(200, 'The sandbox does not simulate the consent screen; configure a refresh token instead.'), 'authorize');
      case 'user-info': {
        const unauthorized = refuseUnauthorized(request, undefined);
        if (unauthorized) return finish(unauthorized, `refused: ${unauthorized.status}`);
        const user = { sub: realmId, givenName: 'Sandbox', familyName: 'User', email: 'sandbox@example.invalid', emailVerified: true };
        return finish(reply(200, user), 'user info');
      }
      case 'not-found':
        const unsupportedPath = validation('500', 'Unsupported Operation', `Operation ${method} ${subPath} is not supported.`, '');
        return finish(faultReply(404, unsupportedPath), 'no such path');
      case 'company':
        break;
      default:
        return assertNever(route);
    }

    if (!acceptsJson(request)) return finish(xmlRefusal('QuickBooks'), 'not JSON');
    const unauthorized = refuseUnauthorized(request, route.realmId);
    if (unauthorized) return finish(unauthorized, `refused: ${unauthorized.status}`);
    const refused = admit(route.resource.kind === 'batch');
    if (refused) return finish(refused, '429 throttled');

    inFlight += 1;
    try {
      if (!isWrite) return await deliver(companyRequest(route.resource, request, body, url.searchParams));
      const requestId = url.searchParams.get('requestid') ?? undefined;
      const maxRequestId = route.resource.kind === 'batch' ? MAX_BATCH_REQUEST_ID : MAX_REQUEST_ID;
      if (requestId !== undefined && (requestId.length === 0 || requestId.length > maxRequestId)) {
        const detail = `The format of the request ID is invalid and not supported by the API. Max length ${maxRequestId}, supplied length ${requestId.length}.`;
        return finish(faultReply(400, validation('2130', 'Invalid Request Id Format', detail, 'requestid')), 'bad requestid');
      }
      if (!/^application\/json\b/i.test(headerText(request, 'content-type') ?? '')) {
        const fault415 = validation('1050', 'Invalid Content Type', 'Send the body as JSON with Content-Type: application/json.', '');
        return finish(faultReply(415, fault415), 'not JSON body');
      }
      const cacheKey = requestId === undefined ? undefined : `${route.realmId}\u0000${route.resource.kind}\u0000${requestId}`;
      const previous = cacheKey === undefined ? undefined : requestIds.replay(cacheKey, body);
      if (requestId !== undefined && previous) {
        replays.push({ requestId, sameBody: previous.sameBody });
        return await deliver({ reply: previous.reply, note: 'replayed requestid response' });
      }
      const outcome = companyRequest(route.resource, request, body, url.searchParams);
      if (cacheKey !== undefined && (requestIdReplayMode === 'every-response' || outcome.committed)) {
        requestIds.remember(cacheKey, body, outcome.reply);
      }
      return await deliver(outcome);
    } finally {
      inFlight -= 1;
    }
  }

  return {
    prefix: QUICKBOOKS_FAKE_PREFIX,
    realmId,
    clientId,
    clientSecret,
    handle,
    ...fakeControls(tokens, faults, log),
    setBookCloseDate: (date) => {
      bookCloseDate = date ?? undefined;
    },
    journalEntries: () => entries.map((entry) => ({ ...entry, lines: entry.lines.map((line) => ({ ...line })) })),
    writeRequestCount: () => writeRequests,
    deleteJournalEntry: (id) => {
      entries.splice(entries.indexOf(storedEntry(id)), 1);
    },
    editJournalEntry: (id, lines) => {
      const entry = storedEntry(id);
      entry.lines = lines.map((line, index) => ({ ...line, description: entry.lines[index]?.description, classId: undefined, departmentId: undefined, entity: entry.lines[index]?.entity }));
      entry.syncToken = String(Number(entry.syncToken) + 1);
    },
    requestIdReplays: () => replays.map((replay) => ({ ...replay })),
  };
}

export type RunningQuickBooksFake = RunningFake<QuickBooksFake> & QuickBooksFakeUrls;

/** Serves a QuickBooks fake alone on 127.0.0.1 (an ephemeral port). */
export function startQuickBooksFake(options: QuickBooksFakeOptions = {}): Promise<RunningQuickBooksFake> {
  return serveFake(createQuickBooksFake(options), quickBooksFakeUrls);
}

/** A query refused outside a batch: its Fault goes out in an HTTP 400. */
class QueryRefused extends Error {
  constructor(readonly fault: Record<string, unknown>) {
    super('query refused');
  }
}

function routeOf(method: string, subPath: string): Route {
  if (subPath === '/oauth2/v1/tokens/bearer') return { kind: 'token' };
  if (subPath === '/v2/oauth2/tokens/revoke' && method === 'POST') return { kind: 'revoke' };
  if (subPath === '/connect/oauth2' && method === 'GET') return { kind: 'authorize' };
  if (subPath === '/v1/openid_connect/userinfo' && method === 'GET') return { kind: 'user-info' };
  // Intuit's URIs are case-sensitive: /v3/company/{realmId}/journalentry, lower case.
  const match = /^\/v3\/company\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(subPath);
  if (!match) return { kind: 'not-found' };
  const [, realmId = '', name = '', id] = match;
  const company = (resource: CompanyResource): Route => ({ kind: 'company', realmId, resource });
  if (name === 'journalentry' && id === undefined && method === 'POST') return company({ kind: 'entry-create' });
  if (name === 'journalentry' && id !== undefined && method === 'GET') return company({ kind: 'entry-get', id });
  if (name === 'batch' && id === undefined && method === 'POST') return company({ kind: 'batch' });
  if (name === 'query' && id === undefined && (method === 'GET' || method === 'POST')) return company({ kind: 'query' });
  if (name === 'preferences' && id === undefined && method === 'GET') return company({ kind: 'preferences' });
  if (name === 'account' && id !== undefined && method === 'GET') return company({ kind: 'account-get', id });
  if (name === 'companyinfo' && id !== undefined && method === 'GET') return company({ kind: 'company-info', id });
  if (name === 'reports' && id === 'TrialBalance' && method === 'GET') return company({ kind: 'trial-balance' });
  return company({ kind: 'unsupported', name });
}

/** The items in an order drawn from `seed`: each sorted by the SHA-256 of the seed and its bId, so one batch always comes back the same way. */
function shuffled(items: readonly unknown[], seed: string): unknown[] {
  const rank = (item: unknown): string => createHash('sha256').update(`${seed}\u0000${String((item as Record<string, unknown>).bId)}`).digest('hex');
  return items.map((item) => ({ item, rank: rank(item) })).sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0)).map(({ item }) => item);
}

function readJson(body: Buffer): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: parseJsonExact(body.toString('utf8')) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function unsupportedBody(reason: string): QuickBooksFault {
  return validation('2010', 'Request has invalid or unsupported property', `Property Name:${reason} specified is unsupported or invalid`, '');
}

function objectNotFound(id: string): QuickBooksFault {
  return validation('610', 'Object Not Found', `Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts. Id=${id}`, '');
}

function validation(code: string, message: string, detail: string, element: string): QuickBooksFault {
  const error: QuickBooksFaultError = { Message: message, Detail: detail, code, element };
  return { type: 'ValidationFault', Error: [error] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "qbo-fake-access-3-…" → "access-3": names the token in a 401 without giving its value away. */
function tokenLabel(token: string | undefined): string {
  const match = token === undefined ? null : /^qbo-fake-(access-\d+)-/.exec(token);
  return match?.[1] ?? 'unknown token';
}

/**
 * QuickBooks writes times in the company's zone; the fake uses a fixed
 * Pacific Standard Time offset: 1709294400000 → "2024-03-01T04:00:00-08:00"
 * (with milliseconds for the envelope's `time`).
 */
function pacificTime(epochMs: number, withMilliseconds: boolean): string {
  const local = new Date(epochMs - 8 * 3_600_000).toISOString();
  return `${withMilliseconds ? local.slice(0, 23) : local.slice(0, 19)}-08:00`;
}
