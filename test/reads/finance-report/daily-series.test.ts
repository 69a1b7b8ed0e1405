import { describe, expect, it } from 'vitest';
import { reportSeries, type SeriesInput } from '../../../src/reads/finance-report/index.js';
import { drawnDays } from '../../../src/reads/finance-report/daily-series.js';
import type { AccountMovement } from '../../../src/reads/books/ledger-reads.js';

/** A row of per-day totals, amounts written as micro-units and cents by hand. */
function row(
  date: string | null,
  sourceId: string,
  account: string,
  debit: [bigint, bigint],
  credit: [bigint, bigint] = [0n, 0n],
): AccountMovement {
  return {
    date,
    sourceId,
    account,
    currency: 'USD',
    debitMicros: debit[0],
    debitCents: debit[1],
    creditMicros: credit[0],
    creditCents: credit[1],
  };
}
const none: [bigint, bigint] = [0n, 0n];

/**
 * Three days of a panel and a publisher, before them an opening:
 *   smm-panel      opening panel_prepaid 79.10 (against opening_balance_equity)
 *     03-30        charge 0.90                 → ledger 78.20; the panel reports 78.20
 *     03-31        refund 0.14130 (0.14 in cents), charge 0.04551 (0.04 on the expense, 0.05 on the balance)
 *                  → ledger 78.20 + 0.14130 − 0.04551 = 78.29579; no close that day
 *     04-01        nothing booked              → 78.29579; the panel reports 78.29579
 *   ads-publisher  opening receivable 25.00 earned − 5.00 clawed back = 20.00
 *     03-31        earned 30.00, paid out 50.00 → receivable 0.00
 *     04-01        clawback 1.50               → receivable −1.50
 *   ads-advertiser no lines: not a publisher, no series
 */
const input: SeriesInput = {
  days: ['2026-03-30', '2026-03-31', '2026-04-01'],
  opening: [
    row(null, 'smm-panel', 'panel_prepaid', [79_100_000n, 7910n]),
    row(null, 'smm-panel', 'opening_balance_equity', none, [79_100_000n, 7910n]),
    row(null, 'ads-publisher', 'payelancer_receivable', [25_000_000n, 2500n], [5_000_000n, 500n]),
    row(null, 'ads-publisher', 'ad_revenue', [5_000_000n, 500n], [25_000_000n, 2500n]),
  ],
  // The window's three days summed per source and account, as movementsWithin reads them.
  totals: [
    row(null, 'ads-publisher', 'ad_revenue', [1_500_000n, 150n], [30_000_000n, 3000n]),
    row(null, 'ads-publisher', 'payelancer_receivable', [30_000_000n, 3000n], [51_500_000n, 5150n]),
    row(null, 'ads-publisher', 'payout_clearing_paypal', [50_000_000n, 5000n]),
    row(null, 'smm-panel', 'panel_prepaid', [141_300n, 14n], [945_510n, 95n]),
    row(null, 'smm-panel', 'smm_services_expense', [945_510n, 94n], [141_300n, 14n]),
  ],
  movements: [
    row('2026-03-30', 'smm-panel', 'panel_prepaid', none, [900_000n, 90n]),
    row('2026-03-30', 'smm-panel', 'smm_services_expense', [900_000n, 90n]),
    row('2026-03-31', 'ads-publisher', 'ad_revenue', none, [30_000_000n, 3000n]),
    row('2026-03-31', 'ads-publisher', 'payelancer_receivable', [30_000_000n, 3000n], [50_000_000n, 5000n]),
    row('2026-03-31', 'ads-publisher', 'payout_clearing_paypal', [50_000_000n, 5000n]),
    row('2026-03-31', 'smm-panel', 'panel_prepaid', [141_300n, 14n], [45_510n, 5n]),
    row('2026-03-31', 'smm-panel', 'smm_services_expense', [45_510n, 4n], [141_300n, 14n]),
    row('2026-04-01', 'ads-publisher', 'ad_revenue', [1_500_000n, 150n]),
    row('2026-04-01', 'ads-publisher', 'payelancer_receivable', none, [1_500_000n, 150n]),
  ],
  reportedBalances: [
    { sourceId: 'smm-panel', date: '2026-03-30', valueMicros: 78_200_000n, currency: 'USD' },
    { sourceId: 'smm-panel', date: '2026-04-01', valueMicros: 78_295_790n, currency: 'USD' },
  ],
  panelIds: ['smm-panel'],
  payoutMinimums: new Map([
    ['ads-publisher', 50_000_000n],
    ['ads-advertiser', 50_000_000n],
  ]),
  balanceAccounts: new Map([
    ['smm-panel', 'panel_prepaid'],
    ['ads-publisher', 'payelancer_receivable'],
    ['ads-advertiser', 'payelancer_receivable'],
  ]),
  accounts: {
    spent: new Set(['smm_services_expense', 'advertising_expense']),
    refunded: new Set(['smm_services_expense', 'advertising_expense']),
    earned: new Set(['ad_revenue']),
    paidOut: new Set(['payout_clearing_paypal', 'payout_clearing_wire']),
  },
};

