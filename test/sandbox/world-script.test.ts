import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { formatMicros } from '../../src/money/index.js';
import { scriptedWorld, type WorldScript } from '../../sandbox/world-script.js';

/**
 * Ground truth by hand. Opening balance 100.00, lowerCharge unless an order says otherwise.
 *   03-01  A-1  1000 followers at 0.90          charge 0.90000              balance  99.10000
 *   03-02  77   comments package 3 posts × 20   charge 0.39000 (keepCharge)
 *          B-2  3700 views at 0.0123            charge 0.04551              balance  98.66449
 *   03-03  B-2  Canceled: +0.04551; P-1 Package charge 2.75000             balance  95.96000
 *   03-04  top-up 50.00; A-1 Partial remains 157 keeps 0.75870: +0.14130    balance 146.10130
 *   03-05  77   Completed remains 9 of 60 keeps 0.33150: +0.05850            balance 146.15980
 *   03-06  P-1  Partial remains 250 keeps 2.06250 (keepCharge): +0.68750     balance 146.84730
 */
const script: WorldScript = {
  start: '2026-03-01',
  panel: {
    openingBalance: '100.00',
    refundMode: 'lowerCharge',
    topUps: [{ on: '2026-03-04', amount: '50.00' }],
    orders: [
      {
        id: 'A-1',
        service: '1',
        quantity: 1000,
        placedOn: '2026-03-01',
        startCount: 3572,
        timeline: [
          { on: '2026-03-02', status: 'In progress', remains: 600 },
          { on: '2026-03-04', status: 'Partial', remains: 157 },
        ],
      },
      {
        id: 77,
        service: 3,
        posts: 3,
        min: 5,
        max: 20,
        placedOn: '2026-03-02',
        refundMode: 'keepCharge',
        timeline: [{ on: '2026-03-05', status: 'Completed', remains: '9' }],
      },
      {
        id: 'B-2',
        service: '9',
        quantity: 3700,
        placedOn: '2026-03-02',
        timeline: [{ on: '2026-03-03', status: 'Canceled' }],
      },
      {
        id: 'P-1',
        service: '4',
        placedOn: '2026-03-03',
        refundMode: 'keepCharge',
        timeline: [{ on: '2026-03-06', status: 'Partial', remains: 250 }],
      },
    ],
  },
  payelancer: {
    publisher: {
      earnings: { '2026-03-01': '1.25', '2026-03-02': '3.75', '2026-03-04': '3.25' },
      impressions: { '2026-03-01': 400 },
    },
    advertiser: { spent: { '2026-03-01': '2.00', '2026-03-03': 5.1 } },
    conversions: [
      { campaign_id: '982734A', ad_id: '459021B', payout: '1.25', timestamp: '2026-03-01T20:55:00Z' },
      { campaign_id: '982734A', ad_id: '459021B', payout: 2.5, timestamp: '2026-03-02T08:10:00Z' },
    ],
  },
};

const panelText = (micros: bigint) => formatMicros(micros, 5);

