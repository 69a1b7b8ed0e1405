import { isCalendarDate } from '../../src/calendar/index.js';
import { parseJsonExact } from '../../src/money/index.js';
import { jsonReply, type FakeOutcome } from '../fake-kit/index.js';
import { messages, postDataInvalid, queryParseError } from './refusals.js';
import type { XeroTenant } from './tenant.js';
import { WhereParseError, compileWhere, type WhereRecord } from './where-parser.js';

/** What BankTransfers and BankTransactions share: a bank account named by Code or AccountID, a date, a flag, and the list endpoint. */

export interface BankAccountRef {
  code: string;
  name: string;
}

/** The account a `{Code}` or `{AccountID}` names, refused unless it is an active BANK account (Xero transfers only between bank accounts). */
export function bankAccountRefusal(
  tenant: XeroTenant,
  value: unknown,
  field: string,
): { account: BankAccountRef } | { error: string } {
  const ref = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  const code = typeof ref?.Code === 'string' ? ref.Code : undefined;
  const id = typeof ref?.AccountID === 'string' ? ref.AccountID.toLowerCase() : undefined;
  if (code === undefined && id === undefined) return { error: `The ${field} must be specified.` };
  const account = tenant.accounts.find(
    (candidate) => candidate.code === code || tenant.accountId(candidate.code) === id,
  );
  if (!account) return { error: `Account code '${code ?? id ?? ''}' is not a valid code for this document.` };
  if (account.type !== 'BANK' || account.status !== 'ACTIVE')
    return { error: `The ${field} must be an active bank account; ${account.code} (${account.name}) is not.` };
  return { account: { code: account.code, name: account.name } };
}

/** "YYYY-MM-DD" (a time part is ignored); today when absent; undefined when unreadable. */
export function readBankDate(value: unknown, today: string): string | undefined {
  if (value === undefined || value === null) return today;
  const date = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})(?:T[\d:.]+)?$/.exec(value)?.[1] : undefined;
  return date !== undefined && isCalendarDate(date) ? date : undefined;
}

export function readFlag(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

interface ListedDocument {
  id: string;
  read: WhereRecord;
  render: () => Record<string, unknown>;
}

/** GET of a bank document list (filtered by `where`) or of one by id (404 when absent), in Xero's envelope. */
export function bankDocumentList(
  tenant: XeroTenant,
  query: URLSearchParams,
  list: {
    name: string;
    typeName: string;
    fields: readonly string[];
    id: string | undefined;
    rows: readonly ListedDocument[];
  },
): FakeOutcome {
  if (list.id !== undefined) {
    const wanted = list.id.toLowerCase();
    const row = list.rows.find((candidate) => candidate.id.toLowerCase() === wanted);
    if (!row)
      return {
        reply: tenant.problem(404, 'Not Found', "The resource you're looking for cannot be found"),
        note: `no such ${list.typeName}`,
      };
    return { reply: jsonReply(200, tenant.envelope({ [list.name]: [row.render()] })), note: `found ${list.typeName}` };
  }
  let rows = list.rows;
  const where = query.get('where');
  if (where) {
    try {
      const predicate = compileWhere(where, list.fields, list.typeName);
      rows = rows.filter((row) => predicate(row.read));
    } catch (error) {
      if (error instanceof WhereParseError) return { reply: queryParseError(error.message), note: 'bad where' };
      throw error;
    }
  }
  return {
    reply: jsonReply(200, tenant.envelope({ [list.name]: rows.map((row) => row.render()) })),
    note: `listed ${rows.length} ${list.name}`,
  };
}

/** One element's check: what Xero would say of it, what it echoes back when refusing, and what it keeps when not. */
export interface BankDocumentCheck<Draft> {
  errors: string[];
  echo: Record<string, unknown>;
  draft: Draft | undefined;
}

/**
 * A PUT/POST of bank documents: the body read (numbers kept exact), every element checked, and either all kept
 * or, when any is refused, none (a 400 ValidationException naming each refused one, as for journals).
 */
export function writeBankDocuments<Draft, Stored>(
  tenant: XeroTenant,
  body: Buffer,
  list: {
    name: string;
    marker: string;
    check: (element: Record<string, unknown>) => BankDocumentCheck<Draft>;
    keep: (draft: Draft) => Stored;
    render: (stored: Stored) => Record<string, unknown>;
  },
): FakeOutcome {
  let parsed: unknown;
  try {
    parsed = parseJsonExact(body.toString('utf8'));
  } catch {
    return { reply: postDataInvalid('JSON for post data was invalid, the body is not JSON.'), note: 'unreadable body' };
  }
  const elements = elementsOf(parsed, list.name, list.marker);
  if (!elements)
    return {
      reply: postDataInvalid(`JSON for post data was invalid, no ${list.name} were found.`),
      note: `no ${list.name}`,
    };
  const checked = elements.map(list.check);
  const failing = checked.filter((check) => check.draft === undefined);
  if (failing.length > 0) {
    const out = failing.map((check) => ({ ...check.echo, ValidationErrors: messages(check.errors) }));
    return {
      reply: jsonReply(400, {
        ErrorNumber: 10,
        Type: 'ValidationException',
        Message: 'A validation exception occurred',
        Elements: out,
      }),
      note: `refused ${failing.length} ${list.name}`,
    };
  }
  const kept = checked.flatMap((check) => (check.draft === undefined ? [] : [list.keep(check.draft)]));
  return {
    reply: jsonReply(200, tenant.envelope({ [list.name]: kept.map(list.render) })),
    note: `stored ${kept.length} ${list.name}`,
  };
}

function elementsOf(parsed: unknown, listKey: string, marker: string): Record<string, unknown>[] | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const list = Array.isArray(record[listKey])
    ? (record[listKey] as unknown[])
    : marker in record
      ? [record]
      : undefined;
  if (!list || list.length === 0 || !list.every((element) => typeof element === 'object' && element !== null))
    return undefined;
  return list as Record<string, unknown>[];
}
