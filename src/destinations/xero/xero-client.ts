import { clearingMoveOf } from '../bank-document-client.js';
import { checkedWithMappingFile, mappedAccount } from '../delivery/account-mapping.js';
import type { ManualJournals } from 'xero-node';
import type { XeroDestinationConfig } from './xero-config.js';
import { InvalidReplyError, RequestRejectedError } from '../../errors.js';
import { foldedEntry, VAT_OUTPUT_ACCOUNT, type RenderedEntry } from '../../rules/index.js';
import type { DeliveryOutcome, DestinationClient, DestinationLimits, RemoteJournal } from '../destination-client.js';
import { deliveredConversion, entryConversion, sumByAccount } from '../entry-conversion.js';
import { parseScaled } from '../../money/index.js';
import type { DestinationClientOptions } from '../destination-client-options.js';
import {
  XERO_JOURNALS_PER_REQUEST,
  XERO_NO_TAX_TYPE,
  xeroIdempotencyKey,
  xeroManualJournal,
  xeroNettedAway,
  type XeroAccount,
  type XeroJournalStatus,
} from './xero-payload.js';
import { checkXeroOrganisation, xeroLockDate, type XeroOrganisationFacts } from './xero-organisation-checks.js';
import {
  readJournalList,
  readJournalOutcomes,
  readLockDate,
  readOrganisationEntry,
  readOrganisationFacts,
  readPostedJournals,
  readTrialBalance,
} from './xero-replies.js';
import { createXeroTransport, type XeroTransport } from './xero-transport.js';
import { xeroDocumentTaxes } from './xero-document-taxes.js';
import {
  assertTaxFlows,
  taxRatesOf,
  xeroBooksOf,
  xeroLineTaxTypes,
  xeroTaxDifferences,
  type XeroTaxSetup,
} from './xero-tax.js';

export { XERO_API_URL } from './xero-transport.js';

/** Per organisation (developer.xero.com, API limits): 60 calls a minute, 5 at once, 5000 a day, about 50 journals a request. */
const XERO_LIMITS: DestinationLimits = {
  entriesPerRequest: XERO_JOURNALS_PER_REQUEST,
  maxInFlight: 5,
  requestsPerMinute: 60,
  requestsPerDay: 5000,
};

/**
 * The transport every Xero client of a post reaches its organisation through: the organisation `connect` chose (the
 * token store's), else the configuration's tenantId; Xero's limits (XERO_LIMITS) unless `limits` says otherwise.
 */
export function xeroTransportFor(options: DestinationClientOptions<XeroDestinationConfig, XeroAccount>) {
  const limits: DestinationLimits = { ...XERO_LIMITS, ...options.limits };
  const tenantId = options.tokenStore.read('xero')?.connection?.tenantId ?? options.config.tenantId ?? '';
  return { limits, tenantId, transport: createXeroTransport(options, limits, tenantId) };
}

/** Xero's limits (XERO_LIMITS) unless `limits` says otherwise. */
export interface XeroClientOptions extends DestinationClientOptions<XeroDestinationConfig, XeroAccount> {
  /** POSTED unless the configuration or xero.yaml says DRAFT. */
  status: XeroJournalStatus;
  /** xero.yaml's `tax:` flows (issue 54); without them no line carries a flow's tax type. */
  tax?: XeroTaxSetup | undefined;
  /** The ledger's bank accounts (statement sources' ledgerAccount): with transit.createBankDocuments, their two-line entries go as bank transactions. */
  bankLedgerAccounts?: ReadonlySet<string>;
}

const LOOKUP_PAGE_SIZE = 100;

/** One client's organisation and what it learnt of it. */
interface XeroSession {
  options: XeroClientOptions;
  transport: XeroTransport;
  /** The organisation `ledgerline connect xero` chose wins over the configuration's; a custom connection has neither. */
  tenantId: string;
  organisation: Promise<XeroOrganisationFacts> | undefined;
}

/**
 * Xero through xero-node (accountingApi), with ledgerline holding the tokens
 * (xero-transport.ts): at most 5 calls in flight, 60 a minute, minute-limit
 * 429s waited out, the daily limit a stop, the token renewed once on 401.
 */
