import { describe, expect, it } from 'vitest';
import { childOrderIds, observationsOf, roundedFigures } from '../../../src/kinds/panel/panel-wire.js';
import { mergeStatusReports } from '../../../src/kinds/panel/stored-panel-close.js';
import type { PanelStatusBatchReport } from '../../../src/kinds/panel/panel-client.js';
import type { PanelOrderStatus } from '../../../src/kinds/panel/panel-wire.js';

const order = (orderId: string, fields: Partial<PanelOrderStatus> = {}): PanelOrderStatus => ({
  orderId,
  shape: 'order',
  statusRaw: 'Pending',
  charge: 900_000n,
  chargeExact: true,
  ...fields,
});

function report(orders: PanelOrderStatus[], unknown: PanelStatusBatchReport['unknown'] = []): PanelStatusBatchReport {
  return {
    orders: new Map(orders.map((status) => [status.orderId, status])),
    unknown,
    invalid: [],
    rawObservationIds: [],
    batchMode: 'multiStatus',
  };
}

describe('what a panel close reads from its status replies', () => {
  it("a drip-feed's and a subscription's children are named, the parents observed as nothing (they hold no money)", () => {
    const batch = report([
      order('100', {
        shape: 'drip-feed',
        charge: undefined,
        chargeExact: undefined,
        statusRaw: 'In progress',
        runs: '2',
        childOrderIds: ['101', '102'],
      }),
      order('200', {
        shape: 'subscription',
        charge: undefined,
        chargeExact: undefined,
        statusRaw: 'Active',
        expiry: 'false',
        posts: '1',
        childOrderIds: ['201', '101'],
      }),
      order('7'),
    ]);
    expect(childOrderIds(batch)).toEqual(['101', '102', '201']);
    expect(observationsOf(['100', '200', '7'], batch, 'USD')).toEqual({
      observations: [
        {
          kind: 'status',
          orderId: '7',
          statusRaw: 'Pending',
          chargeMicros: 900_000n,
          remainsRaw: undefined,
          currency: 'USD',
        },
      ],
      children: ['101', '102', '201', '101'],
    });
  });

  it("a status without a currency takes the close's currency (the balance reply's, else the source's configured one)", () => {
    const batch = report([order('7'), order('8', { currency: 'EUR' })]);
    expect(
      observationsOf(['7', '8'], batch, 'GBP').observations.map((observation) =>
        observation.kind === 'status' ? observation.currency : '',
      ),
    ).toEqual(['GBP', 'EUR']);
  });

  it('counts the figures a close read finer than a micro-unit: the balance and each charge', () => {
    const batch = report([
      order('7', { chargeExact: false }),
      order('8'),
      order('9', { charge: undefined, chargeExact: undefined }),
    ]);
    expect([roundedFigures({ exact: false }, batch), roundedFigures({ exact: true }, batch)]).toEqual([2, 1]);
  });

  it('a second poll of the same close (the children) is added to the first', () => {
    const first = report([order('7')]);
    mergeStatusReports(first, {
      ...report([order('101')], [{ orderId: '102', reason: 'Incorrect order ID', rawObservationId: 4 }]),
      rawObservationIds: [4],
      batchMode: 'single',
    });
    expect([
      [...first.orders.keys()],
      first.unknown.map((item) => item.orderId),
      first.rawObservationIds,
      first.batchMode,
    ]).toEqual([['7', '101'], ['102'], [4], 'single']);
  });
});
