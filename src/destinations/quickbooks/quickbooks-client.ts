import { clearingMoveOf } from '../bank-document-client.js';
import { checkedWithMappingFile, mappedAccount } from '../delivery/account-mapping.js';
import { OutcomeUnknownError, RequestRejectedError, messageOf } from '../../errors.js';
import { foldedEntry, type RenderedEntry } from '../../rules/index.js';
import type { DeliveryOutcome, DestinationClient, DestinationLimits } from '../destination-client.js';
import { deliveredConversion, entryConversion } from '../entry-conversion.js';
import {
  quickbooksBatch,
  quickbooksDocNumber,
  journalNumberClash,
  journalNumberClashMessage,
  quickbooksJournalEntry,
  quickbooksNettedAway,
  quickbooksPartRequestId,
  quickbooksRequestId,
} from './quickbooks-payload.js';
import { checkQuickbooksCompany } from './quickbooks-organisation-checks.js';
import { quickbooksRefusal, quickbooksRequestRejected } from './quickbooks-faults.js';
import { quickbooksWholeFault, readBatchItems } from './quickbooks-replies.js';
import { lineTaxesOf, logTaxDifferences } from './quickbooks-tax-session.js';
import { quickbooksExpectedLines } from './quickbooks-books.js';
import { batchLimitInFault, isBatchSizeFault, isDuplicateDocNumberFault } from './quickbooks-wire.js';
import {
  openQuickbooksSession,
  QUICKBOOKS_LIMITS,
  QUICKBOOKS_MINOR_VERSION,
  type QuickbooksClientOptions,
  type QuickbooksSession,
} from './quickbooks-session.js';
import { readCompany, readPreferences, taxSetupOf } from './quickbooks-company.js';
import { balances, findPosted, journalsDated, readBack } from './quickbooks-journal-reads.js';

export type { QuickbooksClientOptions } from './quickbooks-session.js';

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
  const session = openQuickbooksSession(options, limits, (entry) =>
    entryConversion('QuickBooks', entry, baseCurrency, options.rates),
  );
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
    deliversNothing: (entry) =>
      quickbooksNettedAway(foldedEntry(entry), session.mapping, lineTaxesOf(session)(entry)).every(Boolean),
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
      `looking up entries refused as duplicates failed: ${messageOf(error)}`,
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
