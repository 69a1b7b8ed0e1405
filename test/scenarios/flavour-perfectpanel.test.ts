import { describe } from 'vitest';
import { syncsFlavouredPanel } from './flavoured-panel-world.js';

/**
 * Five nights against a panel of the common docs template storing DOUBLE money (7-decimal text,
 * no currency anywhere, "Cancelled"): 0.0455223 is booked as 0.045522, 0.0000015 as 0.000002, the children are
 * found and charged on the night they appear, and the one micro-unit that rounding leaves on
 * 03-04 goes to the rounding account. Before, the first 7-decimal charge stopped the panel.
 */
describe('five nights against a Perfect Panel-style panel storing DOUBLE money', { timeout: 120_000 }, () => {
  syncsFlavouredPanel('perfectpanel', {
    exits: [0, 0, 0, 0, 1],
    // 20.0000000; 19.0544777; 19.9392995 (half-even up); 19.9515950; 24.9515950
    prepaid: ['20.00', '19.054478', '19.9393', '19.951595', '24.951595'],
    accounts: {
      // Charges 0.045522 + 0.90 + 0.015178 + 3 × 0.000002 less refunds 0.90 + 0.0123.
      smm_services_expense: '0.048406',
      opening_balance_equity: '-20.00',
      panel_prepaid: '24.951595',
      // 03-04: the ledger held 19.939300 + 0.012300 − 0.000006 = 19.951594 against 19.951595 carried.
      rounding: '-0.000001',
      topup_clearing: '-5.00',
    },
    events: [
      ['panel_opening_balance', '20.00'],
      ['order_charge', '0.045522'],
      ['order_refund', '0.0123'],
      ['order_charge', '0.90'],
      ['order_refund', '0.90'],
      ['order_charge', '0.000002'],
      ['order_charge', '0.000002'],
      ['order_charge', '0.015178'],
      ['order_charge', '0.000002'],
      ['panel_rounding_gain', '0.000001'],
      ['panel_topup', '5.00'],
    ],
  });
});
