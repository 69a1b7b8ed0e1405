import { createHash } from 'node:crypto';
import {
  ConsentBook,
  FaultQueue,
  ReplayCache,
  RequestLog,
  RollingWindow,
  TokenBook,
  jsonReply,
  type DeliveryFault,
  type FakeOutcome,
  type FakeReply,
  type Now,
} from '../fake-kit/index.js';
import type { QuickBooksStoredDeposit, QuickBooksStoredTransfer } from './bank-documents.js';
import type {
  IntuitFault,
  QuickBooksEntryLine,
  QuickBooksFakeAccount,
  QuickBooksFakeListItem,
} from './entry-checks.js';
import {
  QUICKBOOKS_DEFAULT_ACCOUNTS,
  QUICKBOOKS_DEFAULT_LIMITS,
  QUICKBOOKS_FAKE_DEFAULT_CLIENT_ID,
  QUICKBOOKS_FAKE_DEFAULT_CLIENT_SECRET,
  QUICKBOOKS_FAKE_DEFAULT_REALM_ID,
  withExchangeGainOrLoss,
  type QuickBooksFakeLimits,
  type QuickBooksFakeOptions,
} from './settings.js';
import { QUICKBOOKS_ATTACHMENT_LIMIT_BYTES, type QuickBooksStoredAttachable } from './attachables.js';
import {
  QUICKBOOKS_UK_TAX_TABLE,
  type QuickBooksFakeTaxTable,
  type QuickBooksGlobalTaxCalculation,
} from './tax-codes.js';

/**
 * A failure to inject: a 429 throttle, a 5xx, a connection cut before the
 * request is processed or after its write was committed (the unknown-outcome
 * case), a Fault inside HTTP 200 with nothing stored, or a reply held back
 * `delayMs` before or after processing.
 */
export type QuickBooksFakeFault =
  | { kind: 'rate-limit'; retryAfterSeconds?: number }
  | { kind: 'server-error'; status: 500 | 502 | 503 | 504 }
  | { kind: 'fault-in-200'; fault?: IntuitFault }
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
  /** As sent; undefined when the create left it out. */
  globalTaxCalculation: QuickBooksGlobalTaxCalculation | undefined;
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

/** `committed`: whether the request changed the company, which decides if its requestid keeps the reply (successes-only). */
export type Outcome = FakeOutcome & { committed: boolean };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const ACCESS_TTL_MS = 3_600_000;
/** Intuit's x_refresh_token_expires_in: 8726400 s, about 101 days. */
const REFRESH_TTL_MS = 8_726_400_000;

/**
 * One company as the fake keeps it: its settings (options with their defaults), its books, its tokens, the
 * counters its replies draw on, and the envelope every reply goes out in (an intuit_tid header drawn from
 * the seed, the `time` in Pacific time). Each endpoint module reads and changes it.
 */
