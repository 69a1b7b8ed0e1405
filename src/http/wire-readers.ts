import { z } from 'zod';
import { AmountFormatError, formatMicros, parseMicros, readMicros } from '../money/index.js';

/**
 * What zod readers of scalar wire values are made of, for source replies and
 * webhook bodies alike. Bodies are parsed with parseJsonExact, so numbers
 * arrive as their decimal text; a reader takes text or a number alike and says
 * exactly what was wrong ("expected an id, got an object"), because that
 * reason lands in errors, in quarantine and back with a webhook's sender.
 */
export type Read<T> = (value: unknown) => { value: T } | { problem: string };

/** The ledger stores micro-units in a signed 64-bit column: anything larger could never be booked. */
const MAX_MICROS = 2n ** 63n - 1n;

/** A field that must be there: an absent one reads as the problem "missing". */
export function required<T>(read: Read<T>) {
  return z.unknown().transform((value, ctx): T => {
    const result = value === undefined ? { problem: 'missing' } : read(value);
    if ('problem' in result) {
      ctx.addIssue({ code: 'custom', message: result.problem });
      return z.NEVER;
    }
    return result.value;
  });
}

/** A field that may be left out: absent and null both read as undefined (some APIs send null for "not applicable"). */
export function optional<T>(read: Read<T>) {
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

export interface TextRules {
  /** What the field holds, for the problem with anything else: "text or a number" unless given. */
  expected?: string;
  /** The longest text accepted; any length unless given. */
  maxLength?: number;
}

/** Text as sent ("157", "+12", "Unknown"); a number becomes its decimal text. */
export function textReader(rules: TextRules = {}): Read<string> {
  const { expected = 'text or a number', maxLength } = rules;
  return (value) => {
    if (typeof value === 'number' && Number.isFinite(value)) return { value: String(value) };
    if (typeof value !== 'string') return { problem: `expected ${expected}, got ${describeValue(value)}` };
    if (maxLength !== undefined && value.length > maxLength)
      return { problem: `expected at most ${maxLength} characters, got ${value.length}` };
    return { value };
  };
}

/** An identifier read through `text` (23501 and "ord_01HG" alike), never blank; kept as sent or trimmed. */
/**
 * C0 and C1 control characters and DEL: an id carrying ESC or NUL would reach the exports and the terminal as
 * bytes that recolour a screen or end a C string. Such an id is refused where it is read (the reply or row is
 * quarantined or skipped, naming the character and where it is), so no export ever holds one.
 */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

export function idReader(text: Read<string>, keep: 'as sent' | 'trimmed'): Read<string> {
  return (value) => {
    const read = text(value);
    if ('problem' in read) return read;
    const id = read.value.trim();
    if (id === '') return { problem: 'expected an id, got empty text' };
    const control = CONTROL_CHARACTER.exec(read.value);
    if (control !== null) {
      const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      return { problem: `an id may not carry control characters, got ${code} at character ${control.index + 1}` };
    }
    return { value: keep === 'trimmed' ? id : read.value };
  };
}

export interface AmountWording {
  /** What the field holds, for the problem with a value that is neither text nor a number: "an amount". */
  expected: string;
  /**
   * How text that is not a decimal amount is told: quoting it as the money
   * parser does (`not an amount: "4,15" (…)`), or as what was expected
   * (`expected a decimal amount, got text "4,15" (…)`).
   */
  malformed: 'quoted' | 'as expected';
}

/**
 * An amount in micro-units, exactly ("0.27819" and 0.27819 → 278190n), and
 * within what the ledger can store: 9223372036854.775807 either way. A figure
 * finer than a micro-unit is refused ("more than 6 decimal places").
 */
export function microsReader(wording: AmountWording): Read<bigint> {
  const read = amountReader(wording, (value) => ({ micros: parseMicros(value), exact: true }));
  return (value) => {
    const result = read(value);
    return 'problem' in result ? result : { value: result.value.micros };
  };
}

/**
 * The same, but a figure finer than a micro-unit is rounded half-even and
 * marked not exact ("0.0435789" → 43579n): a panel that stores money as a
 * DOUBLE sends such figures, and its balance check allows for the rounding.
 */
export function roundedMicrosReader(wording: AmountWording): Read<{ micros: bigint; exact: boolean }> {
  return amountReader(wording, readMicros);
}

function amountReader(
  wording: AmountWording,
  parse: (value: string | number) => { micros: bigint; exact: boolean },
): Read<{ micros: bigint; exact: boolean }> {
  return (value) => {
    if (typeof value !== 'string' && typeof value !== 'number')
      return { problem: `expected ${wording.expected}, got ${describeValue(value)}` };
    let read: { micros: bigint; exact: boolean };
    try {
      read = parse(value);
    } catch (error) {
      if (!(error instanceof AmountFormatError)) throw error;
      return {
        problem:
          wording.malformed === 'quoted'
            ? error.message
            : `expected ${wording.expected}, got ${describeValue(value)} (${error.reason})`,
      };
    }
    if (read.micros > MAX_MICROS || read.micros < -MAX_MICROS)
      return { problem: `the amount is beyond what the ledger can hold (±${formatMicros(MAX_MICROS)})` };
    return { value: read };
  };
}

/** A short description of a value for a reason: `text "abc"`, `a list`, `number 5`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
