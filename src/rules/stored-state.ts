import { z } from 'zod';

/**
 * Rule states (an order's booked charge, a counter's last value) are kept by the
 * pipeline between runs as JSON, where a bigint has no form of its own. They
 * are written with amounts as decimal integer strings and read back through
 * their zod schema, whose MicrosSchema accepts both forms:
 * toStoredJson({ bookedNetMicros: 758700n }) === '{"bookedNetMicros":"758700"}'.
 */
export const MicrosSchema = z.union([
  z.bigint(),
  z
    .string()
    .regex(/^-?\d+$/, 'expected micro-units as an integer string')
    .transform((text) => BigInt(text)),
]);

export function toStoredJson(state: unknown): string {
  return JSON.stringify(bigintsAsText(state));
}

/**
 * A copy with every bigint as its decimal text, then stringified without a
 * replacer: a replacer function takes JSON.stringify off its fast path, which
 * cost seconds for the 400,000 states and event details of a first import.
 * Only plain objects and arrays are walked; anything else (a Date) is left to
 * JSON.stringify as before.
 */
function bigintsAsText(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(bigintsAsText);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = bigintsAsText((value as Record<string, unknown>)[key]);
  return copy;
}
