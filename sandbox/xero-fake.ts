import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatCents, parseJsonExact } from '../src/money/index.js';
import { assertNever } from '../src/rules/index.js';
import type { SandboxMount } from './mount.js';
import {
  FaultQueue,
  ReplayCache,
  RequestLog,
  RollingWindow,
  TokenBook,
  acceptsJson,
  basicCredentials,
  bearerToken,
  deterministicUuid,
  fakeControls,
  headerText,
  jsonReply,
  openExchange,
  requestLine,
  serveFake,
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
import { centsJson } from './json-text.js';
import {
  XeroPostDataInvalid,
  checkManualJournal,
  dateEpochMs,
  msDate,
  msDateTime,
  type XeroFakeAccount,
  type XeroFakeTaxRate,
  type XeroJournalCheck,
  type XeroJournalDraft,
  type XeroJournalLine,
  type XeroJournalStatus,
  type XeroLineAmountTypes,
} from './xero-fake-journals.js';
import { WhereParseError, compileWhere, type WhereRecord, type WhereValue } from './xero-fake-where.js';
import { organisationRefusals, renderTrackingCategories, type XeroFakeTrackingCategory } from './xero-fake-organisation.js';

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
  /** GET: the tenants a token can reach. */
  connectionsUrl: string;
}

/** The URLs of a Xero fake mounted on a server at `origin` ("http://127.0.0.1:4100"). */
export function xeroFakeUrls(origin: string): XeroFakeUrls {
  const base = `${origin.replace(/\/$/, '')}${XERO_FAKE_PREFIX}`;
  return { apiUrl: `${base}/api.xro/2.0`, tokenUrl: `${base}/connect/token`, connectionsUrl: `${base}/connections` };
}

export interface XeroFakeLimits {
  perMinute: number;
  perDay: number;
  concurrent: number;
  /** X-AppMinLimit-Remaining counts down from this; the fake serves one app. */
  appPerMinute: number;
  journalsPerRequest: number;
}

export const XERO_DEFAULT_LIMITS: XeroFakeLimits = { perMinute: 60, perDay: 5000, concurrent: 5, appPerMinute: 10_000, journalsPerRequest: 50 };

