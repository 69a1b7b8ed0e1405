import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeStatus } from '../../../../src/kinds/panel/rules/normalize-status.js';
import {
  orderEvents,
  type OrderEventsContext,
  type OrderEventsResult,
} from '../../../../src/kinds/panel/rules/order-events.js';
import type { OrderLedgerState } from '../../../../src/kinds/panel/rules/order-ledger-state.js';
import type { OrderObservation, OrderStatusObservation } from '../../../../src/kinds/panel/rules/order-observation.js';
import { interpretRemains } from '../../../../src/kinds/panel/rules/normalize-status.js';
import { targetNetCharge } from '../../../../src/kinds/panel/rules/normalize-status.js';
import type { SourceEvent } from '../../../../src/rules/source-event.js';

const sourceId = 'smm-panel';
const status = (
  statusRaw: string,
  chargeMicros: bigint,
  remainsRaw?: string,
  orderId = '23501',
): OrderStatusObservation => ({
  kind: 'status',
  orderId,
  statusRaw,
  chargeMicros,
  remainsRaw,
  currency: 'USD',
});
const on = (date: string, fields: Partial<OrderEventsContext> = {}): OrderEventsContext => ({
  sourceId,
  date,
  isBaselineSync: false,
  quantity: 1000n,
  ...fields,
});

/** Applies observations in order, as the pipeline does, collecting everything produced. */
function run(steps: readonly [OrderObservation, OrderEventsContext][], start?: OrderLedgerState): OrderEventsResult {
  let state = start;
  const events: SourceEvent[] = [];
  const findings: OrderEventsResult['findings'] = [];
  for (const [observation, context] of steps) {
    const result = orderEvents(state, observation, context);
    events.push(...result.events);
    findings.push(...result.findings);
    state = result.next;
  }
  return { events, findings, next: state! };
}

const signed = (event: SourceEvent): bigint =>
  event.kind === 'order_charge' ? event.amountMicros : -event.amountMicros;

