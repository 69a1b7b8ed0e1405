import { z } from 'zod';
import { AmountFormatError, parseMicros } from '../money/index.js';
import { PAYOUT_METHODS, PayoutScheduleSchema } from '../rules/index.js';
import { didYouMean } from './did-you-mean.js';
import { holdsReference } from './interpolate.js';

/**
 * The field types of `ledgerline.yaml`, shared by the file's own sections and by each kind's entry
 * (a source kind's `sources:` entry, a destination kind's section), so every kind reads a URL, a
 * secret or a whole number the same way and says the same thing when it is wrong.
 */

/** Text that is not empty: `text` below, and the start of a longer rule (tax-section.ts's codes and names). */
export const nonEmptyText = () => z.string().min(1, 'must not be empty');

/*
 * The fields below are z.lazy (each built at its first parse): every command that reads the configuration loads this
 * module, and one whose check was kept (config/checked-cache.ts) parses none of them (issue 56).
 */
export const text = z.lazy(nonEmptyText);

/** Letters, digits, "_" and "-": source ids become part of event and entry ids ("panel:smm-panel:order:…"). */
export const sourceId = z.lazy(() =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/,
      'must be 1–40 letters, digits, "_" or "-", starting with a letter or digit',
    ),
);

/** Ledger account keys are what the code, events and destination mappings refer to. */
export const ACCOUNT_KEY = /^[a-z][a-z0-9_]*$/;

/** A key of the chart (mappings/default.yaml), as `accounts:` spells it. */
export const accountKey = z.lazy(() =>
  z
    .string()
    .regex(
      ACCOUNT_KEY,
      'must be an account key of the chart: lower-case letters, digits and _, starting with a letter',
    ),
);

const httpUrlBuilt = () =>
  z.string().refine((value) => holdsReference(value) || isHttpUrl(value), 'must be an http:// or https:// URL');
export const httpUrl = z.lazy(httpUrlBuilt);

/** A key pasted with a trailing newline or space fails at the service with a confusing 401; say so here instead. */
const secretBuilt = () =>
  z
    .string()
    .min(1, 'must not be empty')
    .refine(
      (value) => holdsReference(value) || (value === value.trim() && !/[\r\n]/.test(value)),
      'must be one line without spaces at either end (check how it was copied)',
    );
export const secret = z.lazy(secretBuilt);

export const webhookSecret = z.lazy(() =>
  secretBuilt().refine(
    (value) => holdsReference(value) || value.length >= 16,
    'must be at least 16 characters: it is all that keeps strangers from writing to the ledger',
  ),
);

/** Intl also accepts "europe/london"; the canonical spelling is what the rest of the code compares against. */
export const timeZone = z.lazy(() =>
  z.string().transform((value, context) => {
    const zone = canonicalTimeZone(value);
    if (zone !== undefined) return zone;
    context.issues.push({
      code: 'custom',
      input: value,
      message: `is not an IANA time zone name such as UTC or Europe/London${didYouMean(value, ['UTC', ...Intl.supportedValuesOf('timeZone')])}`,
    });
    return z.NEVER;
  }),
);

/** A whole number, also when it arrives as text from `${VAR}` (port: ${WEBHOOK_PORT}). */
export function wholeNumber(min: number, max: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
    z
      .int(`must be a whole number from ${min} to ${max}`)
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`),
  );
}

/** "50.00" (or 50) → 50_000_000n micro-units, never through a float. */
const payoutMinimum = z.lazy(() =>
  z
    .union([z.string(), z.number()], { error: 'must be a decimal amount such as "50.00"' })
    .transform((value, context) => {
      try {
        const micros = parseMicros(value);
        if (micros >= 0n) return micros;
      } catch (error) {
        if (!(error instanceof AmountFormatError)) throw error;
      }
      context.issues.push({ code: 'custom', message: 'must be a decimal amount such as "50.00"', input: value });
      return z.NEVER;
    }),
);

export const currencyCode = z.lazy(() =>
  z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code in capitals, such as USD'),
);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * A zone's canonical spelling, or undefined when Intl knows no such zone. The first Intl.DateTimeFormat of a process
 * costs ~28 ms of CPU (ICU's calendar and zone data), a quarter of node's own start, and most commands never format a
 * date in a zone: UTC, and a zone already spelt as Intl lists its canonical names (~3 ms), are answered without one.
 * Intl.supportedValuesOf('timeZone') lists canonical names only, each of which a DateTimeFormat resolves to itself.
 */
function canonicalTimeZone(value: string): string | undefined {
  if (value === 'UTC' || canonicalZoneNames().has(value)) return value;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

let zoneNames: ReadonlySet<string> | undefined;
function canonicalZoneNames(): ReadonlySet<string> {
  zoneNames ??= new Set(Intl.supportedValuesOf('timeZone'));
  return zoneNames;
}

/** How a publisher is paid, at the top level or per source; a source's own fields win over the top level's, field by field. */
export const payoutsSetting = z.strictObject({
  minimum: payoutMinimum.optional(),
  method: z.enum(PAYOUT_METHODS).optional(),
  schedule: PayoutScheduleSchema.optional(),
});

/** An API's root URL, kept without a trailing slash: the clients add their paths to it. */
export const apiRoot = z.lazy(() => httpUrlBuilt().transform((url) => url.replace(/\/+$/, '')));

/** The field types a kind's entry is written with, under one name. */
export const configFields = {
  text,
  nonEmptyText,
  sourceId,
  httpUrl,
  apiRoot,
  secret,
  wholeNumber,
  currencyCode,
  payoutsSetting,
  accountKey,
  /** A decimal amount of zero or more, as text ("25.00"), in micro-units. */
  amount: payoutMinimum,
} as const;
