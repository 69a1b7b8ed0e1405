import { describe, expect, it } from 'vitest';
import {
  closeBalanceEvents,
  orderObservationEvents,
  prepaidEffect,
} from '../../../../src/kinds/panel/rules/panel-close-events.js';
import { panelCloseEvents, type PanelCloseInput } from '../../../../src/kinds/panel/rules/panel-close-draft.js';
import type { OrderLedgerState } from '../../../../src/kinds/panel/rules/order-ledger-state.js';
import type { OrderObservation } from '../../../../src/kinds/panel/rules/order-observation.js';
import { DEFAULT_CHART } from '../../../rules/default-chart.js';

const sourceId = 'smm-panel';

/** Order 23502: 1000 units charged 1.00 on March 1st, still in progress. */
const charged: OrderLedgerState = {
  orderId: '23502',
  currency: 'USD',
  bookedNetMicros: 1_000_000n,
  firstChargeMicros: 1_000_000n,
  statusNormalized: 'open',
  statusRaw: 'In progress',
  terminal: false,
  baseline: false,
  lastObservedOn: '2026-03-01',
};

function close(fields: Partial<PanelCloseInput> = {}): PanelCloseInput {
  return {
    sourceId,
    date: '2026-03-02',
    currency: 'USD',
    chart: DEFAULT_CHART,
    isBaselineSync: false,
    observations: [],
    stateOf: (orderId) => (orderId === '23502' ? charged : undefined),
    quantityOf: () => 1000n,
    placedOn: () => undefined,
    previousBalance: { openedOn: '2026-02-01' },
    prepaidBeforeMicros: 10_000_000n,
    reportedBalanceMicros: 10_000_000n,
    roundedFigures: 0,
    ...fields,
  };
}

const summary = (events: readonly { kind: string; ref: string; amountMicros: bigint }[]) =>
  events.map((event) => [event.kind, event.ref, event.amountMicros]);

describe('what one panel close books: worked examples', () => {
  it('a new order is charged what the panel says, and the balance it explains books nothing more', () => {
    // 10.00 prepaid; order 23501 first seen at a charge of 0.90 → 10.00 − 0.90 = 9.10, exactly what the panel reports.
    const result = panelCloseEvents(
      close({
        observations: [
          {
            kind: 'status',
            orderId: '23501',
            statusRaw: 'Pending',
            chargeMicros: 900_000n,
            remainsRaw: undefined,
            currency: 'USD',
          },
        ],
        reportedBalanceMicros: 9_100_000n,
      }),
    );
    expect(summary(result.events)).toEqual([['order_charge', '23501', 900_000n]]);
    expect(result.findings).toEqual([]);
    expect(result.prepaidAfterMicros).toBe(9_100_000n);
    expect(result.nextStates.get('23501')).toMatchObject({
      bookedNetMicros: 900_000n,
      firstChargeMicros: 900_000n,
      terminal: false,
    });
  });

  it('a partial refund is pro-rata: 400 of 1000 units undelivered refunds 0.40 of a 1.00 charge', () => {
    // Net charge 1.00 × (1000 − 400) / 1000 = 0.60; booked 1.00 → refund 0.40; prepaid 10.00 + 0.40 = 10.40, as reported.
    const result = panelCloseEvents(
      close({
        observations: [
          {
            kind: 'status',
            orderId: '23502',
            statusRaw: 'Partial',
            chargeMicros: 1_000_000n,
            remainsRaw: '400',
            currency: 'USD',
          },
        ],
        reportedBalanceMicros: 10_400_000n,
      }),
    );
    expect(summary(result.events)).toEqual([['order_refund', '23502', 400_000n]]);
    expect(result.prepaidAfterMicros).toBe(10_400_000n);
    expect(result.nextStates.get('23502')).toMatchObject({
      bookedNetMicros: 600_000n,
      statusNormalized: 'partial',
      terminal: true,
    });
  });

  it('a balance rise the orders do not explain is a top-up, so panel_prepaid ends at the reported balance', () => {
    // 10.00 − 0.90 (order 23501) = 9.10 explained; the panel reports 59.10 → top-up 59.10 − 9.10 = 50.00.
    const result = panelCloseEvents(
      close({
        observations: [
          {
            kind: 'status',
            orderId: '23501',
            statusRaw: 'Pending',
            chargeMicros: 900_000n,
            remainsRaw: undefined,
            currency: 'USD',
          },
        ],
        reportedBalanceMicros: 59_100_000n,
      }),
    );
    expect(summary(result.events)).toEqual([
      ['order_charge', '23501', 900_000n],
      ['panel_topup', expect.any(String), 50_000_000n],
    ]);
    expect(result.prepaidAfterMicros).toBe(59_100_000n);
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
      observations.push({
        kind: 'status',
        orderId,
        statusRaw: statuses[index % statuses.length]!,
        chargeMicros: charge,
        remainsRaw: String(index * 3),
        currency: 'USD',
      });
      if (index % 2 === 0) {
        states.set(orderId, {
          orderId,
          currency: 'USD',
          bookedNetMicros: charge,
          firstChargeMicros: charge,
          statusNormalized: 'open',
          statusRaw: 'Pending',
          terminal: false,
          baseline: false,
          lastObservedOn: '2026-03-01',
        });
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
      placedOn: () => undefined,
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
    const balance = closeBalanceEvents({ ...input, orderEffectMicros, orderEvents, lateCharges: [] });
    expect(whole.events.length).toBeGreaterThan(orderEvents);
    expect({
      events: [...events, ...balance.events],
      findings: [...findings, ...balance.findings],
      nextStates,
      nextBalance: balance.nextBalance,
      prepaidAfterMicros: balance.prepaidAfterMicros,
      explanations: balance.explanations,
    }).toEqual(whole);
  });
});
