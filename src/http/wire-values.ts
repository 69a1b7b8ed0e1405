import { z } from 'zod';
import { AmountFormatError, parseMicros } from '../money/index.js';

/**
 * zod readers for the scalar values source APIs send. Bodies are parsed with
 * parseJsonExact, so numbers arrive as their decimal text; a reader accepts text or a
 * number alike and says precisely what was wrong otherwise ("expected an amount, got an object").
 */
type Read<T> = (value: unknown) => { value: T } | { problem: string };

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

/** Absent or null both read as undefined: some APIs send null for "not applicable". */
function optional<T>(read: Read<T>) {
  return z
    .unknown()
    .transform((value, ctx): T | undefined => {
      if (value === null) return undefined;
      const result = read(value);
      if ('problem' in result) {
        ctx.addIssue({ code: 'custom', message: result.problem });
        return z.NEVER;
      }
      return result.value;
    })
    .optional();
}

const readText: Read<string> = (value) =>
  typeof value === 'string' || typeof value === 'number' ? { value: String(value) } : { problem: `expected text or a number, got ${describeValue(value)}` };

const readId: Read<string> = (value) => {
  const text = readText(value);
  if ('problem' in text) return text;
  return text.value.trim() === '' ? { problem: 'expected an id, got empty text' } : text;
};

const readMicros: Read<bigint> = (value) => {
  if (typeof value !== 'string' && typeof value !== 'number') return { problem: `expected an amount, got ${describeValue(value)}` };
  try {
    return { value: parseMicros(value) };
  } catch (error) {
    if (error instanceof AmountFormatError) return { problem: error.message };
    throw error;
  }
};

/** An amount as sent and in micro-units: the text tells the provider's precision ("0.27819": 5 decimals). */
export interface WireAmount {
  micros: bigint;
  text: string;
}

const readAmount: Read<WireAmount> = (value) => {
  const micros = readMicros(value);
  if ('problem' in micros) return micros;
  return { value: { micros: micros.value, text: String(value).trim() } };
};

const readCount: Read<bigint> = (value) => {
  const text = readText(value);
  if ('problem' in text) return { problem: `expected a whole number, got ${describeValue(value)}` };
  const trimmed = text.value.trim();
  return /^\d+$/.test(trimmed) ? { value: BigInt(trimmed) } : { problem: `expected a whole number, got ${JSON.stringify(text.value)}` };
};

/** Text as sent: "157", "+12", "Unknown"; a number becomes its decimal text. */
export const wireText = required(readText);
export const optionalWireText = optional(readText);
/** An identifier kept as text: 23501 and "ord_01HG" alike. */
export const wireId = required(readId);
export const optionalWireId = optional(readId);
/** An amount in micro-units, exactly: "0.27819" and 0.27819 → 278190n. */
export const wireMicros = required(readMicros);
/** An amount with its text: "0.27819" → { micros: 278190n, text: "0.27819" }. */
export const wireAmount = required(readAmount);
export const optionalWireAmount = optional(readAmount);
/** A non-negative whole number (impressions, clicks): 1402 → 1402n. */
export const wireCount = required(readCount);

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
