import { join } from 'node:path';
import type { WorldScript } from '../../sandbox/world-script.js';
import type { WorldSpec } from '../support/built-worlds.js';
import { daysFrom } from './scenario-harness.js';

/**
 * Five weeks of a hand-written world across the March month end, synced
 * every day by the built CLI, then once more on April 30th after a 15-day gap.
 *
 * Panel (opening balance 250.00, lowerCharge unless an order says keepCharge;
 * charge = rate × quantity / 1000 at 5 decimals; service 1 rate 0.90,
 * service 9 rate 0.0123, service 3 a Custom Comments Package at 6.50):
 *   03-10  B-0  2000 × 0.90 = 1.80000, placed on the baseline day: inside the opening balance
 *               balance 250.00 − 1.80 = 248.20000 → opening entry 248.20
 *   03-11  D-1  1000 × 0.90 = 0.90000 charged                                balance 247.30000
 *   03-12  D-2  3700 × 0.0123 = 0.04551 charged                             balance 247.25449
 *   03-13  B-0  Partial remains 500, lowerCharge: charge shown 1.80 × 1500/2000 = 1.35000,
 *               refund 0.45000 (a baseline order: lowers this period's expense) balance 247.70449
 *   03-14  P-K  1000 × 0.90 = 0.90000 charged (keepCharge); D-1 Completed     balance 246.80449
 *   03-15  D-2  Completed                                                    balance 246.80449
 *   03-17  P-L  1000 × 0.90 = 0.90000 charged (lowerCharge)                  balance 245.90449
 *   03-18  P-K  Partial remains 157, charge still 0.90000: pro-rata 0.90 × 843/1000 = 0.75870,
 *               refund 0.14130                                               balance 246.04579
 *   03-19  C-K  2500 × 0.90 = 2.25000 charged (keepCharge)                   balance 243.79579
 *   03-20  P-L  Partial remains 157, charge shown 0.75870: refund 0.14130     balance 243.93709
 *   03-21  C-K  Canceled, still showing 2.25000: full refund 2.25000          balance 246.18709
 *   03-22  CCP  package 4 posts × max 100 = q 400, 400 × 6.50 / 1000 = 2.60000 balance 243.58709
 *   03-25  top-up 100.00                                                     balance 343.58709
 *   03-27  CCP  Completed remains 130: 2.60 × 270/400 = 1.75500, refund 0.84500 balance 344.43209
 *   03-30  X-1  5000 × 0.90 = 4.50000 charged                                balance 339.93209
 *   03-31  A-2  3000 × 0.90 = 2.70000 charged (keepCharge)                   balance 337.23209
 *   04-02  X-1  Completed
 *   04-03  A-2  Partial remains 1000: 2.70 × 2000/3000 = 1.80000, refund 0.90000 balance 338.13209
 *   04-06  A-3  10000 × 0.0123 = 0.12300 charged                             balance 338.00909
 *   04-08  top-up 40.50                                                      balance 378.50909
 *   04-09  A-3  Completed
 *   04-14  A-4  1500 × 0.90 = 1.35000 charged                                balance 377.15909
 *   04-20  A-4  Partial remains 700, charge shown 1.35 × 800/1500 = 0.72000,
 *               refund 0.63000, seen by the 04-30 close                       balance 377.78909
 *
 * Publisher (lifetime earnings; the 03-10 snapshot is the baseline):
 *   03-10 8.00 · 03-12 20.50 (+12.50) · 03-16 34.25 (+13.75) · 03-20 32.00 (clawback −2.25)
 *   03-25 51.10 (+19.10) · 03-30 61.40 (+10.30) · 03-31 63.00 (+1.60)
 *   owed at 03-31: 12.50 + 13.75 − 2.25 + 19.10 + 10.30 + 1.60 = 55.00 ≥ 50 → payout 55.00 (paypal)
 *   04-03 73.123456 (+10.123456) · 04-08 77.999999 (+4.876543) · 04-13 92.50 (+14.500001)
 *   04-22 100.25 (+7.75, seen by the 04-30 close)
 *   owed at 04-30: 10.123456 + 4.876543 + 14.500001 + 7.75 = 37.25 < 50 → carried forward
 *
 * Advertiser (lifetime spend; 03-10 is the baseline):
 *   03-10 100.00 · 03-11 112.40 (+12.40) · 03-15 130.00 (+17.60) · 03-29 151.337 (+21.337)
 *   04-01 160.00 (+8.663) · 04-10 158.50 (credit −1.50) · 04-14 175.25 (+16.75) · 04-25 180.00 (+4.75)
 */