export function createXeroClient(options: XeroClientOptions): DestinationClient {
  const { config } = options;
  const { limits, tenantId, transport } = xeroTransportFor(options);
  const session: XeroSession = { options, transport, tenantId, organisation: undefined };
  const baseCurrency = config.baseCurrency ?? 'USD';
  const conversion = (entry: RenderedEntry) => entryConversion('Xero', entry, baseCurrency, options.rates);
  return {
    kind: 'xero',
    name: 'Xero',
    baseCurrency,
    limits,
    createsBankDocuments: config.transit?.createBankDocuments === true,
    bankLedgerAccounts: options.bankLedgerAccounts,
    documentTaxes: (references) =>
      xeroDocumentTaxes(
        session.transport,
        session.tenantId,
        references.map((reference) => `Reference=="${escapeWhere(reference)}"`),
      ),
    clearingMove: (document) =>
      clearingMoveOf(document, mappedAccount(options.mapping, document.clearingAccount, document.itemId, 'Xero').code),
    deliversNothing: (entry) => {
      const folded = foldedEntry(entry);
      return xeroNettedAway(folded, options.mapping, xeroLineTaxTypes(folded, options.tax)).every(Boolean);
    },
    check: (entry) =>
      checkedWithMappingFile('Xero', options.mappingFile, () => {
        assertTaxFlows(options.tax, options.mappingFile);
        void journalOf(options, entry, conversion(entry));
      }),
    conversion,
    expectedLines: (entry, delivery) => expectedLines(options, baseCurrency, entry, delivery),
    readBack: (remoteIds) => readBack(session, remoteIds),
    taxSetup: () => Promise.resolve(options.tax && { ...options.tax, untaxedCode: XERO_NO_TAX_TYPE }),
    journalsDated: (from, to) => journalsDated(session, from, to),
    balances: (asOf) => balances(session, asOf),
    lockDate: () => lockDate(session),
    organisation: () => organisation(session),
    findPosted: (entries) => findPosted(session, entries),
    send: (entries, requestKey) => send(session, entries, requestKey, conversion),
    requestKey: (entries, attempt) => xeroIdempotencyKey(ids(entries), { attempt }),
    refreshToken: () => session.transport.tokens.refresh(),
    callCounts: () => session.transport.counts(),
    organisationId: tenantId,
    vendorDayRemaining: () => session.transport.dayRemaining(),
    close: () => session.transport.close(),
  };
}

/**
 * What Xero holds of a delivered entry: its journal's lines as sent, and the books they make in the base currency,
 * each coded line's net on its account and its tax on the VAT account (a manual journal is in the base currency).
 */
function expectedLines(
  options: XeroClientOptions,
  baseCurrency: string,
  entry: RenderedEntry,
  delivery: Parameters<DestinationClient['expectedLines']>[1],
): ReturnType<DestinationClient['expectedLines']> {
  const journal = journalOf(options, entry, deliveredConversion(entry, baseCurrency, delivery));
  const lines = journal.journalLines.map((line) => ({
    account: line.accountCode,
    cents: parseScaled(String(line.lineAmount), 2),
    taxType: line.taxType,
  }));
  const books = xeroBooksOf(lines, journal.lineAmountTypes, taxRatesOf(options.tax), vatCode(options));
  return { journal: sumByAccount(lines), base: sumByAccount(books), currency: baseCurrency };
}

/** The organisation's latest lock date (period or end of year), from the organisation already read if it was. */
async function lockDate(session: XeroSession): Promise<string | undefined> {
  if (session.organisation) return xeroLockDate(await session.organisation);
  return readLockDate(
    (
      await session.transport.read('reading the organisation (lock dates)', () =>
        session.transport.api.getOrganisations(session.tenantId),
      )
    ).body,
  );
}

/** The organisation, read once, with the checks of its settings against the configuration and the mapping. */
async function organisation(session: XeroSession): ReturnType<DestinationClient['organisation']> {
  const { options } = session;
  session.organisation ??= readOrganisation(session);
  const facts = await session.organisation;
  return {
    checks: (expected) =>
      checkXeroOrganisation(facts, {
        ...expected,
        region: options.config.region,
        mappingFile: options.mappingFile,
        accounts: options.mapping,
        transit: options.config.transit,
        scopes: options.config.scopes,
        evidence: options.config.evidence,
        tax: options.tax,
      }),
  };
}

/** An entry's manual journal, each line with the tax type its flow maps (xero.yaml `tax:`) or its account's. */
function journalOf(
  options: XeroClientOptions,
  entry: RenderedEntry,
  conversion: ReturnType<DestinationClient['conversion']>,
) {
  // The ledger's VAT lines go folded into the lines they are the tax of: Xero splits the tax out itself (issue 70).
  const folded = foldedEntry(entry);
  return xeroManualJournal(folded, options.mapping, {
    status: options.status,
    conversion,
    taxTypes: xeroLineTaxTypes(folded, options.tax),
  });
}

/** The VAT system account's code: the mapping's vat_output, when it maps one (xero.yaml). */
function vatCode(options: XeroClientOptions): string | undefined {
  return options.mapping[VAT_OUTPUT_ACCOUNT]?.code;
}

async function readOrganisation(session: XeroSession): Promise<XeroOrganisationFacts> {
  // The transport's read and api are closures over it, not methods bound to `this`.
  const { api, read } = session.transport;
  const { tenantId } = session;
  const organisation = (await read('reading the organisation', () => api.getOrganisations(tenantId))).body;
  // A reply without an organisation stops here, before the other three calls.
  readOrganisationEntry(organisation);
  const accounts = (await read('reading the chart of accounts', () => api.getAccounts(tenantId))).body;
  const taxRates = (await read('reading the tax rates', () => api.getTaxRates(tenantId))).body;
  const tracking = (
    await read('reading the tracking categories', () => api.getTrackingCategories(tenantId, undefined, undefined, true))
  ).body;
  return readOrganisationFacts({ organisation, accounts, taxRates, tracking });
}

