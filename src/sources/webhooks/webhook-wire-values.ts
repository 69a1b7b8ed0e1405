import { z } from 'zod';
import { AmountFormatError, formatMicros, parseMicros } from '../../money/index.js';
import { readIsoTimestamp } from './webhook-timestamp.js';

/**
 * zod readers for the scalar values webhooks send. Bodies are parsed with
 * parseJsonExact, so numbers arrive as their decimal text; each reader takes
 * text or a number alike and says exactly what was wrong ("expected an id, got
 * an object"), because that reason goes back to the sender and into quarantine.
 */
type Read<T> = (value: unknown) => { value: T } | { problem: string };

const MAX_TEXT_LENGTH = 200;
/** The ledger stores micro-units in a signed 64-bit column: anything larger could never be booked. */
const MAX_MICROS = 2n ** 63n - 1n;

function required<T>(read: Read<T>) {
  return z.unknown().transform((value, ctx): T => {
    const result = value === undefined ? { problem: 'missing' } : read(value);
    if ('problem' in result) {
      ctx.addIssue({ code: 'custom', message: result.problem });
      return z.NEVER;
    }
    return result.value;
  });
}

/** Absent and null both read as undefined. */
function optional<T>(read: Read<T>) {
  return z
    .unknown()
    .transform((value, ctx): T | undefined => {
      if (value === undefined || value === null) return undefined;
      const result = read(value);
      if ('problem' in result) {
        ctx.addIssue({ code: 'custom', message: result.problem });
        return z.NEVER;
      }
      return result.value;
    })
    .optional();
}

const readText: Read<string> = (value) => {
  if (typeof value === 'number' && Number.isFinite(value)) return { value: String(value) };
  if (typeof value !== 'string') return { problem: `expected text or a number, got ${describeValue(value)}` };
  if (value.length > MAX_TEXT_LENGTH) return { problem: `expected at most ${MAX_TEXT_LENGTH} characters, got ${value.length}` };
  return { value };
};

const readId: Read<string> = (value) => {
  const text = readText(value);
  if ('problem' in text) return { problem: text.problem.replace('expected text or a number', 'expected an id (text or a number)') };
  const id = text.value.trim();
  return id === '' ? { problem: 'expected an id, got empty text' } : { value: id };
};

const readStatus: Read<string> = (value) => {
  if (typeof value !== 'string') return { problem: `expected a status name, got ${describeValue(value)}` };
  const status = value.trim();
  if (status === '') return { problem: 'expected a status name, got empty text' };
  return status.length > MAX_TEXT_LENGTH ? { problem: `expected at most ${MAX_TEXT_LENGTH} characters, got ${status.length}` } : { value: status };
};

const readAmount: Read<bigint> = (value) => {
  if (typeof value !== 'string' && typeof value !== 'number') return { problem: `expected a decimal amount, got ${describeValue(value)}` };
  let micros: bigint;
  try {
    micros = parseMicros(value);
  } catch (error) {
    if (error instanceof AmountFormatError) return { problem: `expected a decimal amount, got ${describeValue(value)} (${error.reason})` };
    throw error;
  }
  if (micros > MAX_MICROS || micros < -MAX_MICROS) return { problem: `the amount is beyond what the ledger can hold (±${formatMicros(MAX_MICROS)})` };
  return { value: micros };
};

/** A payout is what a conversion earned: never negative (a clawback shows in the counter, not here). */
const readPayout: Read<bigint> = (value) => {
  const amount = readAmount(value);
  if ('problem' in amount) return amount;
  return amount.value < 0n ? { problem: `expected an amount of zero or more, got ${describeValue(value)}` } : amount;
};

const readTimestamp: Read<string> = (value) => {
  if (typeof value !== 'string') return { problem: `expected an ISO 8601 date-time, got ${describeValue(value)}` };
  const reading = readIsoTimestamp(value.trim());
  return 'instant' in reading ? { value: reading.instant } : { problem: `${reading.problem}, got ${describeValue(value)}` };
};

/** "157", "0", "+12", "-3" (over-delivery), kept as sent for the rules to interpret; "" is "not reported". */
const readRemains: Read<string | undefined> = (value) => {
  const text = readText(value);
  const remains = 'value' in text ? text.value.trim() : undefined;
  if (remains === '') return { value: undefined };
  return remains !== undefined && /^[+-]?\d{1,18}$/.test(remains)
    ? { value: remains }
    : { problem: `expected a whole number such as "157", "+12" or "-3", got ${describeValue(value)}` };
};

const readCurrency: Read<string> = (value) =>
  typeof value === 'string' && /^[A-Za-z]{3}$/.test(value.trim())
    ? { value: value.trim().toUpperCase() }
    : { problem: `expected a three-letter currency code, got ${describeValue(value)}` };

const readEvent =
  <E extends string>(expected: E): Read<E> =>
  (value) =>
    value === expected ? { value: expected } : { problem: `expected ${JSON.stringify(expected)} (the only event accepted), got ${describeValue(value)}` };

/** An identifier kept as trimmed text: 1487 and "ord_01HG" alike. */
export const webhookId = required(readId);
/** A status name as sent ("In progress", "Cancelled"); the rules normalize it. */
export const webhookStatus = required(readStatus);
/** A decimal amount in micro-units, exactly: "4.5" and 4.5 → 4_500_000n. */
export const webhookAmount = required(readAmount);
export const webhookPayout = required(readPayout);
/** A normalized UTC instant ("2026-03-13T20:55:00Z"). */
export const webhookTimestamp = required(readTimestamp);
export const optionalWebhookRemains = optional(readRemains);
export const optionalWebhookText = optional(readText);
export const optionalWebhookCurrency = optional(readCurrency);
export const webhookEvent = <E extends string>(expected: E) => required(readEvent(expected));

/** A short description of a value for a reason: `text "abc"`, `a list`, `number 5`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
