import { isCalendarDate } from '../src/calendar/index.js';
import { sumMicros } from '../src/money/index.js';
import type { RefundMode } from './order-refund.js';
import { randomOrderSteps } from './order-timeline.js';
import { orderCharge, STANDARD_SERVICES, type PanelService } from './panel-service.js';
import { createWorld, type World } from './sandbox-world.js';
import { mixSeed, seededRandom, type SeededRandom } from './seeded-random.js';
import {
  UNKNOWN_ORDER_SHAPES,
  type AdCounters,
  type AdDay,
  type Conversion,
  type DayClose,
  type DayPlan,
  type OrderDraft,
  type PlannedOrder,
  type PublisherDayKind,
  type TopUp,
  type UnknownOrderShape,
  type WorldSource,
} from './world-model.js';

export interface GeneratedWorldOptions {
  /** Default: lowerCharge for even seeds, keepCharge for odd ones. */
  refundMode?: RefundMode;
  /** Default: chosen by the seed. */
  unknownOrderInBatch?: UnknownOrderShape;
  /**
   * From this day on the account answers but nothing of it moves (a fleet's silent member): no new order, no top-up,
   * no status step or refund of an earlier order (each stays where it stood the day before), the ad counters frozen.
   */
  silentFrom?: string;
  /** The panel account's currency (ISO 4217), USD unless given: a sandbox playing a UK organisation reports GBP. */
  currency?: string;
}

const FIRST_ORDER_ID = 23501;
const CENT = 10_000n;
const DOLLAR = 1_000_000n;
/** Top-ups keep this much on the balance after the day's orders. */
const BALANCE_FLOOR = 10n * DOLLAR;

const ORDERS_PER_DAY: readonly (readonly [number, number])[] = [
  [1, 3],
  [2, 4],
  [3, 3],
  [4, 2],
];

const SERVICE_WEIGHTS: readonly (readonly [string, number])[] = [
  ['1', 28],
  ['9', 10],
  ['2', 12],
  ['3', 12],
  ['4', 10],
  ['5', 8],
  ['6', 8],
  ['7', 12],
];

const ROUND_QUANTITIES = [100, 150, 250, 400, 500, 750, 1000, 1500, 2000, 2500, 5000];

/**
 * A pseudo-random but realistic world from a seed. Each day: one to four panel
 * orders across the catalogue (every type `add` accepts), each with a life of
 * a few days (see randomOrderSteps); a top-up whenever the balance would drop
 * below $10, and now and then a spontaneous one; publisher earnings growing by
 * the day's conversions (about $2.60 a day, so $50 is crossed within a month),
 * with rare clawbacks and rare days where the counter grows more than the
 * conversions sent; advertiser spend growing $1–$6 a day with rare credits.
 */
export function generateWorld(seed: number, start: string, options: GeneratedWorldOptions = {}): World {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`the world seed must be an integer, got ${seed}`);
  if (!isCalendarDate(start))
    throw new RangeError(`the world start must be a date (YYYY-MM-DD), got ${JSON.stringify(start)}`);
  const services = STANDARD_SERVICES;
  const traits = seededRandom(mixSeed(seed, 'traits'));
  const refundMode = options.refundMode ?? (seed % 2 === 0 ? 'lowerCharge' : 'keepCharge');
  const unknownOrderInBatch = options.unknownOrderInBatch ?? traits.pick(UNKNOWN_ORDER_SHAPES);
  const campaigns = [0, 1, 2].map(() => ({
    campaignId: `${traits.int(100000, 999999)}A`,
    adIds: [0, 1].map(() => `${traits.int(100000, 999999)}B`),
  }));

  const source: WorldSource = {
    description: `seed ${seed}`,
    start,
    seed,
    panel: {
      currency: options.currency ?? 'USD',
      openingBalance: 100_842_920n,
      refundMode,
      services,
      unknownOrderInBatch,
    },
    openingAd: {
      publisher: { impressions: 1402, clicks: 52, amount: 4_150_000n },
      advertiser: { impressions: 8830, clicks: 131, amount: 12_400_000n },
    },
    planDay(date: string, previous: DayClose): DayPlan {
      if (options.silentFrom !== undefined && date >= options.silentFrom) return silentDay(previous);
      const random = seededRandom(mixSeed(seed, 'day', date));
      const orders = Array.from({ length: random.weighted(ORDERS_PER_DAY) }, (_, index) =>
        stoppedAt(
          plannedOrder(
            random,
            services,
            date,
            String(FIRST_ORDER_ID + previous.worldOrderCount + index),
            refundMode,
            seed,
          ),
          options.silentFrom,
        ),
      );
      return {
        orders,
        topUps: topUps(random, date, previous.balance, sumMicros(orders.map((order) => order.charge))),
        ad: adDay(random, date, previous, campaigns),
      };
    },
  };
  return createWorld(source);
}