describe('order events: worked examples', () => {
  it('1000 ordered at rate 0.90 is charged 0.90000 when first seen', () => {
    const { events, next, findings } = orderEvents(undefined, status('Pending', 900_000n, '1000'), on('2026-03-01'));
    expect(events).toEqual([
      {
        id: 'panel:smm-panel:order:23501:charge:2026-03-01',
        sourceId,
        kind: 'order_charge',
        date: '2026-03-01',
        currency: 'USD',
        amountMicros: 900_000n,
        ref: '23501',
        detail: {
          status: 'Pending',
          statusNormalized: 'open',
          reportedCharge: '0.90',
          remains: '1000',
          quantity: '1000',
          bookedBefore: '0.00',
          netCharge: '0.90',
          computed: 'reported',
        },
      },
    ]);
    expect(next).toEqual({
      orderId: '23501',
      currency: 'USD',
      bookedNetMicros: 900_000n,
      firstChargeMicros: 900_000n,
      statusNormalized: 'open',
      statusRaw: 'Pending',
      terminal: false,
      baseline: false,
      lastObservedOn: '2026-03-01',
      eventSequence: { date: '2026-03-01', count: 1 },
      chargedOn: '2026-03-01',
    });
    expect(findings).toEqual([]);
  });

  it("a refund names the day the order's charge was booked, its original's date, whose tax rule codes it", () => {
    const later = run([
      [status('Pending', 900_000n, '1000'), on('2026-03-01')],
      [status('Partial', 900_000n, '157'), on('2026-03-02')],
      [status('Canceled', 0n, '1000'), on('2026-03-05')],
    ]);
    expect(later.events.map((event) => [event.kind, event.date, event.detail.originalDate])).toEqual([
      ['order_charge', '2026-03-01', undefined],
      ['order_refund', '2026-03-02', '2026-03-01'],
      ['order_refund', '2026-03-05', '2026-03-01'],
    ]);
    // The same day needs no name; an order inside the opening balance has no charge of the ledger's to name.
    const sameDay = run([
      [status('Pending', 900_000n, '1000'), on('2026-03-01')],
      [status('Canceled', 0n, '1000'), on('2026-03-01')],
    ]);
    expect(sameDay.events.map((event) => event.detail.originalDate)).toEqual([undefined, undefined]);
    const baseline = run([
      [status('Pending', 900_000n, '1000'), on('2026-03-01', { isBaselineSync: true })],
      [status('Canceled', 0n, '1000'), on('2026-03-04')],
    ]);
    expect(baseline.events.map((event) => [event.kind, event.detail.originalDate])).toEqual([
      ['order_refund', undefined],
    ]);
    expect(baseline.next.chargedOn).toBeUndefined();
  });

  it('a Partial with 157 left still reporting 0.90 is refunded 0.14130 pro-rata (net 0.75870)', () => {
    const { events, next, findings } = run([
      [status('Pending', 900_000n, '1000'), on('2026-03-01')],
      [status('Partial', 900_000n, '157'), on('2026-03-02')],
    ]);
    expect(events.map((event) => [event.id, event.kind, event.amountMicros, event.detail.computed])).toEqual([
      ['panel:smm-panel:order:23501:charge:2026-03-01', 'order_charge', 900_000n, 'reported'],
      ['panel:smm-panel:order:23501:refund:2026-03-02', 'order_refund', 141_300n, 'pro-rata'],
    ]);
    expect(next.bookedNetMicros).toBe(758_700n);
    expect(next.terminal).toBe(true);
    expect(findings.map((item) => [item.kind, item.amountMicros, item.ref])).toEqual([
      ['computed_refund', 141_300n, '23501'],
    ]);
  });

  it('a Partial whose charge the panel lowered to 0.7587 is refunded the same 0.14130, with nothing to review', () => {
    const { events, next, findings } = run([
      [status('Pending', 900_000n, '1000'), on('2026-03-01')],
      [status('Partial', 758_700n, '157'), on('2026-03-02')],
    ]);
    expect(events.map((event) => [event.kind, event.amountMicros, event.detail.computed])).toEqual([
      ['order_charge', 900_000n, 'reported'],
      ['order_refund', 141_300n, 'reported'],
    ]);
    expect(next.bookedNetMicros).toBe(758_700n);
    expect(findings).toEqual([]);
  });

  it('once the panel catches up and lowers the charge to 0.7587, nothing more is booked', () => {
    const { events } = run([
      [status('Pending', 900_000n, '1000'), on('2026-03-01')],
      [status('Partial', 900_000n, '157'), on('2026-03-02')],
      [status('Partial', 758_700n, '157'), on('2026-03-03')],
    ]);
    expect(events.map((event) => [event.kind, event.amountMicros])).toEqual([
      ['order_charge', 900_000n],
      ['order_refund', 141_300n],
    ]);
  });

  it('a Canceled order still reporting its charge is fully refunded', () => {
    const { events, next, findings } = run([
      [status('In progress', 900_000n, '400'), on('2026-03-01')],
      [status('Cancelled', 900_000n, '1000'), on('2026-03-02')],
    ]);
    expect(events.map((event) => [event.id, event.kind, event.amountMicros])).toEqual([
      ['panel:smm-panel:order:23501:charge:2026-03-01', 'order_charge', 900_000n],
      ['panel:smm-panel:order:23501:refund:2026-03-02', 'order_refund', 900_000n],
    ]);
    expect(next.bookedNetMicros).toBe(0n);
    expect(findings.map((item) => [item.id, item.kind, item.amountMicros])).toEqual([
      ['finding:smm-panel:charge_while_voided:23501:2026-03-02', 'charge_while_voided', 900_000n],
    ]);
  });

  it('a Completed Custom Comments Package with remains and its first charge is refunded pro-rata (3 posts × 20 = 60, 15 left)', () => {
    // Billed for its upper bound, posts × max comments.
    const quantity = 3n * 20n;
    const { events, next } = run([
      [status('In progress', 12_000_000n, '60', '23504'), on('2026-03-01', { quantity })],
      [status('Completed', 12_000_000n, '15', '23504'), on('2026-03-05', { quantity })],
    ]);
    expect(events.map((event) => [event.id, event.kind, event.amountMicros])).toEqual([
      ['panel:smm-panel:order:23504:charge:2026-03-01', 'order_charge', 12_000_000n],
      ['panel:smm-panel:order:23504:refund:2026-03-05', 'order_refund', 3_000_000n],
    ]);
    expect(next.bookedNetMicros).toBe(9_000_000n);
  });

  it('over-delivery ("+12") on a Partial refunds nothing', () => {
    const { events } = run([
      [status('Pending', 900_000n, '1000'), on('2026-03-01')],
      [status('Partial', 900_000n, '+12'), on('2026-03-02')],
    ]);
    expect(events.map((event) => event.kind)).toEqual(['order_charge']);
  });

  it('without the quantity no refund is computed: the order is reported as not computable', () => {
    const { events, next, findings } = run([
      [status('Pending', 900_000n, '1000'), on('2026-03-01', { quantity: undefined })],
      [status('Partial', 900_000n, '157'), on('2026-03-02', { quantity: undefined })],
    ]);
    expect(events.map((event) => event.kind)).toEqual(['order_charge']);
    expect(next.bookedNetMicros).toBe(900_000n);
    expect(findings.map((item) => [item.kind, item.ref, item.date])).toEqual([
      ['refund_not_computable', '23501', '2026-03-02'],
    ]);
  });

  it('an order first seen already Partial is charged its pro-rata net, and the computation is flagged for review', () => {
    const { events, findings } = orderEvents(undefined, status('Partial', 900_000n, '157'), on('2026-03-02'));
    expect(events.map((event) => [event.kind, event.amountMicros])).toEqual([['order_charge', 758_700n]]);
    expect(findings.map((item) => item.kind)).toEqual(['computed_refund']);
    expect(findings[0]!.message).toContain('first seen already finished');
  });
});

