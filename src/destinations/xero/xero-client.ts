import { XeroClient, type ManualJournals } from 'xero-node';
import { z } from 'zod';
import type { XeroDestinationConfig } from '../../config/index.js';
import {
  AuthError,
  DailyLimitError,
  InvalidReplyError,
  LockedPeriodError,
  MissingScopeError,
  OutcomeUnknownError,
  RateLimitedError,
  RequestRejectedError,
  UpstreamError,
} from '../../errors.js';
import { readIsoDateTime } from '../../calendar/index.js';
import { createHttpClient } from '../../http/http-client.js';
import { retryLoop, type WaitResult } from '../../http/retry-loop.js';
import { maySendAgain, parseRetryAfter } from '../../http/retry-policy.js';
import { createCallWindow, createInFlightLimit } from '../../http/throttle.js';
import { createAccessTokens } from '../access-tokens.js';
import { centsFromJsonNumber } from '../csv/cents-number.js';
import type { DeliveryOutcome, DestinationClient, DestinationLimits, RemoteJournal } from '../destination-client.js';
import { entryConversion, sumByAccount } from '../entry-conversion.js';
import { parseScaled } from '../../money/index.js';
import { DEFAULT_CALL_TIMEOUT_MS, type DestinationClientOptions } from '../destination-client-options.js';
import { DEFAULT_WAIT_BUDGET, destinationRetryOptions, renewalOn401, transientBackoffMs } from '../destination-retry.js';
import { readXeroFailure, xeroErrorText, type XeroFailure } from './xero-failure.js';
import {
  XERO_JOURNALS_PER_REQUEST,
  xeroIdempotencyKey,
  xeroManualJournal,
  xeroNarration,
  type XeroAccount,
  type XeroJournalStatus,
} from './xero-payload.js';
import { XERO_ACCOUNT_CLASSES, type XeroOrganisationFacts } from './xero-organisation-checks.js';
import { requestXeroGrant, XERO_TOKEN_URL } from './xero-token-endpoint.js';
import { xeroScopeFor } from './xero-scopes.js';

export const XERO_API_URL = 'https://api.xero.com/api.xro/2.0';

/** Per organisation (developer.xero.com, API limits): 60 calls a minute, 5 at once, 5000 a day, about 50 journals a request. */
export const XERO_LIMITS: DestinationLimits = {
  entriesPerRequest: XERO_JOURNALS_PER_REQUEST,
  maxInFlight: 5,
  requestsPerMinute: 60,
  requestsPerDay: 5000,
};

/** Xero's limits (XERO_LIMITS) unless `limits` says otherwise. */
export interface XeroClientOptions extends DestinationClientOptions<XeroDestinationConfig, XeroAccount> {
  /** POSTED unless the configuration or xero.yaml says DRAFT. */
  status: XeroJournalStatus;
}