async function balances(session: XeroSession, asOf: string): Promise<Map<string, bigint>> {
  const reply = await session.transport.read('reading the trial balance', () =>
    session.transport.api.getReportTrialBalance(session.tenantId, asOf),
  );
  return readTrialBalance(reply.body);
}

async function readBack(session: XeroSession, remoteIds: readonly string[]): Promise<Map<string, RemoteJournal>> {
  const found = new Map<string, RemoteJournal>();
  for (let start = 0; start < remoteIds.length; start += LOOKUP_PAGE_SIZE) {
    const ids = remoteIds.slice(start, start + LOOKUP_PAGE_SIZE);
    const where = ids.map((id) => `ManualJournalID==Guid("${escapeWhere(id)}")`).join(' OR ');
    const reply = await session.transport.read('reading posted journals back', () =>
      session.transport.api.getManualJournals(session.tenantId, undefined, where, undefined, 1, LOOKUP_PAGE_SIZE),
    );
    for (const [id, journal] of readPostedJournals(reply.body)) found.set(id, journal);
  }
  return found;
}

/** Every manual journal dated `from` to `to`, a page of 100 at a time until a page comes back short. */
async function journalsDated(session: XeroSession, from: string, to: string): Promise<Map<string, RemoteJournal>> {
  const dateTime = (date: string): string => `DateTime(${date.replaceAll('-', ', ')})`;
  const where = `Date >= ${dateTime(from)} AND Date <= ${dateTime(to)}`;
  const found = new Map<string, RemoteJournal>();
  for (let page = 1; ; page += 1) {
    const reply = await session.transport.read('reading the journals of a closed period', () =>
      session.transport.api.getManualJournals(session.tenantId, undefined, where, undefined, page, LOOKUP_PAGE_SIZE),
    );
    const journals = readPostedJournals(reply.body);
    for (const [id, journal] of journals) found.set(id, journal);
    if (journals.size < LOOKUP_PAGE_SIZE) return found;
  }
}

async function findPosted(session: XeroSession, entries: readonly RenderedEntry[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (entries.length === 0) return found;
  // The entry id sits in the narration in brackets, which keeps je:x:1 from matching je:x:10.
  const where = entries.map((entry) => `Narration.Contains("[${escapeWhere(entry.id)}]")`).join(' OR ');
  const maxPages = Math.ceil(entries.length / LOOKUP_PAGE_SIZE) + 2;
  for (let page = 1; page <= maxPages; page += 1) {
    const reply = await session.transport.read('looking up journals by narration', () =>
      session.transport.api.getManualJournals(session.tenantId, undefined, where, undefined, page, LOOKUP_PAGE_SIZE),
    );
    const journals = readJournalList(reply.body);
    if (journals === undefined)
      throw new InvalidReplyError('Xero', 'GET ManualJournals', 'no ManualJournals list in the reply');
    for (const journal of journals) {
      const entry = entries.find((candidate) => journal.narration?.endsWith(`[${candidate.id}]`));
      if (!entry || !journal.manualJournalID) continue;
      if (found.has(entry.id))
        session.options.log?.(
          session.options.redact(
            `Xero holds more than one journal for entry ${entry.id}: ${found.get(entry.id)} and ${journal.manualJournalID}`,
          ),
        );
      else found.set(entry.id, journal.manualJournalID);
    }
    if (journals.length < LOOKUP_PAGE_SIZE) break;
  }
  return found;
}

async function send(
  session: XeroSession,
  entries: readonly RenderedEntry[],
  requestKey: string,
  conversion: DestinationClient['conversion'],
): Promise<Map<string, DeliveryOutcome>> {
  const { options } = session;
  const manualJournals = entries.map((entry) => journalOf(options, entry, conversion(entry)));
  const what = `creating ${entries.length} manual journal${entries.length === 1 ? '' : 's'}`;
  // The payload is xero-node's model with its enums as the strings they hold at run time.
  const body = { manualJournals } as unknown as ManualJournals;
  const result = await session.transport.call(what, true, () =>
    session.transport.api.createManualJournals(session.tenantId, body, false, requestKey),
  );
  if (result.kind === 'ok') {
    const outcomes = readJournalOutcomes(entries, result.value.body, what, options.redact);
    if (options.tax !== undefined && session.organisation !== undefined) {
      for (const difference of xeroTaxDifferences(result.value.body, (await session.organisation).taxRates))
        options.log?.(options.redact(difference));
    }
    return outcomes;
  }
  if (result.status !== 400) throw new RequestRejectedError('Xero', result.status, `${what}: ${result.text}`);
  return new Map(
    entries.map((entry) => [
      entry.id,
      { status: 'refused', error: new RequestRejectedError('Xero', 400, result.text) },
    ]),
  );
}

/** Text inside a `where` string literal: backslashes and quotes escaped. */
export function escapeWhere(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function ids(entries: readonly RenderedEntry[]): string[] {
  return entries.map((entry) => entry.id);
}
