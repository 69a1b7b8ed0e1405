import { createHash } from 'node:crypto';
import type { Outcome, QuickBooksCompany, QuickBooksStoredEntry } from './company.js';
import { checkJournalEntry, type QuickBooksEntryDraft } from './entry-checks.js';
import { unsupportedBody, validation } from './faults.js';
import { queryResponse } from './queries.js';
import { renderEntry } from './render.js';
import { isObject, readJson } from './request-body.js';

/** Creating journal entries, one by one (POST journalentry) or in a batch (POST batch), as QuickBooks checks and keeps them. */

const MAX_BATCH_ITEM_ID = 10;

function entryRules(company: QuickBooksCompany) {
  const {
    accounts,
    classes,
    departments,
    customers,
    vendors,
    homeCurrency,
    rejectDuplicateDocNumber,
    multiCurrency,
    entries,
    today,
    country,
    taxTable,
    requireTaxCodes,
  } = company;
  return {
    country,
    taxTable,
    requireTaxCodes,
    accounts,
    classes,
    departments,
    customers,
    vendors,
    homeCurrency,
    multiCurrency,
    bookCloseDate: company.bookCloseDate,
    today: today(),
    docNumberOwner: (docNumber: string) =>
      rejectDuplicateDocNumber ? entries.find((entry) => entry.docNumber === docNumber)?.id : undefined,
  };
}

function keepEntry(
  company: QuickBooksCompany,
  draft: QuickBooksEntryDraft,
  requestId: string | undefined,
  batchItemId: string | undefined,
): QuickBooksStoredEntry {
  const { now, entries } = company;
  const entry: QuickBooksStoredEntry = {
    id: String((company.entriesCreated += 1)),
    syncToken: '0',
    docNumber: draft.docNumber,
    txnDate: draft.txnDate,
    privateNote: draft.privateNote,
    currency: draft.currency,
    exchangeRate: draft.exchangeRate,
    globalTaxCalculation: draft.globalTaxCalculation,
    lines: draft.lines.map((line) => ({ ...line })),
    createdAt: now(),
    requestId,
    batchItemId,
  };
  entries.push(entry);
  return entry;
}

export function createEntry(company: QuickBooksCompany, body: Buffer, requestId: string | undefined): Outcome {
  const { closedBooksReply, time, reply, faultReply } = company;
  const parsed = readJson(body);
  if (!parsed.ok)
    return { reply: faultReply(400, unsupportedBody(parsed.reason)), note: 'unreadable body', committed: false };
  const check = checkJournalEntry(parsed.value, entryRules(company));
  if (!check.ok) {
    const status = check.closedBooks && closedBooksReply === 'fault-in-200' ? 200 : 400;
    return {
      reply: faultReply(status, check.fault),
      note: `refused ${check.fault.Error.map((error) => error.code).join(',')}`,
      committed: false,
    };
  }
  const entry = keepEntry(company, check.draft, requestId, undefined);
  return {
    reply: reply(200, { JournalEntry: renderEntry(company, entry), time: time() }),
    note: `stored entry ${entry.id}`,
    committed: true,
  };
}

export function runBatch(company: QuickBooksCompany, body: Buffer, requestId: string | undefined): Outcome {
  const { seed, batchOrder, time, reply, faultReply } = company;
  const parsed = readJson(body);
  if (!parsed.ok)
    return { reply: faultReply(400, unsupportedBody(parsed.reason)), note: 'unreadable body', committed: false };
  const items =
    isObject(parsed.value) && Array.isArray(parsed.value.BatchItemRequest) ? parsed.value.BatchItemRequest : undefined;
  if (!items || items.length === 0) return noItems(company);
  const refused = batchRefusal(company, items);
  if (refused !== undefined) return refused;
  // Items run one after another, each seeing the entries the previous ones stored, in an order Intuit does not promise.
  company.batchCount += 1;
  const order = batchOrder === 'as-sent' ? items : shuffled(items, `${seed}\u0000batch\u0000${company.batchCount}`);
  let stored = 0;
  const responses = order.map((item) => {
    const answer = batchItem(company, item as Record<string, unknown>, requestId);
    if ('JournalEntry' in answer) stored += 1;
    return answer;
  });
  return {
    reply: reply(200, { BatchItemResponse: responses, time: time() }),
    note: `batch of ${items.length}: stored ${stored}`,
    committed: stored > 0,
  };
}

function noItems(company: QuickBooksCompany): Outcome {
  const detail = 'Required parameter BatchItemRequest is missing in the request';
  const fault = validation(
    '2020',
    'Required param missing, need to supply the required value for the API',
    detail,
    'BatchItemRequest',
  );
  return { reply: company.faultReply(400, fault), note: 'no items', committed: false };
}

/** What refuses the whole batch before any item runs: too many items, or a bId missing, too long or used twice. */
function batchRefusal(company: QuickBooksCompany, items: readonly unknown[]): Outcome | undefined {
  const { limits, faultReply } = company;
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
      const fault = validation(
        '2050',
        'String length is either shorter or longer than supported by specification',
        detail,
        'bId',
      );
      return { reply: faultReply(400, fault), note: 'bad bId', committed: false };
    }
    seen.add(bId);
  }
  return undefined;
}

/** One item's answer: a query's rows, the created entry, or its fault (an unsupported operation included). */
function batchItem(
  company: QuickBooksCompany,
  record: Record<string, unknown>,
  requestId: string | undefined,
): Record<string, unknown> {
  const bId = record.bId as string;
  if (typeof record.Query === 'string') return { bId, ...queryResponse(company, record.Query, true) };
  if (record.operation !== 'create' || !isObject(record.JournalEntry)) {
    const what = `${String(record.operation)} ${Object.keys(record)
      .filter((key) => key !== 'bId' && key !== 'operation')
      .join(',')}`;
    const unsupportedItem = validation('500', 'Unsupported Operation', `Operation ${what} is not supported.`, '');
    return { bId, Fault: { Error: unsupportedItem.Error, type: unsupportedItem.type } };
  }
  const check = checkJournalEntry(record.JournalEntry, entryRules(company));
  if (!check.ok) return { bId, Fault: { Error: check.fault.Error, type: check.fault.type } };
  return { bId, JournalEntry: renderEntry(company, keepEntry(company, check.draft, requestId, bId)) };
}

/** The items in an order drawn from `seed`: each sorted by the SHA-256 of the seed and its bId, so one batch always comes back the same way. */
function shuffled(items: readonly unknown[], seed: string): unknown[] {
  const rank = (item: unknown): string =>
    createHash('sha256')
      .update(`${seed}\u0000${String((item as Record<string, unknown>).bId)}`)
      .digest('hex');
  return items
    .map((item) => ({ item, rank: rank(item) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    .map(({ item }) => item);
}
