import { formatCents } from '../../src/money/index.js';
import { jsonReply, type FakeOutcome } from '../fake-kit/index.js';
import { msDateTime } from './journal-checks.js';
import type { XeroTenant } from './tenant.js';
import { accountClass } from './render.js';
import { postDataInvalid } from './refusals.js';
import { XERO_VAT_ACCOUNT_CODE } from './settings.js';

/**
 * The POSTED journals' lines into the sums. Xero books a coded line's tax to its VAT (GST) system account, not to the
 * line's account (issue 70): an Inclusive 12.28 at 20 % leaves 10.23 on the account and 2.05 on VAT; Exclusive adds
 * the tax on top, to VAT alone.
 */
function addJournals(tenant: XeroTenant, add: (accountCode: string, date: string, amount: bigint) => void): void {
  const vatAccount = tenant.accounts.find((account) => account.systemAccount === 'GST')?.code ?? XERO_VAT_ACCOUNT_CODE;
  for (const journal of tenant.stored) {
    if (journal.status !== 'POSTED') continue;
    for (const line of journal.lines) {
      const net = journal.lineAmountTypes === 'Inclusive' ? line.cents - line.taxCents : line.cents;
      add(line.accountCode, journal.date, net);
      if (line.taxCents !== 0n) add(vatAccount, journal.date, line.taxCents);
    }
  }
}

/**
 * GET Reports/TrialBalance?date=…: every account with posted journal lines
 * through the date, Xero's report shape (a header row, one section per
 * account class, cells of text). The fake's YTD columns hold the whole
 * balance through the date (its books start with the first journal), and
 * Debit/Credit the movement of the date's month. Only POSTED journals count, and
 * the bank documents beside them, as Xero's report holds every transaction: a
 * BankTransfer credits its From account and debits its To account; a RECEIVE
 * debits its bank account and credits its lines (SPEND the other way). A coded line's tax goes to the VAT system
 * account (issue 70), as Xero's own trial balance holds it.
 */
export function trialBalance(tenant: XeroTenant, query: URLSearchParams): FakeOutcome {
  const { now, accounts, organisationName, accountId, today, envelope } = tenant;
  const dateText = query.get('date') ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dateText))
    return { reply: postDataInvalid(`date ${dateText} is not a date (YYYY-MM-DD)`), note: 'bad date' };
  const monthStart = `${dateText.slice(0, 7)}-01`;
  const sums = new Map<string, { month: bigint; total: bigint }>();
  const add = (accountCode: string, date: string, amount: bigint): void => {
    if (date > dateText) return;
    const sum = sums.get(accountCode) ?? { month: 0n, total: 0n };
    sum.total += amount;
    if (date >= monthStart) sum.month += amount;
    sums.set(accountCode, sum);
  };
  addJournals(tenant, add);
  for (const transfer of tenant.bankTransfers) {
    add(transfer.from.code, transfer.date, -transfer.cents);
    add(transfer.to.code, transfer.date, transfer.cents);
  }
  const vatAccount = tenant.accounts.find((account) => account.systemAccount === 'GST')?.code ?? XERO_VAT_ACCOUNT_CODE;
  for (const transaction of tenant.bankTransactions) {
    const received = transaction.type === 'RECEIVE' ? 1n : -1n;
    for (const line of transaction.lines) {
      // Inclusive: the bank moves the line, the account its net and VAT its tax; Exclusive: the tax on top of the line.
      const gross = transaction.lineAmountTypes === 'Exclusive' ? line.cents + line.taxCents : line.cents;
      add(transaction.bankAccount.code, transaction.date, received * gross);
      add(line.accountCode, transaction.date, -received * (gross - line.taxCents));
      if (line.taxCents !== 0n) add(vatAccount, transaction.date, -received * line.taxCents);
    }
  }
  const money = (cents: bigint): string => (cents === 0n ? '' : formatCents(cents));
  const sections = new Map<string, Record<string, unknown>[]>();
  for (const account of accounts) {
    const sum = sums.get(account.code);
    if (!sum) continue;
    const accountClassName = accountClass(account.type);
    const rows = sections.get(accountClassName) ?? [];
    rows.push({
      RowType: 'Row',
      Cells: [
        { Value: `${account.name} (${account.code})`, Attributes: [{ Value: accountId(account.code), Id: 'account' }] },
        { Value: money(sum.month > 0n ? sum.month : 0n) },
        { Value: money(sum.month < 0n ? -sum.month : 0n) },
        { Value: money(sum.total > 0n ? sum.total : 0n) },
        { Value: money(sum.total < 0n ? -sum.total : 0n) },
      ],
    });
    sections.set(accountClassName, rows);
  }
  const header = {
    RowType: 'Header',
    Cells: ['Account', 'Debit', 'Credit', 'YTD Debit', 'YTD Credit'].map((value) => ({ Value: value })),
  };
  const report = {
    ReportID: 'TrialBalance',
    ReportName: 'Trial Balance',
    ReportType: 'TrialBalance',
    ReportTitles: ['Trial Balance', organisationName, `As at ${dateText}`],
    ReportDate: dateText,
    UpdatedDateUTC: msDateTime(now()),
    Rows: [header, ...[...sections].map(([title, rows]) => ({ RowType: 'Section', Title: title, Rows: rows }))],
  };
  return { reply: jsonReply(200, envelope({ Reports: [report] })), note: `trial balance at ${dateText}` };
}
