import { describe, expect, it } from 'vitest';
import { transitSection } from '../../../src/reads/finance-report/transit-section.js';
import type { BankBalanceOff, TransitReport } from '../../../src/pipeline/transit/index.js';

const TRANSIT: TransitReport = { asOf: '2026-04-07', items: [] };

/** The demo's March, before the stray lines are booked: the bank says 3795.89, the ledger's bank (its opening 5500.00 booked) holds 5259.00. */
const OFF: BankBalanceOff = {
  account: 'main-bank',
  ledgerAccount: 'bank',
  currency: 'USD',
  through: '2026-03-31',
  statementClosing: '3795.89',
  ledgerClosing: '5259.00',
  difference: '-1463.11',
  message:
    'bank account main-bank: the statement closes 2026-03-31 at 3795.89 USD, the ledger\'s bank holds 5259.00 that day: 1463.11 more than the bank; "ledgerline bank lines --unmatched" lists the lines no payout or top-up took, to book with "ledgerline adjust"',
};

describe("the report's money in transit, with the bank account's closing balance (the fifth leg)", () => {
  it('lists a bank account the ledger does not reach, in the words transit prints, marked and counted in the heading', () => {
    const html = transitSection(TRANSIT, [OFF]);
    expect(html).toContain('<h2>Money in transit <span class="count">1</span></h2>');
    expect(html).toContain(
      '<li class="needs-look" data-bank-account="main-bank">! bank account main-bank: the statement closes 2026-03-31 at 3795.89 USD',
    );
    expect(html).toContain('1463.11 more than the bank');
  });

  it('says nothing of the bank accounts when each reaches its statement', () => {
    const html = transitSection(TRANSIT, []);
    expect(html).toContain('<span class="count">0</span>');
    expect(html).not.toContain('bank-balances-off');
  });
});
