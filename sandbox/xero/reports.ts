import { formatCents } from '../../src/money/index.js';
import { jsonReply, type FakeOutcome } from '../fake-kit/index.js';
import { msDateTime } from './journal-checks.js';
import type { XeroTenant } from './tenant.js';
import { accountClass } from './render.js';
import { postDataInvalid } from './refusals.js';

/**
 * GET Reports/TrialBalance?date=…: every account with posted journal lines
 * through the date, Xero's report shape (a header row, one section per
 * account class, cells of text). The fake's YTD columns hold the whole
 * balance through the date (its books start with the first journal), and
 * Debit/Credit the movement of the date's month. Only POSTED journals count.
 */
export function trialBalance(tenant: XeroTenant, query: URLSearchParams): FakeOutcome {
  const { now, accounts, organisationName, stored, accountId, today, envelope } = tenant;
  const dateText = query.get('date') ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dateText)) return { reply: postDataInvalid(`date ${dateText} is not a date (YYYY-MM-DD)`), note: 'bad date' };
  const monthStart = `${dateText.slice(0, 7)}-01`;
  const sums = new Map<string, { month: bigint; total: bigint }>();
  for (const journal of stored) {
    if (journal.status !== 'POSTED' || journal.date > dateText) continue;
    for (const line of journal.lines) {
      const amount = journal.lineAmountTypes === 'Exclusive' ? line.cents + line.taxCents : line.cents;
      const sum = sums.get(line.accountCode) ?? { month: 0n, total: 0n };
      sum.total += amount;
      if (journal.date >= monthStart) sum.month += amount;
      sums.set(line.accountCode, sum);
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
  const header = { RowType: 'Header', Cells: ['Account', 'Debit', 'Credit', 'YTD Debit', 'YTD Credit'].map((value) => ({ Value: value })) };
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
