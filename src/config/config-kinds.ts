import type { z } from 'zod';
import type { ExportDateFormat } from '../rules/index.js';
import type { TopLevelSettings } from './config-schema.js';
import type { KeyPath } from './key-path.js';
import type { ChartAccountInput, JournalRuleInput } from './mappings-schema.js';

/**
 * What the configuration needs of each kind of source and destination: the
 * schema of its entry and how the entry is made ready to use. The kinds come
 * from the plug-in registries (src/pipeline/kinds), handed to `loadConfig`;
 * this folder names none of them.
 */

/** What every configured source is, whatever its kind; its other fields are its kind's, read by its plug-in. */
export interface ConfiguredSource {
  readonly id: string;
  readonly kind: string;
  /** The account's currency where it is not the top-level one. */
  readonly currency?: string | undefined;
  /**
   * The words a bank writes on a line of this source's money, as a case-insensitive regular expression: its kind's
   * default (the ad network's payouts `PAYPAL|PAYELANCER`), which a bank account's `transit.match` may replace.
   */
  readonly bankWords?: string | undefined;
  /** When this source is synced (a cron expression), where it says (config/source-settings.ts). */
  readonly schedule?: string | undefined;
  /** After how many days without new data it is silent, where it says; else `monitor.silentAfterDays`. */
  readonly silentAfterDays?: number | undefined;
  /**
   * A bank account's (a kind whose statements are imported): the chart's asset account its lines move money to and
   * from; a destination reads it to keep bank lines out of a journal (Xero takes no manual journal on a bank account).
   */
  readonly ledgerAccount?: string | undefined;
  /** A bank account's: the chart's equity account its first statement's opening balance is credited to. */
  readonly openingEquity?: string | undefined;
  /** A bank account's: what a bank line must be to settle a payout or a top-up (config/bank-accounts.ts). */
  readonly transit?: BankTransitSettings | undefined;
}

/**
 * What a bank line must be to settle a payout or a top-up. alertDays: business days after the day a payout was
 * sent or a top-up seen before it is late (per source in `alertDaysBySource`); windowDays: calendar days a bank
 * line may arrive after it; toleranceMicros: how far a line's amount may be off and still be the item's; match:
 * per source id, the words the bank writes on that source's lines (a case-insensitive regular expression).
 */
export interface BankTransitSettings {
  readonly alertDays: number;
  readonly alertDaysBySource: Readonly<Record<string, number>>;
  readonly windowDays: number;
  readonly toleranceMicros: bigint;
  readonly match: Readonly<Record<string, string>>;
}

/** Where an entry's relative paths and defaults are resolved. */
export interface EntryPlacement {
  /** A path as written in the file made absolute: relative to the file's folder; a `${VAR}` left unresolved stays as written. */
  pathInFile(path: string): string;
  /** Where a file kept beside the ledger goes (for a postgres ledger: the configuration's folder). */
  ledgerFolder: string;
  /** The file's top-level settings, as validated, that an entry may default from (payouts:). */
  topLevel: TopLevelSettings;
}

/** A problem an entry has that only the whole file shows, at a key path relative to the file. */
export interface EntryProblem {
  path: KeyPath;
  message: string;
}

/**
 * A kind of source as the configuration sees it: `kind: panel` under `sources:`.
 * Secrets in an entry use the conventional key `apiKey` (config/secret-fields.ts redacts it for every kind).
 */
export interface SourceConfigKind {
  readonly kind: string;
  /** The entry as written: a strict object with `id`, `kind: z.literal(kind)` and the kind's own fields. */
  readonly entrySchema: z.core.$ZodTypeDiscriminable;
  /** The validated entry made ready to use (paths absolute, defaults filled in). */
  resolve(entry: ConfiguredSource, placement: EntryPlacement): ConfiguredSource;
  /** Checks that look across the file, on the document as written (after `${VAR}`s); `index` is the entry's place under sources:. */
  crossCheck?(entry: Readonly<Record<string, unknown>>, index: number, document: unknown): EntryProblem[];
  /** The event kinds it books beyond the built-in ones, with their accounts and default mappings; while a source names it, they are in the chart in force. */
  readonly vocabulary?: KindVocabulary;
}

/**
 * The words a source kind brings to the chart, as the chart and the mapping files write them (checked by the same
 * schemas when the mappings are loaded). The chart in force is the chart file's accounts and rules plus the
 * vocabularies of the configured sources' kinds; an account or rule the chart file writes itself wins, so a user
 * renames or re-maps a plug-in's words in the chart as any other. Example (a tip-jar counter):
 *   events: { counter_earnings: { debit: counter_receivable, credit: counter_revenue, description: Tips earned } }
 *   accounts: { counter_receivable: { type: asset, name: Tips receivable }, counter_revenue: { type: revenue, name: Tips } }
 *   mappings: { xero: { counter_receivable: { code: '610' }, counter_revenue: { code: '200' } } }
 */