describe('order events: baseline orders', () => {
  it('an order seen at the baseline sync books nothing; a later refund reduces expense', () => {
    const { events, next } = run([
      [status('In progress', 900_000n, '500'), on('2026-03-01', { isBaselineSync: true })],
      [status('Partial', 900_000n, '157'), on('2026-03-02')],
    ]);
    expect(events.map((event) => [event.id, event.kind, event.amountMicros])).toEqual([
      ['panel:smm-panel:order:23501:refund:2026-03-02', 'order_refund', 141_300n],
    ]);
    expect(next.baseline).toBe(true);
  });

  it('a baseline order seen twice during the baseline sync (poll and webhook) still books nothing', () => {
    const { events, next } = run([
      [status('In progress', 900_000n, '500'), on('2026-03-01', { isBaselineSync: true })],
      [status('Partial', 900_000n, '157'), on('2026-03-01', { isBaselineSync: true })],
    ]);
    expect(events).toEqual([]);
    expect(next.bookedNetMicros).toBe(758_700n);
  });

  it('a baseline order already Canceled counts as booked at 0: its refund is inside the opening balance', () => {
    const first = orderEvents(
      undefined,
      status('Canceled', 900_000n, '1000'),
      on('2026-03-01', { isBaselineSync: true }),
    );
    expect(first.events).toEqual([]);
    expect(first.next.bookedNetMicros).toBe(0n);
    expect(orderEvents(first.next, status('Canceled', 900_000n, '1000'), on('2026-03-02')).events).toEqual([]);
  });
});

