import type { WorldScript } from '../../sandbox/world-script.js';

/**
 * The world of the built world 'bank-month' (test/support/built-worlds.ts builds it once by that name): a panel
 * topped up four times from 10.00 and a publisher paid 76.04 on 03-31, synced nightly 03-24 to 03-31. Every test
 * that copies 'bank-month' serves this script, so the sandbox and the built ledger cannot disagree.
 */
export const BANK_MONTH_WORLD: WorldScript = {
  start: '2026-03-24',
  panel: {
    openingBalance: '10.00',
    orders: [],
    topUps: [
      { on: '2026-03-25', amount: '20.00' },
      { on: '2026-03-26', amount: '48.00' },
      { on: '2026-03-27', amount: '30.00' },
      { on: '2026-03-30', amount: '50.00' },
    ],
  },
  payelancer: {
    publisher: { earnings: { '2026-03-24': '0.00', '2026-03-27': '40.00', '2026-03-31': '76.04' } },
    advertiser: { spent: { '2026-03-24': '0.00' } },
  },
};
