import { z } from 'zod';
import { AmountFormatError, formatMicros, parseMicros, readMicros, parseJsonExact } from '../money/index.js';

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
  return fieldReadBy((value) => (value === undefined ? { problem: 'missing' } : read(value)));
}

/** A field that may be left out: absent and null both read as undefined (some APIs send null for "not applicable"). */
export function optional<T>(read: Read<T>) {
  return fieldReadBy<T | undefined>((value) =>
    value === undefined || value === null ? { value: undefined } : read(value),
  ).optional();
}

/** A zod field whose value is what `read` gives, or an issue saying its problem. */
function fieldReadBy<T>(read: Read<T>) {
  return z.unknown().transform((value, ctx): T => {
    const result = read(value);
    if ('problem' in result) {
      ctx.addIssue({ code: 'custom', message: result.problem });
      return z.NEVER;
    }
    return result.value;
  });
}

interface TextRules {
  /** What the field holds, for the problem with anything else: "text or a number" unless given. */
  expected?: string;
  /** The longest text accepted; any length unless given. */
  maxLength?: number;
  /** The problem with text that is empty or only spaces; such text is accepted unless given. */
  blank?: string;
}

/** Text as sent ("157", "+12", "Unknown"); a number becomes its decimal text. */
export function textReader(rules: TextRules = {}): Read<string> {
  const { expected = 'text or a number', maxLength, blank } = rules;
  return (value) => {
    if (typeof value === 'number' && Number.isFinite(value)) return { value: String(value) };
    if (typeof value !== 'string') return { problem: `expected ${expected}, got ${describeValue(value)}` };
    if (maxLength !== undefined && value.length > maxLength)
      return { problem: `expected at most ${maxLength} characters, got ${value.length}` };
    if (blank !== undefined && value.trim() === '') return { problem: blank };
    return { value };
  };
}

/** An identifier read through `text` (23501 and "ord_01HG" alike), never blank; kept as sent or trimmed. */
/**
 * C0 and C1 control characters and DEL: an id carrying ESC or NUL would reach the exports and the terminal as
 * bytes that recolour a screen or end a C string. Such an id is refused where it is read (the reply or row is
 * quarantined or skipped, naming the character and where it is), so no export ever holds one.
 */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

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

