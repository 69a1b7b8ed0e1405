import { isCalendarDate } from '../../src/calendar/index.js';
import { jsonReply, type FakeOutcome } from '../fake-kit/index.js';
import { queryParseError } from './refusals.js';
import type { XeroTenant } from './tenant.js';
import { WhereParseError, compileWhere, type WhereRecord } from './where-parser.js';

/** What BankTransfers and BankTransactions share: a bank account named by Code or AccountID, a date, a flag, and the list endpoint. */

export interface BankAccountRef {
  code: string;
  name: string;
}

/** The account a `{Code}` or `{AccountID}` names, refused unless it is an active BANK account (Xero transfers only between bank accounts). */
export function bankAccountRefusal(tenant: XeroTenant, value: unknown, field: string): { account: BankAccountRef } | { error: string } {
  const ref = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  const code = typeof ref?.Code === 'string' ? ref.Code : undefined;
  const id = typeof ref?.AccountID === 'string' ? ref.AccountID.toLowerCase() : undefined;
  if (code === undefined && id === undefined) return { error: `The ${field} must be specified.` };
  const account = tenant.accounts.find((candidate) => candidate.code === code || tenant.accountId(candidate.code) === id);
  if (!account) return { error: `Account code '${code ?? id ?? ''}' is not a valid code for this document.` };
  if (account.type !== 'BANK' || account.status !== 'ACTIVE') return { error: `The ${field} must be an active bank account; ${account.code} (${account.name}) is not.` };
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
  list: { name: string; typeName: string; fields: readonly string[]; id: string | undefined; rows: readonly ListedDocument[] },
): FakeOutcome {
  if (list.id !== undefined) {
    const wanted = list.id.toLowerCase();
    const row = list.rows.find((candidate) => candidate.id.toLowerCase() === wanted);
    if (!row) return { reply: tenant.problem(404, 'Not Found', "The resource you're looking for cannot be found"), note: `no such ${list.typeName}` };
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
  return { reply: jsonReply(200, tenant.envelope({ [list.name]: rows.map((row) => row.render()) })), note: `listed ${rows.length} ${list.name}` };
}
