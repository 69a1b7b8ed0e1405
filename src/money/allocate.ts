import { absMicros } from './money.js';

/**
 * Splits `amount` by `ratios` with the largest-remainder method, so the pieces
 * always sum to exactly `amount`: allocate(100n, [1n, 1n, 1n]) → [34n, 33n, 33n].
 * Ties on the remainder go to the earlier ratio, so the result is deterministic.
 * A negative amount is split as its absolute value and negated piecewise.
 */
export function allocate(amount: bigint, ratios: readonly bigint[]): bigint[] {
  if (ratios.length === 0) throw new RangeError('allocate needs at least one ratio');
  if (ratios.some((ratio) => ratio < 0n)) throw new RangeError('allocation ratios must not be negative');
  const total = ratios.reduce((sum, ratio) => sum + ratio, 0n);
  if (total === 0n) throw new RangeError('allocation ratios must not all be zero');
  const magnitude = absMicros(amount);
  const sign = amount < 0n ? -1n : 1n;
  const pieces = ratios.map((ratio) => (magnitude * ratio) / total);
  const remainders = ratios.map((ratio, index) => ({ index, remainder: (magnitude * ratio) % total }));
  let left = magnitude - pieces.reduce((sum, piece) => sum + piece, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    pieces[index] = (pieces[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return pieces.map((piece) => piece * sign);
}
