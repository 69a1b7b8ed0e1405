import { convertEachCents, formatCents, parseRate } from '../../src/money/index.js';
import type { FakeReply } from '../fake-kit/index.js';
import type { QuickBooksCompany } from './company.js';
import { EXCHANGE_GAIN_OR_LOSS } from './settings.js';
import type { QuickBooksEntryLine } from './entry-checks.js';
import type { QuickBooksGlobalTaxCalculation } from './tax-codes.js';

/** The company's preferences and its trial balance report. */

export function preferences(company: QuickBooksCompany): FakeReply {
  const { classes, departments, homeCurrency, multiCurrency, time, reply } = company;
  return reply(200, {
    Preferences: {
      AccountingInfoPrefs: {
        TrackDepartments: departments.length > 0,
        ClassTrackingPerTxnLine: classes.length > 0,
        BookCloseDate: company.bookCloseDate,
        UseAccountNumbers: false,
      },
      CurrencyPrefs: { MultiCurrencyEnabled: multiCurrency, HomeCurrency: { value: homeCurrency } },
      domain: 'QBO',
      sparse: false,
      Id: '1',
      SyncToken: '0',
    },
    time: time(),
  });
}

/**
 * What a line leaves in the books, signed debit positive (issue 70): a coded line's tax on the company's VAT (tax
 * payable) account, the rest on its own: Debit 12.28 at 20 % TaxInclusive → 10.23 on its account, 2.05 on VAT; with
 * TaxExcluded the tax comes on top of the amount. Converted to the home currency together, kept balanced.
 */
function bookedPieces(
  line: QuickBooksEntryLine,
  calculation: QuickBooksGlobalTaxCalculation | undefined,
  vatAccount: string,
): { accountId: string; cents: bigint }[] {
  const sign = line.postingType === 'Debit' ? 1n : -1n;
  const tax = line.tax?.taxCents ?? 0n;
  if (tax === 0n) return [{ accountId: line.accountId, cents: sign * line.cents }];
  const net = calculation === 'TaxExcluded' ? line.cents : line.cents - tax;
  return [
    { accountId: line.accountId, cents: sign * net },
    { accountId: vatAccount, cents: sign * tax },
  ];
}

/**
 * GET reports/TrialBalance?end_date=…: each account's balance through the
 * date in the home currency, in Intuit's report shape (Header, Columns,
 * Rows.Row[].ColData with the account id). A foreign entry counts at its
 * ExchangeRate (home units per foreign unit, QXSD), each amount it books
 * converted on its own, half-even (convertEachCents): −27.50 USD at 0.79 is
 * −21.72 GBP, whatever the entry's other lines. What the converted amounts
 * leave unbalanced is the company's Exchange Gain or Loss, the account
 * QuickBooks makes when multicurrency is turned on (homeResidue). The bank documents
 * count beside the journals, as Intuit's report holds every transaction: a
 * Transfer credits its From account and debits its To account; a Deposit
 * debits the account it goes to and credits its lines.
 */
export function trialBalance(company: QuickBooksCompany, endDate: string): FakeReply {
  const { accounts, homeCurrency, entries, time, reply } = company;
  const sums = new Map<string, bigint>();
  const vatAccount = accounts.find((account) => account.accountSubType === 'GlobalTaxPayable')?.id ?? '';
  const add = (accountId: string, cents: bigint): void => void sums.set(accountId, (sums.get(accountId) ?? 0n) + cents);
  const exchange = accounts.find((account) => account.accountSubType === EXCHANGE_GAIN_OR_LOSS.accountSubType)?.id;
  for (const entry of entries) {
    if (entry.txnDate > endDate) continue;
    const pieces = entry.lines.flatMap((line) => bookedPieces(line, entry.globalTaxCalculation, vatAccount));
    const signed = pieces.map((piece) => piece.cents);
    const home = entry.exchangeRate === undefined ? signed : convertEachCents(signed, parseRate(entry.exchangeRate));
    pieces.forEach((piece, index) => add(piece.accountId, home[index] ?? 0n));
    const residue = -home.reduce((sum, cents) => sum + cents, 0n);
    if (residue !== 0n) add(exchange ?? '', residue);
  }
  for (const transfer of company.transfers) {
    if (transfer.txnDate > endDate) continue;
    add(transfer.fromAccountId, -transfer.cents);
    add(transfer.toAccountId, transfer.cents);
  }
  for (const deposit of company.deposits) {
    if (deposit.txnDate > endDate) continue;
    for (const line of deposit.lines) {
      add(deposit.depositToAccountId, line.cents);
      add(line.accountId, -line.cents);
    }
  }
  const money = (cents: bigint): string => (cents === 0n ? '' : formatCents(cents));
  const rows = accounts
    .filter((account) => (sums.get(account.id) ?? 0n) !== 0n)
    .map((account) => {
      const balance = sums.get(account.id) ?? 0n;
      return {
        ColData: [
          { value: account.name, id: account.id },
          { value: money(balance > 0n ? balance : 0n) },
          { value: money(balance < 0n ? -balance : 0n) },
        ],
      };
    });
  const debits = [...sums.values()].reduce((total, value) => (value > 0n ? total + value : total), 0n);
  return reply(200, {
    Header: {
      Time: time(),
      ReportName: 'TrialBalance',
      DateMacro: '',
      StartPeriod: '',
      EndPeriod: endDate,
      Currency: homeCurrency,
      Option: [{ Name: 'NoReportData', Value: String(rows.length === 0) }],
    },
    Columns: {
      Column: [
        { ColTitle: '', ColType: 'Account' },
        { ColTitle: 'Debit', ColType: 'Money' },
        { ColTitle: 'Credit', ColType: 'Money' },
      ],
    },
    Rows: {
      Row: [
        ...rows,
        {
          Summary: { ColData: [{ value: 'TOTAL' }, { value: formatCents(debits) }, { value: formatCents(debits) }] },
          type: 'Section',
          group: 'GrandTotal',
        },
      ],
    },
  });
}