interface KindVocabulary {
  /** Its own event kinds (not a built-in one), each with its journal rule. */
  readonly events: Readonly<Record<string, JournalRuleInput>>;
  /**
   * The event kinds its sources book by the chart file's own rules (mappings/default.yaml writes each, and a chart
   * must keep them while the kind is registered): a built-in kind says them all (the panel: order_charge, …), a
   * plug-in the built-in ones it books besides its own `events`. Left out, the kind books only its own events. A
   * destination's mapping must map what the configured sources book, and no more.
   */
  readonly books?: readonly string[];
  /**
   * Of `books`, those a newer version added: a chart `init` copied before they existed lacks their rules, and takes
   * the shipped rule when it has its accounts, so an upgrade never stops a working ledger for a rule the user never saw.
   */
  readonly booksSinceFirstRelease?: readonly string[];
  /**
   * Of `books`, those whose money travels through a clearing account to or from the bank (`ledgerline transit`), each
   * a payout or a top-up, as an own event's rule says with `transit:`: `{ payout_wire: payout }`.
   */
  readonly booksInTransit?: Readonly<Record<string, 'payout' | 'topup'>>;
  /**
   * Of `books`, each that takes another back, with the one it takes back, as an own flow's `taxFlows` `reverses`
   * says: `{ publisher_clawback: publisher_earnings }`. Tax coding gives the reversal its original's code.
   */
  readonly booksReversing?: Readonly<Record<string, string>>;
  /** The accounts its rules book to that the built-in chart lacks, each with its type and name. */
  readonly accounts: Readonly<Record<string, ChartAccountInput>>;
  /** For each destination kind it knows (by name), its accounts' entries as that kind's mapping file writes them; the file's own entries win. */
  readonly mappings?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * Its events that are taxable flows, which the chart's `tax:` may then code as it codes the built-in ones, each
   * reversal with the flow it reverses (its lines then take that flow's code on the original's date, as an order
   * refund takes its charge's): `{ market_sale: {}, market_fee: {}, market_refund: { reverses: market_sale } }`.
   */
  readonly taxFlows?: Readonly<Record<string, { readonly reverses?: string }>>;
}

/**
 * The event kinds the registered source kinds book by the chart file's own rules (their vocabularies' `books`), each
 * of which the chart must rule, those of them added since the first release (`booksSinceFirstRelease`), and what the
 * kinds say of them: which are payouts and top-ups, which reverse which.
 */
export interface ChartFileEvents {
  readonly kinds: readonly string[];
  readonly sinceFirstRelease: readonly string[];
  /** Of them, the payouts and top-ups (their vocabularies' `booksInTransit`). */
  readonly inTransit: Readonly<Record<string, 'payout' | 'topup'>>;
  /** Of them, each reversal with the one it takes back (their vocabularies' `booksReversing`). */
  readonly reversing: Readonly<Record<string, string>>;
}

/** A vocabulary in force: the kind of a configured source that declares it. */
export interface ConfiguredVocabulary extends KindVocabulary {
  readonly kind: string;
  /** The kind declares no vocabulary, so what its sources book is unknown: every account the chart books needs a mapping. */
  readonly undeclared?: true;
}

/**
 * A kind of destination as the configuration sees it: its section under `destinations:`, and its key under
 * `export.dateFormat`. Secrets in a section use the conventional keys `clientSecret` and `refreshToken`
 * (config/secret-fields.ts redacts them for every kind).
 */
export interface DestinationConfigKind {
  readonly kind: string;
  /** The section as written (a strict object), when the kind has settings. */
  readonly sectionSchema?: z.ZodType;
  /** The validated section made ready to use; as validated when absent. */
  resolve?(section: unknown, placement: EntryPlacement): unknown;
  /** `export.dateFormat.KIND`, when the file may choose its export's dates (or must be told they are fixed). */
  readonly exportDateFormat?: z.ZodType<ExportDateFormat | undefined>;
  /** `export.region.KIND`, when the kind's import file depends on the organisation's region and no section need say it (a CSV-only set-up). */
  readonly exportRegion?: z.ZodType<string | undefined>;
}

/** Every kind the configuration may name, from the registries. */
export interface ConfigKinds {
  readonly sources: readonly SourceConfigKind[];
  readonly destinations: readonly DestinationConfigKind[];
}

/**
 * A destination's mapping file as the mappings loader sees it: what each ledger account the chart books to is at
 * the destination, in a file of its own beside the chart (xero.yaml), when its accounts are not the chart's own.
 * Every value in the file is read as text, so an unquoted code like 0200 stays "0200".
 */
export interface DestinationMappingKind<
  FileSchema extends z.ZodType = z.ZodType,
  AccountSchema extends z.ZodType = z.ZodType,
> {
  /** The destination kind's name: its mapping is kept under it in `Mappings.destinations`. */
  readonly kind: string;
  /** The file's name beside the chart: `xero.yaml`. */
  readonly fileName: string;
  /** How a sentence names the destination: an account missing from the file "has no Xero mapping". */
  readonly title: string;
  /** The file as written: a strict object with `accounts:` (a record, each entry read by `accountSchema`) and the file's settings. */
  readonly fileSchema: FileSchema;
  /** One account's entry under `accounts:`. */
  readonly accountSchema: AccountSchema;
}
