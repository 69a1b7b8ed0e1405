import { formatCents, formatMicros } from '../src/money/index.js';

/**
 * JSON text with number literals written from exact decimal text. The
 * simulated services and the destination fakes send amounts as JSON numbers
 * (4.15, -10.05); building them from micro-units or cents through a double
 * could print 4.1499999…, so they are spliced in as text instead.
 */
export class JsonNumber {
  constructor(readonly literal: string) {
    // Exponent notation is allowed here: PHP panels write 0.00001 as 1.0e-5.
    if (!/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(literal))
      throw new RangeError(`not a JSON number literal: ${JSON.stringify(literal)}`);
  }
}

/** Whether text is a plain decimal JSON number: "-10.05" and "0" are; "01", "1." and "1e3" are not. */
export function isJsonNumberLiteral(text: string): boolean {
  return /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/.test(text);
}

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonNumber
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined };

/** An amount as a JSON number with no trailing zeros: 4_150_000n → 4.15, 50_000_000n → 50. */
export function amountNumber(micros: bigint): JsonNumber {
  return new JsonNumber(formatMicros(micros, 0));
}

/** Cents as a JSON number with two places: centsJson(-1005n) writes -10.05, centsJson(0n) writes 0.00. */
export function centsJson(cents: bigint): JsonNumber {
  return new JsonNumber(formatCents(cents));
}

/** An order id as the panel sends it: a JSON number when it is plain digits (23501), a string otherwise ("ord_7"). */
export function orderIdValue(id: string): JsonValue {
  return /^(?:0|[1-9]\d{0,14})$/.test(id) ? new JsonNumber(id) : id;
}

/** Text JSON.stringify writes as is between quotes: printable ASCII other than `"` and `\\`. */
const PLAIN_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** JSON.stringify(text), without its cost for the plain text that fills status replies ("Pending", "0.90000", "23501"). */
export function quotedText(text: string): string {
  return PLAIN_TEXT.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** A key a JavaScript object lists first and in ascending order: an array index (kept here to 9 digits, well below 2^32 − 1). */
const SMALL_INDEX = /^(?:0|[1-9]\d{0,8})$/;

/**
 * The JSON text of an object whose members' values are already JSON text, the keys (distinct)
 * in the order a plain object lists them: integer-like keys ascending, then the others as given.
 * A batch of numeric order ids is sorted; anything else goes through a plain object, which
 * costs a status reply of 100 large ids more than building its members.
 */
export function objectText(members: readonly { readonly key: string; readonly text: string }[]): string {
  if (members.every((member) => SMALL_INDEX.test(member.key))) {
    const sorted = [...members].sort((a, b) => Number(a.key) - Number(b.key));
    return `{${sorted.map((member) => `"${member.key}":${member.text}`).join(',')}}`;
  }
  const byKey: Record<string, string> = {};
  for (const member of members) byKey[member.key] = member.text;
  return `{${Object.keys(byKey)
    .map((key) => `${quotedText(key)}:${byKey[key]}`)
    .join(',')}}`;
}

/**
 * JSON.stringify that writes a JsonNumber verbatim and leaves out undefined
 * fields (an undefined list item is null, as JSON.stringify has it). It takes
 * any value because the fakes echo back parts of what clients sent; a bigint
 * must come wrapped in a JsonNumber. Built by concatenation, not through
 * arrays of members: a first import's 2,000 status replies of 100 orders each
 * spent a third of the sandbox's time here.
 */
export function jsonText(value: unknown): string {
  if (value instanceof JsonNumber) return value.literal;
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      text += (index === 0 ? '' : ',') + (item === undefined ? 'null' : jsonText(item));
    }
    return `${text}]`;
  }
  if (typeof value === 'object') {
    let text = '{';
    for (const key of Object.keys(value)) {
      const member: unknown = (value as Record<string, unknown>)[key];
      if (member === undefined) continue;
      text += (text.length === 1 ? '' : ',') + quotedText(key) + ':' + jsonText(member);
    }
    return `${text}}`;
  }
  if (typeof value === 'string') return quotedText(value);
  if (typeof value === 'bigint') throw new TypeError('bigint must be wrapped in JsonNumber');
  return JSON.stringify(value);
}
