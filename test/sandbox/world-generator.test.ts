import { describe, expect, it } from 'vitest';
import { sumMicros } from '../../src/money/index.js';
import { addDays } from '../../src/calendar/index.js';
import { generateWorld } from '../../sandbox/world-generator.js';
import { worldStateView } from '../../sandbox/world-state-view.js';
import type { WorldState } from '../../sandbox/world-model.js';

const START = '2026-03-01';
const days = (count: number): string[] => Array.from({ length: count }, (_, index) => addDays(START, index));
const view = (state: WorldState) => worldStateView(state, 'test');

describe('a generated world is a pure function of its seed and the date', () => {
  it('gives the same state for the same seed and date, in separate worlds and when asked twice', () => {
    const first = generateWorld(42, START);
    const second = generateWorld(42, START);
    expect(view(first.stateOn('2026-03-20'))).toEqual(view(second.stateOn('2026-03-20')));
    expect(view(first.stateOn('2026-03-20'))).toEqual(view(first.stateOn('2026-03-20')));
  });

  it('gives the same state whether the days are stepped through or jumped over', () => {
    const stepped = generateWorld(7, START);
    for (const date of days(45)) stepped.stateOn(date);
    const jumped = generateWorld(7, START);
    expect(view(jumped.stateOn('2026-04-14'))).toEqual(view(stepped.stateOn('2026-04-14')));
    // and going back to an earlier day after a later one changes nothing
    expect(view(jumped.stateOn('2026-03-10'))).toEqual(view(generateWorld(7, START).stateOn('2026-03-10')));
  });

  it('differs between seeds', () => {
    expect(view(generateWorld(1, START).stateOn('2026-03-10'))).not.toEqual(
      view(generateWorld(2, START).stateOn('2026-03-10')),
    );
  });
});

describe('the panel of a generated world', () => {
  it('keeps balance = opening + top-ups − Σ net charges, never negative, on every one of 60 days', () => {
    for (const seed of [1, 2, 3, 42]) {
      const world = generateWorld(seed, START);
      for (const date of days(60)) {
        const { panel } = world.stateOn(date);
        const net = sumMicros(panel.orders.map((order) => order.netCharge));
        expect(panel.balance, `seed ${seed} on ${date}`).toBe(panel.openingBalance + panel.topUpTotal - net);
        expect(panel.balance >= 0n, `seed ${seed} on ${date}`).toBe(true);
      }
    }
  });

  it('numbers its orders from 23501 in placement order of days, starting on the first day', () => {
    const state = generateWorld(3, START).stateOn('2026-03-03');
    const ids = state.panel.orders.map((order) => Number(order.id)).sort((a, b) => a - b);
    expect(ids[0]).toBe(23501);
    expect(ids).toEqual(ids.map((_, index) => 23501 + index));
    expect(state.panel.orders.every((order) => order.placedOn <= '2026-03-03')).toBe(true);
  });

  it('moves orders Pending → In progress → a terminal state within days, with Partial, Canceled and packages completing short', () => {
    const state = generateWorld(5, START).stateOn('2026-04-29');
    const statuses = new Set(state.panel.orders.map((order) => order.status));
    expect([...statuses].sort()).toEqual(
      expect.arrayContaining(['Canceled', 'Completed', 'In progress', 'Partial', 'Pending']),
    );
    const oldOrders = state.panel.orders.filter((order) => order.placedOn <= '2026-04-15');
    expect(oldOrders.every((order) => ['Completed', 'Partial', 'Canceled', 'Failed'].includes(order.status))).toBe(
      true,
    );
    const shortPackages = state.panel.orders.filter(
      (order) =>
        order.service.type === 'Custom Comments Package' && order.status === 'Completed' && order.remains !== '0',
    );
    expect(shortPackages.length).toBeGreaterThan(0);
    for (const order of shortPackages) {
      expect(order.reportedCharge).toBe(order.charge);
      expect(order.refunded > 0n).toBe(true);
    }
  });

  it('refunds Partial orders pro rata with the charge lowered in lowerCharge mode and kept in keepCharge mode', () => {
    for (const refundMode of ['lowerCharge', 'keepCharge'] as const) {
      const state = generateWorld(11, START, { refundMode }).stateOn('2026-04-29');
      const partial = state.panel.orders.filter((order) => order.status === 'Partial');
      expect(partial.length).toBeGreaterThan(0);
      for (const order of partial) {
        expect(order.reportedCharge).toBe(refundMode === 'lowerCharge' ? order.netCharge : order.charge);
        expect(order.netCharge < order.charge).toBe(true);
      }
      const canceled = state.panel.orders.filter((order) => order.status === 'Canceled');
      expect(canceled.length).toBeGreaterThan(0);
      for (const order of canceled)
        expect([order.netCharge, order.reportedCharge]).toEqual([0n, refundMode === 'lowerCharge' ? 0n : order.charge]);
    }
  });

  it('orders every type add accepts, and never a Subscription', () => {
    const types = new Set(
      generateWorld(9, START)
        .stateOn('2026-04-29')
        .panel.orders.map((order) => order.service.type),
    );
    expect([...types].sort()).toEqual([
      'Custom Comments',
      'Custom Comments Package',
      'Default',
      'Invites from Groups',
      'Package',
      'Poll',
      'SEO',
    ]);
  });
});

