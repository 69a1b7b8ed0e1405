import { absMicros } from '../../../money/index.js';

/**
 * An order in flight: its `add` overlapped the balance round trip (asked before the balance reply
 * arrived, answered after the balance request was sent), so the balance the panel returned may or may
 * not hold its charge. `prepaidEffectMicros` is what booking it tonight moves panel_prepaid by
 * (a charge of 1.80: −1.80; an order already cancelled and refunded: 0).
 */
interface OrderInFlight {
  orderId: string;
  prepaidEffectMicros: bigint;
}

/** Which orders in flight tonight's balance holds (booked tonight), and which it does not (booked by the next close, whose balance holds them). */
export interface InFlightSettlement {
  inBalance: string[];
  nextClose: string[];
  /**
   * True when the balance decided (the orders booked tonight leave nothing unexplained); false when every order
   * is booked tonight for want of a choice that does.
   */
  explained: boolean;
}

/** More orders in flight than this at one balance read are not searched: the later ones wait for the next close. */
export const MOST_ORDERS_DECIDED = 12;

/**
 * Settles the orders in flight by the balance itself: the orders whose charges explain exactly (within
 * the rounding bound) what the balance differs from the ledger without them are in the balance, the
 * others are not. Timing alone is never a finding, suspense or a top-up. Fewest orders first, then the
 * earliest asked (the order given); an order that moves nothing is booked tonight; when no choice
 * explains the difference (a top-up or a fall happened at the same moment) every order is booked
 * tonight, as an order known by then always was.
 * Worked example: the ledger explains 8.56 and the panel reports 6.76 (a fall of 1.80); order 90003
 * (1.80) and order 90004 (0.45) are in flight. Booking 90003 alone explains the fall: 90003 tonight,
 * 90004 at the next close. Had the panel reported 8.56, neither is in the balance: both wait.
 */
export function settleOrdersInFlight(
  orders: readonly OrderInFlight[],
  unexplainedMicros: bigint,
  toleranceMicros = 0n,
): InFlightSettlement {
  const moving = orders.filter((order) => order.prepaidEffectMicros !== 0n);
  const decided = moving.slice(0, MOST_ORDERS_DECIDED);
  const still = orders.filter((order) => order.prepaidEffectMicros === 0n).map((order) => order.orderId);
  const chosen = explainingChoice(decided, unexplainedMicros, toleranceMicros);
  if (chosen === undefined) return { inBalance: orders.map((order) => order.orderId), nextClose: [], explained: false };
  const inBalance = new Set([...still, ...chosen.map((index) => decided[index]!.orderId)]);
  return {
    inBalance: orders.filter((order) => inBalance.has(order.orderId)).map((order) => order.orderId),
    nextClose: orders.filter((order) => !inBalance.has(order.orderId)).map((order) => order.orderId),
    explained: true,
  };
}

/** The indexes of the fewest, earliest orders whose effects leave nothing unexplained; undefined when no choice does. */
function explainingChoice(
  orders: readonly OrderInFlight[],
  unexplainedMicros: bigint,
  toleranceMicros: bigint,
): number[] | undefined {
  let best: number[] | undefined;
  for (let mask = 0; mask < 1 << orders.length; mask += 1) {
    const indexes = orders.flatMap((_, index) => (((mask >> index) & 1) === 1 ? [index] : []));
    const effect = indexes.reduce((sum, index) => sum + orders[index]!.prepaidEffectMicros, 0n);
    if (absMicros(unexplainedMicros - effect) > toleranceMicros) continue;
    if (best === undefined || earlierChoice(indexes, best)) best = indexes;
  }
  return best;
}

function earlierChoice(candidate: readonly number[], best: readonly number[]): boolean {
  if (candidate.length !== best.length) return candidate.length < best.length;
  const differing = candidate.findIndex((index, at) => index !== best[at]);
  return differing !== -1 && candidate[differing]! < best[differing]!;
}
