import { addDays, daysBetween, isCalendarDate } from '../src/calendar/index.js';
import { sumMicros } from '../src/money/index.js';
import { netCharge, reportedCharge } from './order-refund.js';
import { orderCharge } from './panel-service.js';
import { randomOrderSteps } from './order-timeline.js';
import { mixSeed, seededRandom } from './seeded-random.js';
import type {
  CancelOutcome,
  DayChanges,
  DayClose,
  DayPlan,
  OrderDraft,
  OrderState,
  OrderStep,
  PlannedOrder,
  WorldSource,
  WorldState,
} from './world-model.js';

/** A world answers for any day from its start up to ten years on; further is a mistake, not a simulation. */
export const MAX_WORLD_DAYS = 3660;

/** Orders created through `add` get ids from here on, apart from the world's own (23501, 23502, …). */
const FIRST_API_ORDER_ID = 90001;

/**
 * Both simulated services as a function of (world source, orders created and
 * canceled through the API, date). The state of a date folds every day from
 * the start up to it, so asking twice, stepping or jumping all give the same
 * answer. Days are computed once and cached; an API change on day X drops the
 * cache from X on, because later days may depend on the balance.
 */
export interface World {
  readonly source: WorldSource;
  readonly start: string;
  stateOn(date: string): WorldState;
  /** The order as the panel shows it on `date`; undefined when it does not exist (yet). */
  orderOn(id: string, date: string): OrderState | undefined;
  balanceOn(date: string): bigint;
  changesOn(date: string): DayChanges;
  /** Every order placed on or before `date`, in placement order. */
  ordersThrough(date: string): readonly PlannedOrder[];
  /** Places an order created through the API; `placedAt` is an ISO date-time whose date is the day. */
  addOrder(draft: OrderDraft, placedAt: string): PlannedOrder;
  /** Cancels an order that is still Pending on `date`: full refund from that day on. */
  cancelOrder(id: string, date: string): CancelOutcome;
}