const journalReplySchema = z.object({
  narration: z.string().optional(),
  manualJournalID: z.string().optional(),
  /** "ERROR" on an element Xero refused (XOAS ManualJournal.StatusAttributeString). */
  statusAttributeString: z.string().optional(),
  validationErrors: z.array(z.object({ message: z.string().optional() })).nullish(),
});
const readBackSchema = z.object({
  manualJournals: z
    .array(
      z.object({
        manualJournalID: z.string(),
        status: z.string().optional(),
        journalLines: z.array(z.object({ accountCode: z.string().optional(), lineAmount: z.number().optional() })).nullish(),
      }),
    )
    .nullish(),
});
const trialBalanceSchema = z.object({
  reports: z
    .array(
      z.object({
        rows: z
          .array(z.object({ rowType: z.string().optional(), rows: z.array(z.object({ cells: z.array(z.object({ value: z.string().optional() })).nullish() })).nullish() }))
          .nullish(),
      }),
    )
    .nullish(),
});
/** Statuses of a journal a person has taken out of the books. */
const REMOVED_STATUSES = new Set(['DELETED', 'VOIDED', 'ARCHIVED']);
/** "Sales (200)" → "200": the trial balance names an account with its code in brackets. */
const ACCOUNT_CODE_IN_NAME = /\(([^()]+)\)\s*$/;
const journalsReplySchema = z.object({ manualJournals: z.array(journalReplySchema).nullish() });
const organisationsReplySchema = z.object({
  organisations: z
    .array(
      z.object({
        name: z.string().nullish(),
        baseCurrency: z.string().nullish(),
        countryCode: z.string().nullish(),
        periodLockDate: z.unknown().optional(),
        endOfYearLockDate: z.unknown().optional(),
      }),
    )
    .nullish(),
});
const accountsReplySchema = z.object({
  accounts: z.array(
    z.object({ code: z.string().nullish(), name: z.string().nullish(), status: z.string().nullish(), _class: z.string().nullish(), systemAccount: z.string().nullish() }),
  ),
});
const taxRatesReplySchema = z.object({
  taxRates: z.array(
    z.object({
      taxType: z.string().nullish(),
      name: z.string().nullish(),
      status: z.string().nullish(),
      canApplyToAssets: z.boolean().nullish(),
      canApplyToEquity: z.boolean().nullish(),
      canApplyToExpenses: z.boolean().nullish(),
      canApplyToLiabilities: z.boolean().nullish(),
      canApplyToRevenue: z.boolean().nullish(),
    }),
  ),
});
const trackingReplySchema = z.object({
  trackingCategories: z.array(
    z.object({ name: z.string().nullish(), status: z.string().nullish(), options: z.array(z.object({ name: z.string().nullish(), status: z.string().nullish() })).nullish() }),
  ),
});

/** Xero answers an element it refused with this id. */
const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
const LOOKUP_PAGE_SIZE = 100;
/** Xero's texts for a journal dated in a locked period ("… currently set at 31-Jan-2024"). */
const LOCKED_PERIOD = /lock date, currently set at (\d{1,2})-([A-Za-z]{3})-(\d{4})/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

type Refused = { kind: 'refused'; status: number; text: string };
type CallResult<T> = { kind: 'ok'; value: T } | Refused;

/**
 * Xero through xero-node (accountingApi), with ledgerline holding the tokens:
 * it never calls initialize() (whose discovery URL is hard-coded), gets tokens
 * from the token endpoint itself and hands them over with setTokenSet. Every
 * call passes one pacing point: at most 5 in flight, 60 a minute, waits for
 * minute-limit 429s, stops on the daily limit, and renews the token once on 401.
 */
