import { clearingMoveOf } from '../bank-document-client.js';
import { checkedWithMappingFile, mappedAccount } from '../delivery/account-mapping.js';
import { z } from 'zod';
import type { QuickBooksDestinationConfig } from './quickbooks-config.js';
import { ConfigError, OutcomeUnknownError, RequestRejectedError } from '../../errors.js';
import type { RenderedEntry } from '../../rules/index.js';
import type { TokenStore } from '../token-store.js';
import type {
  Conversion,
  DeliveryOutcome,
  DestinationClient,
  DestinationLimits,
  RemoteJournal,
} from '../destination-client.js';
import { deliveredConversion, entryConversion } from '../entry-conversion.js';
import type { DestinationClientOptions } from '../destination-client-options.js';
import {
  QUICKBOOKS_BATCH_MAX_ITEMS,
  quickbooksBatch,
  quickbooksDocNumber,
  journalNumberClash,
  journalNumberClashMessage,
  quickbooksJournalEntry,
  quickbooksPartRequestId,
  quickbooksRequestId,
  type QuickbooksAccount,
} from './quickbooks-payload.js';
import {
  checkQuickbooksCompany,
  quickbooksListNames,
  resolveQuickbooksMapping,
  type QuickbooksCompanyFacts,
  type QuickbooksListEntry,
} from './quickbooks-organisation-checks.js';
import { quickbooksRefusal, quickbooksRequestRejected } from './quickbooks-faults.js';
import {
  quickbooksWholeFault,
  readBatchItems,
  readBookCloseDate,
  readListEntries,
  readPostedJournals,
  readQuickbooksReply,
  readTrialBalance,
} from './quickbooks-replies.js';
import { createQuickbooksTransport, type QuickbooksTransport } from './quickbooks-transport.js';
import { lineTaxesOf, logTaxDifferences } from './quickbooks-tax-session.js';
import { quickbooksExpectedLines } from './quickbooks-books.js';
import {
  quickbooksTaxCodeReplySchema,
  quickbooksTaxRateReplySchema,
  readTaxCodeFacts,
  type QuickbooksTaxCodeFact,
  type QuickbooksTaxSetup,
} from './quickbooks-tax.js';
import {
  batchLimitInFault,
  isBatchSizeFault,
  isDuplicateDocNumberFault,
  quickbooksAccountQueryReplySchema,
  quickbooksCompanyInfoReplySchema,
  quickbooksJournalQueryReplySchema,
  quickbooksListQueryReplySchema,
  quickbooksPreferencesReplySchema,
  quickbooksReadBackReplySchema,
  quickbooksTrialBalanceReplySchema,
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

/** Intuit's limits (QUICKBOOKS_LIMITS) unless `limits` says otherwise. */
export interface QuickbooksClientOptions extends DestinationClientOptions<
  QuickBooksDestinationConfig,
  QuickbooksAccount
> {
  /** quickbooks.yaml's `tax:` flows and `untaxedCode` (issue 54); without them no line carries a tax code. */
  tax?: QuickbooksTaxSetup | undefined;
}

/** The company `ledgerline connect quickbooks` chose (the realmId of its callback), else the configuration's. */
export function connectedRealm(store: TokenStore, configured: string | undefined): string {
  const realmId = store.read('quickbooks')?.connection?.realmId ?? configured;
  if (realmId === undefined) {
    throw new ConfigError([
      {
        file: store.path,
        path: 'destinations.quickbooks.realmId',
        message: 'no company is connected: run `ledgerline connect quickbooks` (or set realmId in the configuration)',
      },
    ]);
  }
  return realmId;
}

/** One client's company and what it learnt of it: the close date, the mapping with ids, the batch size QuickBooks takes. */
interface QuickbooksSession {
  options: QuickbooksClientOptions;
  transport: QuickbooksTransport;
  realmId: string;
  /** The company's API root: …/v3/company/{realmId}. */
  company: string;
  conversion: (entry: RenderedEntry) => Conversion | undefined;
  bookCloseDate: string | undefined;
  /** The mapping as sent: after organisation(), with every class, location, customer and vendor named by its id. */
  mapping: QuickbooksClientOptions['mapping'];
  /** The batch size QuickBooks takes: the configured one until a batch is refused for its size, then what the refusal names (or half). */
  batchSize: number;
  companyFacts: Promise<QuickbooksCompanyFacts> | undefined;
  /** The company's tax codes, once read, for a non-US company and a mapping with a tax section: lines are coded only then. */
  taxCodes: readonly QuickbooksTaxCodeFact[] | undefined;
}

/**
 * QuickBooks Online over its REST API with undici: journal entries go out as
 * /batch creates of up to 30, each call carrying a requestid that QuickBooks
 * answers again unchanged if it sees it twice. Tokens come from intuit-oauth
 * (refresh_token grant) through the token store. A Fault inside HTTP 200 is an
 * error, for the whole reply or for the one item it belongs to.
 */
export function createQuickbooksClient(options: QuickbooksClientOptions): DestinationClient {
  const { config } = options;
  const limits: DestinationLimits = {
    ...QUICKBOOKS_LIMITS,
    ...(config.batchSize === undefined ? {} : { entriesPerRequest: config.batchSize }),
    ...options.limits,
  };
  const baseCurrency = config.baseCurrency ?? 'USD';
  const realmId = connectedRealm(options.tokenStore, config.realmId);
  const session: QuickbooksSession = {
    options,
    transport: createQuickbooksTransport(options, limits, realmId),
    realmId,
    company: `${config.apiUrl ?? QUICKBOOKS_API_URLS[config.environment]}/v3/company/${encodeURIComponent(realmId)}`,
    conversion: (entry) => entryConversion('QuickBooks', entry, baseCurrency, options.rates),
    bookCloseDate: undefined,
    mapping: options.mapping,
    batchSize: limits.entriesPerRequest,
    companyFacts: undefined,
    taxCodes: undefined,
  };
  return {
    kind: 'quickbooks',
    name: 'QuickBooks',
    baseCurrency,
    limits,
    createsBankDocuments: config.transit?.createBankDocuments === true,
    clearingMove: (document) =>
      clearingMoveOf(
        document,
        mappedAccount(options.mapping, document.clearingAccount, document.itemId, 'QuickBooks').id,
      ),
    check: (entry) =>
      checkedWithMappingFile(
        'QuickBooks',
        options.mappingFile,
        () => void quickbooksJournalEntry(entry, session.mapping, session.conversion(entry)),
      ),
    journalNumberClash: clashWatcher,
    conversion: session.conversion,
    expectedLines: (entry, delivery) =>
      quickbooksExpectedLines(entry, session.mapping, options.tax, deliveredConversion(entry, baseCurrency, delivery)),
    readBack: (remoteIds) => readBack(session, remoteIds),
    taxSetup: () => taxSetupOf(session),
    journalsDated: (from, to) => journalsDated(session, from, to),
    balances: (asOf) => balances(session, asOf),
    async lockDate() {
      if (session.companyFacts) return (await session.companyFacts).bookCloseDate;
      await readPreferences(session);
      return session.bookCloseDate;
    },
    async organisation() {
      session.companyFacts ??= readCompany(session);
      const facts = await session.companyFacts;
      return {
        checks: (expected) =>
          checkQuickbooksCompany(facts, {
            ...expected,
            mappingFile: options.mappingFile,
            accounts: options.mapping,
            evidence: options.config.evidence,
            tax: options.tax,
          }),
      };
    },
    findPosted: (entries) => findPosted(session, entries),
    send: (entries, requestKey) => sendInParts(session, entries, requestKey),
    requestKey: (entries, attempt) =>
      quickbooksRequestId(
        entries.map((entry) => entry.id),
        { batch: true, attempt },
      ),
    refreshToken: () => session.transport.tokens.refresh(),
    callCounts: () => session.transport.counts(),
    close: () => session.transport.close(),
  };
}

/** The watcher of DocNumber clashes (journalNumberClash), answering with the sentence a person acts on. */
function clashWatcher(): (entry: RenderedEntry) => string | undefined {
  const clash = journalNumberClash();
  return (entry) => {
    const clashing = clash(entry);
    return clashing && journalNumberClashMessage(entry.id, clashing);
  };
}

/** The tax flows this company's lines are coded with: none without a tax section, and none in a US company. */
async function taxSetupOf(session: QuickbooksSession): Promise<QuickbooksTaxSetup | undefined> {
  if (session.options.tax === undefined) return undefined;
  session.companyFacts ??= readCompany(session);
  await session.companyFacts;
  return session.taxCodes === undefined ? undefined : session.options.tax;
}

/** What a read needs of a session: the transport, the company's API root and the redaction. */
export type QuickbooksReader = Pick<QuickbooksSession, 'transport' | 'company' | 'options'>;

/** A session of its own for a client beside the journals' (bank documents, evidence): the connected company, its transport and base URL. */
export function quickbooksReaderFor(options: QuickbooksClientOptions): QuickbooksReader {
  const limits = { ...QUICKBOOKS_LIMITS, ...options.limits };
  const realmId = connectedRealm(options.tokenStore, options.config.realmId);
  const company = `${options.config.apiUrl ?? QUICKBOOKS_API_URLS[options.config.environment]}/v3/company/${encodeURIComponent(realmId)}`;
  return { options, transport: createQuickbooksTransport(options, limits, realmId), company };
}

/** A GET whose reply must be HTTP 200 without a Fault, read as `schema`. */
export async function read<S extends z.ZodType>(
  session: QuickbooksReader,
  what: string,
  url: string,
  schema: S,
): Promise<z.output<S>> {
  const reply = await session.transport.call(what, { method: 'GET', url });
  const fault = quickbooksWholeFault(reply.bodyText);
  if (reply.status !== 200 || fault) throw quickbooksRequestRejected(what, reply.status, fault, session.options.redact);
  return readQuickbooksReply(reply.bodyText, schema, what);
}

export function queryUrl(session: Pick<QuickbooksSession, 'company'>, query: string): string {
  return `${session.company}/query?query=${encodeURIComponent(query)}&minorversion=${QUICKBOOKS_MINOR_VERSION}`;
}

async function readPreferences(session: QuickbooksSession) {
  const reply = await read(
    session,
    'reading preferences',
    `${session.company}/preferences?minorversion=${QUICKBOOKS_MINOR_VERSION}`,
    quickbooksPreferencesReplySchema,
  );
  session.bookCloseDate = readBookCloseDate(reply.Preferences);
  return reply.Preferences;
}

/** Active entries of a list with these names: Class and Department by Name, Customer and Vendor by DisplayName. */
async function listEntries(
  session: QuickbooksSession,
  entity: 'Class' | 'Department' | 'Customer' | 'Vendor',
  names: readonly string[],
): Promise<QuickbooksListEntry[]> {
  if (names.length === 0) return [];
  const field = entity === 'Customer' || entity === 'Vendor' ? 'DisplayName' : 'Name';
  const query = `select * from ${entity} where ${field} in (${names.map(quoted).join(', ')}) maxresults 1000`;
  return readListEntries(
    await read(session, `looking up ${entity} by name`, queryUrl(session, query), quickbooksListQueryReplySchema),
    entity,
  );
}

async function readCompany(session: QuickbooksSession): Promise<QuickbooksCompanyFacts> {
  const { options, company, realmId } = session;
  const info = await read(
    session,
    'reading the company',
    `${company}/companyinfo/${encodeURIComponent(realmId)}?minorversion=${QUICKBOOKS_MINOR_VERSION}`,
    quickbooksCompanyInfoReplySchema,
  );
  const preferences = await readPreferences(session);
  const ids = [...new Set(Object.values(options.mapping).map((account) => account.id))];
  // Inactive (deleted) accounts answer only when the query asks about Active.
  const accountQuery = `select * from Account where Active in (true, false) and Id in (${ids.map(quoted).join(', ')}) maxresults 1000`;
  const accounts =
    ids.length === 0
      ? []
      : ((
          await read(
            session,
            'reading the mapped accounts',
            queryUrl(session, accountQuery),
            quickbooksAccountQueryReplySchema,
          )
        ).QueryResponse.Account ?? []);
  const names = quickbooksListNames(options.mapping);
  const facts: QuickbooksCompanyFacts = {
    name: info.CompanyInfo.CompanyName ?? '',
    country: info.CompanyInfo.Country ?? '',
    homeCurrency: preferences.CurrencyPrefs?.HomeCurrency?.value ?? '',
    bookCloseDate: session.bookCloseDate,
    classTracking: preferences.AccountingInfoPrefs?.ClassTrackingPerTxnLine ?? false,
    locationTracking: preferences.AccountingInfoPrefs?.TrackDepartments ?? false,
    accounts: accounts.map((account) => ({
      id: account.Id,
      name: account.Name,
      active: account.Active ?? true,
      accountType: account.AccountType ?? '',
    })),
    classes: await listEntries(session, 'Class', names.class),
    departments: await listEntries(session, 'Department', names.location),
    customers: await listEntries(session, 'Customer', names.customer),
    vendors: await listEntries(session, 'Vendor', names.vendor),
    ...(options.tax === undefined ? {} : { taxCodes: await readTaxCodes(session) }),
  };
  session.mapping = resolveQuickbooksMapping(options.mapping, facts);
  if (options.tax !== undefined && facts.country !== 'US') session.taxCodes = facts.taxCodes;
  return facts;
}

/** Every tax code of the company, inactive ones included (so `doctor` can say a code is inactive), with its rates. */
async function readTaxCodes(session: QuickbooksSession): Promise<QuickbooksTaxCodeFact[]> {
  const codes = await read(
    session,
    'reading the tax codes',
    queryUrl(session, 'select * from TaxCode where Active in (true, false) maxresults 1000'),
    quickbooksTaxCodeReplySchema,
  );
  const rates = await read(
    session,
    'reading the tax rates',
    queryUrl(session, 'select * from TaxRate where Active in (true, false) maxresults 1000'),
    quickbooksTaxRateReplySchema,
  );
  return readTaxCodeFacts(codes, rates);
}

async function findPosted(session: QuickbooksSession, entries: readonly RenderedEntry[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let start = 0; start < entries.length; start += QUICKBOOKS_BATCH_MAX_ITEMS) {
    const slice = entries.slice(start, start + QUICKBOOKS_BATCH_MAX_ITEMS);
    const byDocNumber = new Map(slice.map((entry) => [quickbooksDocNumber(entry), entry]));
    const list = [...byDocNumber.keys()].map((docNumber) => `'${docNumber}'`).join(', ');
    const query = `select * from JournalEntry where DocNumber in (${list}) maxresults 1000`;
    const reply = await read(
      session,
      'looking up journal entries by DocNumber',
      queryUrl(session, query),
      quickbooksJournalQueryReplySchema,
    );
    for (const journal of reply.QueryResponse.JournalEntry ?? []) {
      const entry = journal.DocNumber === undefined ? undefined : byDocNumber.get(journal.DocNumber);
      if (!entry) continue;
      if (found.has(entry.id))
        session.options.log?.(
          `QuickBooks holds more than one journal entry for ${entry.id}: ${found.get(entry.id)} and ${journal.Id}`,
        );
      else found.set(entry.id, journal.Id);
    }
  }
  return found;
}

async function readBack(session: QuickbooksSession, remoteIds: readonly string[]): Promise<Map<string, RemoteJournal>> {
  const found = new Map<string, RemoteJournal>();
  for (let start = 0; start < remoteIds.length; start += READ_BACK_PAGE_SIZE) {
    const ids = remoteIds.slice(start, start + READ_BACK_PAGE_SIZE);
    const query = `select * from JournalEntry where Id in (${ids.map((id) => `'${id.replace(/'/g, '')}'`).join(', ')}) maxresults ${READ_BACK_PAGE_SIZE}`;
    const reply = await read(
      session,
      'reading posted journal entries back',
      queryUrl(session, query),
      quickbooksReadBackReplySchema,
    );
    for (const [id, journal] of readPostedJournals(reply)) found.set(id, journal);
  }
  return found;
}

