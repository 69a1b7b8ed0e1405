import { describe, expect, it } from 'vitest';
import { sumMicros } from '../../src/money/index.js';
import { addDays } from '../../src/calendar/index.js';
import { STANDARD_SERVICES } from '../../sandbox/panel-service.js';
import type { World } from '../../sandbox/sandbox-world.js';
import { generateWorld } from '../../sandbox/world-generator.js';
import { scriptedWorld } from '../../sandbox/world-script.js';
import { worldStateView } from '../../sandbox/world-state-view.js';

const START = '2026-03-01';
const followers = STANDARD_SERVICES.find((service) => service.id === '1')!;

function expectBalanceInvariant(world: World, through: string): void {
  for (let date = START; date <= through; date = addDays(date, 1)) {
    const { panel } = world.stateOn(date);
    expect(panel.balance, date).toBe(
      panel.openingBalance + panel.topUpTotal - sumMicros(panel.orders.map((order) => order.netCharge)),
    );
  }
}

describe('orders created through the API', () => {
  it('exist from the day they are placed, are charged that day and then evolve on their own', () => {
    const world = generateWorld(42, START);
    const before = world.balanceOn('2026-03-05');
    const order = world.addOrder({ service: followers, quantity: 1000 }, '2026-03-05T10:11:12Z');
    expect([order.id, order.placedOn, order.charge, order.origin]).toEqual(['90001', '2026-03-05', 900_000n, 'api']);
    expect(world.balanceOn('2026-03-05')).toBe(before - 900_000n);
    expect(world.orderOn('90001', '2026-03-04')).toBeUndefined();
    expect(world.orderOn('90001', '2026-03-05')?.status).toBe('Pending');
    expect(world.orderOn('90001', '2026-03-20')?.status).toMatch(/^(Completed|Partial|Canceled|Failed)$/);
    expectBalanceInvariant(world, '2026-03-31');
  });

  it('leave the world deterministic: the same calls give the same states, and earlier days do not change', () => {
    const untouched = generateWorld(42, START);
    const build = () => {
      const world = generateWorld(42, START);
      world.stateOn('2026-03-25');
      world.addOrder({ service: followers, quantity: 5000 }, '2026-03-10T09:00:00Z');
      world.addOrder({ service: followers, quantity: 250 }, '2026-03-12T09:00:00Z');
      return world;
    };
    const [first, second] = [build(), build()];
    expect(worldStateView(first.stateOn('2026-03-30'), '')).toEqual(worldStateView(second.stateOn('2026-03-30'), ''));
    expect(worldStateView(first.stateOn('2026-03-09'), '')).toEqual(
      worldStateView(untouched.stateOn('2026-03-09'), ''),
    );
    expect(
      first
        .ordersThrough('2026-03-30')
        .filter((order) => order.origin === 'api')
        .map((order) => order.id),
    ).toEqual(['90001', '90002']);
  });

  it('never take an id a script plans for a later day', () => {
    const world = scriptedWorld({
      start: START,
      panel: { openingBalance: '5.00', orders: [{ id: '90001', service: '1', quantity: 100, placedOn: '2026-03-09' }] },
    });
    expect(world.addOrder({ service: followers, quantity: 100 }, '2026-03-02T08:00:00Z').id).toBe('90002');
    expect(world.ordersThrough('2026-03-09').map((order) => order.id)).toEqual(['90002', '90001']);
  });
});

describe('cancel', () => {
  const script = {
    start: START,
    panel: {
      openingBalance: '10.00',
      orders: [
        {
          id: '1',
          service: '1',
          quantity: 1000,
          placedOn: START,
          timeline: [
            { on: '2026-03-03', status: 'In progress', remains: 500 },
            { on: '2026-03-05', status: 'Completed' },
          ],
        },
        {
          id: '2',
          service: '1',
          quantity: 1000,
          placedOn: START,
          timeline: [
            { on: '2026-03-04', status: 'In progress', remains: 500 },
            { on: '2026-03-06', status: 'Completed' },
          ],
        },
      ],
    },
  };

  it('cancels a Pending order from that day on with a full refund, dropping the rest of its life', () => {
    const world = scriptedWorld(script);
    expect(world.cancelOrder('1', '2026-03-02')).toBe('canceled');
    expect(world.orderOn('1', '2026-03-01')?.status).toBe('Pending');
    expect(world.orderOn('1', '2026-03-02')).toMatchObject({
      status: 'Canceled',
      remains: '1000',
      netCharge: 0n,
      reportedCharge: 0n,
    });
    expect(world.orderOn('1', '2026-03-09')?.status).toBe('Canceled');
    expect(world.balanceOn('2026-03-01')).toBe(8_200_000n);
    expect(world.balanceOn('2026-03-02')).toBe(9_100_000n);
    expectBalanceInvariant(world, '2026-03-09');
  });

  it('refuses orders that started and ids it does not know', () => {
    const world = scriptedWorld(script);
    expect(world.cancelOrder('2', '2026-03-04')).toBe('notCancelable');
    expect(world.cancelOrder('9', '2026-03-04')).toBe('unknown');
    expect(world.balanceOn('2026-03-09')).toBe(8_200_000n);
  });
});
