import type { z } from 'zod';
import type { QuickBooksDestinationConfig } from '../../config/index.js';
import {
  AuthError,
  ConfigError,
  InvalidReplyError,
  LockedPeriodError,
  OutcomeUnknownError,
  RateLimitedError,
  RequestRejectedError,
  UpstreamError,
} from '../../errors.js';
import { retryLoop, type WaitResult } from '../../http/retry-loop.js';
import { createHttpClient, type HttpReply } from '../../http/http-client.js';
import { readJson, readWire } from '../../http/json-reply.js';
import { createCallWindow, createInFlightLimit } from '../../http/throttle.js';
import type { RenderedEntry } from '../../rules/index.js';
import { createAccessTokens } from '../access-tokens.js';
import type { TokenStore } from '../token-store.js';
import { parseIsoDate } from '../csv/date-format.js';
import type { DeliveryOutcome, DestinationClient, DestinationLimits, RemoteJournal, RemoteLine } from '../destination-client.js';
import { baseCents, entryConversion, sumByAccount } from '../entry-conversion.js';
import { parseScaled } from '../../money/index.js';
import { DEFAULT_CALL_TIMEOUT_MS, type DestinationClientOptions } from '../destination-client-options.js';
import { DEFAULT_WAIT_BUDGET, destinationRetryOptions, renewalOn401, transientBackoffMs } from '../destination-retry.js';
import {
  QUICKBOOKS_BATCH_MAX_ITEMS,
  quickbooksBatch,
  quickbooksBatchItemId,
  quickbooksDocNumber,
  journalNumberClash,
  journalNumberClashMessage,
  quickbooksJournalEntry,
  quickbooksPartRequestId,
  quickbooksRequestId,
  type QuickbooksAccount,
} from './quickbooks-payload.js';
import { quickbooksListNames, resolveQuickbooksMapping, type QuickbooksCompanyFacts, type QuickbooksListEntry } from './quickbooks-organisation-checks.js';
import { createQuickbooksTokenRequester } from './quickbooks-token-endpoint.js';
import {
  batchLimitInFault,
  isBatchSizeFault,
  isClosedBooksFault,
  isDuplicateDocNumberFault,
  quickbooksBatchReplySchema,
  quickbooksFaultReplySchema,
  quickbooksFaultText,
  quickbooksAccountQueryReplySchema,
  quickbooksCompanyInfoReplySchema,
  quickbooksJournalQueryReplySchema,
  quickbooksListEntrySchema,
  quickbooksListQueryReplySchema,
  quickbooksPreferencesReplySchema,
  quickbooksReadBackReplySchema,
  quickbooksTrialBalanceReplySchema,
  type QuickbooksFault,
} from './quickbooks-wire.js';

/** The API host roots; `apiUrl` in the configuration replaces both. */
export const QUICKBOOKS_API_URLS = {
  production: 'https://quickbooks.api.intuit.com',
  sandbox: 'https://sandbox-quickbooks.api.intuit.com',
} as const;

/** From 1 August 2025 Intuit ignores minor versions below 75; asking for it keeps replies as tested. */
export const QUICKBOOKS_MINOR_VERSION = '75';

/** Per company (Intuit's limits and throttles page): 500 calls a minute, 40 batch calls a minute, 30 items a batch, 10 at once. */
export const QUICKBOOKS_LIMITS: DestinationLimits = {
  entriesPerRequest: QUICKBOOKS_BATCH_MAX_ITEMS,
  maxInFlight: 5,
  requestsPerMinute: 500,
  writesPerMinute: 40,
};

/** Journal entries read back per query in a tie-out. */
const READ_BACK_PAGE_SIZE = 100;

/** Intuit also throttles a company and app at 10 calls a second. */
const QUICKBOOKS_CALLS_PER_SECOND = 10;
/** Intuit: "wait 60 seconds before retrying" a 429, which may come without Retry-After. */
const THROTTLE_WAIT_MS = 60_000;

/** Intuit's limits (QUICKBOOKS_LIMITS) unless `limits` says otherwise. */
export type QuickbooksClientOptions = DestinationClientOptions<QuickBooksDestinationConfig, QuickbooksAccount>;

