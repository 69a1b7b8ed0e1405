import { deterministicUuid } from '../fake-kit/index.js';
import { centsJson } from '../json-text.js';
import { dateEpochMs, msDate, msDateTime, type XeroFakeAccount } from './journal-checks.js';
import type { WhereRecord, WhereValue } from './where-parser.js';
import type { XeroTenant, XeroStoredJournal } from './tenant.js';

/** A ManualJournal and an Account as Xero answers them, and the fields a `where` filter reads. */

export function renderJournal(
  tenant: XeroTenant,
  journal: XeroStoredJournal,
  warnings: readonly string[] = [],
): Record<string, unknown> {
  const { seed } = tenant;
  return {
    Date: msDate(journal.date),
    Status: journal.status,
    LineAmountTypes: journal.lineAmountTypes,
    UpdatedDateUTC: msDateTime(journal.updatedAt),
    ManualJournalID: journal.manualJournalId,
    Narration: journal.narration,
    JournalLines: journal.lines.map((line) => ({
      Description: line.description,
      TaxType: line.taxType,
      TaxAmount: centsJson(line.taxCents),
      LineAmount: centsJson(line.cents),
      AccountCode: line.accountCode,
      Tracking: line.tracking.map((choice) => ({
        Name: choice.name,
        Option: choice.option,
        TrackingCategoryID: deterministicUuid(seed, 'tracking', choice.name),
        TrackingOptionID: deterministicUuid(seed, 'tracking', choice.name, choice.option),
      })),
      AccountID: line.accountId,
      IsBlank: false,
    })),
    Url: journal.url,
    ShowOnCashBasisReports: journal.showOnCashBasisReports,
    HasAttachments: false,
    Warnings: warnings.length > 0 ? warnings.map((message) => ({ Message: message })) : undefined,
  };
}

export function journalRecord(journal: XeroStoredJournal): WhereRecord {
  const fields: Record<string, WhereValue> = {
    narration: journal.narration,
    status: journal.status,
    date: dateEpochMs(journal.date),
    manualjournalid: journal.manualJournalId,
    lineamounttypes: journal.lineAmountTypes,
    url: journal.url ?? null,
  };
  return (field) => fields[field];
}

export function renderAccount(tenant: XeroTenant, account: XeroFakeAccount): Record<string, unknown> {
  const { createdAt, accountId } = tenant;
  return {
    AccountID: accountId(account.code),
    Code: account.code,
    Name: account.name,
    Status: account.status,
    Type: account.type,
    TaxType: account.taxType,
    Class: accountClass(account.type),
    SystemAccount: account.systemAccount,
    EnablePaymentsToAccount: false,
    ShowInExpenseClaims: false,
    BankAccountType: account.type === 'BANK' ? 'BANK' : '',
    ReportingCode: '',
    HasAttachments: false,
    UpdatedDateUTC: msDateTime(createdAt),
    AddToWatchlist: false,
  };
}

export function accountClass(type: string): string {
  switch (type) {
    case 'BANK':
    case 'CURRENT':
    case 'FIXED':
    case 'INVENTORY':
    case 'NONCURRENT':
    case 'PREPAYMENT':
      return 'ASSET';
    case 'CURRLIAB':
    case 'LIABILITY':
    case 'TERMLIAB':
      return 'LIABILITY';
    case 'EQUITY':
      return 'EQUITY';
    case 'REVENUE':
    case 'SALES':
    case 'OTHERINCOME':
      return 'REVENUE';
    default:
      return 'EXPENSE';
  }
}