/** Every journal entry dated `from` to `to` (TxnDate, whoever entered it), a page of 100 at a time until a page comes back short. */
async function journalsDated(
  session: QuickbooksSession,
  from: string,
  to: string,
): Promise<Map<string, RemoteJournal>> {
  const found = new Map<string, RemoteJournal>();
  for (let start = 1; ; start += READ_BACK_PAGE_SIZE) {
    const query = `select * from JournalEntry where TxnDate >= ${quoted(from)} and TxnDate <= ${quoted(to)} orderby Id startposition ${start} maxresults ${READ_BACK_PAGE_SIZE}`;
    const reply = await read(
      session,
      'reading the journal entries of a closed period',
      queryUrl(session, query),
      quickbooksReadBackReplySchema,
    );
    const page = readPostedJournals(reply);
    for (const [id, journal] of page) found.set(id, journal);
    if (page.size < READ_BACK_PAGE_SIZE) return found;
  }
}

async function balances(session: QuickbooksSession, asOf: string): Promise<Map<string, bigint>> {
  const url = `${session.company}/reports/TrialBalance?end_date=${encodeURIComponent(asOf)}&minorversion=${QUICKBOOKS_MINOR_VERSION}`;
  return readTrialBalance(await read(session, 'reading the trial balance', url, quickbooksTrialBalanceReplySchema));
}