export interface QuickBooksCompany {
  readonly seed: string;
  readonly now: Now;
  readonly realmId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly limits: QuickBooksFakeLimits;
  readonly accounts: readonly QuickBooksFakeAccount[];
  readonly classes: readonly QuickBooksFakeListItem[];
  readonly departments: readonly QuickBooksFakeListItem[];
  readonly customers: readonly QuickBooksFakeListItem[];
  readonly vendors: readonly QuickBooksFakeListItem[];
  readonly country: string;
  readonly taxTable: QuickBooksFakeTaxTable;
  readonly requireTaxCodes: boolean;
  readonly homeCurrency: string;
  readonly companyName: string;
  readonly closedBooksReply: 'http-400' | 'fault-in-200';
  readonly rejectDuplicateDocNumber: boolean;
  readonly batchOrder: 'shuffled' | 'as-sent';
  readonly multiCurrency: boolean;
  readonly requestIdReplayMode: 'every-response' | 'successes-only';
  readonly retryAfterSeconds: number | undefined;
  readonly createdAt: number;
  bookCloseDate: string | undefined;
  readonly tokens: TokenBook;
  readonly consent: ConsentBook;
  readonly redirectUris: readonly string[];
  revocations: number;
  readonly entries: QuickBooksStoredEntry[];
  readonly transfers: QuickBooksStoredTransfer[];
  readonly deposits: QuickBooksStoredDeposit[];
  readonly attachables: QuickBooksStoredAttachable[];
  readonly attachmentLimitBytes: number;
  readonly requestIds: ReplayCache;
  readonly replays: QuickBooksRequestIdReplay[];
  readonly faults: FaultQueue<QuickBooksFakeFault>;
  readonly log: RequestLog;
  readonly minuteWindow: RollingWindow;
  readonly batchWindow: RollingWindow;
  inFlight: number;
  writeRequests: number;
  replyCount: number;
  batchCount: number;
  entriesCreated: number;
  intuitTid(): string;
  /** The envelope's `time`: now, in Pacific time with milliseconds. */
  time(): string;
  /** The company's date (Pacific). */
  today(): string;
  reply(status: number, body: unknown, headers?: Record<string, string>): FakeReply;
  faultBody(fault: IntuitFault): Record<string, unknown>;
  faultReply(status: number, fault: IntuitFault): FakeReply;
  throttled(retryAfterSeconds: number | undefined): FakeReply;
  authenticationFailed(detail: string): FakeReply;
}

/** What every company of one fake shares, being the app's: the consent pages, the request log and injected faults. */
export type QuickBooksAppParts = Pick<QuickBooksCompany, 'consent' | 'log' | 'faults'>;

/**
 * One company: the first (`options`' own) opens the app's parts; each other one is opened with the first's `app`,
 * so its books, tokens, requestid cache and throttles are its own.
 */
export function openCompany(options: QuickBooksFakeOptions, app?: QuickBooksAppParts): QuickBooksCompany {
  const settings = companySettings(options);
  const { seed, now } = settings;
  const createdAt = now();
  const tokens = new TokenBook({
    prefix: 'qbo-fake',
    seed,
    now,
    accessTtlMs: ACCESS_TTL_MS,
    refreshTtlMs: REFRESH_TTL_MS,
    refreshGraceMs: options.refreshTokenGraceMs ?? DAY_MS,
  });
  if (options.refreshToken !== undefined) tokens.seedRefresh(options.refreshToken);
  const company: QuickBooksCompany = {
    consent: app?.consent ?? new ConsentBook(now),
    revocations: 0,
    ...settings,
    createdAt,
    tokens,
    entries: [],
    transfers: [],
    deposits: [],
    attachables: [],
    attachmentLimitBytes: options.attachmentLimitBytes ?? QUICKBOOKS_ATTACHMENT_LIMIT_BYTES,
    requestIds: new ReplayCache(),
    replays: [],
    faults: app?.faults ?? new FaultQueue<QuickBooksFakeFault>(),
    log: app?.log ?? new RequestLog(now),
    minuteWindow: new RollingWindow(MINUTE_MS),
    batchWindow: new RollingWindow(MINUTE_MS),
    inFlight: 0,
    writeRequests: 0,
    replyCount: 0,
    batchCount: 0,
    entriesCreated: 0,
    ...companyReplies(seed, now, () => (company.replyCount += 1)),
  };
  return company;
}

/** Another company of the fake: the first's settings, with its own realm, name, seed (so its ids and tokens differ) and grant. */
export function otherCompanyOptions(
  options: QuickBooksFakeOptions,
  other: { realmId: string; companyName: string; refreshToken?: string },
): QuickBooksFakeOptions {
  return {
    ...options,
    bookCloseDate: undefined,
    seed: `${options.seed ?? 'ledgerline'}/${other.realmId}`,
    realmId: other.realmId,
    companyName: other.companyName,
    refreshToken: other.refreshToken,
  };
}

