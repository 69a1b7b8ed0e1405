import { z } from 'zod';
import {
  describeValue,
  idReader,
  microsReader,
  optional,
  required,
  roundedMicrosReader,
  textReader,
  type Read,
} from '../../http/index.js';
import { readIsoTimestamp } from './webhook-timestamp.js';

/**
 * zod readers for the scalar values webhooks send, built from the shared wire
 * readers: a malformed amount is told as what was expected (`expected a
 * decimal amount, got text "4,50" (…)`), ids are trimmed, and no text runs
 * past 200 characters. Amounts are read from their digits by the money
 * reader the panel replies use: any precision, exponent notation, trailing
 * zeros ("0.4100000" is 0.41, so a resend so written is a duplicate). A
 * figure finer than a micro-unit follows its source's replies
 * (docs/accounting.md, "Amounts"): a panel's charge is rounded half-even, the
 * body kept as received; the ad network's payout is refused, naming the field.
 */
const MAX_TEXT_LENGTH = 200;

const readText = textReader({ maxLength: MAX_TEXT_LENGTH });
const readId = idReader(textReader({ expected: 'an id (text or a number)', maxLength: MAX_TEXT_LENGTH }), 'trimmed');
const AMOUNT_WORDING = { expected: 'a decimal amount', malformed: 'as expected' } as const;
const readAmount = microsReader(AMOUNT_WORDING);
const readRoundedAmount = roundedMicrosReader(AMOUNT_WORDING);

/** A panel's charge: "0.0435789" from a panel storing money as a DOUBLE → 43579n, as its replies are read. */
const readCharge: Read<bigint> = (value) => {
  const amount = readRoundedAmount(value);
  return 'problem' in amount ? amount : { value: amount.value.micros };
};

const readStatus: Read<string> = (value) => {
  if (typeof value !== 'string') return { problem: `expected a status name, got ${describeValue(value)}` };
  const status = value.trim();
  if (status === '') return { problem: 'expected a status name, got empty text' };
  return status.length > MAX_TEXT_LENGTH
    ? { problem: `expected at most ${MAX_TEXT_LENGTH} characters, got ${status.length}` }
    : { value: status };
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
  return 'instant' in reading
    ? { value: reading.instant }
    : { problem: `${reading.problem}, got ${describeValue(value)}` };
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
    value === expected
      ? { value: expected }
      : { problem: `expected ${JSON.stringify(expected)} (the only event accepted), got ${describeValue(value)}` };

// Built once, at their first parse (z.lazy): every command that reads the configuration loads this module.
/** An identifier kept as trimmed text: 1487 and "ord_01HG" alike. */
export const webhookId = z.lazy(() => required(readId));
/** A status name as sent ("In progress", "Cancelled"); the rules normalize it. */
export const webhookStatus = z.lazy(() => required(readStatus));
/** A panel's charge in micro-units: "4.5" and 4.5 → 4_500_000n; finer than a micro-unit, rounded half-even. */
export const webhookCharge = z.lazy(() => required(readCharge));
/** The ad network's payout in micro-units, exactly: finer than a micro-unit is refused as its replies are. */
export const webhookPayout = z.lazy(() => required(readPayout));
/** A normalized UTC instant ("2026-03-13T20:55:00Z"). */
export const webhookTimestamp = z.lazy(() => required(readTimestamp));
export const optionalWebhookRemains = z.lazy(() => optional(readRemains));
export const optionalWebhookText = z.lazy(() => optional(readText));
export const optionalWebhookCurrency = z.lazy(() => optional(readCurrency));
export const webhookEvent = <E extends string>(expected: E) => required(readEvent(expected));
