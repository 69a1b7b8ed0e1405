import { z } from 'zod';
import { cronExpression } from './cron-expression.js';
import { entitiesSchemaFor } from './entities.js';
import { ledgerSchema } from './ledger-location.js';
import { DEFAULT_GRANULARITY, EXPORT_DATE_FORMATS, GRANULARITIES, type ExportDateFormat } from '../rules/index.js';
import type { ConfigKinds, ConfiguredSource } from './config-kinds.js';
import { currencyCode, httpUrl, payoutsSetting, text, timeZone, webhookSecret, wholeNumber } from './field-schemas.js';

/**
 * The schema of `ledgerline.yaml` as written (DESIGN §6). Every object is
 * strict, so a misspelt key is a problem rather than a silently ignored
 * setting. Fields that usually come from `${VAR}` (keys, URLs) accept a
 * reference left unresolved: whether that is a problem depends on the command
 * (see loadConfig), not on the field.
 */

const WEBHOOK_AUTH_MODES = ['path-token', 'hmac'] as const;

export const XERO_JOURNAL_STATUSES = ['POSTED', 'DRAFT'] as const;
export type XeroJournalStatus = (typeof XERO_JOURNAL_STATUSES)[number];

// The sections below are functions, built when a file is checked (configFileSchemaFor): a command whose file's check
// was kept (config/checked-cache.ts) builds none of them.

/** An exchange rate as decimal text: base-currency units per one foreign unit, e.g. "1.0825". */
const exchangeRate = () =>
  z
    .string()
    .regex(
      /^\d{1,9}(\.\d{1,10})?$/,
      'must be a positive decimal such as "1.0825" (base-currency units per one unit of the currency)',
    )
    .refine((value) => /[1-9]/.test(value), 'must be above zero');

/** Where exchange rates come from for entries not in a destination's base currency. */
const ratesSchema = () =>
  z.strictObject({
    /** A CSV file with a header and rows date,currency,rate (YYYY-MM-DD, EUR, 1.0825); an entry takes the latest rate on or before its date. */
    file: text.optional(),
    /** A fixed rate per currency, used when the file has none: { EUR: "1.0825" }. */
    fixed: z.record(currencyCode, exchangeRate()).optional(),
  });

/** `schedule:`; `post` names destination kinds, which configFileSchemaFor admits by name. */
function scheduleSchemaFor(destinationName: z.ZodType<string>, checkCron: boolean) {
  return z.strictObject({
    cron: cronExpression(checkCron),
    /** Defaults to the top-level timezone. */
    timezone: timeZone.optional(),
    /** Destinations the scheduled run posts the days it synced to. */
    post: z.array(destinationName).default([]),
    /** PostgreSQL ledger: enqueue the night's closes and posts for `ledgerline worker`s instead of running them in-process. */
    queue: z.boolean().optional(),
  });
}

const alertsSchema = () =>
  z.strictObject({
    webhookUrl: httpUrl.optional(),
    /** A shell command run with the alert as JSON on stdin. */
    command: text.optional(),
    /** Alert when a stored refresh token expires within this many days. */
    tokenExpiryDays: wholeNumber(1, 365).default(14),
  });

/** `monitor:`; `ping` is a Healthchecks-compatible check URL (its path is the check's secret, redacted like one). */
const monitorSchema = () =>
  z.strictObject({
    ping: httpUrl.optional(),
    /** A source whose syncs book nothing new for this many days is raised as silent (a source may say its own). */
    silentAfterDays: wholeNumber(1, 3650).default(3),
    /** How often the scheduler sends the digest of what needs a person through the alert channels (none when absent). */
    digest: z.enum(['daily', 'weekly']).optional(),
  });

const webhooksSchema = () =>
  z.strictObject({
    port: wholeNumber(0, 65_535).default(8788),
    secret: webhookSecret,
    mode: z.enum(WEBHOOK_AUTH_MODES).default('path-token'),
    maxBodyBytes: wholeNumber(1024, 10 * 1024 * 1024).default(64 * 1024),
  });

/**
 * `export:`; `dateFormat` holds a key per destination kind whose export's dates the file may choose, `region` one per
 * kind whose import depends on the organisation's region (a CSV-only set-up has no destination section to say it).
 */
function exportSchemaFor(
  dateFormats: Readonly<Record<string, z.ZodType<ExportDateFormat | undefined>>>,
  regions: Readonly<Record<string, z.ZodType<string | undefined>>>,
) {
  return z.strictObject({
    dateFormat: z.strictObject(dateFormats).prefault({}),
    region: z.strictObject(regions).prefault({}),
  });
}