export function createXeroClient(options: XeroClientOptions): DestinationClient {
  const { config, clock, redact } = options;
  const limits: DestinationLimits = { ...XERO_LIMITS, ...options.limits };
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const budget = options.waitBudget ?? DEFAULT_WAIT_BUDGET;
  // The organisation `ledgerline connect xero` chose wins over the configuration's; a custom connection has neither.
  const tenantId = options.tokenStore.read('xero')?.connection?.tenantId ?? config.tenantId ?? '';
  const xero = new XeroClient({ clientId: config.clientId, clientSecret: config.clientSecret ?? '', grantType: 'client_credentials' });
  xero.accountingApi.basePath = config.apiUrl ?? XERO_API_URL;

  const tokenHttp = createHttpClient({
    service: 'Xero',
    timeoutMs: 30_000,
    retry: { maxAttempts: 3, maxTotalMs: 30_000, baseDelayMs: 500, maxDelayMs: 5_000 },
    clock,
    redact,
    ...(options.log ? { log: options.log } : {}),
  });
  const tokens = createAccessTokens({
    destination: 'xero',
    store: options.tokenStore,
    configRefreshToken: config.refreshToken,
    requestGrant: (refreshToken) =>
      requestXeroGrant(tokenHttp, { tokenUrl: config.tokenUrl ?? XERO_TOKEN_URL, clientId: config.clientId, clientSecret: config.clientSecret }, refreshToken),
    clock,
    onSecrets: options.onSecrets,
  });
  const pace = createCallWindow({ calls: limits.requestsPerMinute, windowMs: 60_000 }, clock);
  const inFlight = createInFlightLimit(limits.maxInFlight);
  const counts = { reads: 0, writes: 0 };
  const baseCurrency = config.baseCurrency ?? 'USD';
  const conversion = (entry: Parameters<DestinationClient['conversion']>[0]) => entryConversion('Xero', entry, baseCurrency, options.rates);

  async function call<T>(what: string, write: boolean, invoke: () => Promise<T>): Promise<CallResult<T>> {
    const renewal = renewalOn401(tokens, 'Xero', what);
    return retryLoop<CallResult<T>>(
      async (attemptNumber) => {
        const outcome = await inFlight.run(async () => {
          await pace.acquire();
          // The SDK keeps one token for every call; it is set from the freshest one just before each call builds its request.
          const token = await tokens.current();
          xero.setTokenSet({ access_token: token, token_type: 'Bearer' });
          counts[write ? 'writes' : 'reads'] += 1;
          try {
            return { ok: true as const, token, value: await withTimeout(invoke(), timeoutMs) };
          } catch (rejection) {
            return { ok: false as const, token, failure: readXeroFailure(rejection) };
          }
        });
        if (outcome.ok) return { kind: 'done', value: { kind: 'ok', value: outcome.value } };
        const { failure, token } = outcome;
        if (failure.kind === 'reply' && failure.status === 401) {
          const detail = redact(xeroErrorText(failure.body));
          // Xero tells a missing scope (AuthorizationUnsuccessful) from a bad token (AuthenticationUnsuccessful); a new token would not help.
          if (detail.startsWith('AuthorizationUnsuccessful')) throw new MissingScopeError('Xero', what, xeroScopeFor(what, config.scopes ?? 'granular'));
          return renewal(token, detail);
        }
        const decision = decide(failure, what, write, attemptNumber);
        return decision.kind === 'wait' ? decision : { kind: 'done', value: decision };
      },
      destinationRetryOptions(`Xero ${what}`, { clock, budget, redact, log: options.log }),
    );
  }

  /**
   * What one failed attempt means: wait and try again, stop with the error
   * that says what to do (thrown), or a refusal handed back to the caller.
   */
  function decide(failure: XeroFailure, what: string, write: boolean, attemptNumber: number): WaitResult | Refused {
    if (failure.kind === 'no-reply') {
      const detail = redact(failure.message);
      if (!maySendAgain({ mayHaveReachedServer: !failure.neverSent }, !write)) throw new OutcomeUnknownError('Xero', what, detail);
      return { kind: 'wait', waitMs: transientBackoffMs(attemptNumber), failure: new UpstreamError('Xero', `${what}: ${detail}`), reason: detail };
    }
    const text = redact(xeroErrorText(failure.body));
    const { status } = failure;
    if (status === 403) {
      throw new AuthError('Xero', `${what} was forbidden (${text}); is organisation ${tenantId || '(custom connection)'} connected to this app?`);
    }
    if (status === 429) {
      const problem = (failure.headers['x-rate-limit-problem'] ?? 'minute').toLowerCase();
      const retryAfterMs = parseRetryAfter(failure.headers['retry-after'], clock.now());
      if (problem === 'day') throw new DailyLimitError('Xero', new Date(clock.now() + (retryAfterMs ?? untilNextUtcDay(clock.now()))));
      return {
        kind: 'wait',
        waitMs: retryAfterMs ?? (problem === 'concurrent' ? 1_000 : 60_000),
        failure: new RateLimitedError('Xero', retryAfterMs, `${what}: the ${problem} limit kept answering 429`),
        reason: `rate limited (${problem} limit)`,
      };
    }
    if (status >= 500) {
      if (!maySendAgain({ status }, !write)) throw new OutcomeUnknownError('Xero', what, `HTTP ${status}: ${text}`);
      return { kind: 'wait', waitMs: transientBackoffMs(attemptNumber), failure: new UpstreamError('Xero', `${what}: HTTP ${status}: ${text}`, status), reason: `HTTP ${status}` };
    }
    return { kind: 'refused', status, text };
  }

  async function read<T>(what: string, invoke: () => Promise<T>): Promise<T> {
    const result = await call(what, false, invoke);
    if (result.kind === 'refused') throw new RequestRejectedError('Xero', result.status, `${what}: ${result.text}`);
    return result.value;
  }

  async function readOrganisation(): Promise<XeroOrganisationFacts> {
    const reply = await read('reading the organisation', () => xero.accountingApi.getOrganisations(tenantId));
    const organisation = parse(organisationsReplySchema, reply.body, 'GET Organisation').organisations?.[0];
    if (!organisation) throw new InvalidReplyError('Xero', 'GET Organisation', 'no organisation in the reply');
    const accounts = parse(accountsReplySchema, (await read('reading the chart of accounts', () => xero.accountingApi.getAccounts(tenantId))).body, 'GET Accounts');
    const taxRates = parse(taxRatesReplySchema, (await read('reading the tax rates', () => xero.accountingApi.getTaxRates(tenantId))).body, 'GET TaxRates');
    const tracking = parse(
      trackingReplySchema,
      (await read('reading the tracking categories', () => xero.accountingApi.getTrackingCategories(tenantId, undefined, undefined, true))).body,
      'GET TrackingCategories',
    );
    return {
      name: organisation.name ?? '',
      baseCurrency: organisation.baseCurrency ?? '',
      countryCode: organisation.countryCode ?? '',
      periodLockDate: isoDay(organisation.periodLockDate),
      endOfYearLockDate: isoDay(organisation.endOfYearLockDate),
      accounts: accounts.accounts.map((account) => ({
        code: account.code ?? '',
        name: account.name ?? '',
        status: account.status ?? 'ACTIVE',
        accountClass: XERO_ACCOUNT_CLASSES.find((known) => known === account._class),
        systemAccount: account.systemAccount || undefined,
      })),
      taxRates: taxRates.taxRates.map((rate) => ({
        taxType: rate.taxType ?? '',
        name: rate.name ?? '',
        status: rate.status ?? 'ACTIVE',
        canApplyTo: {
          ...(rate.canApplyToAssets == null ? {} : { ASSET: rate.canApplyToAssets }),
          ...(rate.canApplyToEquity == null ? {} : { EQUITY: rate.canApplyToEquity }),
          ...(rate.canApplyToExpenses == null ? {} : { EXPENSE: rate.canApplyToExpenses }),
          ...(rate.canApplyToLiabilities == null ? {} : { LIABILITY: rate.canApplyToLiabilities }),
          ...(rate.canApplyToRevenue == null ? {} : { REVENUE: rate.canApplyToRevenue }),
        },
      })),
      trackingCategories: tracking.trackingCategories.map((category) => ({
        name: category.name ?? '',
        status: category.status ?? 'ACTIVE',
        options: (category.options ?? []).map((option) => ({ name: option.name ?? '', status: option.status ?? 'ACTIVE' })),
      })),
    };
  }

  let organisation: Promise<XeroOrganisationFacts> | undefined;

  return {
    kind: 'xero',
    name: 'Xero',
    baseCurrency,
    limits,
    check(entry) {
      xeroManualJournal(entry, options.mapping, { status: options.status, conversion: conversion(entry) });
    },
    conversion,
    expectedLines(entry, delivered) {
      const journal = xeroManualJournal(entry, options.mapping, { status: options.status, conversion: delivered });
      // A manual journal is in the base currency: what it holds is what the books hold.
      const lines = sumByAccount(journal.journalLines.map((line) => ({ account: line.accountCode, cents: parseScaled(String(line.lineAmount), 2) })));
      return { journal: lines, base: lines };
    },
    async readBack(remoteIds) {
      const found = new Map<string, RemoteJournal>();
      for (let start = 0; start < remoteIds.length; start += LOOKUP_PAGE_SIZE) {
        const ids = remoteIds.slice(start, start + LOOKUP_PAGE_SIZE);
        const where = ids.map((id) => `ManualJournalID==Guid("${escapeWhere(id)}")`).join(' OR ');
        const reply = await read('reading posted journals back', () => xero.accountingApi.getManualJournals(tenantId, undefined, where, undefined, 1, LOOKUP_PAGE_SIZE));
        const parsed = readBackSchema.safeParse(reply.body);
        if (!parsed.success) throw new InvalidReplyError('Xero', 'GET ManualJournals', 'no ManualJournals list in the reply');
        for (const journal of parsed.data.manualJournals ?? []) {
          const status = journal.status ?? 'POSTED';
          const lines = (journal.journalLines ?? []).map((line) => ({ account: line.accountCode ?? '', cents: centsFromJsonNumber(line.lineAmount ?? 0) }));
          found.set(journal.manualJournalID, REMOVED_STATUSES.has(status) ? { state: 'removed', status } : { state: 'present', lines: sumByAccount(lines) });
        }
      }
      return found;
    },
    async balances(asOf) {
      const reply = await read('reading the trial balance', () => xero.accountingApi.getReportTrialBalance(tenantId, asOf));
      const parsed = trialBalanceSchema.safeParse(reply.body);
      const report = parsed.success ? parsed.data.reports?.[0] : undefined;
      if (!report) throw new InvalidReplyError('Xero', 'GET Reports/TrialBalance', 'no report in the reply');
      const balances = new Map<string, bigint>();
      for (const section of report.rows ?? []) {
        for (const row of section.rows ?? []) {
          // Account, Debit, Credit, YTD Debit, YTD Credit: the YTD pair is the balance through the date.
          const cells = (row.cells ?? []).map((cell) => cell.value ?? '');
          const code = ACCOUNT_CODE_IN_NAME.exec(cells[0] ?? '')?.[1];
          if (code === undefined) continue;
          const amount = (text: string | undefined): bigint => (text === undefined || text === '' ? 0n : parseScaled(text.replace(/,/g, ''), 2));
          balances.set(code, amount(cells[3]) - amount(cells[4]));
        }
      }
      return balances;
    },
    async lockDate() {
      if (organisation) {
        const facts = await organisation;
        return [facts.periodLockDate, facts.endOfYearLockDate].filter((date) => date !== undefined).sort().at(-1);
      }
      const reply = await read('reading the organisation (lock dates)', () => xero.accountingApi.getOrganisations(tenantId));
      const found = parse(organisationsReplySchema, reply.body, 'GET Organisation').organisations?.[0];
      if (!found) throw new InvalidReplyError('Xero', 'GET Organisation', 'no organisation in the reply');
      const dates = [isoDay(found.periodLockDate), isoDay(found.endOfYearLockDate)].filter((date) => date !== undefined);
      return dates.sort().at(-1);
    },
    async organisation() {
      organisation ??= readOrganisation();
      return { kind: 'xero', facts: await organisation };
    },
    async findPosted(entries) {
      const found = new Map<string, string>();
      if (entries.length === 0) return found;
      // The entry id sits in the narration in brackets, which keeps je:x:1 from matching je:x:10.
      const where = entries.map((entry) => `Narration.Contains("[${escapeWhere(entry.id)}]")`).join(' OR ');
      const maxPages = Math.ceil(entries.length / LOOKUP_PAGE_SIZE) + 2;
      for (let page = 1; page <= maxPages; page += 1) {
        const reply = await read('looking up journals by narration', () => xero.accountingApi.getManualJournals(tenantId, undefined, where, undefined, page, LOOKUP_PAGE_SIZE));
        const parsed = journalsReplySchema.safeParse(reply.body);
        if (!parsed.success) throw new InvalidReplyError('Xero', 'GET ManualJournals', 'no ManualJournals list in the reply');
        const journals = parsed.data.manualJournals ?? [];
        for (const journal of journals) {
          const entry = entries.find((candidate) => journal.narration?.endsWith(`[${candidate.id}]`));
          if (!entry || !journal.manualJournalID) continue;
          if (found.has(entry.id)) options.log?.(redact(`Xero holds more than one journal for entry ${entry.id}: ${found.get(entry.id)} and ${journal.manualJournalID}`));
          else found.set(entry.id, journal.manualJournalID);
        }
        if (journals.length < LOOKUP_PAGE_SIZE) break;
      }
      return found;
    },
    async send(entries, requestKey) {
      const manualJournals = entries.map((entry) => xeroManualJournal(entry, options.mapping, { status: options.status, conversion: conversion(entry) }));
      const what = `creating ${entries.length} manual journal${entries.length === 1 ? '' : 's'}`;
      // The payload is xero-node's model with its enums as the strings they hold at run time.
      const body = { manualJournals } as unknown as ManualJournals;
      const result = await call(what, true, () => xero.accountingApi.createManualJournals(tenantId, body, false, requestKey));
      const outcomes = new Map<string, DeliveryOutcome>();
      if (result.kind === 'refused') {
        if (result.status !== 400) throw new RequestRejectedError('Xero', result.status, `${what}: ${result.text}`);
        for (const entry of entries) outcomes.set(entry.id, { status: 'refused', error: new RequestRejectedError('Xero', 400, result.text) });
        return outcomes;
      }
      const parsed = journalsReplySchema.safeParse(result.value.body);
      const replies = parsed.success ? (parsed.data.manualJournals ?? []) : [];
      for (const entry of entries) {
        // By narration, not position: a replayed answer to an earlier request with the same key may list more journals.
        const narration = xeroNarration(entry);
        const reply = replies.find((candidate) => candidate.narration === narration) ?? replies.find((candidate) => candidate.narration?.endsWith(`[${entry.id}]`));
        if (!reply) throw new OutcomeUnknownError('Xero', what, `the reply does not mention entry ${entry.id}`);
        const problems = (reply.validationErrors ?? []).map((error) => error.message ?? 'refused without a message');
        if (problems.length === 0 && reply.statusAttributeString !== 'ERROR' && reply.manualJournalID && reply.manualJournalID !== ZERO_GUID) {
          outcomes.set(entry.id, { status: 'posted', remoteId: reply.manualJournalID });
          continue;
        }
        const locked = problems.map((problem) => LOCKED_PERIOD.exec(problem)).find((match) => match !== null);
        outcomes.set(entry.id, {
          status: 'refused',
          error: locked
            ? new LockedPeriodError('Xero', entry.id, entry.date, lockDateFromText(locked))
            : new RequestRejectedError('Xero', 200, redact(`entry ${entry.id}: ${problems.join('; ') || 'refused without a reason'}`)),
        });
      }
      return outcomes;
    },
    requestKey(entries, attempt) {
      return xeroIdempotencyKey(
        entries.map((entry) => entry.id),
        { attempt },
      );
    },
    refreshToken: () => tokens.refresh(),
    callCounts: () => ({ ...counts }),
    close: () => tokenHttp.close(),
  };
}

function parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new InvalidReplyError('Xero', what, parsed.error.issues[0]?.message ?? 'not the expected shape');
  return parsed.data;
}

/** Rejects after `ms` with what xero-node would say of a timeout, so the caller reads it like any lost answer. */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(JSON.stringify({ response: { statusCode: 0, body: `no answer within ${ms} ms` } })), ms);
  });
  // The SDK call keeps running after a timeout; its late failure must not surface as an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** xero-node turns Xero's "/Date(…)/" into a Date even where the model says string. */
function isoDay(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value !== 'string' || value === '') return undefined;
  const msDate = /^\/Date\((-?\d+)/.exec(value);
  if (msDate) return new Date(Number(msDate[1])).toISOString().slice(0, 10);
  const day = value.slice(0, 10);
  return readIsoDateTime(day) === undefined ? undefined : day;
}

/** "31-Jan-2024" → "2024-01-31". */
function lockDateFromText(match: RegExpExecArray): string | undefined {
  const month = MONTHS.indexOf((match[2] ?? '').toLowerCase() as (typeof MONTHS)[number]);
  if (month < 0) return undefined;
  return `${match[3]}-${String(month + 1).padStart(2, '0')}-${(match[1] ?? '').padStart(2, '0')}`;
}

function escapeWhere(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Xero's day allowance is rolling; without a Retry-After, the next UTC midnight is a safe time to say. */
function untilNextUtcDay(nowMs: number): number {
  const next = new Date(nowMs);
  next.setUTCHours(24, 0, 0, 0);
  return next.getTime() - nowMs;
}