function plannedOrder(
  random: SeededRandom,
  services: readonly PanelService[],
  date: string,
  id: string,
  refundMode: RefundMode,
  seed: number,
): PlannedOrder {
  const serviceId = random.weighted(SERVICE_WEIGHTS);
  const service = services.find((candidate) => candidate.id === serviceId);
  if (service === undefined) throw new RangeError(`the standard catalogue has no service ${serviceId}`);
  const draft = randomDraft(random, service);
  const life = seededRandom(mixSeed(seed, 'order', id));
  return {
    id,
    service,
    quantity: draft.quantity,
    placedOn: date,
    placedAt: `${date}T${twoDigits(random.int(6, 22))}:${twoDigits(random.int(0, 59))}:${twoDigits(random.int(0, 59))}Z`,
    charge: orderCharge(service, draft.quantity),
    refundMode,
    startCount: life.int(0, 20000),
    steps: randomOrderSteps(life, date, draft),
    origin: 'world',
  };
}

function randomDraft(random: SeededRandom, service: PanelService): OrderDraft {
  switch (service.type) {
    case 'Custom Comments Package': {
      const posts = random.int(1, 4);
      const maxPerPost = random.int(10, 30);
      return { service, quantity: posts * maxPerPost, posts, minPerPost: random.int(5, 10), maxPerPost };
    }
    case 'Package':
      return { service, quantity: service.fixedQuantity ?? service.min };
    case 'Custom Comments':
      return { service, quantity: random.int(service.min, 60) };
    case 'Default':
    case 'SEO':
    case 'Poll':
    case 'Invites from Groups':
    case 'Subscriptions': {
      const fitting = ROUND_QUANTITIES.filter((quantity) => quantity >= service.min && quantity <= service.max);
      const base = random.pick(fitting.length > 0 ? fitting : [service.min]);
      return { service, quantity: service.max >= base * 10 && random.chance(0.2) ? base * 10 : base };
    }
    default: {
      const unexpected: never = service.type;
      throw new RangeError(`no quantity rule for service type ${String(unexpected)}`);
    }
  }
}

/** A top-up in whole $50s when the day's orders would leave less than $10, plus now and then $25–$100. */
function topUps(random: SeededRandom, date: string, balance: bigint, charges: bigint): TopUp[] {
  const result: TopUp[] = [];
  const shortfall = charges + BALANCE_FLOOR - balance;
  if (shortfall > 0n) {
    const step = 50n * DOLLAR;
    result.push({ on: date, amount: ((shortfall + step - 1n) / step) * step });
  }
  if (random.chance(0.04)) result.push({ on: date, amount: BigInt(random.int(25, 100)) * DOLLAR });
  return result;
}

function adDay(
  random: SeededRandom,
  date: string,
  previous: DayClose,
  campaigns: readonly { campaignId: string; adIds: readonly string[] }[],
): AdDay {
  const kind = random.weighted<PublisherDayKind>([
    ['matched', 93],
    ['clawback', 4],
    ['unmatched', 3],
  ]);
  const conversions: Conversion[] =
    kind === 'clawback'
      ? []
      : Array.from({ length: random.int(1, 4) }, () => {
          const campaign = random.pick(campaigns);
          return {
            campaignId: campaign.campaignId,
            adId: random.pick(campaign.adIds),
            payout: BigInt(random.int(30, 180)) * CENT,
            timestamp: `${date}T${twoDigits(random.int(0, 23))}:${twoDigits(random.int(0, 59))}:${twoDigits(random.int(0, 59))}Z`,
          };
        }).sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  const payouts = sumMicros(conversions.map((conversion) => conversion.payout));
  const earningsDelta =
    kind === 'clawback'
      ? -minBigint(previous.publisher.amount, BigInt(random.int(50, 300)) * CENT)
      : payouts + (kind === 'unmatched' ? BigInt(random.int(10, 90)) * CENT : 0n);
  const spentDelta = random.chance(0.03)
    ? -minBigint(previous.advertiser.amount, BigInt(random.int(10, 100)) * CENT)
    : BigInt(random.int(100, 600)) * CENT;
  return {
    publisher: grow(previous.publisher, random.int(300, 1500), random.int(8, 60), earningsDelta),
    advertiser: grow(previous.advertiser, random.int(500, 4000), random.int(10, 90), spentDelta),
    conversions,
    publisherDayKind: kind,
  };
}

/**
 * An order of an account that falls silent on `silentFrom`: its steps from that day on are dropped, so it keeps the
 * status and refund it had the day before. The steps were drawn from the order's own random stream, so dropping them
 * changes nothing else of the world.
 */
function stoppedAt(order: PlannedOrder, silentFrom: string | undefined): PlannedOrder {
  if (silentFrom === undefined) return order;
  return { ...order, steps: order.steps.filter((step) => step.on < silentFrom) };
}

/** A day with nothing new: the counters stay where the previous close left them. */
function silentDay(previous: DayClose): DayPlan {
  const ad = { publisher: previous.publisher, advertiser: previous.advertiser, conversions: [] };
  return { orders: [], topUps: [], ad: { ...ad, publisherDayKind: 'matched' } };
}

function grow(counters: AdCounters, impressions: number, clicks: number, amount: bigint): AdCounters {
  return {
    impressions: counters.impressions + impressions,
    clicks: counters.clicks + clicks,
    amount: counters.amount + amount,
  };
}

function minBigint(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}