describe('the report page figures', () => {
  const series = reportSeries(input);

  it("a panel's day: the balance it reported beside the ledger's panel_prepaid (exact), and the day's charges and refunds in cents", () => {
    expect(series.panels).toEqual([
      {
        sourceId: 'smm-panel',
        currency: 'USD',
        days: [
          { date: '2026-03-30', reported: '78.20', ledger: '78.20', charges: '0.90', refunds: '0.00' },
          { date: '2026-03-31', reported: null, ledger: '78.29579', charges: '0.04', refunds: '0.14' },
          { date: '2026-04-01', reported: '78.29579', ledger: '78.29579', charges: '0.00', refunds: '0.00' },
        ],
      },
    ]);
  });

  it("a publisher's receivable runs on from its opening, a payout day carries the amount paid, and a source without a receivable has no chart", () => {
    expect(series.publishers).toEqual([
      {
        sourceId: 'ads-publisher',
        currency: 'USD',
        minimum: '50.00',
        days: [
          { date: '2026-03-30', receivable: '20.00', paidOut: null },
          { date: '2026-03-31', receivable: '0.00', paidOut: '50.00' },
          { date: '2026-04-01', receivable: '-1.50', paidOut: null },
        ],
      },
    ]);
  });

  it("each source's period counts only the window, in cents; its balances include what came before", () => {
    expect(series.summaries).toEqual([
      {
        sourceId: 'ads-publisher',
        currency: 'USD',
        earned: '28.50',
        spent: '0.00',
        refunded: '0.00',
        paidOut: '50.00',
        balances: [
          { account: 'ad_revenue', netCents: '-48.50' },
          { account: 'payelancer_receivable', netCents: '-1.50' },
          { account: 'payout_clearing_paypal', netCents: '50.00' },
        ],
      },
      {
        sourceId: 'smm-panel',
        currency: 'USD',
        earned: '0.00',
        spent: '0.94',
        refunded: '0.14',
        paidOut: '0.00',
        balances: [
          { account: 'opening_balance_equity', netCents: '-79.10' },
          { account: 'panel_prepaid', netCents: '78.29' },
          { account: 'smm_services_expense', netCents: '0.80' },
        ],
      },
    ]);
  });

  it('per day the page reads only the last week of every source and before it the charted accounts of panels and publishers, and its figures are the same', () => {
    // Ten days, 03-30 to 04-08: the nights table shows 04-02 on; the ad_revenue rows before it are on no chart.
    const tenDays = {
      ...input,
      days: [
        ...input.days,
        '2026-04-02',
        '2026-04-03',
        '2026-04-04',
        '2026-04-05',
        '2026-04-06',
        '2026-04-07',
        '2026-04-08',
      ],
    };
    const drawn = drawnDays(tenDays);
    expect(drawn.allFrom).toBe('2026-04-02');
    expect([...drawn.sourceIds].sort()).toEqual(['ads-advertiser', 'ads-publisher', 'smm-panel']);
    expect(drawn.accounts).toEqual(
      expect.arrayContaining([
        'panel_prepaid',
        'payelancer_receivable',
        'smm_services_expense',
        'payout_clearing_paypal',
      ]),
    );
    expect(drawn.accounts).not.toContain('ad_revenue');
    // Read as the store reads them: dated allFrom or later, or a charted account of a charted source.
    const read = tenDays.movements.filter(
      (movement) =>
        movement.date! >= drawn.allFrom ||
        (drawn.sourceIds.includes(movement.sourceId) && drawn.accounts.includes(movement.account)),
    );
    expect(read).toHaveLength(tenDays.movements.length - 2);
    expect(reportSeries({ ...tenDays, movements: read })).toEqual(reportSeries(tenDays));
    expect(drawnDays({ ...tenDays, panelIds: [], payoutMinimums: new Map() }).sourceIds).toEqual([]);
  });
});
