import { describe, expect, it } from 'vitest';
import {
  childOrderIds,
  closeBalanceEvents,
  mergeStatusReports,
  observationsOf,
  orderObservationEvents,
  panelCloseEvents,
  prepaidEffect,
  roundedFigures,
  type PanelCloseInput,
} from '../../../src/pipeline/sync/panel-close-events.js';
import type { OrderLedgerState, OrderObservation } from '../../../src/rules/index.js';
import type { PanelStatusBatchReport } from '../../../src/sources/panel/panel-client.js';
import type { PanelOrderStatus } from '../../../src/sources/panel/panel-order-status.js';
import { DEFAULT_CHART } from '../../rules/default-chart.js';

const order = (orderId: string, fields: Partial<PanelOrderStatus> = {}): PanelOrderStatus => ({ orderId, shape: 'order', statusRaw: 'Pending', charge: 900_000n, chargeExact: true, ...fields });

function report(orders: PanelOrderStatus[], unknown: PanelStatusBatchReport['unknown'] = []): PanelStatusBatchReport {
  return { orders: new Map(orders.map((status) => [status.orderId, status])), unknown, invalid: [], rawObservationIds: [], batchMode: 'multiStatus' };
}

describe('what a panel close reads from its status replies', () => {
  it("a drip-feed's and a subscription's children are named, the parents observed as nothing (they hold no money)", () => {
    const batch = report([
      order('100', { shape: 'drip-feed', charge: undefined, chargeExact: undefined, statusRaw: 'In progress', runs: '2', childOrderIds: ['101', '102'] }),
      order('200', { shape: 'subscription', charge: undefined, chargeExact: undefined, statusRaw: 'Active', expiry: 'false', posts: '1', childOrderIds: ['201', '101'] }),
      order('7'),
    ]);
    expect(childOrderIds(batch)).toEqual(['101', '102', '201']);
    expect(observationsOf(['100', '200', '7'], batch, 'USD')).toEqual({
      observations: [{ kind: 'status', orderId: '7', statusRaw: 'Pending', chargeMicros: 900_000n, remainsRaw: undefined, currency: 'USD' }],
      children: ['101', '102', '201', '101'],
    });
  });

  it("a status without a currency takes the close's currency (the balance reply's, else the source's configured one)", () => {
    const batch = report([order('7'), order('8', { currency: 'EUR' })]);
    expect(observationsOf(['7', '8'], batch, 'GBP').observations.map((observation) => (observation.kind === 'status' ? observation.currency : ''))).toEqual(['GBP', 'EUR']);
  });

  it('counts the figures a close read finer than a micro-unit: the balance and each charge', () => {
    const batch = report([order('7', { chargeExact: false }), order('8'), order('9', { charge: undefined, chargeExact: undefined })]);
    expect([roundedFigures({ exact: false }, batch), roundedFigures({ exact: true }, batch)]).toEqual([2, 1]);
  });

  it('a second poll of the same close (the children) is added to the first', () => {
    const first = report([order('7')]);
    mergeStatusReports(first, { ...report([order('101')], [{ orderId: '102', reason: 'Incorrect order ID', rawObservationId: 4 }]), rawObservationIds: [4], batchMode: 'single' });
    expect([[...first.orders.keys()], first.unknown.map((item) => item.orderId), first.rawObservationIds, first.batchMode]).toEqual([['7', '101'], ['102'], [4], 'single']);
  });
});

describe('a panel close booked in chunks', () => {
  it('books what one pass over the whole close books: the same events, findings, states and balance, in the same order', () => {
    const observations: OrderObservation[] = [];
    const states = new Map<string, OrderLedgerState>();
    const statuses = ['Pending', 'Completed', 'Partial', 'Canceled', 'In progress'];
    for (let index = 0; index < 23; index += 1) {
      const orderId = String(500 + index);
      if (index % 7 === 6) {
        observations.push({ kind: 'unknown', orderId, reason: 'Incorrect order ID' });
        continue;
      }
      const charge = BigInt(100_000 + index * 12_345);
      observations.push({ kind: 'status', orderId, statusRaw: statuses[index % statuses.length]!, chargeMicros: charge, remainsRaw: String(index * 3), currency: 'USD' });
      if (index % 2 === 0) {
        states.set(orderId, { orderId, currency: 'USD', bookedNetMicros: charge, firstChargeMicros: charge, statusNormalized: 'open', statusRaw: 'Pending', terminal: false, baseline: false, lastObservedOn: '2026-03-01' });
      }
    }
    const input: PanelCloseInput = {
      sourceId: 'smm-panel',
      date: '2026-03-02',
      currency: 'USD',
      chart: DEFAULT_CHART,
      isBaselineSync: false,
      observations,
      stateOf: (orderId) => states.get(orderId),
      quantityOf: () => 100n,
      previousBalance: { openedOn: '2026-02-01' },
      prepaidBeforeMicros: 50_000_000n,
      reportedBalanceMicros: 48_250_000n,
      roundedFigures: 0,
    };
    const whole = panelCloseEvents(input);

    const events = [];
    const findings = [];
    const nextStates = new Map<string, OrderLedgerState>();
    let orderEffectMicros = 0n;
    let orderEvents = 0;
    for (let start = 0; start < observations.length; start += 5) {
      const chunk = orderObservationEvents(observations.slice(start, start + 5), input);
      orderEffectMicros += prepaidEffect(chunk.events, DEFAULT_CHART, 'USD');
      orderEvents += chunk.events.length;
      events.push(...chunk.events);
      findings.push(...chunk.findings);
      for (const [orderId, next] of chunk.nextStates) nextStates.set(orderId, next);
    }
    const balance = closeBalanceEvents({ ...input, orderEffectMicros, orderEvents });
    expect(whole.events.length).toBeGreaterThan(orderEvents);
    expect({ events: [...events, ...balance.events], findings: [...findings, ...balance.findings], nextStates, nextBalance: balance.nextBalance, prepaidAfterMicros: balance.prepaidAfterMicros }).toEqual(whole);
  });
});
