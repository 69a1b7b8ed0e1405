import { assertNever } from '../../../rules/index.js';
import { proRata } from '../../../money/index.js';
import type { OrderStatus } from './order-status.js';

/**
 * Panels spell the same status many ways ("In progress", "in_progress",
 * "Cancelled", "Refunded"). normalizeStatus("In progress") === "open",
 * normalizeStatus("Cancelled") === "canceled", normalizeStatus("Paused") === "unknown".
 * An unknown status is kept raw by the caller, treated as open and reported.
 */

const STATUS_BY_KEY: ReadonlyMap<string, OrderStatus> = new Map([
  ['pending', 'open'],
  ['processing', 'open'],
  ['inprogress', 'open'],
  ['active', 'open'],
  ['completed', 'completed'],
  ['complete', 'completed'],
  ['done', 'completed'],
  ['partial', 'partial'],
  ['canceled', 'canceled'],
  ['cancelled', 'canceled'],
  ['cancel', 'canceled'],
  ['refunded', 'canceled'],
  ['rejected', 'canceled'],
  ['failed', 'failed'],
  ['fail', 'failed'],
]);

const SEPARATORS = /[\s_-]+/g;

/**
 * Statuses already normalized, by raw text. This runs once per observation (1M
 * times in a backfill) while a panel writes a handful of spellings; the cap
 * keeps a panel that puts free text in its status from growing it for ever.
 */
const STATUS_BY_RAW = new Map<string, OrderStatus>();
const STATUS_BY_RAW_LIMIT = 1000;

export function normalizeStatus(raw: string): OrderStatus {
  const cached = STATUS_BY_RAW.get(raw);
  if (cached !== undefined) return cached;
  const status = STATUS_BY_KEY.get(raw.toLowerCase().replace(SEPARATORS, '')) ?? 'unknown';
  if (STATUS_BY_RAW.size >= STATUS_BY_RAW_LIMIT) STATUS_BY_RAW.clear();
  STATUS_BY_RAW.set(raw, status);
  return status;
}

/**
 * Terminal orders are never polled again (DESIGN §4); Completed is terminal because packages refund at completion.
 * A table, every status named (the type says so), read without a call on each order's close.
 */
export const TERMINAL_STATUS: Readonly<Record<OrderStatus, boolean>> = {
  completed: true,
  partial: true,
  canceled: true,
  failed: true,
  open: false,
  unknown: false,
};

const OVER_DELIVERED = /^\+\d+$/;
const WHOLE_NUMBER = /^-?\d+$/;

/**
 * What is left to deliver, as the rules use it. Panels write over-delivery as
 * "+N" or a negative number, and sometimes report more than was ordered:
 * interpretRemains("+12", 1000n) === 0n, interpretRemains("-3", 1000n) === 0n,
 * interpretRemains("1200", 1000n) === 1000n, interpretRemains("157", 1000n) === 157n,
 * interpretRemains("Unknown", 1000n) === undefined.
 */
export function interpretRemains(raw: string | undefined, quantity: bigint | undefined): bigint | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (OVER_DELIVERED.test(text)) return 0n;
  if (!WHOLE_NUMBER.test(text)) return undefined;
  const remains = BigInt(text);
  if (remains < 0n) return 0n;
  if (quantity !== undefined && remains > quantity) return quantity;
  return remains;
}

/**
 * What the ledger should have expensed for an order after this observation
 * (DESIGN §4). Worked example, 1000 ordered at rate 0.90 (charge 0.90000),
 * first booked at 0.90000:
 *   Pending, charge 0.90000                      → 0.90000 (reported)
 *   Partial, remains 157, charge still 0.90000   → 0.75870 (pro-rata: the panel kept 843/1000)
 *   Partial, remains 157, charge lowered 0.7587  → 0.75870 (reported: the panel did it already)
 *   Canceled or Failed, whatever the charge says → 0       (voided)
 */
type TargetBasis = 'reported' | 'pro-rata' | 'voided';

export interface TargetNetChargeInput {
  status: OrderStatus;
  /** The charge the panel reports now. */
  chargeMicros: bigint;
  /** Already interpreted (see interpretRemains): undefined when unknown. */
  remains: bigint | undefined;
  /**
   * Units ordered; undefined when unknown. A Custom Comments Package is billed for its upper bound, posts × max
   * comments: 3 posts of at most 20 comments → quantity 60, the q of the pro-rata.
   */
  quantity: bigint | undefined;
  /** The charge reported when the order was first seen. */
  firstChargeMicros: bigint;
}

export interface TargetNetCharge {
  targetMicros: bigint;
  basis: TargetBasis;
  /** Set when the panel probably refunded part of the order but the refund cannot be computed: why. */
  refundNotComputable?: string;
}

export function targetNetCharge(input: TargetNetChargeInput): TargetNetCharge {
  const reported: TargetNetCharge = { targetMicros: input.chargeMicros, basis: 'reported' };
  switch (input.status) {
    case 'canceled':
    case 'failed':
      return { targetMicros: 0n, basis: 'voided' };
    case 'open':
    case 'unknown':
      return reported;
    case 'completed':
    case 'partial': {
      // A charge that moved since first sight means the panel already reflected its refund in it.
      if (input.chargeMicros !== input.firstChargeMicros) return reported;
      if (input.remains === undefined) {
        return input.status === 'partial'
          ? { ...reported, refundNotComputable: 'the panel reports no usable remains' }
          : reported;
      }
      if (input.remains === 0n) return reported;
      if (input.quantity === undefined || input.quantity <= 0n) {
        return { ...reported, refundNotComputable: 'the order quantity is unknown' };
      }
      return { targetMicros: proRataNetCharge(input.chargeMicros, input.quantity, input.remains), basis: 'pro-rata' };
    }
    default:
      return assertNever(input.status);
  }
}

/** Panels keep charges to 5 decimals; a computed net charge is rounded (half-even) to the same. */
const PANEL_AMOUNT_DECIMALS = 5;

/**
 * The part of a charge the panel keeps when it delivered only part of the
 * order and has not lowered the charge itself. 1000 ordered at rate 0.90 per
 * 1000 costs 0.90000; with 157 left undelivered it keeps
 * 0.90000 × 843 / 1000 = 0.75870 and refunds 0.14130.
 */
export function proRataNetCharge(chargeMicros: bigint, quantity: bigint, remains: bigint): bigint {
  return proRata(chargeMicros, quantity - remains, quantity, PANEL_AMOUNT_DECIMALS);
}
