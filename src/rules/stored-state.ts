import { z } from 'zod';

/**
 * Rule states (an order's booked charge, a counter's last value) are kept by the
 * pipeline between runs as JSON, where a bigint has no form of its own. They
 * are written with amounts as decimal integer strings and read back through
 * their zod schema, whose MicrosSchema accepts both forms:
 * toStoredJson({ bookedNetMicros: 758700n }) === '{"bookedNetMicros":"758700"}'.
 */
export const MicrosSchema = z.lazy(() =>
  z.union([
    z.bigint(),
    z
      .string()
      .regex(/^-?\d+$/, 'expected micro-units as an integer string')
      // BigInt itself, not a closure around it: every order's state read each night holds two amounts.
      .transform(BigInt),
  ]),
);

export function toStoredJson(state: unknown): string {
  return JSON.stringify(bigintsAsText(state));
}

/**
 * The value with every bigint as its decimal text, then stringified without a
 * replacer: a replacer function takes JSON.stringify off its fast path, which
 * cost seconds for the 400,000 states and event details of a first import.
 * Only plain objects and arrays are walked, and only those holding a bigint
 * are copied (an event detail is all text and is stringified as it is);
 * anything else (a Date) is left to JSON.stringify as before.
 */
function bigintsAsText(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return 'toJSON' in value ? value.map(bigintsAsText) : withItemsAsText(value);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const record = value as Record<string, unknown>;
  return 'toJSON' in record || Object.hasOwn(record, '__proto__') ? copiedKeyByKey(record) : withValuesAsText(record);
}

/**
 * The record itself when nothing in it changes, else a copy (same key order)
 * with the changed values. Object.values reads every value natively, where
 * record[key] is a slow keyed load per key; the keys are read only to copy.
 */
function withValuesAsText(record: Record<string, unknown>): Record<string, unknown> {
  const values = Object.values(record);
  let copy: Record<string, unknown> | undefined;
  let keys: string[] | undefined;
  for (let index = 0; index < values.length; index += 1) {
    const text = bigintsAsText(values[index]);
    if (text === values[index]) continue;
    keys ??= Object.keys(record);
    copy ??= { ...record };
    copy[keys[index] as string] = text;
  }
  return copy ?? record;
}

function withItemsAsText(items: readonly unknown[]): readonly unknown[] {
  let copy: unknown[] | undefined;
  for (let index = 0; index < items.length; index += 1) {
    const text = bigintsAsText(items[index]);
    if (text === items[index]) continue;
    copy ??= items.slice();
    copy[index] = text;
  }
  return copy ?? items;
}

/**
 * Copied by assignment, as every object was: the copy drops a toJSON that is
 * not an own enumerable key, and assigning a "__proto__" key sets the copy's
 * prototype instead of a key, so neither reaches the text.
 */
function copiedKeyByKey(record: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) copy[key] = bigintsAsText(record[key]);
  return copy;
}