export function createWorld(source: WorldSource): World {
  const plans: DayPlan[] = [];
  const closes: DayClose[] = [];
  const apiOrders: PlannedOrder[] = [];
  const cancellations = new Map<string, string>();
  const ordersById = new Map<string, PlannedOrder>();
  const touchedOn = new Map<string, Set<string>>();
  const stateCache = new Map<string, WorldState>();

  const opening: DayClose = {
    date: addDays(source.start, -1),
    balance: source.panel.openingBalance,
    publisher: source.openingAd.publisher,
    advertiser: source.openingAd.advertiser,
    worldOrderCount: 0,
  };

  /** The last date read and its index: a batch status asks for one date a hundred times, and parsing it was half of orderOn. */
  let lastDay: { readonly date: string; readonly index: number } | undefined;

  function dayIndex(date: string): number {
    if (lastDay?.date === date) return lastDay.index;
    if (!isCalendarDate(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
    const index = daysBetween(source.start, date);
    if (index < 0) throw new RangeError(`${date} is before the world's first day ${source.start}`);
    if (index > MAX_WORLD_DAYS) throw new RangeError(`${date} is more than ${MAX_WORLD_DAYS} days after the world's first day ${source.start}`);
    lastDay = { date, index };
    return index;
  }

  function effectiveSteps(order: PlannedOrder): readonly OrderStep[] {
    const canceledOn = cancellations.get(order.id);
    if (canceledOn === undefined) return order.steps;
    return [...order.steps.filter((step) => step.on <= canceledOn), { on: canceledOn, status: 'Canceled', remains: String(order.quantity) }];
  }

  function stepOn(order: PlannedOrder, date: string): OrderStep | undefined {
    let current: OrderStep | undefined;
    for (const step of effectiveSteps(order)) {
      if (step.on > date) break;
      current = step;
    }
    return current;
  }

  function stateOf(order: PlannedOrder, step: OrderStep): OrderState {
    const net = netCharge(order.charge, order.quantity, step.status, step.remains);
    return {
      id: order.id,
      service: order.service,
      quantity: order.quantity,
      placedOn: order.placedOn,
      placedAt: order.placedAt,
      origin: order.origin,
      refundMode: order.refundMode,
      startCount: order.startCount,
      status: step.status,
      remains: step.remains,
      charge: order.charge,
      reportedCharge: reportedCharge(order.charge, order.quantity, step.status, step.remains, order.refundMode),
      netCharge: net,
      refunded: order.charge - net,
      ...(order.childOrderIds === undefined ? {} : { childOrderIds: order.childOrderIds }),
    };
  }

  function netOn(order: PlannedOrder, date: string): bigint {
    const step = stepOn(order, date);
    return step === undefined ? 0n : netCharge(order.charge, order.quantity, step.status, step.remains);
  }

  function touch(id: string, date: string): void {
    const ids = touchedOn.get(date) ?? new Set<string>();
    ids.add(id);
    touchedOn.set(date, ids);
  }

  function register(order: PlannedOrder): void {
    if (ordersById.has(order.id)) throw new RangeError(`order id ${order.id} is used twice in this world`);
    ordersById.set(order.id, order);
    for (const step of order.steps) touch(order.id, step.on);
  }

  /** Forgets every cached day from `date` on (plans after it, closes from it). */
  function invalidateFrom(date: string): void {
    const index = daysBetween(source.start, date);
    stateCache.clear();
    if (closes.length > index) closes.length = Math.max(index, 0);
    if (plans.length > index + 1) {
      for (const plan of plans.splice(index + 1)) for (const order of plan.orders) ordersById.delete(order.id);
      touchedOn.clear();
      for (const order of ordersById.values()) for (const step of order.steps) touch(order.id, step.on);
      for (const [id, on] of cancellations) touch(id, on);
    }
  }

  /**
   * The close of day `index`: yesterday's balance, plus the day's top-ups, plus
   * for every order touched today what it kept yesterday minus what it keeps
   * today (a new order: 0 − charge; a refund: charge − kept).
   */
  function closeOf(index: number): DayClose {
    while (closes.length <= index) {
      const day = closes.length;
      const date = addDays(source.start, day);
      const previous = closes[day - 1] ?? opening;
      let plan = plans[day];
      if (plan === undefined) {
        plan = source.planDay(date, previous);
        plans.push(plan);
        for (const order of plan.orders) register(order);
      }
      let balance = previous.balance + sumMicros(plan.topUps.map((topUp) => topUp.amount));
      for (const id of touchedOn.get(date) ?? []) {
        const order = ordersById.get(id);
        if (order !== undefined) balance += netOn(order, previous.date) - netOn(order, date);
      }
      closes.push({
        date,
        balance,
        publisher: plan.ad.publisher,
        advertiser: plan.ad.advertiser,
        worldOrderCount: previous.worldOrderCount + plan.orders.length,
      });
    }
    const close = closes[index];
    if (close === undefined) throw new RangeError(`day ${index} could not be simulated`);
    return close;
  }

  function planOf(index: number): DayPlan {
    closeOf(index);
    const plan = plans[index];
    if (plan === undefined) throw new RangeError(`day ${index} could not be simulated`);
    return plan;
  }

  function ordersThrough(date: string): PlannedOrder[] {
    const last = dayIndex(date);
    const orders: PlannedOrder[] = [];
    for (let day = 0; day <= last; day += 1) orders.push(...planOf(day).orders);
    orders.push(...apiOrders.filter((order) => order.placedOn <= date));
    return orders.sort(byPlacement);
  }

  function orderOn(id: string, date: string): OrderState | undefined {
    closeOf(dayIndex(date));
    const order = ordersById.get(id);
    if (order === undefined || order.placedOn > date) return undefined;
    const step = stepOn(order, date);
    return step === undefined ? undefined : stateOf(order, step);
  }

  function stateOn(date: string): WorldState {
    const cached = stateCache.get(date);
    if (cached !== undefined) return cached;
    const index = dayIndex(date);
    const close = closeOf(index);
    const previous = closes[index - 1] ?? opening;
    const plan = planOf(index);
    const topUps = [];
    for (let day = 0; day <= index; day += 1) topUps.push(...planOf(day).topUps);
    const orders = ordersThrough(date).flatMap((order) => {
      const step = stepOn(order, date);
      return step === undefined ? [] : [stateOf(order, step)];
    });
    const state: WorldState = {
      date,
      start: source.start,
      panel: {
        currency: source.panel.currency,
        refundMode: source.panel.refundMode,
        openingBalance: source.panel.openingBalance,
        topUps,
        topUpTotal: sumMicros(topUps.map((topUp) => topUp.amount)),
        balance: close.balance,
        orders,
      },
      payelancer: {
        publisher: close.publisher,
        advertiser: close.advertiser,
        conversions: plan.ad.conversions,
        earningsDelta: close.publisher.amount - previous.publisher.amount,
        spentDelta: close.advertiser.amount - previous.advertiser.amount,
        publisherDayKind: plan.ad.publisherDayKind,
      },
    };
    if (stateCache.size >= 8) stateCache.clear();
    stateCache.set(date, state);
    return state;
  }

  function changesOn(date: string): DayChanges {
    const plan = planOf(dayIndex(date));
    const touched = [...(touchedOn.get(date) ?? [])].flatMap((id) => ordersById.get(id) ?? []).sort(byPlacement);
    const orderSteps: OrderState[] = [];
    for (const order of touched) {
      for (const step of effectiveSteps(order)) if (step.on === date) orderSteps.push(stateOf(order, step));
    }
    return { date, orderSteps, conversions: plan.ad.conversions };
  }

  function nextApiOrderId(): string {
    let candidate = FIRST_API_ORDER_ID + apiOrders.length;
    while (ordersById.has(String(candidate)) || source.reservedOrderIds?.has(String(candidate))) candidate += 1;
    return String(candidate);
  }

  function addOrder(draft: OrderDraft, placedAt: string): PlannedOrder {
    const placedOn = placedAt.slice(0, 10);
    closeOf(dayIndex(placedOn));
    const id = nextApiOrderId();
    const random = seededRandom(mixSeed(source.seed, 'api-order', id));
    const order: PlannedOrder = {
      id,
      service: draft.service,
      quantity: draft.quantity,
      placedOn,
      placedAt,
      charge: orderCharge(draft.service, draft.quantity),
      refundMode: source.panel.refundMode,
      startCount: random.int(0, 20000),
      steps: randomOrderSteps(random, placedOn, draft),
      origin: 'api',
    };
    invalidateFrom(placedOn);
    apiOrders.push(order);
    register(order);
    return order;
  }

  function cancelOrder(id: string, date: string): CancelOutcome {
    const state = orderOn(id, date);
    if (state === undefined) return 'unknown';
    if (state.status.toLowerCase() !== 'pending') return 'notCancelable';
    invalidateFrom(date);
    cancellations.set(id, date);
    touch(id, date);
    return 'canceled';
  }

  return {
    source,
    start: source.start,
    stateOn,
    orderOn,
    balanceOn: (date) => closeOf(dayIndex(date)).balance,
    changesOn,
    ordersThrough,
    addOrder,
    cancelOrder,
  };
}

/** Placement order; ties keep the order in which the orders were planned. */
function byPlacement(a: PlannedOrder, b: PlannedOrder): number {
  return a.placedAt < b.placedAt ? -1 : a.placedAt > b.placedAt ? 1 : 0;
}
