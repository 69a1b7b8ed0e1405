import {
  describeValue,
  idReader,
  microsReader,
  optional,
  required,
  roundedMicrosReader,
  textReader,
  type Read,
} from './wire-readers.js';

/**
 * zod readers for the scalar values source APIs send, built from the shared
 * wire readers: a malformed amount is told by quoting it
 * (`not an amount: "4,15" (…)`), and ids are kept exactly as sent.
 */
const readText = textReader();
const readId = idReader(readText, 'as sent');
const AMOUNT_WORDING = { expected: 'an amount', malformed: 'quoted' } as const;
const readMicros = microsReader(AMOUNT_WORDING);
const readRoundedMicros = roundedMicrosReader(AMOUNT_WORDING);

/** An amount as sent and in micro-units: the text tells the provider's precision ("0.27819": 5 decimals). */
export interface WireAmount {
  micros: bigint;
  text: string;
  /** False when the figure was finer than a micro-unit and rounded half-even ("0.0435789" → 0.043579). */
  exact: boolean;
}

const readAmount: Read<WireAmount> = (value) => {
  const read = readRoundedMicros(value);
  if ('problem' in read) return read;
  return { value: { micros: read.value.micros, text: String(value).trim(), exact: read.value.exact } };
};

const readCount: Read<bigint> = (value) => {
  const text = readText(value);
  if ('problem' in text) return { problem: `expected a whole number, got ${describeValue(value)}` };
  const trimmed = text.value.trim();
  return /^\d+$/.test(trimmed)
    ? { value: BigInt(trimmed) }
    : { problem: `expected a whole number, got ${JSON.stringify(text.value)}` };
};

/** Text as sent: "157", "+12", "Unknown"; a number becomes its decimal text. */
export const wireText = required(readText);
export const optionalWireText = optional(readText);
/**
 * Text that tells about an order and moves no money, which PHP scripts may also send as a
 * boolean (SmartPanel's subscriptions: "expiry": false): kept as "true" or "false".
 */
export const optionalWireInfo = optional((value) =>
  typeof value === 'boolean' ? { value: String(value) } : readText(value),
);
/** An identifier kept as text: 23501 and "ord_01HG" alike. */
export const wireId = required(readId);
export const optionalWireId = optional(readId);
/** An amount in micro-units, exactly: "0.27819" and 0.27819 → 278190n. */
export const wireMicros = required(readMicros);
/** An amount with its text, finer figures rounded half-even: "0.0435789" → { micros: 43579n, text: "0.0435789", exact: false }. */
export const wireAmount = required(readAmount);
export const optionalWireAmount = optional(readAmount);
/** A non-negative whole number (impressions, clicks): 1402 → 1402n. */
export const wireCount = required(readCount);
