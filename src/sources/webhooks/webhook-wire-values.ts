import { describeValue, idReader, microsReader, optional, required, textReader, type Read } from '../../http/wire-readers.js';
import { readIsoTimestamp } from './webhook-timestamp.js';

/**
 * zod readers for the scalar values webhooks send, built from the shared wire
 * readers: a malformed amount is told as what was expected (`expected a
 * decimal amount, got text "4,50" (…)`), ids are trimmed, and no text runs
 * past 200 characters.
 */
const MAX_TEXT_LENGTH = 200;

const readText = textReader({ maxLength: MAX_TEXT_LENGTH });
const readId = idReader(textReader({ expected: 'an id (text or a number)', maxLength: MAX_TEXT_LENGTH }), 'trimmed');
const readAmount = microsReader({ expected: 'a decimal amount', malformed: 'as expected' });

const readStatus: Read<string> = (value) => {
  if (typeof value !== 'string') return { problem: `expected a status name, got ${describeValue(value)}` };
  const status = value.trim();
  if (status === '') return { problem: 'expected a status name, got empty text' };
  return status.length > MAX_TEXT_LENGTH ? { problem: `expected at most ${MAX_TEXT_LENGTH} characters, got ${status.length}` } : { value: status };
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