describe('a scripted world', () => {
  const world = scriptedWorld(script);

  it('moves the balance exactly as the hand-written ledger says, day by day', () => {
    const balances = [
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-20',
    ].map((date) => panelText(world.balanceOn(date)));
    expect(balances).toEqual(['99.10000', '98.66449', '95.96000', '146.10130', '146.15980', '146.84730', '146.84730']);
  });

  it('shows each order as the script says on each date, with charges per its refund mode', () => {
    const orders = world.stateOn('2026-03-06').panel.orders.map((order) => ({
      id: order.id,
      status: order.status,
      remains: order.remains,
      charge: panelText(order.reportedCharge),
      kept: panelText(order.netCharge),
      refunded: panelText(order.refunded),
    }));
    expect(orders).toEqual([
      { id: 'A-1', status: 'Partial', remains: '157', charge: '0.75870', kept: '0.75870', refunded: '0.14130' },
      { id: '77', status: 'Completed', remains: '9', charge: '0.39000', kept: '0.33150', refunded: '0.05850' },
      { id: 'B-2', status: 'Canceled', remains: '3700', charge: '0.00000', kept: '0.00000', refunded: '0.04551' },
      { id: 'P-1', status: 'Partial', remains: '250', charge: '2.75000', kept: '2.06250', refunded: '0.68750' },
    ]);
    expect(world.orderOn('A-1', '2026-03-03')).toMatchObject({
      status: 'In progress',
      remains: '600',
      startCount: 3572,
    });
    expect(world.orderOn('77', '2026-03-02')).toMatchObject({ status: 'Pending', remains: '60', quantity: 60 });
  });

  it('knows an order only from the day it is placed', () => {
    expect(world.orderOn('P-1', '2026-03-02')).toBeUndefined();
    expect(world.orderOn('P-1', '2026-03-03')?.status).toBe('Pending');
    expect(world.orderOn('nope', '2026-03-06')).toBeUndefined();
  });

  it('carries ad counters forward between the dates given and says which days match their conversions', () => {
    const day = (date: string) => {
      const { payelancer } = world.stateOn(date);
      return [
        formatMicros(payelancer.publisher.amount),
        formatMicros(payelancer.advertiser.amount),
        payelancer.publisherDayKind,
        payelancer.conversions.length,
      ];
    };
    expect(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'].map(day)).toEqual([
      ['1.25', '2.00', 'matched', 1],
      ['3.75', '2.00', 'matched', 1],
      ['3.75', '5.10', 'matched', 0],
      ['3.25', '5.10', 'clawback', 0],
    ]);
    expect(world.stateOn('2026-03-09').payelancer.publisher).toEqual({
      impressions: 400,
      clicks: 0,
      amount: 3_250_000n,
    });
  });

  it('lists every change of a day: order steps and conversions', () => {
    const changes = world.changesOn('2026-03-02');
    expect(changes.orderSteps.map((order) => `${order.id} ${order.status}`)).toEqual([
      'A-1 In progress',
      '77 Pending',
      'B-2 Pending',
    ]);
    expect(changes.conversions.map((conversion) => formatMicros(conversion.payout))).toEqual(['2.50']);
  });
});

describe('a bad world script', () => {
  it('is refused with every problem named by its path', () => {
    const bad = {
      start: '2026-03-01',
      panel: {
        orders: [
          { id: 'X', service: '42', quantity: 10, placedOn: '2026-03-01' },
          { id: 'X', service: '1', placedOn: '2026-03-01' },
          {
            id: 'Y',
            service: '1',
            quantity: 100,
            placedOn: '2026-02-27',
            timeline: [
              { on: '2026-03-05', status: 'Partial' },
              { on: '2026-03-02', status: 'Completed' },
            ],
          },
        ],
      },
    };
    let caught: unknown;
    try {
      scriptedWorld(bad, 'scenario.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(
      (caught as ConfigError).problems.map((problem) => `${problem.file} ${problem.path}: ${problem.message}`),
    ).toEqual([
      'scenario.json panel.orders.0.service: no service 42 in the catalogue',
      'scenario.json panel.orders.1.id: order id X is listed twice',
      'scenario.json panel.orders.1.quantity: a Default order needs a quantity',
      "scenario.json panel.orders.2.placedOn: 2026-02-27 is before the world's start 2026-03-01",
      'scenario.json panel.orders.2.timeline.0.remains: a Partial step needs remains',
      'scenario.json panel.orders.2.timeline.1.on: 2026-03-02 is before the step or placement it follows (2026-03-05)',
    ]);
  });

  it('refuses panel amounts with more than 5 decimals, unknown fields and bad dates', () => {
    const attempt = (script: unknown) => {
      try {
        scriptedWorld(script);
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((problem) => problem.path);
      }
    };
    expect(attempt({ start: '2026-03-01', panel: { openingBalance: '1.000001' } })).toEqual(['panel.openingBalance']);
    expect(attempt({ start: '2026-02-30' })).toEqual(['start']);
    expect(attempt({ start: '2026-03-01', panel: { balance: '1.00' } })).toEqual(['panel']);
  });
});