/** The file's settings besides its sources: each kind's entry may default from them (payouts:). Built when a file is checked. */
const topLevelShape = (checkCron = true) => ({
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
  payouts: payoutsSetting.optional(),
  granularity: z.enum(GRANULARITIES).default(DEFAULT_GRANULARITY),
  /** Each destination kind's section, by its name (see configFileSchemaFor), and the exchange rates they convert at. */
  destinations: z.object({ rates: ratesSchema().optional() }).catchall(z.unknown()).prefault({}),
  tokenStore: text.optional(),
  schedule: scheduleSchemaFor(z.string(), checkCron).optional(),
  alerts: alertsSchema().prefault({}),
  monitor: monitorSchema().prefault({}),
  webhooks: webhooksSchema().optional(),
  /** Each destination kind's export date format, by the kind's name (see configFileSchemaFor). */
  export: z
    .strictObject({
      dateFormat: z.record(z.string(), z.enum(EXPORT_DATE_FORMATS).optional()).prefault({}),
      region: z.record(z.string(), z.string().optional()).prefault({}),
    })
    .prefault({}),
  /** `ledgerline adjust`: with requireApproval, an adjusting entry waits for a second person's `adjust approve ID` before it is posted. */
  adjustments: z.strictObject({ requireApproval: z.boolean().default(false) }).prefault({}),
  /**
   * Where each head of the ledger's chain is witnessed, off the ledger's folder (src/pipeline/witness); a default when
   * absent. `url`: a witness the machine does not hold (append-only, POST a record, GET them all; may carry a token);
   * `urlTimeoutMs`: how long one call to it may wait (3,000 unless given; its retries' bound scales with it).
   */
  witness: z
    .strictObject({
      file: text.optional(),
      url: httpUrl.optional(),
      urlTimeoutMs: z.number().int().min(1).max(60_000).optional(),
    })
    .prefault({}),
});

export type TopLevelSettings = z.output<z.ZodObject<ReturnType<typeof topLevelShape>>>;

/** How a file is checked (configFileSchemaFor). */
interface ConfigFileChecks {
  /** The file names entities: its top level then names no ledger. */
  withEntities?: boolean;
  /** The file has an `entities:` key at all (else that schema, every destination section again, is not built). */
  entitiesWritten?: boolean;
  /** Whether cron expressions are checked (cronExpression): not for a command that only reads the books. */
  checkCron?: boolean;
}

/**
 * The schema of the whole file for the kinds registered: `sources:` holds entries of those kinds, each checked by
 * its kind's schema; `destinations:` a section per destination kind, checked by its kind's schema, besides `rates`.
 */
export function configFileSchemaFor(kinds: ConfigKinds, checks: ConfigFileChecks = {}) {
  const { withEntities = false, entitiesWritten = withEntities, checkCron = true } = checks;
  // Built once for the same checks and kinds' schemas (each kind builds its own once): a file checked again (each
  // scheduled run, each command a test runs in process) built it every time, about a sixth of the check.
  const key: unknown[] = [withEntities, entitiesWritten, checkCron];
  for (const { kind, entrySchema } of kinds.sources) key.push(kind, entrySchema);
  for (const { kind, sectionSchema, exportDateFormat, exportRegion } of kinds.destinations)
    key.push(kind, sectionSchema, exportDateFormat, exportRegion);
  const kept = builtSchemas.find(
    (built) => built.key.length === key.length && built.key.every((part, index) => part === key[index]),
  );
  if (kept !== undefined) return kept.schema;
  const schema = builtConfigFileSchema(kinds, withEntities, entitiesWritten, checkCron);
  if (builtSchemas.unshift({ key, schema }) > 8) builtSchemas.pop();
  return schema;
}

const builtSchemas: { key: unknown[]; schema: ReturnType<typeof builtConfigFileSchema> }[] = [];

function builtConfigFileSchema(
  kinds: ConfigKinds,
  withEntities: boolean,
  entitiesWritten: boolean,
  checkCron: boolean,
) {
  const [first, ...rest] = kinds.sources.map((kind) => kind.entrySchema);
  const entries = first === undefined ? z.array(z.never()) : z.array(z.discriminatedUnion('kind', [first, ...rest]));
  const withSections = kinds.destinations.flatMap(({ kind, sectionSchema }) =>
    sectionSchema === undefined ? [] : [{ kind, sectionSchema }],
  );
  const sections = Object.fromEntries(withSections.map(({ kind, sectionSchema }) => [kind, sectionSchema.optional()]));
  const destinationName = z.enum(withSections.map(({ kind }) => kind));
  const dateFormats = Object.fromEntries(
    kinds.destinations.flatMap(({ kind, exportDateFormat }) =>
      exportDateFormat === undefined ? [] : [[kind, exportDateFormat]],
    ),
  );
  const regions = Object.fromEntries(
    kinds.destinations.flatMap(({ kind, exportRegion }) => (exportRegion === undefined ? [] : [[kind, exportRegion]])),
  );
  // In the file's own order, so that problems are listed as the file reads.
  const { ledger, timezone, sandboxClock, currency, mappings, ...afterSources } = topLevelShape(checkCron);
  return z.strictObject({
    // With entities:, each entity names its ledger (config/entities.ts), and the top level names none.
    ledger: withEntities ? ledger.optional() : ledger,
    // Built only for a file that writes `entities:` (each destination section again, every field optional).
    entities: entitiesWritten ? entitiesSchemaFor(kinds).optional() : z.undefined().optional(),
    timezone,
    sandboxClock,
    currency,
    mappings,
    // `sources:` with nothing under it (init --for writes it so, its examples commented below) is no sources yet.
    sources: entries.nullish().transform((value) => value ?? []),
    ...afterSources,
    destinations: z.strictObject({ ...sections, rates: ratesSchema().optional() }).prefault({}),
    schedule: scheduleSchemaFor(destinationName, checkCron).optional(),
    export: exportSchemaFor(dateFormats, regions).prefault({}),
  });
}

/** The file as validated; each entry under sources: is its kind's, and at least an id and a kind (ConfigKinds' contract). */
export type ConfigFile = TopLevelSettings & { sources: ConfiguredSource[] };
