import type { RefundMode } from './order-refund.js';
import type { PanelService } from './panel-service.js';

/**
 * The data a sandbox world is made of. A world source (generated from a seed,
 * or written by hand as a script) plans each day; the world simulation folds
 * the days into states. Amounts are bigint micro-units.
 */

/** How a batch status reply shows an id the panel does not know (all three occur in the wild). */
export const UNKNOWN_ORDER_SHAPES = ['errorObject', 'bareString', 'missing'] as const;
export type UnknownOrderShape = (typeof UNKNOWN_ORDER_SHAPES)[number];

/** One status an order takes on a day; the last step on or before a date is its state then. */
export interface OrderStep {
  readonly on: string;
  readonly status: string;
  /** As the panel prints it: usually digits, but "+5" or "Unknown" are possible in scripts. */
  readonly remains: string;
}

export const ORDER_ORIGINS = ['world', 'api'] as const;
export type OrderOrigin = (typeof ORDER_ORIGINS)[number];

export interface PlannedOrder {
  readonly id: string;
  readonly service: PanelService;
  /** The quantity refunds are computed on; for a Custom Comments Package posts × max. */
  readonly quantity: number;
  readonly placedOn: string;
  /** ISO date-time, UTC. */
  readonly placedAt: string;
  /** What `add` debited from the balance. */
  readonly charge: bigint;
  readonly refundMode: RefundMode;
  readonly startCount: number;
  /** steps[0] is the placement (Pending, on placedOn); later steps are in date order. */
  readonly steps: readonly OrderStep[];
  readonly origin: OrderOrigin;
  /**
   * A subscription's or drip-feed's child orders, which the panel places itself: the parent
   * holds no money and its status names them; the reseller's own records (orders.csv) do not.
   */
  readonly childOrderIds?: readonly string[];
}

/** An order as a caller of `add` describes it, before it has an id or a timeline. */
export interface OrderDraft {
  readonly service: PanelService;
  readonly quantity: number;
  /** Custom Comments Package: comments per post bounds; quantity is posts × maxPerPost. */
  readonly posts?: number;
  readonly minPerPost?: number;
  readonly maxPerPost?: number;
}

export interface TopUp {
  readonly on: string;
  readonly amount: bigint;
}

export interface Conversion {
  readonly campaignId: string;
  readonly adId: string;
  readonly payout: bigint;
  /** ISO date-time, UTC; its date is the day the conversion belongs to. */
  readonly timestamp: string;
}

/** Lifetime counters of one ad-network account; `amount` is earnings (publisher) or spent (advertiser). */
export interface AdCounters {
  readonly impressions: number;
  readonly clicks: number;
  readonly amount: bigint;
}

/**
 * Why a day's earnings Δ differs from its conversions' payouts: `clawback`
 * (earnings fell, invalid traffic), `unmatched` (the counter grew by more than
 * the conversions sent).
 */
export const PUBLISHER_DAY_KINDS = ['matched', 'clawback', 'unmatched'] as const;
export type PublisherDayKind = (typeof PUBLISHER_DAY_KINDS)[number];

export interface AdDay {
  /** Counters at the close of the day. */
  readonly publisher: AdCounters;
  readonly advertiser: AdCounters;
  readonly conversions: readonly Conversion[];
  readonly publisherDayKind: PublisherDayKind;
}

export interface DayPlan {
  readonly orders: readonly PlannedOrder[];
  readonly topUps: readonly TopUp[];
  readonly ad: AdDay;
}

export interface PanelSetup {
  readonly currency: string;
  readonly openingBalance: bigint;
  readonly refundMode: RefundMode;
  readonly services: readonly PanelService[];
  readonly unknownOrderInBatch: UnknownOrderShape;
}

/** The close of one day, as the next day's plan may need it. */
export interface DayClose {
  readonly date: string;
  readonly balance: bigint;
  readonly publisher: AdCounters;
  readonly advertiser: AdCounters;
  /** Orders the source itself has planned so far (not those created through `add`). */
  readonly worldOrderCount: number;
}

export interface WorldSource {
  /** "seed 42" or "script", for banners and state replies. */
  readonly description: string;
  readonly start: string;
  /** Seeds the timelines of orders created through the API. */
  readonly seed: number;
  readonly panel: PanelSetup;
  /** The day's new orders, top-ups and ad counters, given the close of the day before. */
  planDay(date: string, previous: DayClose): DayPlan;
  /** Ids the source will plan on days not yet simulated, which orders created through the API must not take. */
  readonly reservedOrderIds?: ReadonlySet<string>;
  /** Counters the ad network shows before the first day. */
  readonly openingAd: { readonly publisher: AdCounters; readonly advertiser: AdCounters };
}

/** An order as the panel shows it on a date. */
export interface OrderState {
  readonly id: string;
  readonly service: PanelService;
  readonly quantity: number;
  readonly placedOn: string;
  readonly placedAt: string;
  readonly origin: OrderOrigin;
  readonly refundMode: RefundMode;
  readonly startCount: number;
  readonly status: string;
  readonly remains: string;
  /** Debited at placement. */
  readonly charge: bigint;
  /** The `charge` a status reply shows. */
  readonly reportedCharge: bigint;
  /** What the panel keeps: charge − refunded. */
  readonly netCharge: bigint;
  readonly refunded: bigint;
  /** A subscription's or drip-feed's child orders (see PlannedOrder). */
  readonly childOrderIds?: readonly string[];
}

export interface WorldState {
  readonly date: string;
  readonly start: string;
  readonly panel: {
    readonly currency: string;
    readonly refundMode: RefundMode;
    readonly openingBalance: bigint;
    readonly topUps: readonly TopUp[];
    readonly topUpTotal: bigint;
    readonly balance: bigint;
    readonly orders: readonly OrderState[];
  };
  readonly payelancer: {
    readonly publisher: AdCounters;
    readonly advertiser: AdCounters;
    /** Conversions of this date only. */
    readonly conversions: readonly Conversion[];
    readonly earningsDelta: bigint;
    readonly spentDelta: bigint;
    readonly publisherDayKind: PublisherDayKind;
  };
}

/** What changed on one day: every order step dated that day (with the order after it) and the day's conversions. */
export interface DayChanges {
  readonly date: string;
  readonly orderSteps: readonly OrderState[];
  readonly conversions: readonly Conversion[];
}

export const CANCEL_OUTCOMES = ['canceled', 'unknown', 'notCancelable'] as const;
export type CancelOutcome = (typeof CANCEL_OUTCOMES)[number];