describe('the ad network of a generated world', () => {
  it('grows publisher earnings past $50 within a month', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const world = generateWorld(seed, START);
      const crossed = days(31).find((date) => world.stateOn(date).payelancer.publisher.amount >= 50_000_000n);
      expect(crossed, `seed ${seed}`).toBeDefined();
    }
  });

  it('sends conversions whose payouts sum to the day’s earnings Δ, except on clawback and unmatched days', () => {
    const world = generateWorld(21, START);
    const kinds = new Set<string>();
    for (const date of days(120)) {
      const { payelancer } = world.stateOn(date);
      kinds.add(payelancer.publisherDayKind);
      const payouts = sumMicros(payelancer.conversions.map((conversion) => conversion.payout));
      if (payelancer.publisherDayKind === 'matched') expect(payouts, date).toBe(payelancer.earningsDelta);
      if (payelancer.publisherDayKind === 'clawback')
        expect([payelancer.earningsDelta < 0n, payelancer.conversions]).toEqual([true, []]);
      if (payelancer.publisherDayKind === 'unmatched') expect(payelancer.earningsDelta > payouts).toBe(true);
      expect(payelancer.conversions.every((conversion) => conversion.timestamp.startsWith(date))).toBe(true);
    }
    expect([...kinds].sort()).toEqual(['clawback', 'matched', 'unmatched']);
  });

  it('grows advertiser spend and never lets a counter go negative', () => {
    const world = generateWorld(4, START);
    const first = world.stateOn(START).payelancer;
    const later = world.stateOn('2026-03-31').payelancer;
    expect(later.advertiser.amount > first.advertiser.amount).toBe(true);
    expect(later.advertiser.impressions > first.advertiser.impressions).toBe(true);
    for (const date of days(60)) {
      const { publisher, advertiser } = world.stateOn(date).payelancer;
      expect(publisher.amount >= 0n && advertiser.amount >= 0n).toBe(true);
    }
  });
});

describe('a generated world that falls silent (a fleet’s silent member)', () => {
  const SILENT_FROM = '2026-03-03';
  const dayBefore = addDays(SILENT_FROM, -1);
  /** What the account shows: the panel whole (orders with status and refund, top-ups, balance) and the ad counters. */
  const account = (state: WorldState) => {
    const { panel, payelancer } = view(state);
    return { panel, publisher: payelancer.publisher, advertiser: payelancer.advertiser };
  };

  it('moves nothing from silentFrom on, for every seed of a 30-panel fleet: each later day shows the day before', () => {
    for (let seed = 1; seed <= 30; seed += 1) {
      const world = generateWorld(seed, START, { silentFrom: SILENT_FROM });
      const before = account(world.stateOn(dayBefore));
      for (const date of days(14).filter((day) => day >= SILENT_FROM)) {
        expect(account(world.stateOn(date)), `seed ${seed} on ${date}`).toEqual(before);
        expect(world.changesOn(date), `seed ${seed} on ${date}`).toEqual({ date, orderSteps: [], conversions: [] });
      }
    }
  });

  it('keeps its days before silentFrom as the same seed’s world that never falls silent', () => {
    for (const seed of [2, 29, 42]) {
      const silent = generateWorld(seed, START, { silentFrom: SILENT_FROM });
      const talking = generateWorld(seed, START);
      for (const date of days(2))
        expect(view(silent.stateOn(date)), `seed ${seed} on ${date}`).toEqual(view(talking.stateOn(date)));
      // The same seed without silence does move after it: the property above is not vacuous.
      expect(account(talking.stateOn('2026-03-10'))).not.toEqual(account(talking.stateOn(dayBefore)));
    }
  });
});
