import type { IncomingMessage } from 'node:http';
import { parseJsonExact } from '../../src/money/index.js';
import { deterministicUuid, headerText, jsonReply, type FakeOutcome } from '../fake-kit/index.js';
import {
  XeroPostDataInvalid,
  checkManualJournal,
  type XeroJournalCheck,
  type XeroJournalDraft,
} from './journal-checks.js';
import { WhereParseError, compileWhere } from './where-parser.js';
import { organisationRefusals } from './organisation.js';
import type { XeroTenant, XeroStoredJournal } from './tenant.js';
import { renderJournal, journalRecord } from './render.js';
import { postDataInvalid, queryParseError, messages, optionalMessages } from './refusals.js';

/** ManualJournals: create or update (PUT/POST, idempotent by key), list with where/order/paging, get one. */

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

const DEFAULT_PAGE_SIZE = 100;

const MAX_PAGE_SIZE = 1000;

const JOURNAL_WHERE_FIELDS = ['Narration', 'Status', 'Date', 'ManualJournalID', 'LineAmountTypes', 'Url'] as const;

function keepJournal(
  tenant: XeroTenant,
  draft: XeroJournalDraft,
  idempotencyKey: string | undefined,
): XeroStoredJournal {
  const { seed, now, stored, accountId } = tenant;
  const existingIndex =
    draft.manualJournalId === undefined
      ? -1
      : stored.findIndex((journal) => journal.manualJournalId === draft.manualJournalId);
  const journal: XeroStoredJournal = {
    manualJournalId:
      existingIndex >= 0 && draft.manualJournalId
        ? draft.manualJournalId
        : deterministicUuid(seed, 'journal', stored.length + 1),
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

export function writeJournals(
  tenant: XeroTenant,
  request: IncomingMessage,
  body: Buffer,
  query: URLSearchParams,
): FakeOutcome {
  const read = checkedJournals(tenant, body);
  if ('reply' in read) return read;
  const { checks, elements } = read;
  const isUpdate = request.method === 'POST';
  refuseWhatTheTenantLacks(tenant, checks, elements, isUpdate);
  const failing = checks.filter((check) => check.errors.length > 0);
  const summarizeErrors = query.get('summarizeErrors')?.toLowerCase() !== 'false';
  if (summarizeErrors && failing.length > 0) return refusedAll(failing, checks.length);
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
    return {
      ...renderJournal(tenant, keepJournal(tenant, check.draft, idempotencyKey), check.warnings),
      StatusAttributeString: 'OK',
    };
  });
  const storedCount = checks.length - failing.length;
  return {
    reply: jsonReply(200, tenant.envelope({ ManualJournals: out })),
    note: `stored ${storedCount} journal${storedCount === 1 ? '' : 's'}${failing.length > 0 ? `, refused ${failing.length}` : ''}`,
  };
}

/** The body's journals, each checked against the organisation's rules, or the refusal of the whole request. */
function checkedJournals(
  tenant: XeroTenant,
  body: Buffer,
): FakeOutcome | { checks: XeroJournalCheck[]; elements: unknown[] } {
  const { limits, accounts, taxRates, today } = tenant;
  let parsed: unknown;
  try {
    parsed = parseJsonExact(body.toString('utf8'));
  } catch {
    return { reply: postDataInvalid('JSON for post data was invalid, the body is not JSON.'), note: 'unreadable body' };
  }
  const elements = journalElements(parsed);
  if (!elements)
    return {
      reply: postDataInvalid('JSON for post data was invalid, no ManualJournals were found.'),
      note: 'no journals',
    };
  if (elements.length > limits.journalsPerRequest) {
    const message = `No more than ${limits.journalsPerRequest} manual journals can be sent in one request; this one had ${elements.length}.`;
    return {
      reply: jsonReply(400, { ErrorNumber: 10, Type: 'ValidationException', Message: message, Elements: [] }),
      note: 'too many journals',
    };
  }
  const rules = {
    accounts,
    taxRates,
    periodLockDate: tenant.periodLockDate,
    endOfYearLockDate: tenant.endOfYearLockDate,
    today: today(),
  };
  try {
    return {
      checks: elements.map((element, index) => checkManualJournal(element, `ManualJournals[${index}]`, rules)),
      elements,
    };
  } catch (error) {
    if (error instanceof XeroPostDataInvalid)
      return { reply: postDataInvalid(error.message), note: 'post data invalid' };
    throw error;
  }
}

