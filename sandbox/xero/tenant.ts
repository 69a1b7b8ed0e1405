import {
  ConsentBook,
  FaultQueue,
  ReplayCache,
  RequestLog,
  RollingWindow,
  TokenBook,
  deterministicUuid,
  jsonReply,
  type DeliveryFault,
  type FakeReply,
  type Now,
} from '../fake-kit/index.js';
import type {
  XeroFakeAccount,
  XeroFakeTaxRate,
  XeroJournalLine,
  XeroJournalStatus,
  XeroLineAmountTypes,
} from './journal-checks.js';
import type { XeroFakeTrackingCategory } from './organisation.js';
import type { XeroStoredBankTransfer } from './bank-transfers.js';
import type { XeroStoredBankTransaction } from './bank-transactions.js';
import {
  XERO_DEFAULT_LIMITS,
  XERO_DEFAULT_ACCOUNTS,
  XERO_DEFAULT_TAX_RATES,
  XERO_FAKE_DEFAULT_CLIENT_ID,
  XERO_FAKE_DEFAULT_CLIENT_SECRET,
  type XeroFakeLimits,
  type XeroFakeOptions,
} from './settings.js';
import { XERO_ATTACHMENT_LIMIT_BYTES, type XeroStoredAttachment } from './attachments.js';

export const XERO_RATE_LIMIT_PROBLEMS = ['minute', 'day', 'appminute', 'concurrent'] as const;
export type XeroRateLimitProblem = (typeof XERO_RATE_LIMIT_PROBLEMS)[number];

/**
 * A failure to inject: a 429 (minute/day/appminute/concurrent, Retry-After in seconds),
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

/** One organisation the app is connected to (GET /connections). */
export interface XeroConnectionRecord {
  id: string;
  tenantId: string;
  tenantName: string;
  createdDateUtc: string;
}

