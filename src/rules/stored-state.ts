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
  return JSON.stringify(state, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}
