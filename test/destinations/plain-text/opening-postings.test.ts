import { describe, expect, it } from 'vitest';
import { openingPostings } from '../../../src/destinations/plain-text/opening-postings.js';

const TYPES = {
  panel_prepaid: 'asset',
  payelancer_receivable: 'asset',
  payelancer_prepaid: 'asset',
  opening_balance_equity: 'equity',
  smm_services_expense: 'expense',
  advertising_expense: 'expense',
  ad_revenue: 'revenue',
  suspense: 'liability',
};

const usd = (sourceId: string, account: string, amountMicros: bigint) => ({
  sourceId,
  account,
  currency: 'USD',
  amountMicros,
});

describe('the opening transaction of a window', () => {
  it("opens the balance-sheet accounts and closes the earlier result into the opening account: the month-end world's books before 03-15", () => {
    const before = [
      usd('smm-panel', 'panel_prepaid', 246_804_490n),
      usd('smm-panel', 'smm_services_expense', 1_395_510n),
      usd('smm-panel', 'opening_balance_equity', -248_200_000n),
      usd('ads-publisher', 'payelancer_receivable', 12_500_000n),
      usd('ads-publisher', 'ad_revenue', -12_500_000n),
      usd('ads-advertiser', 'payelancer_prepaid', -12_400_000n),
      usd('ads-advertiser', 'advertising_expense', 12_400_000n),
    ];
    expect(openingPostings(before, TYPES, 'opening_balances')).toEqual([
      usd('smm-panel', 'opening_balance_equity', -248_200_000n),
      usd('smm-panel', 'panel_prepaid', 246_804_490n),
      usd('ads-advertiser', 'payelancer_prepaid', -12_400_000n),
      usd('ads-publisher', 'payelancer_receivable', 12_500_000n),
      { sourceId: undefined, account: 'opening_balances', currency: 'USD', amountMicros: 1_295_510n },
    ]);
  });

  it('opens nothing of a zero balance, and takes one posting per currency only where the rest is not zero', () => {
    expect(
      openingPostings(
        [
          usd('bank', 'suspense', 0n),
          { sourceId: 'eu', account: 'panel_prepaid', currency: 'EUR', amountMicros: 5_000_000n },
          { sourceId: 'eu', account: 'opening_balance_equity', currency: 'EUR', amountMicros: -5_000_000n },
        ],
        TYPES,
        'opening_balances',
      ),
    ).toEqual([
      { sourceId: 'eu', account: 'opening_balance_equity', currency: 'EUR', amountMicros: -5_000_000n },
      { sourceId: 'eu', account: 'panel_prepaid', currency: 'EUR', amountMicros: 5_000_000n },
    ]);
    expect(openingPostings([], TYPES, 'opening_balances')).toEqual([]);
  });
});