/** A person's edit of a stored journal in Xero's web app: new amounts per line (signed cents) and, optionally, new account codes. */
export interface XeroJournalEdit {
  lines: readonly { accountCode: string; cents: bigint }[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * One organisation as the fake keeps it: its settings (options with their defaults), its journals, tokens and
 * allowances, the lock dates a test moves, and the envelope and problem bodies every reply goes out in (each with
 * a response id drawn from the seed). Each endpoint module reads and changes it.
 */
export interface XeroTenant {
  readonly seed: string;
  readonly now: Now;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly limits: XeroFakeLimits;
  readonly accounts: readonly XeroFakeAccount[];
  readonly taxRates: readonly XeroFakeTaxRate[];
  readonly providerName: string;
  readonly organisationName: string;
  readonly baseCurrency: string;
  readonly countryCode: string;
  readonly trackingCategories: readonly XeroFakeTrackingCategory[];
  readonly customConnection: boolean;
  readonly createdAt: number;
  /** Every organisation the consent page offers, this one first. */
  readonly organisations: readonly { tenantId: string; name: string }[];
  readonly connections: XeroConnectionRecord[];
  readonly consent: ConsentBook;
  readonly redirectUris: readonly string[];
  readonly legacyScopes: boolean;
  /** The scope of the last consent; undefined until one happened (tokens from elsewhere pass every scope check). */
  grantedScope: string | undefined;
  revocations: number;
  periodLockDate: string | undefined;
  endOfYearLockDate: string | undefined;
  readonly tokens: TokenBook;
  readonly stored: XeroStoredJournal[];
  readonly bankTransfers: XeroStoredBankTransfer[];
  readonly bankTransactions: XeroStoredBankTransaction[];
  readonly attachments: XeroStoredAttachment[];
  readonly attachmentLimitBytes: number;
  readonly idempotency: ReplayCache;
  readonly replays: XeroIdempotentReplay[];
  readonly faults: FaultQueue<XeroFakeFault>;
  readonly log: RequestLog;
  readonly minuteWindow: RollingWindow;
  readonly dayWindow: RollingWindow;
  /** The app's calls across its tenants (the fake serves one app): what X-AppMinLimit-Remaining counts down. */
  readonly appMinuteWindow: RollingWindow;
  inFlight: number;
  writeRequests: number;
  replyCount: number;
  accountId(code: string): string;
  nextResponseId(): string;
  today(): string;
  problem(status: number, title: string, detail: string, headers?: Record<string, string>): FakeReply;
  envelope(body: Record<string, unknown>): Record<string, unknown>;
  limitHeaders(): Record<string, string>;
  tooManyRequests(problemName: XeroRateLimitProblem, retryAfterSeconds: number | undefined): FakeReply;
  serverError(status: number): FakeReply;
}

/**
 * What every organisation of one fake shares, because Xero keeps it per app: the tokens, the consent and its
 * connections, the organisations the consent page offers, the app's per-minute count, the request log and the
 * faults a test injects.
 */
export type XeroAppParts = Pick<
  XeroTenant,
  'tokens' | 'consent' | 'connections' | 'organisations' | 'log' | 'faults' | 'appMinuteWindow'
>;

/**
 * One organisation: the first (`options`' own) opens the app's parts; each other one is opened with the first's
 * `app`, so its journals, accounts, idempotency cache and minute and day counts are its own while the app's are shared.
 */
export function openTenant(options: XeroFakeOptions, app?: XeroAppParts): XeroTenant {
  const settings = tenantSettings(options);
  const { now } = settings;
  const createdAt = now();
  const { tokens, consent, connections, organisations, log, faults, appMinuteWindow } =
    app ?? openApp(options, settings, createdAt);
  // Only the app's parts are taken from `app` (which may be the first organisation itself).
  const shared: XeroAppParts = { tokens, consent, connections, organisations, log, faults, appMinuteWindow };
  const minuteWindow = new RollingWindow(MINUTE_MS);
  const dayWindow = new RollingWindow(DAY_MS);
  const windows = { minuteWindow, dayWindow, appMinuteWindow: shared.appMinuteWindow };
  const replies = tenantReplies(settings, windows, () => (tenant.replyCount += 1));
  const tenant: XeroTenant = {
    grantedScope: undefined,
    revocations: 0,
    ...settings,
    ...shared,
    createdAt,
    stored: [],
    bankTransfers: [],
    bankTransactions: [],
    attachments: [],
    attachmentLimitBytes: options.attachmentLimitBytes ?? XERO_ATTACHMENT_LIMIT_BYTES,
    idempotency: new ReplayCache(),
    replays: [],
    ...windows,
    inFlight: 0,
    writeRequests: 0,
    replyCount: 0,
    ...replies,
  };
  return tenant;
}

/** The app's parts, for the fake's first organisation: its tokens (with any seeded grants) and its connections. */
function openApp(options: XeroFakeOptions, settings: TenantSettings, createdAt: number): XeroAppParts {
  const { seed, now, tenantId, organisationName } = settings;
  const tokens = new TokenBook({
    prefix: 'xero-fake',
    seed,
    now,
    accessTtlMs: 1_800_000,
    refreshTtlMs: 60 * DAY_MS,
    refreshGraceMs: options.refreshTokenGraceMs ?? 0,
  });
  for (const token of [options.refreshToken, ...(options.refreshTokens ?? [])])
    if (token !== undefined) tokens.seedRefresh(token);
  const others = options.otherOrganisations ?? [];
  const createdDateUtc = new Date(createdAt).toISOString();
  const connected = [{ tenantId, name: organisationName }, ...others.filter((other) => other.connected === true)];
  return {
    tokens,
    consent: new ConsentBook(now),
    organisations: [
      { tenantId, name: organisationName },
      ...others.map(({ tenantId: id, name }) => ({ tenantId: id, name })),
    ],
    connections: connected.map((organisation, index) => ({
      id:
        index === 0
          ? deterministicUuid(seed, 'connection')
          : deterministicUuid(seed, 'connection', organisation.tenantId),
      tenantId: organisation.tenantId,
      tenantName: organisation.name,
      createdDateUtc,
    })),
    log: new RequestLog(now),
    faults: new FaultQueue<XeroFakeFault>(),
    appMinuteWindow: new RollingWindow(MINUTE_MS),
  };
}

/** Another organisation of the fake: the first's settings, with its own tenant id, name and seed (so its ids differ). */
export function otherOrganisationOptions(
  options: XeroFakeOptions,
  other: { tenantId: string; name: string },
): XeroFakeOptions {
  return {
    ...options,
    periodLockDate: undefined,
    endOfYearLockDate: undefined,
    seed: `${options.seed ?? 'ledgerline'}/${other.tenantId}`,
    tenantId: other.tenantId,
    organisationName: other.name,
  };
}

type TenantSettings = ReturnType<typeof tenantSettings>;

/** The tenant's settings: each option given, else the fake's default. */
function tenantSettings(options: XeroFakeOptions) {
  const seed = options.seed ?? 'ledgerline';
  return {
    redirectUris: options.redirectUris ?? [],
    legacyScopes: options.legacyScopes ?? false,
    seed,
    now: options.now ?? Date.now,
    tenantId: options.tenantId ?? deterministicUuid(seed, 'tenant'),
    clientId: options.clientId ?? XERO_FAKE_DEFAULT_CLIENT_ID,
    clientSecret: options.clientSecret ?? XERO_FAKE_DEFAULT_CLIENT_SECRET,
    limits: { ...XERO_DEFAULT_LIMITS, ...options.limits },
    accounts: options.accounts ?? XERO_DEFAULT_ACCOUNTS,
    taxRates: options.taxRates ?? XERO_DEFAULT_TAX_RATES,
    providerName: options.providerName ?? 'ledgerline sandbox',
    organisationName: options.organisationName ?? 'Ledgerline Sandbox Ltd',
    baseCurrency: options.baseCurrency ?? 'USD',
    countryCode: options.countryCode ?? 'US',
    trackingCategories: options.trackingCategories ?? [],
    customConnection: options.customConnection ?? true,
    periodLockDate: options.periodLockDate,
    endOfYearLockDate: options.endOfYearLockDate,
  };
}

/** The tenant's replies, each with its own response id, and the problems and rate-limit headers in Xero's shapes. */
function tenantReplies(
  settings: TenantSettings,
  windows: { minuteWindow: RollingWindow; dayWindow: RollingWindow; appMinuteWindow: RollingWindow },
  nextReplyCount: () => number,
) {
  const { seed, now, providerName, limits } = settings;
  const { minuteWindow, dayWindow, appMinuteWindow } = windows;
  const accountId = (code: string): string => deterministicUuid(seed, 'account', code);
  const nextResponseId = (): string => deterministicUuid(seed, 'response', nextReplyCount());

  function today(): string {
    return new Date(now()).toISOString().slice(0, 10);
  }

  /** Xero's problem-details body for 401/403/404/5xx. */
  function problem(status: number, title: string, detail: string, headers: Record<string, string> = {}): FakeReply {
    return jsonReply(
      status,
      { Type: null, Title: title, Status: status, Detail: detail, Instance: nextResponseId(), Extensions: {} },
      headers,
    );
  }

  function envelope(body: Record<string, unknown>): Record<string, unknown> {
    return { Id: nextResponseId(), Status: 'OK', ProviderName: providerName, DateTimeUTC: `/Date(${now()})/`, ...body };
  }

  function limitHeaders(): Record<string, string> {
    const at = now();
    return {
      'x-minlimit-remaining': String(Math.max(0, limits.perMinute - minuteWindow.count(at))),
      'x-daylimit-remaining': String(Math.max(0, limits.perDay - dayWindow.count(at))),
      'x-appminlimit-remaining': String(Math.max(0, limits.appPerMinute - appMinuteWindow.count(at))),
    };
  }

  function tooManyRequests(problemName: XeroRateLimitProblem, retryAfterSeconds: number | undefined): FakeReply {
    const headers: Record<string, string> = { ...limitHeaders(), 'x-rate-limit-problem': problemName };
    if (problemName === 'minute') headers['x-minlimit-remaining'] = '0';
    if (problemName === 'day') headers['x-daylimit-remaining'] = '0';
    if (problemName === 'appminute') headers['x-appminlimit-remaining'] = '0';
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
  return { accountId, nextResponseId, today, problem, envelope, limitHeaders, tooManyRequests, serverError };
}
