import { proRata } from '../../../money/index.js';

/** Panels keep charges to 5 decimals; a computed net charge is rounded (half-even) to the same. */
export const PANEL_AMOUNT_DECIMALS = 5;

/**
 * The part of a charge the panel keeps when it delivered only part of the
 * order and has not lowered the charge itself. 1000 ordered at rate 0.90 per
 * 1000 costs 0.90000; with 157 left undelivered it keeps
 * 0.90000 × 843 / 1000 = 0.75870 and refunds 0.14130.
 */
export function proRataNetCharge(chargeMicros: bigint, quantity: bigint, remains: bigint): bigint {
  return proRata(chargeMicros, quantity - remains, quantity, PANEL_AMOUNT_DECIMALS);
}

/**
 * A Custom Comments Package is billed for its upper bound, posts × max
 * comments: 3 posts of at most 20 comments → quantity 60, the q of the pro-rata.
 */
export function customCommentsPackageQuantity(posts: bigint, maxPerPost: bigint): bigint {
  return posts * maxPerPost;
}
