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
  const days = new SimulatedDays(source);
  return {
    source,
    start: source.start,
    stateOn: (date) => days.stateOn(date),
    orderOn: (id, date) => days.orderOn(id, date),
    balanceOn: (date) => days.closeOf(days.dayIndex(date)).balance,
    changesOn: (date) => days.changesOn(date),
    ordersThrough: (date) => days.ordersThrough(date),
    addOrder: (draft, placedAt) => days.addOrder(draft, placedAt),
    cancelOrder: (id, date) => days.cancelOrder(id, date),
  };
}

/** The world's days as simulated so far, and the orders they hold: what createWorld answers from. */
class SimulatedDays {
  private readonly plans: DayPlan[] = [];
  private readonly closes: DayClose[] = [];
  private readonly apiOrders: PlannedOrder[] = [];
  private readonly cancellations = new Map<string, string>();
  private readonly ordersById = new Map<string, PlannedOrder>();
  private readonly touchedOn = new Map<string, Set<string>>();
  private readonly stateCache = new Map<string, WorldState>();
  private readonly opening: DayClose;
  /** The last date read and its index: a batch status asks for one date a hundred times, and parsing it was half of orderOn. */
  private lastDay: { readonly date: string; readonly index: number } | undefined;

  constructor(private readonly source: WorldSource) {
    this.opening = {
      date: addDays(source.start, -1),
      balance: source.panel.openingBalance,
      publisher: source.openingAd.publisher,
      advertiser: source.openingAd.advertiser,
      worldOrderCount: 0,
    };
  }

