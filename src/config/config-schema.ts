import { validate as isCronExpression } from 'node-cron';
import { z } from 'zod';
import { ledgerSchema } from './ledger-location.js';
import { AmountFormatError, parseMicros } from '../money/index.js';
import { DEFAULT_GRANULARITY, EXPORT_DATE_FORMATS, GRANULARITIES, PAYOUT_METHODS, PayoutScheduleSchema } from '../rules/index.js';
import { didYouMean } from './did-you-mean.js';
import { holdsReference } from './interpolate.js';

/**
 * The schema of `ledgerline.yaml` as written (DESIGN §6). Every object is
 * strict, so a misspelt key is a problem rather than a silently ignored
 * setting. Fields that usually come from `${VAR}` (keys, URLs) accept a
 * reference left unresolved: whether that is a problem depends on the command
 * (see loadConfig), not on the field.
 */

export const DESTINATION_KINDS = ['xero', 'quickbooks'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

export const EXPORT_FORMATS = ['generic', 'xero', 'quickbooks'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The Xero organisation's region: it decides the date format Xero's CSV import reads. */
export const XERO_REGIONS = ['US', 'UK', 'NZ', 'AU'] as const;
export type XeroRegion = (typeof XERO_REGIONS)[number];

export const WEBHOOK_AUTH_MODES = ['path-token', 'hmac'] as const;
export type WebhookAuthMode = (typeof WEBHOOK_AUTH_MODES)[number];

export const XERO_JOURNAL_STATUSES = ['POSTED', 'DRAFT'] as const;
export type XeroJournalStatus = (typeof XERO_JOURNAL_STATUSES)[number];

export const QUICKBOOKS_ENVIRONMENTS = ['production', 'sandbox'] as const;
export type QuickBooksEnvironment = (typeof QUICKBOOKS_ENVIRONMENTS)[number];

export const text = z.string().min(1, 'must not be empty');

/** Letters, digits, "_" and "-": source ids become part of event and entry ids ("panel:smm-panel:order:…"). */
const sourceId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'must be 1–40 letters, digits, "_" or "-", starting with a letter or digit');

const httpUrl = z.string().refine((value) => holdsReference(value) || isHttpUrl(value), 'must be an http:// or https:// URL');

/** A key pasted with a trailing newline or space fails at the service with a confusing 401; say so here instead. */
const secret = z
  .string()
  .min(1, 'must not be empty')
  .refine(
    (value) => holdsReference(value) || (value === value.trim() && !/[\r\n]/.test(value)),
    'must be one line without spaces at either end (check how it was copied)',
  );

const webhookSecret = secret.refine(
  (value) => holdsReference(value) || value.length >= 16,
  'must be at least 16 characters: it is all that keeps strangers from writing to the ledger',
);

/** Intl also accepts "europe/london"; the canonical spelling is what the rest of the code compares against. */
const timeZone = z
  .string()
  .refine(isTimeZone, {
    error: (issue) =>
      `is not an IANA time zone name such as UTC or Europe/London${didYouMean(String(issue.input), ['UTC', ...Intl.supportedValuesOf('timeZone')])}`,
  })
  .transform((zone) => new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone);

/** A whole number, also when it arrives as text from `${VAR}` (port: ${WEBHOOK_PORT}). */
function wholeNumber(min: number, max: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
    z.int(`must be a whole number from ${min} to ${max}`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );
}

/** "50.00" (or 50) → 50_000_000n micro-units, never through a float. */
const payoutMinimum = z.union([z.string(), z.number()], { error: 'must be a decimal amount such as "50.00"' }).transform((value, context) => {
  try {
    const micros = parseMicros(value);
    if (micros >= 0n) return micros;
  } catch (error) {
    if (!(error instanceof AmountFormatError)) throw error;
  }
  context.issues.push({ code: 'custom', message: 'must be a decimal amount such as "50.00"', input: value });
  return z.NEVER;
});

/** Global or per source; a source's own fields win over the global ones, field by field. */
const payoutsSchema = z.strictObject({
  minimum: payoutMinimum.optional(),
  method: z.enum(PAYOUT_METHODS).optional(),
  schedule: PayoutScheduleSchema.optional(),
});

const payelancerSourceSchema = z.strictObject({
  id: sourceId,
  kind: z.literal('payelancer'),
  /** Host root; the client adds /backend/api/v1/*.php. */
  baseUrl: httpUrl,
  apiKey: secret,
  payouts: payoutsSchema.optional(),
});

const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code in capitals, such as USD');

const panelSourceSchema = z.strictObject({
  id: sourceId,
  kind: z.literal('panel'),
  /** The full API URL (…/api/v2) that every action is POSTed to. */
  url: httpUrl,
  apiKey: secret,
  ordersFile: text.optional(),
  /** Where `panel-proxy` keeps what the ledger cannot take at once, for the next sync. Default: <source id>.proxy-spool.jsonl beside the ledger. */
  proxySpool: text.optional(),
  rateLimitPerMinute: wholeNumber(1, 100_000).optional(),
  unknownOrderRetentionDays: wholeNumber(0, 3650).default(7),
  /** After this many days open, `reconcile` lists an order as stuck. */
  stuckAfterDays: wholeNumber(1, 3650).default(30),
  /** The panel account's currency; a reply in another is refused for this source. Default: the top-level currency. */
  currency: currencyCode.optional(),
});

const sourceSchema = z.discriminatedUnion('kind', [payelancerSourceSchema, panelSourceSchema]);

const xeroSchema = z.strictObject({
  /** The organisation; `ledgerline connect xero` stores it in the token store, which wins. Empty or absent for a custom connection. */
  tenantId: z.string().optional(),
  clientId: text,
  /** Absent for an app created without a secret (Xero's PKCE apps): it posts with what `ledgerline connect xero` stored. */
  clientSecret: secret.optional(),
  /** For those who paste a token; `ledgerline connect xero` keeps it in the token store instead. */
  refreshToken: secret.optional(),
  /** granular (the default) for apps created on or after 2 March 2026, broad for older ones (until September 2027). */
  scopes: z.enum(['granular', 'broad']).optional(),
  /** The redirect URI registered for the app; http://localhost:PORT/callback (the loopback listener) unless given. */
  redirectUri: httpUrl.optional(),
  apiUrl: httpUrl.optional(),
  tokenUrl: httpUrl.optional(),
  authorizeUrl: httpUrl.optional(),
  revokeUrl: httpUrl.optional(),
  connectionsUrl: httpUrl.optional(),
  /** Overrides mappings/xero.yaml's status. */
  status: z.enum(XERO_JOURNAL_STATUSES).optional(),
  /** Decides the CSV import's dates unless export.dateFormat.xero is set. */
  region: z.enum(XERO_REGIONS).optional(),
  /** The organisation's base currency (USD unless given): entries in another are converted at destinations.rates. */
  baseCurrency: currencyCode.optional(),
});

const quickBooksSchema = z.strictObject({
  /** The company; `ledgerline connect quickbooks` stores it in the token store, which wins. */
  realmId: text.optional(),
  clientId: text,
  clientSecret: secret,
  /** For those who paste a token (first use only); `ledgerline connect quickbooks` keeps tokens in the token store instead. */
  refreshToken: secret.optional(),
  /** The redirect URI registered for the app; Intuit's production keys need an https one (paste mode). */
  redirectUri: httpUrl.optional(),
  environment: z.enum(QUICKBOOKS_ENVIRONMENTS).default('production'),
  /** Host root; the client adds /v3/company/{realmId}/…; overrides `environment`. */
  apiUrl: httpUrl.optional(),
  tokenUrl: httpUrl.optional(),
  authorizeUrl: httpUrl.optional(),
  revokeUrl: httpUrl.optional(),
  /** The company's home currency (USD unless given): entries in another go with CurrencyRef and ExchangeRate. */
  baseCurrency: currencyCode.optional(),
  /** Journal entries per /batch request (30 unless given, Intuit's recommended maximum); smaller batches follow a refusal for size. */
  batchSize: wholeNumber(1, 30).optional(),
});

/** An exchange rate as decimal text: base-currency units per one foreign unit, e.g. "1.0825". */
const exchangeRate = z.string().regex(/^\d{1,9}(\.\d{1,10})?$/, 'must be a positive decimal such as "1.0825" (base-currency units per one unit of the currency)')
  .refine((value) => /[1-9]/.test(value), 'must be above zero');

/** Where exchange rates come from for entries not in a destination's base currency. */
const ratesSchema = z.strictObject({
  /** A CSV file with a header and rows date,currency,rate (YYYY-MM-DD, EUR, 1.0825); an entry takes the latest rate on or before its date. */
  file: text.optional(),
  /** A fixed rate per currency, used when the file has none: { EUR: "1.0825" }. */
  fixed: z.record(currencyCode, exchangeRate).optional(),
});

const scheduleSchema = z.strictObject({
  cron: z.string().refine((value) => isCronExpression(value), 'is not a cron expression (minute hour day month weekday, e.g. "30 2 * * *")'),
  /** Defaults to the top-level timezone. */
  timezone: timeZone.optional(),
  /** Destinations the scheduled run posts the days it synced to. */
  post: z.array(z.enum(DESTINATION_KINDS)).default([]),
  /** PostgreSQL ledger: enqueue the night's closes and posts for `ledgerline worker`s instead of running them in-process. */
  queue: z.boolean().optional(),
});

const alertsSchema = z.strictObject({
  webhookUrl: httpUrl.optional(),
  /** A shell command run with the alert as JSON on stdin. */
  command: text.optional(),
  /** Alert when a stored refresh token expires within this many days. */
  tokenExpiryDays: wholeNumber(1, 365).default(14),
});

const webhooksSchema = z.strictObject({
  port: wholeNumber(0, 65_535).default(8788),
  secret: webhookSecret,
  mode: z.enum(WEBHOOK_AUTH_MODES).default('path-token'),
  maxBodyBytes: wholeNumber(1024, 10 * 1024 * 1024).default(64 * 1024),
});

const exportSchema = z.strictObject({
  dateFormat: z
    .strictObject({
      // The generic format is the project's own stable contract (DESIGN §5): its dates are always ISO.
      generic: z.literal('YYYY-MM-DD', { error: 'the generic export always writes YYYY-MM-DD dates' }).default('YYYY-MM-DD'),
      /** Without it, destinations.xero.region decides (see xeroImportDateFormat). */
      xero: z.enum(EXPORT_DATE_FORMATS).optional(),
      quickbooks: z.enum(EXPORT_DATE_FORMATS).default('MM/DD/YYYY'),
    })
    .prefault({}),
});

export const configFileSchema = z.strictObject({
  /** A SQLite file path or a postgres:// URL. */
  ledger: ledgerSchema,
  timezone: timeZone,
  /**
   * A sandbox's day endpoint (GET → {"date": "YYYY-MM-DD"}): a plain `sync` or a scheduled run then takes the
   * close of the day the sandbox is on rather than the machine's yesterday. Only for the sandbox.
   */
  sandboxClock: httpUrl.optional(),
  currency: currencyCode,
  /** The chart file (or the folder holding default.yaml); xero.yaml and quickbooks.yaml sit beside it. */
  mappings: text.optional(),
  sources: z.array(sourceSchema).default([]),
  payouts: payoutsSchema.optional(),
  granularity: z.enum(GRANULARITIES).default(DEFAULT_GRANULARITY),
  destinations: z.strictObject({ xero: xeroSchema.optional(), quickbooks: quickBooksSchema.optional(), rates: ratesSchema.optional() }).prefault({}),
  tokenStore: text.optional(),
  schedule: scheduleSchema.optional(),
  alerts: alertsSchema.prefault({}),
  webhooks: webhooksSchema.optional(),
  export: exportSchema.prefault({}),
});

export type ConfigFile = z.output<typeof configFileSchema>;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