/** The company's settings: each option given, else the fake's default. */
function companySettings(options: QuickBooksFakeOptions) {
  const chart = options.accounts ?? QUICKBOOKS_DEFAULT_ACCOUNTS;
  return {
    redirectUris: options.redirectUris ?? [],
    seed: options.seed ?? 'ledgerline',
    now: options.now ?? Date.now,
    realmId: options.realmId ?? QUICKBOOKS_FAKE_DEFAULT_REALM_ID,
    clientId: options.clientId ?? QUICKBOOKS_FAKE_DEFAULT_CLIENT_ID,
    clientSecret: options.clientSecret ?? QUICKBOOKS_FAKE_DEFAULT_CLIENT_SECRET,
    limits: { ...QUICKBOOKS_DEFAULT_LIMITS, ...options.limits },
    accounts: options.multiCurrency === true ? withExchangeGainOrLoss(chart) : chart,
    classes: options.classes ?? [],
    departments: options.departments ?? [],
    customers: options.customers ?? [],
    vendors: options.vendors ?? [],
    country: options.country ?? 'US',
    taxTable: options.taxTable ?? (options.country === 'GB' ? QUICKBOOKS_UK_TAX_TABLE : { rates: [], codes: [] }),
    requireTaxCodes: options.requireTaxCodes ?? true,
    homeCurrency: options.homeCurrency ?? 'USD',
    companyName: options.companyName ?? 'Ledgerline Sandbox Company',
    closedBooksReply: options.closedBooksReply ?? 'http-400',
    rejectDuplicateDocNumber: options.rejectDuplicateDocNumber ?? false,
    batchOrder: options.batchOrder ?? 'shuffled',
    multiCurrency: options.multiCurrency ?? false,
    requestIdReplayMode: options.requestIdReplays ?? 'every-response',
    retryAfterSeconds: options.retryAfterSeconds,
    bookCloseDate: options.bookCloseDate,
  };
}

/** The company's replies, each with its own intuit_tid, and the faults in Intuit's shapes. */
function companyReplies(seed: string, now: () => number, nextReplyCount: () => number) {
  const intuitTid = (): string =>
    `1-${createHash('sha256').update(`${seed}\u0000tid\u0000${nextReplyCount()}`).digest('hex').slice(0, 24)}`;
  const time = (): string => pacificTime(now(), true);
  const today = (): string => new Date(now() - 8 * 3_600_000).toISOString().slice(0, 10);

  function reply(status: number, body: unknown, headers: Record<string, string> = {}): FakeReply {
    return jsonReply(status, body, { intuit_tid: intuitTid(), ...headers });
  }

  function faultBody(fault: IntuitFault): Record<string, unknown> {
    return { Fault: { Error: fault.Error, type: fault.type }, time: time() };
  }

  function faultReply(status: number, fault: IntuitFault): FakeReply {
    return reply(status, faultBody(fault));
  }

  function throttled(retryAfterSeconds: number | undefined): FakeReply {
    const headers: Record<string, string> =
      retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
    return reply(
      429,
      faultBody({
        type: 'SERVICE',
        Error: [
          {
            Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
            Detail: 'The request limit was reached.',
            code: '3001',
          },
        ],
      }),
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
        fault: {
          error: [
            {
              message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
              detail,
              code: '3200',
              element: null,
            },
          ],
          type: 'AUTHENTICATION',
        },
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
  return { intuitTid, time, today, reply, faultBody, faultReply, throttled, authenticationFailed };
}

/**
 * QuickBooks writes times in the company's zone; the fake uses a fixed
 * Pacific Standard Time offset: 1709294400000 → "2024-03-01T04:00:00-08:00"
 * (with milliseconds for the envelope's `time`).
 */
export function pacificTime(epochMs: number, withMilliseconds: boolean): string {
  const local = new Date(epochMs - 8 * 3_600_000).toISOString();
  return `${withMilliseconds ? local.slice(0, 23) : local.slice(0, 19)}-08:00`;
}