  dayIndex(date: string): number {
    if (this.lastDay?.date === date) return this.lastDay.index;
    if (!isCalendarDate(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
    const index = daysBetween(this.source.start, date);
    if (index < 0) throw new RangeError(`${date} is before the world's first day ${this.source.start}`);
    if (index > MAX_WORLD_DAYS)
      throw new RangeError(
        `${date} is more than ${MAX_WORLD_DAYS} days after the world's first day ${this.source.start}`,
      );
    this.lastDay = { date, index };
    return index;
  }

  private effectiveSteps(order: PlannedOrder): readonly OrderStep[] {
    const canceledOn = this.cancellations.get(order.id);
    if (canceledOn === undefined) return order.steps;
    return [
      ...order.steps.filter((step) => step.on <= canceledOn),
      { on: canceledOn, status: 'Canceled', remains: String(order.quantity) },
    ];
  }

  private stepOn(order: PlannedOrder, date: string): OrderStep | undefined {
    let current: OrderStep | undefined;
    for (const step of this.effectiveSteps(order)) {
      if (step.on > date) break;
      current = step;
    }
    return current;
  }

  private netOn(order: PlannedOrder, date: string): bigint {
    const step = this.stepOn(order, date);
    return step === undefined ? 0n : netCharge(order.charge, order.quantity, step.status, step.remains);
  }

  private touch(id: string, date: string): void {
    const ids = this.touchedOn.get(date) ?? new Set<string>();
    ids.add(id);
    this.touchedOn.set(date, ids);
  }

  private register(order: PlannedOrder): void {
    if (this.ordersById.has(order.id)) throw new RangeError(`order id ${order.id} is used twice in this world`);
    this.ordersById.set(order.id, order);
    for (const step of order.steps) this.touch(order.id, step.on);
  }

  /** Forgets every cached day from `date` on (plans after it, closes from it). */
  private invalidateFrom(date: string): void {
    const index = daysBetween(this.source.start, date);
    this.stateCache.clear();
    if (this.closes.length > index) this.closes.length = Math.max(index, 0);
    if (this.plans.length > index + 1) {
      for (const plan of this.plans.splice(index + 1))
        for (const order of plan.orders) this.ordersById.delete(order.id);
      this.touchedOn.clear();
      for (const order of this.ordersById.values()) for (const step of order.steps) this.touch(order.id, step.on);
      for (const [id, on] of this.cancellations) this.touch(id, on);
    }
  }

  /**
   * The close of day `index`: yesterday's balance, plus the day's top-ups, plus
   * for every order touched today what it kept yesterday minus what it keeps
   * today (a new order: 0 − charge; a refund: charge − kept).
   */
  closeOf(index: number): DayClose {
    while (this.closes.length <= index) this.closes.push(this.simulateNextDay());
    const close = this.closes[index];
    if (close === undefined) throw new RangeError(`day ${index} could not be simulated`);
    return close;
  }

  private simulateNextDay(): DayClose {
    const day = this.closes.length;
    const date = addDays(this.source.start, day);
    const previous = this.closes[day - 1] ?? this.opening;
    let plan = this.plans[day];
    if (plan === undefined) {
      plan = this.source.planDay(date, previous);
      this.plans.push(plan);
      for (const order of plan.orders) this.register(order);
    }
    let balance = previous.balance + sumMicros(plan.topUps.map((topUp) => topUp.amount));
    for (const id of this.touchedOn.get(date) ?? []) {
      const order = this.ordersById.get(id);
      if (order !== undefined) balance += this.netOn(order, previous.date) - this.netOn(order, date);
    }
    return {
      date,
      balance,
      publisher: plan.ad.publisher,
      advertiser: plan.ad.advertiser,
      worldOrderCount: previous.worldOrderCount + plan.orders.length,
    };
  }

  private planOf(index: number): DayPlan {
    this.closeOf(index);
    const plan = this.plans[index];
    if (plan === undefined) throw new RangeError(`day ${index} could not be simulated`);
    return plan;
  }

  ordersThrough(date: string): PlannedOrder[] {
    const last = this.dayIndex(date);
    const orders: PlannedOrder[] = [];
    for (let day = 0; day <= last; day += 1) orders.push(...this.planOf(day).orders);
    orders.push(...this.apiOrders.filter((order) => order.placedOn <= date));
    return orders.sort(byPlacement);
  }

  orderOn(id: string, date: string): OrderState | undefined {
    this.closeOf(this.dayIndex(date));
    const order = this.ordersById.get(id);
    if (order === undefined || order.placedOn > date) return undefined;
    const step = this.stepOn(order, date);
    return step === undefined ? undefined : stateOf(order, step);
  }

  stateOn(date: string): WorldState {
    const cached = this.stateCache.get(date);
    if (cached !== undefined) return cached;
    const state = this.simulatedState(date);
    if (this.stateCache.size >= 8) this.stateCache.clear();
    this.stateCache.set(date, state);
    return state;
  }

  private simulatedState(date: string): WorldState {
    const index = this.dayIndex(date);
    const close = this.closeOf(index);
    const previous = this.closes[index - 1] ?? this.opening;
    const plan = this.planOf(index);
    const topUps = [];
    for (let day = 0; day <= index; day += 1) topUps.push(...this.planOf(day).topUps);
    const orders = this.ordersThrough(date).flatMap((order) => {
      const step = this.stepOn(order, date);
      return step === undefined ? [] : [stateOf(order, step)];
    });
    const { currency, refundMode, openingBalance } = this.source.panel;
    return {
      date,
      start: this.source.start,
      panel: {
        currency,
        refundMode,
        openingBalance,
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
  }

  changesOn(date: string): DayChanges {
    const plan = this.planOf(this.dayIndex(date));
    const touched = [...(this.touchedOn.get(date) ?? [])]
      .flatMap((id) => this.ordersById.get(id) ?? [])
      .sort(byPlacement);
    const orderSteps: OrderState[] = [];
    for (const order of touched) {
      for (const step of this.effectiveSteps(order)) if (step.on === date) orderSteps.push(stateOf(order, step));
    }
    return { date, orderSteps, conversions: plan.ad.conversions };
  }

  private nextApiOrderId(): string {
    let candidate = FIRST_API_ORDER_ID + this.apiOrders.length;
    while (this.ordersById.has(String(candidate)) || this.source.reservedOrderIds?.has(String(candidate)))
      candidate += 1;
    return String(candidate);
  }

  addOrder(draft: OrderDraft, placedAt: string): PlannedOrder {
    const placedOn = placedAt.slice(0, 10);
    this.closeOf(this.dayIndex(placedOn));
    const id = this.nextApiOrderId();
    const random = seededRandom(mixSeed(this.source.seed, 'api-order', id));
    const order: PlannedOrder = {
      id,
      service: draft.service,
      quantity: draft.quantity,
      placedOn,
      placedAt,
      charge: orderCharge(draft.service, draft.quantity),
      refundMode: this.source.panel.refundMode,
      startCount: random.int(0, 20000),
      steps: randomOrderSteps(random, placedOn, draft),
      origin: 'api',
    };
    this.invalidateFrom(placedOn);
    this.apiOrders.push(order);
    this.register(order);
    return order;
  }

  cancelOrder(id: string, date: string): CancelOutcome {
    const state = this.orderOn(id, date);
    if (state === undefined) return 'unknown';
    if (state.status.toLowerCase() !== 'pending') return 'notCancelable';
    this.invalidateFrom(date);
    this.cancellations.set(id, date);
    this.touch(id, date);
    return 'canceled';
  }
}

/** An order as the panel shows it at one of its steps. */
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

/** Placement order; ties keep the order in which the orders were planned. */
function byPlacement(a: PlannedOrder, b: PlannedOrder): number {
  return a.placedAt < b.placedAt ? -1 : a.placedAt > b.placedAt ? 1 : 0;
}
