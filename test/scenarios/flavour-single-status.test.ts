import { describe } from 'vitest';
import { syncsFlavouredPanel } from './flavoured-panel-world.js';

/**
 * Five nights against a PHP script with no batch status, PHP numbers and no currency, keeping
 * money to 5 decimals: every order is polled one at a time, the subscription's children
 * included, and the books are exact with nothing to round (the votes cost 0.0000015, which
 * this panel keeps as 0.00000).
 */
describe('five nights against a panel with no batch status', { timeout: 120_000 }, () => {
  syncsFlavouredPanel('single-status', {
    exits: [0, 0, 0, 0, 1],
    // 20.00; 20 − 0.04552 − 0.90; + 0.90 − 0.01518; + 0.04552 − 0.03322; + 5.00
    prepaid: ['20.00', '19.05448', '19.9393', '19.9516', '24.9516'],
    accounts: {
      // Charges 0.04552 + 0.90 + 0.01518 less refunds 0.90 + 0.0123.
      smm_services_expense: '0.0484',
      opening_balance_equity: '-20.00',
      panel_prepaid: '24.9516',
      topup_clearing: '-5.00',
    },
    events: [
      ['panel_opening_balance', '20.00'],
      ['order_charge', '0.04552'],
      ['order_refund', '0.0123'],
      ['order_charge', '0.90'],
      ['order_refund', '0.90'],
      ['order_charge', '0.01518'],
      ['panel_topup', '5.00'],
    ],
  });
});
