import { formatCents } from '../../src/money/index.js';
import type { FakeReply } from '../fake-kit/index.js';
import type { QuickBooksCompany } from './company.js';
import { QUICKBOOKS_CLEARED_STATUSES, type QuickBooksClearedStatus } from './bank-documents.js';

/**
 * GET reports/TransactionList?start_date&end_date&cleared=…: the company's transfers and deposits dated in the
 * range, filtered on their cleared status (Intuit's report parameter `cleared`: Cleared, Uncleared, Reconciled,
 * Deposited), in Intuit's report shape: one row each, its id on the transaction-type column.
 * Example: cleared=Reconciled after a person reconciled transfer 7 → one row [2026-11-14, Transfer (id 7), …, 312.40].
 */
export function transactionList(company: QuickBooksCompany, query: URLSearchParams): FakeReply {
  const from = query.get('start_date') ?? '0000-01-01';
  const until = query.get('end_date') ?? company.today();
  const clearedText = query.get('cleared');
  const cleared = QUICKBOOKS_CLEARED_STATUSES.find((status) => status === clearedText);
  const documents = [
    ...company.transfers.map((transfer) => ({
      type: 'Transfer',
      document: transfer,
      account: transfer.toAccountId,
      cents: transfer.cents,
    })),
    ...company.deposits.map((deposit) => ({
      type: 'Deposit',
      document: deposit,
      account: deposit.depositToAccountId,
      cents: deposit.lines.reduce((sum, line) => sum + line.cents, 0n),
    })),
  ].filter(
    ({ document }) => document.txnDate >= from && document.txnDate <= until && matches(document.cleared, cleared),
  );
  const accountName = (id: string) => company.accounts.find((account) => account.id === id)?.name ?? '';
  const rows = documents.map(({ type, document, account, cents }) => ({
    ColData: [
      { value: document.txnDate },
      { value: type, id: document.id },
      { value: '' },
      { value: document.privateNote ?? '' },
      { value: accountName(account), id: account },
      { value: formatCents(cents) },
    ],
    type: 'Data',
  }));
  return company.reply(200, {
    Header: {
      Time: company.time(),
      ReportName: 'TransactionList',
      StartPeriod: from,
      EndPeriod: until,
      Currency: company.homeCurrency,
      Option: [{ Name: 'NoReportData', Value: String(rows.length === 0) }],
    },
    Columns: {
      Column: [
        { ColTitle: 'Date', ColType: 'tx_date' },
        { ColTitle: 'Transaction Type', ColType: 'txn_type' },
        { ColTitle: 'Num', ColType: 'doc_num' },
        { ColTitle: 'Memo/Description', ColType: 'memo' },
        { ColTitle: 'Account', ColType: 'account_name' },
        { ColTitle: 'Amount', ColType: 'subt_nat_amount' },
      ],
    },
    Rows: { Row: rows },
  });
}

/** No filter, or the status asked for; Deposited matches nothing here (no undeposited funds are kept). */
function matches(status: QuickBooksClearedStatus, wanted: QuickBooksClearedStatus | undefined): boolean {
  return wanted === undefined || status === wanted;
}