export const MONTH_END_WORLD: WorldScript = {
  start: '2026-03-10',
  panel: {
    openingBalance: '250.00',
    refundMode: 'lowerCharge',
    topUps: [
      { on: '2026-03-25', amount: '100.00' },
      { on: '2026-04-08', amount: '40.50' },
    ],
    orders: [
      {
        id: 'B-0',
        service: '1',
        quantity: 2000,
        placedOn: '2026-03-10',
        timeline: [
          { on: '2026-03-11', status: 'In progress', remains: 1200 },
          { on: '2026-03-13', status: 'Partial', remains: 500 },
        ],
      },
      {
        id: 'D-1',
        service: '1',
        quantity: 1000,
        placedOn: '2026-03-11',
        timeline: [
          { on: '2026-03-12', status: 'In progress', remains: 400 },
          { on: '2026-03-14', status: 'Completed' },
        ],
      },
      {
        id: 'D-2',
        service: '9',
        quantity: 3700,
        placedOn: '2026-03-12',
        timeline: [{ on: '2026-03-15', status: 'Completed' }],
      },
      {
        id: 'P-K',
        service: '1',
        quantity: 1000,
        placedOn: '2026-03-14',
        refundMode: 'keepCharge',
        timeline: [
          { on: '2026-03-16', status: 'In progress', remains: 500 },
          { on: '2026-03-18', status: 'Partial', remains: 157 },
        ],
      },
      {
        id: 'P-L',
        service: '1',
        quantity: 1000,
        placedOn: '2026-03-17',
        timeline: [{ on: '2026-03-20', status: 'Partial', remains: 157 }],
      },
      {
        id: 'C-K',
        service: '1',
        quantity: 2500,
        placedOn: '2026-03-19',
        refundMode: 'keepCharge',
        timeline: [{ on: '2026-03-21', status: 'Canceled' }],
      },
      {
        id: 'CCP',
        service: '3',
        posts: 4,
        min: 10,
        max: 100,
        placedOn: '2026-03-22',
        timeline: [
          { on: '2026-03-24', status: 'In progress', remains: 300 },
          { on: '2026-03-27', status: 'Completed', remains: 130 },
        ],
      },
      {
        id: 'X-1',
        service: '1',
        quantity: 5000,
        placedOn: '2026-03-30',
        timeline: [{ on: '2026-04-02', status: 'Completed' }],
      },
      {
        id: 'A-2',
        service: '1',
        quantity: 3000,
        placedOn: '2026-03-31',
        refundMode: 'keepCharge',
        timeline: [{ on: '2026-04-03', status: 'Partial', remains: 1000 }],
      },
      {
        id: 'A-3',
        service: '9',
        quantity: 10000,
        placedOn: '2026-04-06',
        timeline: [{ on: '2026-04-09', status: 'Completed' }],
      },
      {
        id: 'A-4',
        service: '1',
        quantity: 1500,
        placedOn: '2026-04-14',
        timeline: [
          { on: '2026-04-15', status: 'In progress', remains: 700 },
          { on: '2026-04-20', status: 'Partial', remains: 700 },
        ],
      },
    ],
  },
  payelancer: {
    publisher: {
      earnings: {
        '2026-03-10': '8.00',
        '2026-03-12': '20.50',
        '2026-03-16': '34.25',
        '2026-03-20': '32.00',
        '2026-03-25': '51.10',
        '2026-03-30': '61.40',
        '2026-03-31': '63.00',
        '2026-04-03': '73.123456',
        '2026-04-08': '77.999999',
        '2026-04-13': '92.50',
        '2026-04-22': '100.25',
      },
    },
    advertiser: {
      spent: {
        '2026-03-10': '100.00',
        '2026-03-11': '112.40',
        '2026-03-15': '130.00',
        '2026-03-29': '151.337',
        '2026-04-01': '160.00',
        '2026-04-10': '158.50',
        '2026-04-14': '175.25',
        '2026-04-25': '180.00',
      },
    },
  },
};

/** Daily closes 03-10 … 04-15, then one close on 04-30 after a gap (syncs may skip days). */
export const MONTH_END_CLOSES = [...daysFrom('2026-03-10', '2026-04-15'), '2026-04-30'];

/** The month end synced night by night on a SQLite ledger: built once per test run (builtWorld) for the files that read it. */
export const MONTH_END: WorldSpec = { name: 'month-end', script: MONTH_END_WORLD, days: MONTH_END_CLOSES };

/** Closes that find something for a person to look at (exit 1); every other close exits 0. */
export const MONTH_END_ATTENTION_CLOSES: Record<string, string> = {
  '2026-03-20': 'clawback',
  '2026-03-21': 'charge_while_voided (C-K)',
  '2026-03-25': 'balance_rise (top-up)',
  '2026-04-08': 'balance_rise (top-up)',
};

/**
 * Closes whose only new findings are for the record (information: a computed refund the next balance
 * checks, a payout carried forward): they exit 0, as quiet closes do (issue 28; they used to exit 1).
 */
export const MONTH_END_RECORD_CLOSES: Record<string, string> = {
  '2026-03-18': 'computed_refund (P-K)',
  '2026-03-27': 'computed_refund (CCP)',
  '2026-04-03': 'computed_refund (A-2)',
  '2026-04-30': 'payout_carried_forward',
};

/** Outputs of this scenario captured before the store and domain redesign (issue 11); `LEDGERLINE_WRITE_FIXTURES=1` writes them anew. */
export const MONTH_END_FIXTURES = join(import.meta.dirname, 'fixtures', 'month-end');

/** Wall-clock times of runs, and the random tail of a run's id, differ between runs of the test; nothing else should. */
export function withoutRunTimes(text: string): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
    .replace(/(run:<time>:)[0-9a-f]+/g, '$1<id>');
}