/** The company `ledgerline connect quickbooks` chose (the realmId of its callback), else the configuration's. */
function connectedRealm(store: TokenStore, configured: string | undefined): string {
  const realmId = store.read('quickbooks')?.connection?.realmId ?? configured;
  if (realmId === undefined) {
    throw new ConfigError([{ file: store.path, path: 'destinations.quickbooks.realmId', message: 'no company is connected: run `ledgerline connect quickbooks` (or set realmId in the configuration)' }]);
  }
  return realmId;
}

/**
 * QuickBooks Online over its REST API with undici: journal entries go out as
 * /batch creates of up to 30, each call carrying a requestid that QuickBooks
 * answers again unchanged if it sees it twice. Tokens come from intuit-oauth
 * (refresh_token grant) through the token store. A Fault inside HTTP 200 is an
 * error, for the whole reply or for the one item it belongs to.
 */
export function createQuickbooksClient(options: QuickbooksClientOptions): DestinationClient {
  const { config, clock, redact } = options;
  const limits: DestinationLimits = { ...QUICKBOOKS_LIMITS, ...(config.batchSize === undefined ? {} : { entriesPerRequest: config.batchSize }), ...options.limits };
  /** The batch size QuickBooks takes: the configured one until a batch is refused for its size, then what the refusal names (or half). */
  let batchSize = limits.entriesPerRequest;
  const baseCurrency = config.baseCurrency ?? 'USD';
  const conversion = (entry: RenderedEntry) => entryConversion('QuickBooks', entry, baseCurrency, options.rates);
  const budget = options.waitBudget ?? DEFAULT_WAIT_BUDGET;
  const realmId = connectedRealm(options.tokenStore, config.realmId);
  const company = `${config.apiUrl ?? QUICKBOOKS_API_URLS[config.environment]}/v3/company/${encodeURIComponent(realmId)}`;
  // One attempt per request: the waits (429, transient failures) are decided below, where Intuit's 60 s rule lives.
  const http = createHttpClient({
    service: 'QuickBooks',
    timeoutMs: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    retry: { maxAttempts: 1, maxTotalMs: 0, baseDelayMs: 0, maxDelayMs: 0 },
    clock,
    redact,
  });
  const tokens = createAccessTokens({
    destination: 'quickbooks',
    store: options.tokenStore,
    configRefreshToken: config.refreshToken,
    requestGrant: createQuickbooksTokenRequester({
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      environment: config.environment,
      ...(config.tokenUrl === undefined ? {} : { tokenUrl: config.tokenUrl }),
    }),
    clock,
    onSecrets: options.onSecrets,
  });
  const pace = createCallWindow({ calls: limits.requestsPerMinute, windowMs: 60_000 }, clock);
  const perSecond = createCallWindow({ calls: QUICKBOOKS_CALLS_PER_SECOND, windowMs: 1_000 }, clock);
  const writePace = createCallWindow({ calls: limits.writesPerMinute ?? limits.requestsPerMinute, windowMs: 60_000 }, clock);
  const inFlight = createInFlightLimit(limits.maxInFlight);
  const counts = { reads: 0, writes: 0 };
  let bookCloseDate: string | undefined;
  let companyFacts: Promise<QuickbooksCompanyFacts> | undefined;
  /** The mapping as sent: after organisation(), with every class, location, customer and vendor named by its id. */
  let mapping = options.mapping;

  /** One API call through the pacing, the waits and a single token renewal on 401; answers other than 401/403 come back as they are. */
  async function call(what: string, request: { method: 'GET' | 'POST'; url: string; body?: string }): Promise<HttpReply> {
    const write = request.method === 'POST';
    const renewal = renewalOn401(tokens, 'QuickBooks', what);
    return retryLoop<HttpReply>(
      async (attemptNumber) => {
        const token = await tokens.current();
        const outcome = await inFlight.run(async () => {
          await pace.acquire();
          if (write) await writePace.acquire();
          await perSecond.acquire();
          counts[write ? 'writes' : 'reads'] += 1;
          try {
            const reply = await http.request({
              method: request.method,
              url: request.url,
              headers: {
                authorization: `Bearer ${token}`,
                accept: 'application/json',
                ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
              },
              ...(request.body === undefined ? {} : { body: request.body }),
              what,
            });
            return { ok: true as const, reply };
          } catch (error) {
            return { ok: false as const, error };
          }
        });
        if (!outcome.ok) return { ...waitAfter(outcome.error, what, attemptNumber) };
        const { reply } = outcome;
        if (reply.status === 401) return renewal(token, 'HTTP 401');
        if (reply.status === 403) throw new AuthError('QuickBooks', `${what} was forbidden (HTTP 403); is company ${realmId} connected to this app?`);
        return { kind: 'done', value: reply };
      },
      destinationRetryOptions(`QuickBooks ${what}`, { clock, budget, redact, log: options.log }),
    );
  }

  /** The HTTP layer's verdict on one attempt: wait (429, a failure before anything was sent, a failed read) or stop. */
  function waitAfter(error: unknown, what: string, attemptNumber: number): WaitResult {
    if (error instanceof RateLimitedError) {
      const waitMs = error.retryAfterMs ?? THROTTLE_WAIT_MS;
      return { kind: 'wait', waitMs, failure: new RateLimitedError('QuickBooks', error.retryAfterMs, `${what}: kept answering 429`), reason: 'throttled (HTTP 429)' };
    }
    // The HTTP layer has already thrown OutcomeUnknownError for a write that may have reached QuickBooks.
    if (error instanceof UpstreamError) {
      return { kind: 'wait', waitMs: transientBackoffMs(attemptNumber), failure: error, reason: error.message };
    }
    throw error;
  }

  function json<S extends z.ZodType>(reply: HttpReply, schema: S, what: string): z.output<S> {
    const parsed = readJson(reply.bodyText);
    if (!parsed.ok) throw new InvalidReplyError('QuickBooks', what, parsed.reason);
    const read = readWire(schema, parsed.value);
    if (!read.ok) throw new InvalidReplyError('QuickBooks', what, read.reason);
    return read.value;
  }

  /** A Fault as the reply to a whole request (HTTP 200 or 400), or undefined when the reply carries none. */
  function wholeFault(reply: HttpReply): QuickbooksFault | undefined {
    const parsed = readJson(reply.bodyText);
    if (!parsed.ok) return undefined;
    const fault = quickbooksFaultReplySchema.safeParse(parsed.value);
    return fault.success ? fault.data.Fault : undefined;
  }

  function refusal(entry: RenderedEntry, fault: QuickbooksFault, status: number): DeliveryOutcome {
    if (isClosedBooksFault(fault)) return { status: 'refused', error: new LockedPeriodError('QuickBooks', entry.id, entry.date, bookCloseDate) };
    return { status: 'refused', error: new RequestRejectedError('QuickBooks', status, redact(`entry ${entry.id}: ${quickbooksFaultText(fault)}`)) };
  }

  async function read<S extends z.ZodType>(what: string, url: string, schema: S): Promise<z.output<S>> {
    const reply = await call(what, { method: 'GET', url });
    if (reply.status !== 200) {
      const fault = wholeFault(reply);
      throw new RequestRejectedError('QuickBooks', reply.status, redact(`${what}: ${fault ? quickbooksFaultText(fault) : 'no Fault in the reply'}`));
    }
    const fault = wholeFault(reply);
    if (fault) throw new RequestRejectedError('QuickBooks', 200, redact(`${what}: ${quickbooksFaultText(fault)}`));
    return json(reply, schema, what);
  }

  const queryUrl = (query: string): string => `${company}/query?query=${encodeURIComponent(query)}&minorversion=${QUICKBOOKS_MINOR_VERSION}`;

  async function readPreferences() {
    const reply = await read('reading preferences', `${company}/preferences?minorversion=${QUICKBOOKS_MINOR_VERSION}`, quickbooksPreferencesReplySchema);
    const date = reply.Preferences.AccountingInfoPrefs?.BookCloseDate?.slice(0, 10);
    if (date !== undefined && date !== '' && parseIsoDate(date) === undefined) {
      throw new InvalidReplyError('QuickBooks', 'GET preferences', `BookCloseDate ${JSON.stringify(date)} is not a date`);
    }
    bookCloseDate = date === '' ? undefined : date;
    return reply.Preferences;
  }

  /** Active entries of a list with these names: Class and Department by Name, Customer and Vendor by DisplayName. */
  async function listEntries(entity: 'Class' | 'Department' | 'Customer' | 'Vendor', names: readonly string[]): Promise<QuickbooksListEntry[]> {
    if (names.length === 0) return [];
    const field = entity === 'Customer' || entity === 'Vendor' ? 'DisplayName' : 'Name';
    const query = `select * from ${entity} where ${field} in (${names.map(quoted).join(', ')}) maxresults 1000`;
    const reply = await read(`looking up ${entity} by name`, queryUrl(query), quickbooksListQueryReplySchema);
    const rows = reply.QueryResponse[entity];
    return (Array.isArray(rows) ? rows : []).flatMap((row) => {
      const entry = quickbooksListEntrySchema.safeParse(row);
      const name = entry.success ? (entry.data.DisplayName ?? entry.data.Name) : undefined;
      return entry.success && name !== undefined ? [{ id: entry.data.Id, name }] : [];
    });
  }

  async function readCompany(): Promise<QuickbooksCompanyFacts> {
    const info = await read('reading the company', `${company}/companyinfo/${encodeURIComponent(realmId)}?minorversion=${QUICKBOOKS_MINOR_VERSION}`, quickbooksCompanyInfoReplySchema);
    const preferences = await readPreferences();
    const ids = [...new Set(Object.values(options.mapping).map((account) => account.id))];
    // Inactive (deleted) accounts answer only when the query asks about Active.
    const accounts = ids.length === 0
      ? []
      : ((await read('reading the mapped accounts', queryUrl(`select * from Account where Active in (true, false) and Id in (${ids.map(quoted).join(', ')}) maxresults 1000`), quickbooksAccountQueryReplySchema))
          .QueryResponse.Account ?? []);
    const names = quickbooksListNames(options.mapping);
    const facts: QuickbooksCompanyFacts = {
      name: info.CompanyInfo.CompanyName ?? '',
      country: info.CompanyInfo.Country ?? '',
      homeCurrency: preferences.CurrencyPrefs?.HomeCurrency?.value ?? '',
      bookCloseDate,
      classTracking: preferences.AccountingInfoPrefs?.ClassTrackingPerTxnLine ?? false,
      locationTracking: preferences.AccountingInfoPrefs?.TrackDepartments ?? false,
      accounts: accounts.map((account) => ({ id: account.Id, name: account.Name, active: account.Active ?? true, accountType: account.AccountType ?? '' })),
      classes: await listEntries('Class', names.class),
      departments: await listEntries('Department', names.location),
      customers: await listEntries('Customer', names.customer),
      vendors: await listEntries('Vendor', names.vendor),
    };
    mapping = resolveQuickbooksMapping(options.mapping, facts);
    return facts;
  }

  async function findPosted(entries: readonly RenderedEntry[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let start = 0; start < entries.length; start += QUICKBOOKS_BATCH_MAX_ITEMS) {
      const slice = entries.slice(start, start + QUICKBOOKS_BATCH_MAX_ITEMS);
      const byDocNumber = new Map(slice.map((entry) => [quickbooksDocNumber(entry), entry]));
      const list = [...byDocNumber.keys()].map((docNumber) => `'${docNumber}'`).join(', ');
      const query = `select * from JournalEntry where DocNumber in (${list}) maxresults 1000`;
      const reply = await read(
        'looking up journal entries by DocNumber',
        `${company}/query?query=${encodeURIComponent(query)}&minorversion=${QUICKBOOKS_MINOR_VERSION}`,
        quickbooksJournalQueryReplySchema,
      );
      for (const journal of reply.QueryResponse.JournalEntry ?? []) {
        const entry = journal.DocNumber === undefined ? undefined : byDocNumber.get(journal.DocNumber);
        if (!entry) continue;
        if (found.has(entry.id)) options.log?.(`QuickBooks holds more than one journal entry for ${entry.id}: ${found.get(entry.id)} and ${journal.Id}`);
        else found.set(entry.id, journal.Id);
      }
    }
    return found;
  }

  const client: DestinationClient = {
    kind: 'quickbooks',
    name: 'QuickBooks',
    baseCurrency,
    limits,
    check(entry) {
      quickbooksJournalEntry(entry, mapping, conversion(entry));
    },
    journalNumberClash() {
      const clash = journalNumberClash();
      return (entry) => {
        const clashing = clash(entry);
        return clashing && journalNumberClashMessage(entry.id, clashing);
      };
    },
    conversion,
    expectedLines(entry, delivered) {
      // The journal keeps the entry's own currency and amounts; the books (and the trial balance) hold them converted.
      const journal = quickbooksJournalEntry(entry, mapping, delivered);
      const accounts = journal.Line.map((line) => line.JournalEntryLineDetail.AccountRef.value);
      const base = baseCents(entry, delivered);
      return {
        journal: sumByAccount(entry.lines.map((line, index) => ({ account: accounts[index] ?? '', cents: line.cents }))),
        base: sumByAccount(base.map((cents, index) => ({ account: accounts[index] ?? '', cents }))),
      };
    },
    async readBack(remoteIds) {
      const found = new Map<string, RemoteJournal>();
      for (let start = 0; start < remoteIds.length; start += READ_BACK_PAGE_SIZE) {
        const ids = remoteIds.slice(start, start + READ_BACK_PAGE_SIZE);
        const query = `select * from JournalEntry where Id in (${ids.map((id) => `'${id.replace(/'/g, '')}'`).join(', ')}) maxresults ${READ_BACK_PAGE_SIZE}`;
        const reply = await read('reading posted journal entries back', `${company}/query?query=${encodeURIComponent(query)}&minorversion=${QUICKBOOKS_MINOR_VERSION}`, quickbooksReadBackReplySchema);
        for (const journal of reply.QueryResponse.JournalEntry ?? []) {
          const lines: RemoteLine[] = journal.Line.flatMap((line) => {
            const detail = line.JournalEntryLineDetail;
            if (!detail || line.Amount === undefined) return [];
            const cents = parseScaled(line.Amount, 2);
            return [{ account: detail.AccountRef.value, cents: detail.PostingType === 'Credit' ? -cents : cents }];
          });
          found.set(journal.Id, { state: 'present', lines: sumByAccount(lines) });
        }
      }
      return found;
    },
    async balances(asOf) {
      const report = await read(
        'reading the trial balance',
        `${company}/reports/TrialBalance?end_date=${encodeURIComponent(asOf)}&minorversion=${QUICKBOOKS_MINOR_VERSION}`,
        quickbooksTrialBalanceReplySchema,
      );
      const balances = new Map<string, bigint>();
      const amount = (text: string | undefined): bigint => (text === undefined || text === '' ? 0n : parseScaled(text.replace(/,/g, ''), 2));
      for (const row of report.Rows.Row) {
        const [account, debit, credit] = row.ColData ?? [];
        if (account?.id === undefined) continue;
        balances.set(account.id, amount(debit?.value) - amount(credit?.value));
      }
      return balances;
    },
    async lockDate() {
      if (companyFacts) return (await companyFacts).bookCloseDate;
      await readPreferences();
      return bookCloseDate;
    },
    async organisation() {
      companyFacts ??= readCompany();
      return { kind: 'quickbooks', facts: await companyFacts };
    },
    findPosted,
    async send(entries, requestKey) {
      if (entries.length <= batchSize) return sendBatch(entries, requestKey);
      // Smaller batches than the pipeline chunked, after a refusal for size: each part under its own requestid.
      const outcomes = new Map<string, DeliveryOutcome>();
      for (let start = 0; start < entries.length; start += batchSize) {
        const part = entries.slice(start, start + batchSize);
        const partKey = quickbooksPartRequestId(requestKey, part.map((entry) => entry.id));
        for (const [entryId, outcome] of await sendBatch(part, partKey)) outcomes.set(entryId, outcome);
      }
      return outcomes;
    },
    requestKey(entries, attempt) {
      return quickbooksRequestId(
        entries.map((entry) => entry.id),
        { batch: true, attempt },
      );
    },
    refreshToken: () => tokens.refresh(),
    callCounts: () => ({ ...counts }),
    close: () => http.close(),
  };

  /** One POST /batch; a refusal for its size lowers batchSize and sends the entries again in smaller parts. */
  async function sendBatch(entries: readonly RenderedEntry[], requestKey: string): Promise<Map<string, DeliveryOutcome>> {
    const what = `creating ${entries.length} journal entr${entries.length === 1 ? 'y' : 'ies'} in a batch`;
    const body = JSON.stringify(quickbooksBatch(entries, mapping, conversion));
    const reply = await call(what, {
      method: 'POST',
      url: `${company}/batch?minorversion=${QUICKBOOKS_MINOR_VERSION}&requestid=${encodeURIComponent(requestKey)}`,
      body,
    });
    const outcomes = new Map<string, DeliveryOutcome>();
    const fault = wholeFault(reply);
    if (reply.status === 400 && fault && isBatchSizeFault(fault) && entries.length > 1) {
      // Nothing of it was stored; the limit is lower than configured (Intuit's documents say 10 in places, 30 in others).
      batchSize = Math.max(1, Math.min(entries.length - 1, batchLimitInFault(fault) ?? Math.ceil(entries.length / 2)));
      options.log?.(`QuickBooks refused a batch of ${entries.length} for its size; sending batches of ${batchSize} from now on`);
      return client.send(entries, requestKey);
    }
    if (reply.status === 400 || (reply.status === 200 && fault)) {
      // Refused whole: nothing of it was stored, and every entry in it carries the reason.
      const whole = fault ?? { Error: [{ Message: 'HTTP 400 without a Fault' }] };
      for (const entry of entries) outcomes.set(entry.id, refusal(entry, whole, reply.status));
      return outcomes;
    }
    if (reply.status !== 200) throw new RequestRejectedError('QuickBooks', reply.status, redact(`${what}: ${fault ? quickbooksFaultText(fault) : 'no Fault in the reply'}`));
    // From here on the batch was carried out: a reply that cannot be read leaves its outcome unknown, never refused.
    const parsed = readJson(reply.bodyText);
    const batch = parsed.ok ? quickbooksBatchReplySchema.safeParse(parsed.value) : undefined;
    if (!batch?.success) throw new OutcomeUnknownError('QuickBooks', what, 'the reply is not a BatchItemResponse');
    const items = batch.data.BatchItemResponse;
    const duplicates: RenderedEntry[] = [];
    for (const [index, entry] of entries.entries()) {
      const item = items.find((candidate) => candidate.bId === quickbooksBatchItemId(index));
      if (!item) throw new OutcomeUnknownError('QuickBooks', what, `the reply has no item for entry ${entry.id}`);
      if (item.JournalEntry) outcomes.set(entry.id, { status: 'posted', remoteId: item.JournalEntry.Id });
      else if (item.Fault && isDuplicateDocNumberFault(item.Fault)) duplicates.push(entry);
      else outcomes.set(entry.id, refusal(entry, item.Fault ?? { Error: [] }, 200));
    }
    if (duplicates.length > 0) {
      // Its journal number is taken: by this very entry, posted before, when the number's owner holds its id.
      const held = await findPosted(duplicates).catch((error: unknown) => {
        throw new OutcomeUnknownError('QuickBooks', what, `looking up entries refused as duplicates failed: ${error instanceof Error ? error.message : String(error)}`);
      });
      for (const entry of duplicates) {
        const remoteId = held.get(entry.id);
        outcomes.set(
          entry.id,
          remoteId === undefined
            ? { status: 'refused', error: new RequestRejectedError('QuickBooks', 200, `entry ${entry.id}: its journal number ${quickbooksDocNumber(entry)} is used by another journal entry (code 6140)`) }
            : { status: 'posted', remoteId },
        );
      }
    }
    return outcomes;
  }

  return client;
}

/** A text literal of QuickBooks' query language: 'O\'Brien Ltd'. */
function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
