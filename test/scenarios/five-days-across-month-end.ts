import type { WorldScript } from '../../sandbox/world-script.js';
import { daysFrom } from './scenario-harness.js';

/**
 * Five days across the March month end with something booked every day:
 *   03-29  baseline: panel 80.00 − R-1 0.90 = 79.10; earnings 10.00; spend 5.00
 *   03-30  R-1 Completed; R-2 0.90 charged (keepCharge); earnings +30.00; spend +4.25
 *   03-31  R-2 Partial remains 157: refund 0.14130; R-3 0.04551 charged; earnings +30.00 → payout 60.00
 *   04-01  R-3 Canceled: refund 0.04551; top-up 20.00
 *   04-02  earnings +1.00; spend +2.75
 *   04-04  top-up 5.00 (after the window: only the backfill tests look at it)
 */
export const FIVE_DAYS_ACROSS_MONTH_END: WorldScript = {
  start: '2026-03-29',
  panel: {
    openingBalance: '80.00',
    topUps: [
      { on: '2026-04-01', amount: '20.00' },
      { on: '2026-04-04', amount: '5.00' },
    ],
    orders: [
      {
        id: 'R-1',
        service: '1',
        quantity: 1000,
        placedOn: '2026-03-29',
        timeline: [{ on: '2026-03-30', status: 'Completed' }],
      },
      {
        id: 'R-2',
        service: '1',
        quantity: 1000,
        placedOn: '2026-03-30',
        refundMode: 'keepCharge',
        timeline: [{ on: '2026-03-31', status: 'Partial', remains: 157 }],
      },
      {
        id: 'R-3',
        service: '9',
        quantity: 3700,
        placedOn: '2026-03-31',
        timeline: [{ on: '2026-04-01', status: 'Canceled' }],
      },
    ],
  },
  payelancer: {
    publisher: {
      earnings: { '2026-03-29': '10.00', '2026-03-30': '40.00', '2026-03-31': '70.00', '2026-04-02': '71.00' },
    },
    advertiser: { spent: { '2026-03-29': '5.00', '2026-03-30': '9.25', '2026-04-02': '12.00' } },
  },
};

/** The five synced days, 03-29 to 04-02. */
export const FIVE_DAYS = daysFrom('2026-03-29', '2026-04-02');
