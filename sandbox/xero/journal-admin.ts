import { z } from 'zod';
import {
  AdminAmountSchema,
  adminCall,
  balancedAdminLines,
  deterministicUuid,
  type FakeReply,
} from '../fake-kit/index.js';
import type { XeroJournalEdit, XeroStoredJournal, XeroTenant } from './tenant.js';

/**
 * A person in Xero's web app, past the lock dates (an adviser who unlocked the period, changed it and locked it
 * again): a journal's lines replaced, a journal voided, or a journal of their own added on any date.
 */

const AdminLineSchema = z.strictObject({
  accountCode: z.string().min(1),
  amount: AdminAmountSchema,
});

const BalancedLinesSchema = balancedAdminLines(AdminLineSchema);

const JournalAdminSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('edit'), id: z.string().min(1), lines: BalancedLinesSchema }),
  z.strictObject({ action: z.literal('void'), id: z.string().min(1) }),
  z.strictObject({
    action: z.literal('add'),
    date: z.iso.date(),
    narration: z.string().default('Entered in Xero'),
    lines: BalancedLinesSchema,
  }),
]);

const LockDatesSchema = z.strictObject({
  periodLockDate: z.iso.date().nullable().optional(),
  endOfYearLockDate: z.iso.date().nullable().optional(),
});

/**
 * POST /xero/__admin/lock-dates {"periodLockDate"?: "YYYY-MM-DD" | null, "endOfYearLockDate"?: …}: what an adviser
 * sets in Xero (Settings → Advanced → Financial settings → Lock dates), read back as the Organisation's
 * PeriodLockDate and EndOfYearLockDate; null clears one, a field left out stays. Replies with both as they now stand.
 */
export function adminLockDates(tenant: XeroTenant, body: Buffer): FakeReply {
  return adminCall(body, LockDatesSchema, (request) => {
    if (request.periodLockDate !== undefined) tenant.periodLockDate = request.periodLockDate ?? undefined;
    if (request.endOfYearLockDate !== undefined) tenant.endOfYearLockDate = request.endOfYearLockDate ?? undefined;
    return { periodLockDate: tenant.periodLockDate ?? null, endOfYearLockDate: tenant.endOfYearLockDate ?? null };
  });
}

function storedJournal(tenant: XeroTenant, manualJournalId: string): XeroStoredJournal {
  const journal = tenant.stored.find((candidate) => candidate.manualJournalId === manualJournalId);
  if (!journal) throw new RangeError(`the Xero fake holds no journal ${manualJournalId}`);
  return journal;
}

/** Removes a journal: a draft becomes DELETED, a posted one VOIDED. Throws RangeError for an unknown id. */
export function removeJournal(tenant: XeroTenant, manualJournalId: string): void {
  const journal = storedJournal(tenant, manualJournalId);
  journal.status = journal.status === 'POSTED' ? 'VOIDED' : 'DELETED';
  journal.updatedAt = tenant.now();
}

function storedLines(
  tenant: XeroTenant,
  lines: XeroJournalEdit['lines'],
  descriptions: readonly (string | undefined)[] = [],
): XeroStoredJournal['lines'] {
  return lines.map((line, index) => ({
    accountCode: line.accountCode,
    accountId: tenant.accountId(line.accountCode),
    cents: line.cents,
    taxCents: 0n,
    taxType: 'NONE',
    description: descriptions[index],
    tracking: [],
  }));
}

/** Replaces a journal's lines (descriptions kept by position). Throws RangeError for an unknown id. */
export function editJournal(tenant: XeroTenant, manualJournalId: string, edit: XeroJournalEdit): void {
  const journal = storedJournal(tenant, manualJournalId);
  journal.lines = storedLines(
    tenant,
    edit.lines,
    journal.lines.map((line) => line.description),
  );
  journal.updatedAt = tenant.now();
}

/** A posted journal a person enters on `date`, whatever the lock dates say; returns its ManualJournalID. */
export function addJournal(
  tenant: XeroTenant,
  journal: { date: string; narration: string; lines: XeroJournalEdit['lines'] },
): string {
  const manualJournalId = deterministicUuid(tenant.seed, 'journal', tenant.stored.length + 1);
  tenant.stored.push({
    manualJournalId,
    narration: journal.narration,
    date: journal.date,
    status: 'POSTED',
    lineAmountTypes: 'NoTax',
    showOnCashBasisReports: true,
    url: undefined,
    lines: storedLines(tenant, journal.lines),
    updatedAt: tenant.now(),
    idempotencyKey: undefined,
  });
  return manualJournalId;
}

/**
 * POST /xero/__admin/journal: {"action":"edit","id","lines":[{"accountCode","amount"}…]}, {"action":"void","id"} or
 * {"action":"add","date","narration"?,"lines"}; 200 with the journal's id, 400 for a body it cannot read, 404 for an unknown id.
 */
export function adminJournal(tenant: XeroTenant, body: Buffer): FakeReply {
  return adminCall(body, JournalAdminSchema, (request) => {
    if (request.action === 'void') {
      removeJournal(tenant, request.id);
      return { voided: request.id };
    }
    const lines = request.lines.map((line) => ({ accountCode: line.accountCode, cents: line.amount }));
    if (request.action === 'edit') {
      editJournal(tenant, request.id, { lines });
      return { edited: request.id };
    }
    return { added: addJournal(tenant, { date: request.date, narration: request.narration, lines }) };
  });
}
