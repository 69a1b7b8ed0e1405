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
