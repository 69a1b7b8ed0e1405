import { z } from 'zod';
import { AdminAmountSchema, adminCall, balancedAdminLines, type FakeReply } from '../fake-kit/index.js';
import type { QuickBooksCompany, QuickBooksStoredEntry } from './company.js';

/**
 * A person in QuickBooks' web app, past the close date (an accountant who enters the closing password): a journal
 * entry's lines replaced, an entry deleted, or an entry of their own added on any date. QuickBooks deletes a
 * JournalEntry outright (it is gone from queries), where Xero keeps a voided one.
 */

const AdminLineSchema = z.strictObject({
  accountId: z.string().min(1),
  amount: AdminAmountSchema,
});

const BalancedLinesSchema = balancedAdminLines(AdminLineSchema);

const JournalAdminSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('edit'), id: z.string().min(1), lines: BalancedLinesSchema }),
  z.strictObject({ action: z.literal('delete'), id: z.string().min(1) }),
  z.strictObject({
    action: z.literal('add'),
    date: z.iso.date(),
    privateNote: z.string().default('Entered in QuickBooks'),
    lines: BalancedLinesSchema,
  }),
]);

/** One line as a person types it: the account and a signed amount, debit positive (-1.50 is a credit of 1.50). */
export interface AdminEntryLine {
  accountId: string;
  cents: bigint;
}

const CloseDateSchema = z.strictObject({ bookCloseDate: z.iso.date().nullable() });

/**
 * POST /quickbooks/__admin/close-date {"bookCloseDate": "YYYY-MM-DD" | null}: what an accountant sets in QuickBooks
 * (Settings → Account and settings → Advanced → Accounting → Close the books), read back as Preferences
 * AccountingInfoPrefs BookCloseDate; entries dated on or before it are then refused (6210); null reopens the books.
 */
export function adminCloseDate(company: QuickBooksCompany, body: Buffer): FakeReply {
  return adminCall(body, CloseDateSchema, (request) => {
    company.bookCloseDate = request.bookCloseDate ?? undefined;
    return { bookCloseDate: company.bookCloseDate ?? null };
  });
}

function storedEntry(company: QuickBooksCompany, id: string): QuickBooksStoredEntry {
  const entry = company.entries.find((candidate) => candidate.id === id);
  if (!entry) throw new RangeError(`the QuickBooks fake holds no journal entry ${id}`);
  return entry;
}

function storedLines(
  lines: readonly AdminEntryLine[],
  kept: QuickBooksStoredEntry['lines'] = [],
): QuickBooksStoredEntry['lines'] {
  return lines.map((line, index) => ({
    accountId: line.accountId,
    postingType: line.cents > 0n ? 'Debit' : 'Credit',
    cents: line.cents > 0n ? line.cents : -line.cents,
    description: kept[index]?.description,
    classId: undefined,
    departmentId: undefined,
    entity: kept[index]?.entity,
    tax: undefined,
  }));
}

/** Deletes a journal entry: it is gone from queries and reports. Throws RangeError for an unknown id. */
export function deleteEntry(company: QuickBooksCompany, id: string): void {
  company.entries.splice(company.entries.indexOf(storedEntry(company, id)), 1);
}

/** Replaces an entry's lines (descriptions and names kept by position); its SyncToken goes up. Throws RangeError for an unknown id. */
export function editEntry(company: QuickBooksCompany, id: string, lines: readonly AdminEntryLine[]): void {
  const entry = storedEntry(company, id);
  entry.lines = storedLines(lines, entry.lines);
  entry.syncToken = String(Number(entry.syncToken) + 1);
}

/** An entry a person enters on `date` in the home currency, whatever the close date says; returns its Id. */
export function addEntry(
  company: QuickBooksCompany,
  entry: { date: string; privateNote: string; lines: readonly AdminEntryLine[] },
): string {
  const id = String((company.entriesCreated += 1));
  company.entries.push({
    id,
    syncToken: '0',
    docNumber: undefined,
    txnDate: entry.date,
    privateNote: entry.privateNote,
    currency: company.homeCurrency,
    exchangeRate: undefined,
    globalTaxCalculation: undefined,
    lines: storedLines(entry.lines),
    createdAt: company.now(),
    requestId: undefined,
    batchItemId: undefined,
  });
  return id;
}

/**
 * POST /quickbooks/__admin/journal: {"action":"edit","id","lines":[{"accountId","amount"}…]}, {"action":"delete","id"} or
 * {"action":"add","date","privateNote"?,"lines"}; 200 with the entry's Id, 400 for a body it cannot read, 404 for an unknown id.
 */
export function adminJournal(company: QuickBooksCompany, body: Buffer): FakeReply {
  return adminCall(body, JournalAdminSchema, (request) => {
    if (request.action === 'delete') {
      deleteEntry(company, request.id);
      return { deleted: request.id };
    }
    const lines = request.lines.map((line) => ({ accountId: line.accountId, cents: line.amount }));
    if (request.action === 'edit') {
      editEntry(company, request.id, lines);
      return { edited: request.id };
    }
    return { added: addEntry(company, { date: request.date, privateNote: request.privateNote, lines }) };
  });
}