/** summarizeErrors (the default): one failing journal refuses the whole request, listing each failing one. */
function refusedAll(failing: readonly XeroJournalCheck[], total: number): FakeOutcome {
  const elementsOut = failing.map((check) => ({
    ...check.echo,
    StatusAttributeString: 'ERROR',
    ValidationErrors: messages(check.errors),
    Warnings: optionalMessages(check.warnings),
  }));
  return {
    reply: jsonReply(400, {
      ErrorNumber: 10,
      Type: 'ValidationException',
      Message: 'A validation exception occurred',
      Elements: elementsOut,
    }),
    note: `refused ${failing.length} of ${total} journals`,
  };
}

/** Refuses each journal naming an account or tracking option the tenant does not have, or updating a journal it does not hold. */
function refuseWhatTheTenantLacks(
  tenant: XeroTenant,
  checks: readonly XeroJournalCheck[],
  elements: readonly unknown[],
  isUpdate: boolean,
): void {
  checks.forEach((check, index) => {
    const refusals = organisationRefusals(elements[index], tenant.accounts, tenant.trackingCategories);
    if (refusals.length > 0) {
      check.draft = undefined;
      check.errors = [...check.errors, ...refusals];
    }
  });
  for (const check of checks) {
    const id = check.draft?.manualJournalId;
    if (isUpdate && id !== undefined && !tenant.stored.some((journal) => journal.manualJournalId === id)) {
      check.draft = undefined;
      check.errors = [...check.errors, `ManualJournalID ${id} does not match a manual journal in this organisation.`];
    }
  }
}

export function listJournals(tenant: XeroTenant, query: URLSearchParams): FakeOutcome {
  const { stored, envelope } = tenant;
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
    return {
      reply: jsonReply(200, envelope({ ManualJournals: selected.map((journal) => renderJournal(tenant, journal)) })),
      note: `listed ${selected.length}`,
    };
  }
  const page = positiveInteger(pageText) ?? 1;
  const pageSize = Math.min(MAX_PAGE_SIZE, positiveInteger(query.get('pageSize')) ?? DEFAULT_PAGE_SIZE);
  const slice = selected.slice((page - 1) * pageSize, page * pageSize);
  const pagination = { page, pageSize, pageCount: Math.ceil(selected.length / pageSize), itemCount: selected.length };
  return {
    reply: jsonReply(
      200,
      envelope({ pagination, ManualJournals: slice.map((journal) => renderJournal(tenant, journal)) }),
    ),
    note: `listed page ${page}`,
  };
}

export function storedJournal(tenant: XeroTenant, manualJournalId: string): XeroStoredJournal {
  const { stored } = tenant;
  const journal = stored.find((candidate) => candidate.manualJournalId === manualJournalId);
  if (!journal) throw new RangeError(`the Xero fake holds no journal ${manualJournalId}`);
  return journal;
}

export function getJournal(tenant: XeroTenant, id: string): FakeOutcome {
  const { stored, problem, envelope } = tenant;
  const journal = stored.find((candidate) => candidate.manualJournalId.toLowerCase() === id.toLowerCase());
  if (!journal)
    return {
      reply: problem(404, 'Not Found', "The resource you're looking for cannot be found"),
      note: 'no such journal',
    };
  return {
    reply: jsonReply(200, envelope({ ManualJournals: [renderJournal(tenant, journal)] })),
    note: 'found journal',
  };
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