describe('order events: unknown orders and statuses', () => {
  it('"Incorrect order ID" books and refunds nothing, and remembers the first day it was unknown', () => {
    const charged = orderEvents(undefined, status('Pending', 900_000n, '1000'), on('2026-03-01'));
    const unknown1 = orderEvents(
      charged.next,
      { kind: 'unknown', orderId: '23501', reason: 'Incorrect order ID' },
      on('2026-03-02'),
    );
    const unknown2 = orderEvents(
      unknown1.next,
      { kind: 'unknown', orderId: '23501', reason: 'missing from the batch reply' },
      on('2026-03-04'),
    );
    expect([...unknown1.events, ...unknown2.events]).toEqual([]);
    expect(unknown2.next).toEqual({ ...charged.next, unknownSince: '2026-03-02', lastObservedOn: '2026-03-04' });
    expect(unknown1.findings).toEqual([
      {
        id: 'finding:smm-panel:unknown_order:23501:2026-03-02',
        kind: 'unknown_order',
        sourceId,
        date: '2026-03-02',
        ref: '23501',
        message:
          'order 23501: the panel answered "Incorrect order ID" (unknown since 2026-03-02); nothing was booked or refunded for it',
      },
    ]);
  });

  it('an order that comes back after being unknown is handled as any other', () => {
    const { events, next } = run([
      [{ kind: 'unknown', orderId: '77', reason: 'Incorrect order ID' }, on('2026-03-01', { isBaselineSync: true })],
      [status('Completed', 450_000n, '0', '77'), on('2026-03-12')],
    ]);
    expect(events.map((event) => [event.id, event.kind, event.amountMicros])).toEqual([
      ['panel:smm-panel:order:77:charge:2026-03-12', 'order_charge', 450_000n],
    ]);
    expect(next.unknownSince).toBeUndefined();
    expect(next.baseline).toBe(false);
  });

  it('an unknown status is kept raw, treated as open at its charge, and reported', () => {
    const { events, next, findings } = orderEvents(undefined, status('Paused', 900_000n, '300'), on('2026-03-01'));
    expect(events.map((event) => [event.kind, event.amountMicros])).toEqual([['order_charge', 900_000n]]);
    expect([next.statusNormalized, next.statusRaw, next.terminal]).toEqual(['unknown', 'Paused', false]);
    expect(findings.map((item) => [item.kind, item.message])).toEqual([
      ['unknown_status', 'order 23501 has the unknown status "Paused"; it is treated as open at its reported charge'],
    ]);
  });

  it('a change of currency books nothing and is reported; nothing is converted', () => {
    const charged = orderEvents(undefined, status('Pending', 900_000n, '1000'), on('2026-03-01'));
    const euros = orderEvents(charged.next, { ...status('Canceled', 0n, '1000'), currency: 'EUR' }, on('2026-03-02'));
    expect(euros.events).toEqual([]);
    expect(euros.next).toEqual({ ...charged.next, lastObservedOn: '2026-03-02' });
    expect(euros.findings.map((item) => [item.kind, item.currency])).toEqual([['currency_changed', 'EUR']]);
  });
});

describe('order events: ids and replays', () => {
  it('replaying an observation on the same state yields the same events; on the new state, none', () => {
    const charged = orderEvents(undefined, status('Pending', 900_000n, '1000'), on('2026-03-01'));
    const partial = orderEvents(charged.next, status('Partial', 900_000n, '157'), on('2026-03-02'));
    expect(orderEvents(charged.next, status('Partial', 900_000n, '157'), on('2026-03-02'))).toEqual(partial);
    expect(orderEvents(partial.next, status('Partial', 900_000n, '157'), on('2026-03-02')).events).toEqual([]);
  });

  it('moves back and forth on one date get distinct ids', () => {
    const { events } = run([
      [status('Pending', 900_000n, '1000'), on('2026-03-02')],
      [status('Partial', 758_700n, '157'), on('2026-03-02')],
      [status('Completed', 900_000n, '0'), on('2026-03-02')],
    ]);
    expect(events.map((event) => [event.id, event.amountMicros])).toEqual([
      ['panel:smm-panel:order:23501:charge:2026-03-02', 900_000n],
      ['panel:smm-panel:order:23501:refund:2026-03-02:2', 141_300n],
      ['panel:smm-panel:order:23501:charge:2026-03-02:3', 141_300n],
    ]);
  });

  it("an observation older than the last one applied (a late webhook, a replay on today's state) changes nothing", () => {
    const { next } = run([
      [status('Pending', 900_000n, '1000'), on('2026-03-01')],
      [status('Partial', 900_000n, '157'), on('2026-03-05')],
    ]);
    expect(orderEvents(next, status('In progress', 900_000n, '400'), on('2026-03-03'))).toEqual({
      events: [],
      next,
      findings: [],
    });
    expect(
      orderEvents(next, { kind: 'unknown', orderId: '23501', reason: 'Incorrect order ID' }, on('2026-03-04')).next,
    ).toEqual(next);
  });

  it('refuses a state that belongs to another order', () => {
    const charged = orderEvents(undefined, status('Pending', 900_000n, '1000'), on('2026-03-01'));
    expect(() => orderEvents(charged.next, status('Pending', 900_000n, '1000', '999'), on('2026-03-02'))).toThrow(
      RangeError,
    );
  });
});

