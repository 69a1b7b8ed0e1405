import { describe, expect, it } from 'vitest';
import { balanceMismatchItems, stuckOrderItems } from '../../../src/kinds/panel/panel-reconcile-items.js';

describe("the panel's reconcile items, in its words", () => {
  it('lists an order open since it was placed, judged at the close, and one never dated since the ledger first saw it', () => {
    const items = stuckOrderItems('smm-panel', '2026-03-31', [
      { orderId: '23501', firstSeenDate: '2026-03-02', createdAt: '2026-03-01T09:12:00Z' },
      { orderId: '23502', firstSeenDate: '2026-03-01', createdAt: null },
    ]);
    expect(items.map((item) => [item.id, item.kind, item.date, item.ref])).toEqual([
      ['order_stuck_open:smm-panel:23501', 'order_stuck_open', '2026-03-31', '23501'],
      ['order_stuck_open:smm-panel:23502', 'order_stuck_open', '2026-03-31', '23502'],
    ]);
    expect(items[0]!.message).toBe(
      'order 23501 has been open since 2026-03-01 (30 days at the close of 2026-03-31); some panels show an order ' +
        'that failed at their provider as Pending for ever: ask the panel, or cancel it there',
    );
  });

  it("lists a panel whose reported balance its books' panel_prepaid does not reach, with the difference, and none that agrees", async () => {
    const held = new Map([
      ['smm-panel', 109_550_000n],
      ['other-panel', 20_000_000n],
    ]);
    const asked: unknown[] = [];
    const items = await balanceMismatchItems(
      {
        latestBalanceCloses: async () => [
          { sourceId: 'smm-panel', date: '2026-03-31', valueMicros: 110_000_000n, currency: 'USD' },
          { sourceId: 'other-panel', date: '2026-03-30', valueMicros: 20_000_000n, currency: 'USD' },
        ],
        journal: {
          balanceOf: async (account: string, currency: string, at: { sourceId?: string; asOf?: string } = {}) => {
            asked.push([account, currency, at]);
            return held.get(at.sourceId!)!;
          },
        } as never,
      },
      '2026-03-31',
    );
    expect(asked).toContainEqual(['panel_prepaid', 'USD', { sourceId: 'smm-panel', asOf: '2026-03-31' }]);
    expect(items).toEqual([
      {
        id: 'balance_mismatch:smm-panel:2026-03-31',
        kind: 'balance_mismatch',
        source: 'smm-panel',
        date: '2026-03-31',
        amount: '0.45',
        currency: 'USD',
        ref: 'panel_prepaid',
        message: "the ledger's panel_prepaid is 109.55 but the panel reported 110.00 at its close of 2026-03-31",
      },
    ]);
  });
});