interface AmountWording {
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

/**
 * zod readers for the scalar values source APIs send, built from the shared
 * wire readers: a malformed amount is told by quoting it
 * (`not an amount: "4,15" (…)`), and ids are kept exactly as sent.
 */
const readText = textReader();
const readId = idReader(readText, 'as sent');
const AMOUNT_WORDING = { expected: 'an amount', malformed: 'quoted' } as const;
const readExactMicros = microsReader(AMOUNT_WORDING);
const readRoundedMicros = roundedMicrosReader(AMOUNT_WORDING);

/** An amount as sent and in micro-units: the text tells the provider's precision ("0.27819": 5 decimals). */
interface WireAmount {
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

/**
 * Text that tells about an order and moves no money, which PHP scripts may also send as a
 * boolean (SmartPanel's subscriptions: "expiry": false): kept as "true" or "false".
 */
const readInfo: Read<string> = (value) => (typeof value === 'boolean' ? { value: String(value) } : readText(value));

/** The scalar readers the wire fields below are made of, for wireFields: text, an id, an amount with its text, info. */
export const wireReads = { text: readText, id: readId, amount: readAmount, info: readInfo } as const;

/*
 * The shared fields below are z.lazy (built once, at their first parse): the modules holding them load with every
 * command that reads the configuration, and most commands never read a reply (issue 56).
 */
/** Text as sent: "157", "+12", "Unknown"; a number becomes its decimal text. */
export const wireText = z.lazy(() => required(readText));
export const optionalWireText = z.lazy(() => optional(readText));
/** An identifier kept as text: 23501 and "ord_01HG" alike. */
export const wireId = z.lazy(() => required(readId));
/** An amount in micro-units, exactly: "0.27819" and 0.27819 → 278190n. */
export const wireMicros = z.lazy(() => required(readExactMicros));
/** An amount with its text, finer figures rounded half-even: "0.0435789" → { micros: 43579n, text: "0.0435789", exact: false }. */
export const wireAmount = z.lazy(() => required(readAmount));
/** A non-negative whole number (impressions, clicks): 1402 → 1402n. */
export const wireCount = z.lazy(() => required(readCount));

type ReadOf<Reads> = { [Key in keyof Reads]: Reads[Key] extends Read<infer T> ? T : never };

/**
 * An object whose scalar fields are read in one pass, for the objects a reply holds one of per order (a panel's
 * statuses): z.object with a transform per key ran two or three of our functions per key, this runs each key's
 * Read once, and none for a key that is absent. `required` fields say "missing" when absent; `optional` ones read
 * absent and null as undefined; each problem is reported at its key, as z.object's are. `shape` holds the fields
 * zod reads itself (a list): a problem there is told alone, as zod stops before the other fields are read. Any
 * other key is ignored.
 */
export function wireFields<
  Required extends Record<string, Read<unknown>>,
  Optional extends Record<string, Read<unknown>>,
  Shape extends z.ZodRawShape,
>(reads: { required: Required; optional: Optional }, shape: Shape) {
  const requiredReads = Object.entries(reads.required);
  const optionalReads = Object.entries(reads.optional);
  return z.looseObject(shape).transform((body, ctx) => {
    const fields: Record<string, unknown> = {};
    for (const key in shape) fields[key] = body[key];
    for (const [key, read] of requiredReads) {
      const value = body[key];
      const result = value === undefined ? { problem: 'missing' } : read(value);
      if ('problem' in result) ctx.addIssue({ code: 'custom', message: result.problem, path: [key] });
      else fields[key] = result.value;
    }
    for (const [key, read] of optionalReads) {
      const value = body[key];
      if (value === undefined || value === null) continue;
      const result = read(value);
      if ('problem' in result) ctx.addIssue({ code: 'custom', message: result.problem, path: [key] });
      else fields[key] = result.value;
    }
    return fields as z.output<z.ZodObject<Shape>> & ReadOf<Required> & Partial<ReadOf<Optional>>;
  });
}

export type JsonReading<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses a body with every number kept as its decimal text; never throws. */
export function readJson(bodyText: string): JsonReading<unknown> {
  try {
    return { ok: true, value: parseJsonExact(bodyText) };
  } catch {
    const start = bodyText.trimStart().slice(0, 40);
    return {
      ok: false,
      reason:
        bodyText.trim() === '' ? 'the body is empty' : `the body is not JSON (it starts ${JSON.stringify(start)})`,
    };
  }
}

/** How the reasons name what they are about; each reader keeps the words its callers know. */
export interface IssueWording {
  /** The value as a whole: "the reply" (a source's or destination's answer), "the body" (a webhook). */
  whole: string;
  /** What an object is called where one was expected: "object", "a JSON object". */
  object: string;
}

const REPLY_WORDING: IssueWording = { whole: 'the reply', object: 'object' };

/** Checks a value against a wire schema; the reason names every field that is wrong and how. */
export function readWire<S extends z.ZodType>(
  schema: S,
  value: unknown,
  wording: IssueWording = REPLY_WORDING,
): JsonReading<z.output<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reason: describeIssues(result.error.issues, value, wording) };
}

/** "stats.earnings: missing; role: expected one of "publisher"|"advertiser"; data: expected object, got text "5"" */
function describeIssues(issues: readonly z.core.$ZodIssue[], root: unknown, wording: IssueWording): string {
  return issues
    .map((issue) => {
      const where = issue.path.length === 0 ? wording.whole : issue.path.map(String).join('.');
      return `${where}: ${issueMessage(issue, valueAt(root, issue.path), wording)}`;
    })
    .join('; ');
}

function issueMessage(issue: z.core.$ZodIssue, value: unknown, wording: IssueWording): string {
  if (issue.code !== 'invalid_type') return issue.message.replace(/^Invalid (?:input|option): /, '');
  if (value === undefined) return 'missing';
  return `expected ${issue.expected === 'object' ? wording.object : issue.expected}, got ${describeValue(value)}`;
}

/** The value an issue is about; paths are as deep as the schemas, a few keys. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || typeof key === 'symbol') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}