/** A chart that has an account for each key of ledgerline's default chart (DESIGN §3) beside a few of Xero's usual ones. */
export const XERO_DEFAULT_ACCOUNTS: readonly XeroFakeAccount[] = [
  { code: '090', name: 'Business Bank Account', type: 'BANK', status: 'ACTIVE', taxType: 'NONE' },
  { code: '200', name: 'Sales', type: 'REVENUE', status: 'ACTIVE', taxType: 'OUTPUT' },
  { code: '210', name: 'Ad Revenue', type: 'REVENUE', status: 'ACTIVE', taxType: 'OUTPUT' },
  { code: '400', name: 'Advertising', type: 'EXPENSE', status: 'ACTIVE', taxType: 'INPUT' },
  { code: '410', name: 'SMM Services', type: 'EXPENSE', status: 'ACTIVE', taxType: 'INPUT' },
  { code: '429', name: 'General Expenses', type: 'EXPENSE', status: 'ACTIVE', taxType: 'INPUT' },
  { code: '610', name: 'Accounts Receivable', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE', systemAccount: 'DEBTORS' },
  { code: '611', name: 'Payelancer Receivable', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE' },
  { code: '621', name: 'SMM Panel Balance', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE' },
  { code: '622', name: 'Payelancer Advertiser Balance', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE' },
  { code: '631', name: 'Payout Clearing - PayPal', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE' },
  { code: '632', name: 'Payout Clearing - Razorpay', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE' },
  { code: '633', name: 'Payout Clearing - Wire', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE' },
  { code: '634', name: 'Top-up Clearing', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE' },
  { code: '800', name: 'Accounts Payable', type: 'CURRLIAB', status: 'ACTIVE', taxType: 'NONE', systemAccount: 'CREDITORS' },
  { code: '850', name: 'Suspense', type: 'CURRLIAB', status: 'ACTIVE', taxType: 'NONE' },
  { code: '860', name: 'Rounding', type: 'EXPENSE', status: 'ACTIVE', taxType: 'NONE', systemAccount: 'ROUNDING' },
  { code: '960', name: 'Retained Earnings', type: 'EQUITY', status: 'ACTIVE', taxType: 'NONE', systemAccount: 'RETAINEDEARNINGS' },
  { code: '980', name: 'Opening Balance Equity', type: 'EQUITY', status: 'ACTIVE', taxType: 'NONE' },
];

export const XERO_DEFAULT_TAX_RATES: readonly XeroFakeTaxRate[] = [
  { taxType: 'NONE', name: 'No Tax' },
  { taxType: 'INPUT', name: 'Tax on Purchases' },
  { taxType: 'OUTPUT', name: 'Tax on Sales' },
  { taxType: 'EXEMPTEXPENSES', name: 'Tax Exempt Expenses' },
  { taxType: 'EXEMPTINCOME', name: 'Tax Exempt Income' },
];

export interface XeroFakeOptions {
  /** Seeds every id and token value so runs repeat; "ledgerline" unless given. */
  seed?: string;
  /** The one organisation's tenant id; a uuid derived from the seed unless given. */
  tenantId?: string;
  organisationName?: string;
  baseCurrency?: string;
  /** The organisation's CountryCode: "US" unless given ("GB" for a UK organisation). */
  countryCode?: string;
  trackingCategories?: readonly XeroFakeTrackingCategory[];
  clientId?: string;
  clientSecret?: string;
  /** A refresh token to accept as if a user had just authorized the app. */
  refreshToken?: string;
  /** Allow the client_credentials grant (a custom connection); true unless given. */
  customConnection?: boolean;
  /** How long a rotated refresh token keeps working; 0 (it stops at once) unless given. */
  refreshTokenGraceMs?: number;
  accounts?: readonly XeroFakeAccount[];
  taxRates?: readonly XeroFakeTaxRate[];
  /** "YYYY-MM-DD": posted journals dated on or before it are refused. */
  periodLockDate?: string;
  endOfYearLockDate?: string;
  limits?: Partial<XeroFakeLimits>;
  /** Name Xero puts in ProviderName (the app's name). */
  providerName?: string;
  now?: Now;
}

export const XERO_FAKE_DEFAULT_CLIENT_ID = 'xero-fake-client-id';
export const XERO_FAKE_DEFAULT_CLIENT_SECRET = 'xero-fake-client-secret';

export const XERO_RATE_LIMIT_PROBLEMS = ['minute', 'day', 'concurrent'] as const;
export type XeroRateLimitProblem = (typeof XERO_RATE_LIMIT_PROBLEMS)[number];

/**
 * A failure to inject: a 429 (minute/day/concurrent, Retry-After in seconds),
 * a 5xx, a connection cut before the request is processed or after its write
 * was committed (the unknown-outcome case), or a reply held back `delayMs`
 * before or after processing.
 */
export type XeroFakeFault =
  | { kind: 'rate-limit'; problem: XeroRateLimitProblem; retryAfterSeconds?: number }
  | { kind: 'server-error'; status: 500 | 502 | 503 | 504 }
  | DeliveryFault;

export interface XeroStoredJournalLine extends XeroJournalLine {
  accountId: string;
}

export interface XeroStoredJournal {
  manualJournalId: string;
  narration: string;
  date: string;
  /** DELETED (a draft) or VOIDED (a posted journal) once a person removes it in Xero. */
  status: XeroJournalStatus;
  lineAmountTypes: XeroLineAmountTypes;
  showOnCashBasisReports: boolean;
  url: string | undefined;
  lines: readonly XeroStoredJournalLine[];
  updatedAt: number;
  /** The Idempotency-Key of the request that created or last updated it. */
  idempotencyKey: string | undefined;
}

export interface XeroIdempotentReplay {
  key: string;
  /** False when the repeat carried a different body than the first request: it was refused (422), not replayed. */
  sameBody: boolean;
}

/** A person's edit of a stored journal in Xero's web app: new amounts per line (signed cents) and, optionally, new account codes. */
export interface XeroJournalEdit {
  lines: readonly { accountCode: string; cents: bigint }[];
}

export interface XeroFake extends SandboxMount {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** An access token as the token endpoint would issue it, for `xero.setTokenSet` without a token call. */
  issueAccessToken(): { accessToken: string; expiresIn: number };
  /** Every access token issued so far answers 401 TokenExpired from now on. */
  expireAccessTokens(): void;
  /** Every access token answers 401 AuthenticationUnsuccessful; refresh tokens are refused (invalid_grant). */
  revokeTokens(): void;
  /** Moves the lock dates; null clears one, undefined leaves it. */
  setLockDates(dates: { periodLockDate?: string | null; endOfYearLockDate?: string | null }): void;
  injectFault(fault: XeroFakeFault, options?: FaultOptions): void;
  clearFaults(): void;
  journals(): readonly XeroStoredJournal[];
  /** PUT/POST requests to ManualJournals received, whatever became of them. */
  writeRequestCount(): number;
  idempotentReplays(): readonly XeroIdempotentReplay[];
  requestLog(): readonly FakeRequestRecord[];
  /** What a person does in Xero's web app: removes a journal (a draft becomes DELETED, a posted one VOIDED). */
  removeJournal(manualJournalId: string): void;
  /** What a person does in Xero's web app: replaces a journal's lines. */
  editJournal(manualJournalId: string, edit: XeroJournalEdit): void;
}

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
const MAX_IDEMPOTENCY_KEY = 128;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const JOURNAL_WHERE_FIELDS = ['Narration', 'Status', 'Date', 'ManualJournalID', 'LineAmountTypes', 'Url'] as const;
const ACCOUNT_WHERE_FIELDS = ['Code', 'Name', 'Type', 'Status', 'TaxType', 'AccountID', 'Class'] as const;

type Route =
  | { kind: 'token' }
  | { kind: 'connections' }
  | { kind: 'journals-write' }
  | { kind: 'journals-list' }
  | { kind: 'journal-get'; id: string }
  | { kind: 'organisation' }
  | { kind: 'accounts' }
  | { kind: 'tax-rates' }
  | { kind: 'trial-balance' }
  | { kind: 'tracking-categories' }
  | { kind: 'not-found' };

/** The routes that reach the Accounting API proper: authorized, tenant-checked and counted against the limits. */
type ApiRoute = Exclude<Route, { kind: 'token' | 'connections' | 'not-found' }>;

export function createXeroFake(options: XeroFakeOptions = {}): XeroFake {
  const seed = options.seed ?? 'ledgerline';
  const now = options.now ?? Date.now;
  const tenantId = options.tenantId ?? deterministicUuid(seed, 'tenant');
  const clientId = options.clientId ?? XERO_FAKE_DEFAULT_CLIENT_ID;
  const clientSecret = options.clientSecret ?? XERO_FAKE_DEFAULT_CLIENT_SECRET;
  const limits: XeroFakeLimits = { ...XERO_DEFAULT_LIMITS, ...options.limits };
  const accounts = options.accounts ?? XERO_DEFAULT_ACCOUNTS;
  const taxRates = options.taxRates ?? XERO_DEFAULT_TAX_RATES;
  const providerName = options.providerName ?? 'ledgerline sandbox';
  const organisationName = options.organisationName ?? 'Ledgerline Sandbox Ltd';
  const baseCurrency = options.baseCurrency ?? 'USD';
  const countryCode = options.countryCode ?? 'US';
  const trackingCategories = options.trackingCategories ?? [];
  const customConnection = options.customConnection ?? true;
  const createdAt = now();

  let periodLockDate = options.periodLockDate;
  let endOfYearLockDate = options.endOfYearLockDate;
  const tokens = new TokenBook({
    prefix: 'xero-fake',
    seed,
    now,
    accessTtlMs: 1_800_000,
    refreshTtlMs: 60 * DAY_MS,
    refreshGraceMs: options.refreshTokenGraceMs ?? 0,
  });
  if (options.refreshToken !== undefined) tokens.seedRefresh(options.refreshToken);

  const stored: XeroStoredJournal[] = [];
  const idempotency = new ReplayCache();
  const replays: XeroIdempotentReplay[] = [];
  const faults = new FaultQueue<XeroFakeFault>();
  const log = new RequestLog(now);
  const minuteWindow = new RollingWindow(MINUTE_MS);
  const dayWindow = new RollingWindow(DAY_MS);
  let inFlight = 0;
  let writeRequests = 0;
  let replyCount = 0;

  const accountId = (code: string): string => deterministicUuid(seed, 'account', code);
  const nextResponseId = (): string => deterministicUuid(seed, 'response', (replyCount += 1));

  function today(): string {
    return new Date(now()).toISOString().slice(0, 10);
  }

  /** Xero's problem-details body for 401/403/404/5xx. */
  function problem(status: number, title: string, detail: string, headers: Record<string, string> = {}): FakeReply {
    return jsonReply(status, { Type: null, Title: title, Status: status, Detail: detail, Instance: nextResponseId(), Extensions: {} }, headers);
  }

  function envelope(body: Record<string, unknown>): Record<string, unknown> {
    return { Id: nextResponseId(), Status: 'OK', ProviderName: providerName, DateTimeUTC: `/Date(${now()})/`, ...body };
  }

  function limitHeaders(): Record<string, string> {
    const at = now();
    return {
      'x-minlimit-remaining': String(Math.max(0, limits.perMinute - minuteWindow.count(at))),
      'x-daylimit-remaining': String(Math.max(0, limits.perDay - dayWindow.count(at))),
      'x-appminlimit-remaining': String(Math.max(0, limits.appPerMinute - minuteWindow.count(at))),
    };
  }

  function tooManyRequests(problemName: XeroRateLimitProblem, retryAfterSeconds: number | undefined): FakeReply {
    const headers: Record<string, string> = { ...limitHeaders(), 'x-rate-limit-problem': problemName };
    if (problemName === 'minute') headers['x-minlimit-remaining'] = '0';
    if (problemName === 'day') headers['x-daylimit-remaining'] = '0';
    if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
    return { status: 429, headers, body: '' };
  }

  function serverError(status: number): FakeReply {
    return problem(
      status,
      status === 503 ? 'Service Unavailable' : 'Internal Server Error',
      'An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status. Contact the API support team at api@xero.com for more assistance.',
    );
  }

  function renderJournal(journal: XeroStoredJournal, warnings: readonly string[] = []): Record<string, unknown> {
    return {
      Date: msDate(journal.date),
      Status: journal.status,
      LineAmountTypes: journal.lineAmountTypes,
      UpdatedDateUTC: msDateTime(journal.updatedAt),
      ManualJournalID: journal.manualJournalId,
      Narration: journal.narration,
      JournalLines: journal.lines.map((line) => ({
        Description: line.description,
        TaxType: line.taxType,
        TaxAmount: centsJson(line.taxCents),
        LineAmount: centsJson(line.cents),
        AccountCode: line.accountCode,
        Tracking: line.tracking.map((choice) => ({
          Name: choice.name,
          Option: choice.option,
          TrackingCategoryID: deterministicUuid(seed, 'tracking', choice.name),
          TrackingOptionID: deterministicUuid(seed, 'tracking', choice.name, choice.option),
        })),
        AccountID: line.accountId,
        IsBlank: false,
      })),
      Url: journal.url,
      ShowOnCashBasisReports: journal.showOnCashBasisReports,
      HasAttachments: false,
      Warnings: warnings.length > 0 ? warnings.map((message) => ({ Message: message })) : undefined,
    };
  }

  function journalRecord(journal: XeroStoredJournal): WhereRecord {
    const fields: Record<string, WhereValue> = {
      narration: journal.narration,
      status: journal.status,
      date: dateEpochMs(journal.date),
      manualjournalid: journal.manualJournalId,
      lineamounttypes: journal.lineAmountTypes,
      url: journal.url ?? null,
    };
    return (field) => fields[field];
  }

  function renderAccount(account: XeroFakeAccount): Record<string, unknown> {
    return {
      AccountID: accountId(account.code),
      Code: account.code,
      Name: account.name,
      Status: account.status,
      Type: account.type,
      TaxType: account.taxType,
      Class: accountClass(account.type),
      SystemAccount: account.systemAccount,
      EnablePaymentsToAccount: false,
      ShowInExpenseClaims: false,
      BankAccountType: account.type === 'BANK' ? 'BANK' : '',
      ReportingCode: '',
      HasAttachments: false,
      UpdatedDateUTC: msDateTime(createdAt),
      AddToWatchlist: false,
    };
  }

  function store(draft: XeroJournalDraft, idempotencyKey: string | undefined): XeroStoredJournal {
    const existingIndex = draft.manualJournalId === undefined ? -1 : stored.findIndex((journal) => journal.manualJournalId === draft.manualJournalId);
    const journal: XeroStoredJournal = {
      manualJournalId: existingIndex >= 0 && draft.manualJournalId ? draft.manualJournalId : deterministicUuid(seed, 'journal', stored.length + 1),
      narration: draft.narration,
      date: draft.date,
      status: draft.status,
      lineAmountTypes: draft.lineAmountTypes,
      showOnCashBasisReports: draft.showOnCashBasisReports,
      url: draft.url,
      lines: draft.lines.map((line) => ({ ...line, accountId: accountId(line.accountCode) })),
      updatedAt: now(),
      idempotencyKey,
    };
    if (existingIndex >= 0) stored[existingIndex] = journal;
    else stored.push(journal);
    return journal;
  }

  function writeJournals(request: IncomingMessage, body: Buffer, query: URLSearchParams): FakeOutcome {
    let parsed: unknown;
    try {
      parsed = parseJsonExact(body.toString('utf8'));
    } catch {
      return { reply: postDataInvalid('JSON for post data was invalid, the body is not JSON.'), note: 'unreadable body' };
    }
    const elements = journalElements(parsed);
    if (!elements) return { reply: postDataInvalid('JSON for post data was invalid, no ManualJournals were found.'), note: 'no journals' };
    if (elements.length > limits.journalsPerRequest) {
      const message = `No more than ${limits.journalsPerRequest} manual journals can be sent in one request; this one had ${elements.length}.`;
      return { reply: jsonReply(400, { ErrorNumber: 10, Type: 'ValidationException', Message: message, Elements: [] }), note: 'too many journals' };
    }
    const rules = { accounts, taxRates, periodLockDate, endOfYearLockDate, today: today() };
    let checks: XeroJournalCheck[];
    try {
      checks = elements.map((element, index) => checkManualJournal(element, `ManualJournals[${index}]`, rules));
    } catch (error) {
      if (error instanceof XeroPostDataInvalid) return { reply: postDataInvalid(error.message), note: 'post data invalid' };
      throw error;
    }
    const isUpdate = request.method === 'POST';
    checks.forEach((check, index) => {
      const refusals = organisationRefusals(elements[index], accounts, trackingCategories);
      if (refusals.length > 0) {
        check.draft = undefined;
        check.errors = [...check.errors, ...refusals];
      }
    });
    for (const check of checks) {
      const id = check.draft?.manualJournalId;
      if (isUpdate && id !== undefined && !stored.some((journal) => journal.manualJournalId === id)) {
        check.draft = undefined;
        check.errors = [...check.errors, `ManualJournalID ${id} does not match a manual journal in this organisation.`];
      }
    }
    const failing = checks.filter((check) => check.errors.length > 0);
    const summarizeErrors = query.get('summarizeErrors')?.toLowerCase() !== 'false';
    if (summarizeErrors && failing.length > 0) {
      const elementsOut = failing.map((check) => ({
        ...check.echo,
        StatusAttributeString: 'ERROR',
        ValidationErrors: messages(check.errors),
        Warnings: optionalMessages(check.warnings),
      }));
      return {
        reply: jsonReply(400, { ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred', Elements: elementsOut }),
        note: `refused ${failing.length} of ${checks.length} journals`,
      };
    }
    const idempotencyKey = headerText(request, 'idempotency-key');
    const out = checks.map((check) => {
      if (check.draft && !isUpdate) check.draft = { ...check.draft, manualJournalId: undefined };
      if (!check.draft) {
        return {
          ...check.echo,
          ManualJournalID: ZERO_GUID,
          StatusAttributeString: 'ERROR',
          ValidationErrors: messages(check.errors),
          Warnings: optionalMessages(check.warnings),
        };
      }
      return { ...renderJournal(store(check.draft, idempotencyKey), check.warnings), StatusAttributeString: 'OK' };
    });
    const storedCount = checks.length - failing.length;
    return {
      reply: jsonReply(200, envelope({ ManualJournals: out })),
      note: `stored ${storedCount} journal${storedCount === 1 ? '' : 's'}${failing.length > 0 ? `, refused ${failing.length}` : ''}`,
    };
  }

  function listJournals(query: URLSearchParams): FakeOutcome {
    let selected = stored;
    const where = query.get('where');
    if (where) {
      try {
        const predicate = compileWhere(where, JOURNAL_WHERE_FIELDS, 'ManualJournal');
        selected = stored.filter((journal) => predicate(journalRecord(journal)));
      } catch (error) {
        if (error instanceof WhereParseError) return { reply: queryParseError(error.message), note: 'bad where' };
        throw error;
      }
    }
    const pageText = query.get('page');
    if (pageText === null) {
      return { reply: jsonReply(200, envelope({ ManualJournals: selected.map((journal) => renderJournal(journal)) })), note: `listed ${selected.length}` };
    }
    const page = positiveInteger(pageText) ?? 1;
    const pageSize = Math.min(MAX_PAGE_SIZE, positiveInteger(query.get('pageSize')) ?? DEFAULT_PAGE_SIZE);
    const slice = selected.slice((page - 1) * pageSize, page * pageSize);
    const pagination = { page, pageSize, pageCount: Math.ceil(selected.length / pageSize), itemCount: selected.length };
    return { reply: jsonReply(200, envelope({ pagination, ManualJournals: slice.map((journal) => renderJournal(journal)) })), note: `listed page ${page}` };
  }

  /**
   * GET Reports/TrialBalance?date=…: every account with posted journal lines
   * through the date, Xero's report shape (a header row, one section per
   * account class, cells of text). The fake's YTD columns hold the whole
   * balance through the date (its books start with the first journal), and
   * Debit/Credit the movement of the date's month. Only POSTED journals count.
   */
  function trialBalance(query: URLSearchParams): FakeOutcome {
    const dateText = query.get('date') ?? today();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dateText)) return { reply: postDataInvalid(`date ${dateText} is not a date (YYYY-MM-DD)`), note: 'bad date' };
    const monthStart = `${dateText.slice(0, 7)}-01`;
    const sums = new Map<string, { month: bigint; total: bigint }>();
    for (const journal of stored) {
      if (journal.status !== 'POSTED' || journal.date > dateText) continue;
      for (const line of journal.lines) {
        const amount = journal.lineAmountTypes === 'Exclusive' ? line.cents + line.taxCents : line.cents;
        const sum = sums.get(line.accountCode) ?? { month: 0n, total: 0n };
        sum.total += amount;
        if (journal.date >= monthStart) sum.month += amount;
        sums.set(line.accountCode, sum);
      }
    }
    const money = (cents: bigint): string => (cents === 0n ? '' : formatCents(cents));
    const sections = new Map<string, Record<string, unknown>[]>();
    for (const account of accounts) {
      const sum = sums.get(account.code);
      if (!sum) continue;
      const accountClassName = accountClass(account.type);
      const rows = sections.get(accountClassName) ?? [];
      rows.push({
        RowType: 'Row',
        Cells: [
          { Value: `${account.name} (${account.code})`, Attributes: [{ Value: accountId(account.code), Id: 'account' }] },
          { Value: money(sum.month > 0n ? sum.month : 0n) },
          { Value: money(sum.month < 0n ? -sum.month : 0n) },
          { Value: money(sum.total > 0n ? sum.total : 0n) },
          { Value: money(sum.total < 0n ? -sum.total : 0n) },
        ],
      });
      sections.set(accountClassName, rows);
    }
    const header = { RowType: 'Header', Cells: ['Account', 'Debit', 'Credit', 'YTD Debit', 'YTD Credit'].map((value) => ({ Value: value })) };
    const report = {
      ReportID: 'TrialBalance',
      ReportName: 'Trial Balance',
      ReportType: 'TrialBalance',
      ReportTitles: ['Trial Balance', organisationName, `As at ${dateText}`],
      ReportDate: dateText,
      UpdatedDateUTC: msDateTime(now()),
      Rows: [header, ...[...sections].map(([title, rows]) => ({ RowType: 'Section', Title: title, Rows: rows }))],
    };
    return { reply: jsonReply(200, envelope({ Reports: [report] })), note: `trial balance at ${dateText}` };
  }

  function storedJournal(manualJournalId: string): XeroStoredJournal {
    const journal = stored.find((candidate) => candidate.manualJournalId === manualJournalId);
    if (!journal) throw new RangeError(`the Xero fake holds no journal ${manualJournalId}`);
    return journal;
  }

  function getJournal(id: string): FakeOutcome {
    const journal = stored.find((candidate) => candidate.manualJournalId.toLowerCase() === id.toLowerCase());
    if (!journal) return { reply: problem(404, 'Not Found', "The resource you're looking for cannot be found"), note: 'no such journal' };
    return { reply: jsonReply(200, envelope({ ManualJournals: [renderJournal(journal)] })), note: 'found journal' };
  }

  function listAccounts(query: URLSearchParams): FakeOutcome {
    let selected = accounts;
    const where = query.get('where');
    if (where) {
      try {
        const predicate = compileWhere(where, ACCOUNT_WHERE_FIELDS, 'Account');
        selected = accounts.filter((account) => {
          const fields: Record<string, WhereValue> = {
            code: account.code,
            name: account.name,
            type: account.type,
            status: account.status,
            taxtype: account.taxType,
            accountid: accountId(account.code),
            class: accountClass(account.type),
          };
          return predicate((field) => fields[field]);
        });
      } catch (error) {
        if (error instanceof WhereParseError) return { reply: queryParseError(error.message), note: 'bad where' };
        throw error;
      }
    }
    return { reply: jsonReply(200, envelope({ Accounts: selected.map(renderAccount) })), note: `listed ${selected.length} accounts` };
  }

  function organisation(): FakeReply {
    return jsonReply(
      200,
      envelope({
        Organisations: [
          {
            OrganisationID: tenantId,
            APIKey: '',
            Name: organisationName,
            LegalName: organisationName,
            PaysTax: true,
            Version: 'GLOBAL',
            OrganisationType: 'COMPANY',
            BaseCurrency: baseCurrency,
            CountryCode: countryCode,
            IsDemoCompany: false,
            OrganisationStatus: 'ACTIVE',
            FinancialYearEndDay: 31,
            FinancialYearEndMonth: 12,
            SalesTaxBasis: 'ACCRUALS',
            DefaultSalesTax: 'Tax Exclusive',
            DefaultPurchasesTax: 'Tax Exclusive',
            PeriodLockDate: periodLockDate === undefined ? undefined : msDate(periodLockDate),
            EndOfYearLockDate: endOfYearLockDate === undefined ? undefined : msDate(endOfYearLockDate),
            CreatedDateUTC: `/Date(${createdAt})/`,
            Timezone: 'UTC',
            OrganisationEntityType: 'COMPANY',
            ShortCode: `!${tenantId.slice(0, 5)}`,
            Class: 'STANDARD',
            Edition: 'BUSINESS',
          },
        ],
      }),
    );
  }

  function taxRatesReply(): FakeReply {
    return jsonReply(
      200,
      envelope({
        TaxRates: taxRates.map((rate) => ({
          Name: rate.name,
          TaxType: rate.taxType,
          Status: 'ACTIVE',
          ReportTaxType: rate.taxType === 'NONE' ? 'NONE' : rate.taxType,
          CanApplyToAssets: rate.canApplyTo?.includes('ASSET') ?? true,
          CanApplyToEquity: rate.canApplyTo?.includes('EQUITY') ?? true,
          CanApplyToExpenses: rate.canApplyTo?.includes('EXPENSE') ?? true,
          CanApplyToLiabilities: rate.canApplyTo?.includes('LIABILITY') ?? true,
          CanApplyToRevenue: rate.canApplyTo?.includes('REVENUE') ?? true,
          DisplayTaxRate: 0,
          EffectiveRate: 0,
          TaxComponents: [],
        })),
      }),
    );
  }

  function tokenEndpoint(request: IncomingMessage, body: Buffer): FakeOutcome {
    const form = new URLSearchParams(body.toString('utf8'));
    const grant = form.get('grant_type') ?? '';
    const credentials = basicCredentials(request) ?? { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
    if (credentials.id !== clientId || credentials.secret !== clientSecret) {
      return { reply: jsonReply(400, { error: 'invalid_client' }), note: `${grant}: invalid_client` };
    }
    if (grant === 'client_credentials') {
      if (!customConnection) return { reply: jsonReply(400, { error: 'unauthorized_client' }), note: 'client_credentials: not a custom connection' };
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
      if (outcome.status === 'invalid') return { reply: jsonReply(400, { error: 'invalid_grant' }), note: 'refresh_token: invalid_grant' };
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

  /** 401/403 for a request without a usable token or for another tenant; undefined when it may go on. */
  function refuseUnauthorized(request: IncomingMessage, checkTenant: boolean): FakeReply | undefined {
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
    const tenantHeader = headerText(request, 'xero-tenant-id') ?? '';
    // A custom connection reaches exactly one organisation, so Xero lets it leave the header empty.
    if (tenantHeader === '' && access.grant === 'client_credentials') return undefined;
    if (tenantHeader.toLowerCase() !== tenantId.toLowerCase()) return problem(403, 'Forbidden', 'AuthenticationUnsuccessful');
    return undefined;
  }

  /** Counts the call against the tenant's allowances, or says which one it would break. */
  function admit(): FakeReply | undefined {
    const at = now();
    if (inFlight >= limits.concurrent) return tooManyRequests('concurrent', undefined);
    if (dayWindow.count(at) >= limits.perDay) return tooManyRequests('day', dayWindow.secondsUntilSlot(at));
    if (minuteWindow.count(at) >= limits.perMinute) return tooManyRequests('minute', minuteWindow.secondsUntilSlot(at));
    minuteWindow.add(at);
    dayWindow.add(at);
    return undefined;
  }

  function injectedReply(fault: XeroFakeFault): FakeReply | DeliveryFault {
    switch (fault.kind) {
      case 'rate-limit': {
        const retryAfter = fault.problem === 'concurrent' ? undefined : (fault.retryAfterSeconds ?? (fault.problem === 'day' ? 3600 : 60));
        return tooManyRequests(fault.problem, retryAfter);
      }
      case 'server-error':
        return serverError(fault.status);
      case 'drop-before-commit':
      case 'drop-after-commit':
      case 'slow':
        return fault;
      default:
        return assertNever(fault);
    }
  }

  function respondToApi(route: ApiRoute, request: IncomingMessage, body: Buffer, query: URLSearchParams): FakeOutcome {
    switch (route.kind) {
      case 'journals-write': {
        const key = headerText(request, 'idempotency-key');
        if (key !== undefined && key.length > MAX_IDEMPOTENCY_KEY) {
          return { reply: problem(400, 'Bad Request', `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY} characters`), note: 'idempotency key too long' };
        }
        const cacheKey = key === undefined ? undefined : `${tenantId}\u0000${key}`;
        const previous = cacheKey === undefined ? undefined : idempotency.replay(cacheKey, body);
        if (key !== undefined && previous) {
          replays.push({ key, sameBody: previous.sameBody });
          // A key names one request; reusing it for another body is a client's mistake, refused as the IETF idempotency draft says (Xero's own wording is not published).
          if (!previous.sameBody) return { reply: problem(422, 'Unprocessable Entity', `The Idempotency-Key ${key} was already used for a different request.`), note: 'idempotency key reused with another body' };
          return { reply: previous.reply, note: 'replayed idempotent response' };
        }
        const outcome = writeJournals(request, body, query);
        if (cacheKey !== undefined) idempotency.remember(cacheKey, body, outcome.reply);
        return outcome;
      }
      case 'journals-list':
        return listJournals(query);
      case 'journal-get':
        return getJournal(route.id);
      case 'organisation':
        return { reply: organisation(), note: 'organisation' };
      case 'accounts':
        return listAccounts(query);
      case 'tax-rates':
        return { reply: taxRatesReply(), note: 'tax rates' };
      case 'trial-balance':
        return trialBalance(query);
      case 'tracking-categories': {
        const includeArchived = query.get('includeArchived')?.toLowerCase() === 'true';
        return { reply: jsonReply(200, envelope({ TrackingCategories: renderTrackingCategories(seed, trackingCategories, includeArchived) })), note: 'tracking categories' };
      }
      default:
        return assertNever(route);
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse, subPath: string, body: Buffer): Promise<void> {
    const { method, url, logPath } = requestLine(request, subPath);
    const route = routeOf(method, subPath);
    const requestClass: RequestClass = route.kind === 'token' ? 'token' : route.kind === 'journals-write' ? 'write' : 'read';
    if (route.kind === 'journals-write') writeRequests += 1;

    const exchange = await openExchange({ request, response, method, logPath, log, fault: faults.take(requestClass), injected: injectedReply });
    if (!exchange) return;
    const { finish, deliver } = exchange;

    if (route.kind === 'token') {
      return deliver(method === 'POST' ? tokenEndpoint(request, body) : { reply: jsonReply(405, { error: 'invalid_request' }), note: 'token: not POST' });
    }
    if (route.kind === 'not-found') return finish(problem(404, 'Not Found', "The resource you're looking for cannot be found"), 'no such path');
    if (!acceptsJson(request)) return finish(xmlRefusal('Xero'), 'not JSON');
    const unauthorized = refuseUnauthorized(request, route.kind !== 'connections');
    if (unauthorized) return finish(unauthorized, `refused: ${unauthorized.status}`);
    if (route.kind === 'connections') {
      const connection = {
        id: deterministicUuid(seed, 'connection'),
        authEventId: deterministicUuid(seed, 'auth-event'),
        tenantId,
        tenantType: 'ORGANISATION',
        tenantName: organisationName,
        createdDateUtc: new Date(createdAt).toISOString(),
        updatedDateUtc: new Date(createdAt).toISOString(),
      };
      return deliver({ reply: jsonReply(200, [connection]), note: 'connections' });
    }

    const refused = admit();
    if (refused) return finish(refused, `429 ${refused.headers['x-rate-limit-problem'] ?? ''}`);
    inFlight += 1;
    try {
      const outcome = respondToApi(route, request, body, url.searchParams);
      await deliver({ reply: { ...outcome.reply, headers: { ...outcome.reply.headers, ...limitHeaders() } }, note: outcome.note });
    } finally {
      inFlight -= 1;
    }
  }

  return {
    prefix: XERO_FAKE_PREFIX,
    tenantId,
    clientId,
    clientSecret,
    handle,
    ...fakeControls(tokens, faults, log),
    setLockDates: (dates) => {
      if (dates.periodLockDate !== undefined) periodLockDate = dates.periodLockDate ?? undefined;
      if (dates.endOfYearLockDate !== undefined) endOfYearLockDate = dates.endOfYearLockDate ?? undefined;
    },
    journals: () => stored.map((journal) => ({ ...journal, lines: journal.lines.map((line) => ({ ...line })) })),
    writeRequestCount: () => writeRequests,
    idempotentReplays: () => replays.map((replay) => ({ ...replay })),
    removeJournal: (manualJournalId) => {
      const journal = storedJournal(manualJournalId);
      journal.status = journal.status === 'POSTED' ? 'VOIDED' : 'DELETED';
      journal.updatedAt = now();
    },
    editJournal: (manualJournalId, edit) => {
      const journal = storedJournal(manualJournalId);
      journal.lines = edit.lines.map((line, index) => ({
        accountCode: line.accountCode,
        accountId: accountId(line.accountCode),
        cents: line.cents,
        taxCents: 0n,
        taxType: 'NONE',
        description: journal.lines[index]?.description,
        tracking: [],
      }));
      journal.updatedAt = now();
    },
  };
}

export type RunningXeroFake = RunningFake<XeroFake> & XeroFakeUrls;

/** Serves a Xero fake alone on 127.0.0.1 (an ephemeral port). */
export function startXeroFake(options: XeroFakeOptions = {}): Promise<RunningXeroFake> {
  return serveFake(createXeroFake(options), xeroFakeUrls);
}

function routeOf(method: string, subPath: string): Route {
  if (subPath === '/connect/token') return { kind: 'token' };
  if (subPath === '/connections' && method === 'GET') return { kind: 'connections' };
  const match = /^\/api\.xro\/2\.0\/([^/]+)(?:\/([^/]+))?\/?$/i.exec(subPath);
  if (!match) return { kind: 'not-found' };
  const resource = (match[1] ?? '').toLowerCase();
  const id = match[2];
  if (resource === 'manualjournals') {
    if (id === undefined && (method === 'PUT' || method === 'POST')) return { kind: 'journals-write' };
    if (method === 'GET') return id === undefined ? { kind: 'journals-list' } : { kind: 'journal-get', id };
  }
  if (method === 'GET' && resource === 'reports' && id?.toLowerCase() === 'trialbalance') return { kind: 'trial-balance' };
  if (method === 'GET' && id === undefined) {
    if (resource === 'organisation') return { kind: 'organisation' };
    if (resource === 'accounts') return { kind: 'accounts' };
    if (resource === 'taxrates') return { kind: 'tax-rates' };
    if (resource === 'trackingcategories') return { kind: 'tracking-categories' };
  }
  return { kind: 'not-found' };
}

function journalElements(parsed: unknown): unknown[] | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  if (Array.isArray(record.ManualJournals)) return record.ManualJournals.length > 0 ? record.ManualJournals : undefined;
  return 'Narration' in record || 'JournalLines' in record ? [record] : undefined;
}

function positiveInteger(text: string | null): number | undefined {
  return text !== null && /^[1-9]\d{0,6}$/.test(text) ? Number.parseInt(text, 10) : undefined;
}

function postDataInvalid(message: string): FakeReply {
  return jsonReply(400, { ErrorNumber: 14, Type: 'PostDataInvalidException', Message: message });
}

function queryParseError(message: string): FakeReply {
  return jsonReply(400, { ErrorNumber: 16, Type: 'QueryParseException', Message: message });
}

function messages(texts: readonly string[]): { Message: string }[] {
  return texts.map((text) => ({ Message: text }));
}

function optionalMessages(texts: readonly string[]): { Message: string }[] | undefined {
  return texts.length > 0 ? messages(texts) : undefined;
}

function accountClass(type: string): string {
  switch (type) {
    case 'BANK':
    case 'CURRENT':
    case 'FIXED':
    case 'INVENTORY':
    case 'NONCURRENT':
    case 'PREPAYMENT':
      return 'ASSET';
    case 'CURRLIAB':
    case 'LIABILITY':
    case 'TERMLIAB':
      return 'LIABILITY';
    case 'EQUITY':
      return 'EQUITY';
    case 'REVENUE':
    case 'SALES':
    case 'OTHERINCOME':
      return 'REVENUE';
    default:
      return 'EXPENSE';
  }
}

/** Xero's TokenExpired detail writes the time as "09/24/2021 08:23:47" (UTC). */
function usDateTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)} ${iso.slice(11, 19)}`;
}
