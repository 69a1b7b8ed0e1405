import { formatMicros } from '../money/index.js';

/**
 * JSON text with number literals written from exact decimal text. The ad
 * network and the panel's webhooks send amounts as JSON numbers (4.15, 4.5);
 * building them from micro-units through a double could print 4.1499999…, so
 * they are spliced in as text instead.
 */
export class JsonNumber {
  constructor(readonly literal: string) {
    if (!/^-?(?:0|[1-9]\d*)(?:\.\d+)?$/.test(literal)) throw new RangeError(`not a JSON number literal: ${JSON.stringify(literal)}`);
  }
}

export type JsonValue = string | number | boolean | null | JsonNumber | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

/** An amount as a JSON number with no trailing zeros: 4_150_000n → 4.15, 50_000_000n → 50. */
export function amountNumber(micros: bigint): JsonNumber {
  return new JsonNumber(formatMicros(micros, 0));
}

/** An order id as the panel sends it: a JSON number when it is plain digits (23501), a string otherwise ("ord_7"). */
export function orderIdValue(id: string): JsonValue {
  return /^(?:0|[1-9]\d{0,14})$/.test(id) ? new JsonNumber(id) : id;
}

export function jsonText(value: JsonValue): string {
  if (value instanceof JsonNumber) return value.literal;
  if (Array.isArray(value)) return `[${value.map((item: JsonValue) => jsonText(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as { readonly [key: string]: JsonValue | undefined }).flatMap(([key, member]) =>
      member === undefined ? [] : [`${JSON.stringify(key)}:${jsonText(member)}`],
    );
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}