describe('order events: properties', () => {
  const statuses = [
    'Pending',
    'In progress',
    'Partial',
    'Completed',
    'Canceled',
    'Cancelled',
    'Failed',
    'Refunded',
    'Paused',
  ];
  const observation = fc.oneof(
    {
      weight: 1,
      arbitrary: fc.constant<OrderObservation>({ kind: 'unknown', orderId: '1', reason: 'Incorrect order ID' }),
    },
    {
      weight: 5,
      arbitrary: fc
        .record({
          statusRaw: fc.constantFrom(...statuses),
          // The first charge appears often, so the "charge unchanged" pro-rata branch is exercised.
          chargeMicros: fc.oneof(fc.constant(900_000n), fc.constant(758_700n), fc.bigInt({ min: 0n, max: 5_000_000n })),
          remainsRaw: fc.option(fc.constantFrom('0', '157', '+12', '-3', '1000', '1500', 'Unknown'), {
            nil: undefined,
          }),
        })
        .map((fields): OrderObservation => ({ kind: 'status', orderId: '1', currency: 'USD', ...fields })),
    },
  );
  const scenario = fc.record({
    observations: fc.array(fc.tuple(observation, fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 12 }),
    /** How many of the first observations belong to the panel's baseline sync. */
    baselineSteps: fc.integer({ min: 0, max: 3 }),
    quantity: fc.option(fc.constantFrom(1000n, 60n, 1n), { nil: undefined }),
  });

  it('the events of any sequence sum to the final target net charge minus what the baseline booked', () => {
    fc.assert(
      fc.property(scenario, ({ observations, baselineSteps, quantity }) => {
        let state: OrderLedgerState | undefined;
        let dayNumber = 1;
        const events: SourceEvent[] = [];
        observations.forEach(([obs, gap], index) => {
          dayNumber += gap;
          const date = `2026-03-${String(dayNumber).padStart(2, '0')}`;
          const result = orderEvents(state, obs, { sourceId, date, isBaselineSync: index < baselineSteps, quantity });
          events.push(...result.events);
          state = result.next;
        });
        const statusSteps = observations.flatMap(([obs], index) =>
          obs.kind === 'status' ? [{ reply: obs, index }] : [],
        );
        const replies = statusSteps.map((step) => step.reply);
        const targetOf = (reply: OrderStatusObservation): bigint =>
          targetNetCharge({
            status: normalizeStatus(reply.statusRaw),
            chargeMicros: reply.chargeMicros,
            remains: interpretRemains(reply.remainsRaw, quantity),
            quantity,
            firstChargeMicros: replies[0]!.chargeMicros,
          }).targetMicros;
        const finalTarget = replies.length === 0 ? 0n : targetOf(replies.at(-1)!);
        const seenAtBaseline = statusSteps.filter((step) => step.index < baselineSteps);
        const baselineBooked = seenAtBaseline.length === 0 ? 0n : targetOf(seenAtBaseline.at(-1)!.reply);

        expect(events.reduce((sum, event) => sum + signed(event), 0n)).toBe(finalTarget - baselineBooked);
        expect(state!.bookedNetMicros).toBe(finalTarget);
        expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
        expect(events.every((event) => event.amountMicros > 0n)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('applying the last observation a second time changes nothing', () => {
    fc.assert(
      fc.property(scenario, ({ observations, quantity }) => {
        let state: OrderLedgerState | undefined;
        for (const [obs] of observations)
          state = orderEvents(state, obs, { sourceId, date: '2026-03-02', isBaselineSync: false, quantity }).next;
        const again = orderEvents(state, observations.at(-1)![0], {
          sourceId,
          date: '2026-03-02',
          isBaselineSync: false,
          quantity,
        });
        expect(again.events).toEqual([]);
        expect(again.next).toEqual(state);
      }),
      { numRuns: 300 },
    );
  });
});
