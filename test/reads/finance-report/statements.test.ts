import { describe, expect, it } from 'vitest';
import { financialStatements, type AccountCents } from '../../../src/reads/finance-report/index.js';
import type { ChartAccount } from '../../../src/config/index.js';

const CHART: Record<string, ChartAccount> = {
  panel_prepaid: { type: 'asset', name: 'SMM panel balance' },
  payelancer_receivable: { type: 'asset', name: 'Ad network earnings receivable' },
  payout_clearing_paypal: { type: 'asset', name: 'Payouts in transit (PayPal)' },
  ad_revenue: { type: 'revenue', name: 'Advertising revenue' },
  smm_services_expense: { type: 'expense', name: 'SMM services' },
  opening_balance_equity: { type: 'equity', name: 'Opening balance equity' },
  suspense: { type: 'liability', name: 'Suspense (to review)' },
};

const cents = (account: string, debit: bigint, credit: bigint): AccountCents => ({
  account,
  currency: 'USD',
  debitCents: debit,
  creditCents: credit,
});

describe('the statements of a window', () => {
  /*
   * Before the window: the panel opens at 99.10 (Dr panel_prepaid, Cr opening equity) and earns 10.00 of revenue.
   * In it: earnings 61.00, a payout 60.00, SMM charges 0.90 with 0.14 refunded, a 2.00 fall to suspense.
   * Revenue 61.00, expenses 0.76, net profit 60.24; earlier result 10.00.
   * Assets: panel 99.10 − 0.90 + 0.14 − 2.00 = 96.34, receivable 10.00 + 61.00 − 60.00 = 11.00, clearing 60.00 → 167.34.
   * Liabilities: suspense (2.00) is a debit on a credit account: −2.00. Equity 99.10 + 10.00 + 60.24 = 169.34; 169.34 − 2.00 = 167.34.
   */
  const before = [
    cents('panel_prepaid', 9910n, 0n),
    cents('opening_balance_equity', 0n, 9910n),
    cents('payelancer_receivable', 1000n, 0n),
    cents('ad_revenue', 0n, 1000n),
  ];
  const period = [
    cents('payelancer_receivable', 6100n, 6000n),
    cents('ad_revenue', 0n, 6100n),
    cents('payout_clearing_paypal', 6000n, 0n),
    cents('smm_services_expense', 90n, 14n),
    cents('panel_prepaid', 14n, 290n),
    cents('suspense', 200n, 0n),
  ];
  const [usd] = financialStatements(CHART, before, period);

  it('gives the profit and loss with natural signs: revenue and expenses positive, the net result their difference', () => {
    expect(usd!.profitAndLoss).toEqual({
      revenue: [{ account: 'ad_revenue', name: 'Advertising revenue', type: 'revenue', amount: '61.00' }],
      revenueTotal: '61.00',
      expenses: [{ account: 'smm_services_expense', name: 'SMM services', type: 'expense', amount: '0.76' }],
      expenseTotal: '0.76',
      netResult: '60.24',
    });
  });

  it('gives a balance sheet at the end that ties, the earlier and the period results in equity', () => {
    const sheet = usd!.balanceSheet;
    expect(sheet.assets.map((line) => [line.account, line.amount])).toEqual([
      ['panel_prepaid', '96.34'],
      ['payelancer_receivable', '11.00'],
      ['payout_clearing_paypal', '60.00'],
    ]);
    expect(sheet.liabilities.map((line) => [line.account, line.amount])).toEqual([['suspense', '-2.00']]);
    expect(sheet.equity.map((line) => [line.account, line.amount])).toEqual([['opening_balance_equity', '99.10']]);
    expect(sheet).toMatchObject({
      assetTotal: '167.34',
      liabilityTotal: '-2.00',
      resultBefore: '10.00',
      resultForPeriod: '60.24',
      equityTotal: '169.34',
      liabilitiesAndEquityTotal: '167.34',
      ties: true,
    });
  });

  it('gives the trial balance at the end with each balance in its column and equal totals', () => {
    expect(usd!.trialBalance.lines.map((line) => [line.account, line.net, line.debit, line.credit])).toEqual([
      ['ad_revenue', '-71.00', null, '71.00'],
      ['opening_balance_equity', '-99.10', null, '99.10'],
      ['panel_prepaid', '96.34', '96.34', null],
      ['payelancer_receivable', '11.00', '11.00', null],
      ['payout_clearing_paypal', '60.00', '60.00', null],
      ['smm_services_expense', '0.76', '0.76', null],
      ['suspense', '2.00', '2.00', null],
    ]);
    expect(usd!.trialBalance).toMatchObject({ debitTotal: '170.10', creditTotal: '170.10' });
  });

  it('keeps an account the chart does not name with the assets under its key, and still ties', () => {
    const [statements] = financialStatements(CHART, [], [cents('mystery', 500n, 0n), cents('ad_revenue', 0n, 500n)]);
    expect(statements!.balanceSheet.assets).toEqual([
      { account: 'mystery', name: 'mystery', type: 'unknown', amount: '5.00' },
    ]);
    expect(statements!.balanceSheet).toMatchObject({
      assetTotal: '5.00',
      resultForPeriod: '5.00',
      equityTotal: '5.00',
      ties: true,
    });
  });
});