/** Smaller batches than the pipeline chunked, after a refusal for size: each part under its own requestid. */
async function sendInParts(
  session: QuickbooksSession,
  entries: readonly RenderedEntry[],
  requestKey: string,
): Promise<Map<string, DeliveryOutcome>> {
  if (entries.length <= session.batchSize) return sendBatch(session, entries, requestKey);
  const outcomes = new Map<string, DeliveryOutcome>();
  for (let start = 0; start < entries.length; start += session.batchSize) {
    const part = entries.slice(start, start + session.batchSize);
    const partKey = quickbooksPartRequestId(
      requestKey,
      part.map((entry) => entry.id),
    );
    for (const [entryId, outcome] of await sendBatch(session, part, partKey)) outcomes.set(entryId, outcome);
  }
  return outcomes;
}

/** One POST /batch; a refusal for its size lowers batchSize and sends the entries again in smaller parts. */
async function sendBatch(
  session: QuickbooksSession,
  entries: readonly RenderedEntry[],
  requestKey: string,
): Promise<Map<string, DeliveryOutcome>> {
  const { options } = session;
  const what = `creating ${entries.length} journal entr${entries.length === 1 ? 'y' : 'ies'} in a batch`;
  const body = JSON.stringify(quickbooksBatch(entries, session.mapping, session.conversion, lineTaxesOf(session)));
  const url = `${session.company}/batch?minorversion=${QUICKBOOKS_MINOR_VERSION}&requestid=${encodeURIComponent(requestKey)}`;
  const reply = await session.transport.call(what, { method: 'POST', url, body });
  const fault = quickbooksWholeFault(reply.bodyText);
  if (reply.status === 400 && fault && isBatchSizeFault(fault) && entries.length > 1) {
    // Nothing of it was stored; the limit is lower than configured (Intuit's documents say 10 in places, 30 in others).
    session.batchSize = Math.max(
      1,
      Math.min(entries.length - 1, batchLimitInFault(fault) ?? Math.ceil(entries.length / 2)),
    );
    options.log?.(
      `QuickBooks refused a batch of ${entries.length} for its size; sending batches of ${session.batchSize} from now on`,
    );
    return sendInParts(session, entries, requestKey);
  }
  const refusalContext = { bookCloseDate: session.bookCloseDate, redact: options.redact };
  if (reply.status === 400 || (reply.status === 200 && fault)) {
    // Refused whole: nothing of it was stored, and every entry in it carries the reason.
    const whole = fault ?? { Error: [{ Message: 'HTTP 400 without a Fault' }] };
    return new Map(entries.map((entry) => [entry.id, quickbooksRefusal(entry, whole, reply.status, refusalContext)]));
  }
  if (reply.status !== 200) throw quickbooksRequestRejected(what, reply.status, fault, options.redact);
  logTaxDifferences(session, entries, reply.bodyText);
  const outcomes = new Map<string, DeliveryOutcome>();
  const duplicates: RenderedEntry[] = [];
  for (const item of readBatchItems(entries, reply.bodyText, what)) {
    if ('journalId' in item) outcomes.set(item.entry.id, { status: 'posted', remoteId: item.journalId });
    else if (isDuplicateDocNumberFault(item.fault)) duplicates.push(item.entry);
    else outcomes.set(item.entry.id, quickbooksRefusal(item.entry, item.fault, 200, refusalContext));
  }
  if (duplicates.length > 0)
    for (const [entryId, outcome] of await settleDuplicates(session, duplicates, what)) outcomes.set(entryId, outcome);
  return outcomes;
}

/** Entries refused for a journal number already taken: posted when the number's owner is this very entry (sent before), else refused. */
async function settleDuplicates(
  session: QuickbooksSession,
  duplicates: readonly RenderedEntry[],
  what: string,
): Promise<Map<string, DeliveryOutcome>> {
  const held = await findPosted(session, duplicates).catch((error: unknown) => {
    throw new OutcomeUnknownError(
      'QuickBooks',
      what,
      `looking up entries refused as duplicates failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  const outcomes = new Map<string, DeliveryOutcome>();
  for (const entry of duplicates) {
    const remoteId = held.get(entry.id);
    outcomes.set(
      entry.id,
      remoteId === undefined
        ? {
            status: 'refused',
            error: new RequestRejectedError(
              'QuickBooks',
              200,
              `entry ${entry.id}: its journal number ${quickbooksDocNumber(entry)} is used by another journal entry (code 6140)`,
            ),
          }
        : { status: 'posted', remoteId },
    );
  }
  return outcomes;
}

/** A text literal of QuickBooks' query language: 'O\'Brien Ltd'. */
export function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
