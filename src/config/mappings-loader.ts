import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../errors.js';
import type { CheckedCache } from './checked-cache.js';
import { ROUNDING_ACCOUNT, type TaxBook, type TaxFlows } from '../rules/index.js';
import {
  accountsUsedByChart,
  declaredAccounts,
  declaredEventKinds,
  declaredMappings,
  declaredProblem,
  declaredTaxFlows,
  eventsBookedBy,
  taxableFlows,
  type DeclaredEntry,
} from './chart-vocabulary.js';
import type { ChartFileEvents, ConfiguredVocabulary, DestinationMappingKind } from './config-kinds.js';
import { bankAccountProblems, type BankLedgerAccount } from './bank-accounts.js';
import { didYouMean } from './did-you-mean.js';
import { isPlainRecord, valueAt, type KeyPath } from './key-path.js';
import { packageMappingsDir } from './package-mappings.js';
import { ACCOUNT_KEY, chartSchemas, type ChartAccount, type JournalRule } from './mappings-schema.js';
import { readYamlFile, type YamlFile } from './yaml-file.js';
import { chartTax, destinationTaxProblems } from './tax-section.js';
import { ONCE, parseAt, problemAt } from './zod-problems.js';

/** A rule for every event kind the chart file rules, and for each kind a configured source kind declares (looked up by name). */
type ChartEvents = Readonly<Record<string, JournalRule>>;

/** The ledger's accounts and the journal rule of every event kind in force: mappings/default.yaml and the configured kinds' vocabularies. */
export interface Chart {
  file: string;
  accounts: Readonly<Record<string, ChartAccount>>;
  events: ChartEvents;
  /** The chart's own tax rules (`tax:`, issue 70), and the book journalizing takes the tax by (loadMappings gives it). */
  tax?: TaxFlows | undefined;
  taxBook?: TaxBook | undefined;
  /** The event kinds its `tax:` may code, each reversal with the flow it reverses (TaxChart's `taxable`, chart-vocabulary.ts taxableFlows). */
  taxFlows?: Readonly<Record<string, { readonly reverses?: string }>> | undefined;
}

/** A destination's mapping file as read: its settings (the file's top level, as its schema gave them) and its accounts. */
interface DestinationMapping<Settings = unknown, Account = unknown> {
  readonly file: string;
  readonly settings: Settings;
  readonly accounts: Readonly<Record<string, Account>>;
}

export interface Mappings {
  chart: Chart;
  /** The mapping of each destination asked for, by its kind's name; the kind's code reads its own (destinationMappingOf). */
  destinations: ReadonlyMap<string, DestinationMapping>;
}

export interface LoadMappingsOptions {
  /** The chart file, `config.mappings`; destination mappings are read from beside it. */
  chartPath: string;
  /** The mapping files of the destinations the command posts or exports to: only they are read, and each must cover the chart. */
  destinations?: readonly DestinationMappingKind[];
  /** The bank accounts of the configuration's statement sources: each books its bank legs to an asset account of the chart. */
  bankAccounts?: readonly BankLedgerAccount[];
  /** The configured sources' kinds' vocabularies (`config.vocabularies`): their event kinds, accounts and default mappings join the chart's. */
  vocabularies?: readonly ConfiguredVocabulary[];
  /**
   * What the registered source kinds book by the chart file's own rules (`config.chartEvents`): the chart must rule
   * each, and rules no other kind of its own. Left out (the chart read for its accounts alone), the kinds the file rules.
   */
  chartEvents?: ChartFileEvents;
  /** Where the check is kept for the next command (the CLI's; config/load-mappings.ts); none when left out. */
  cache?: CheckedCache | undefined;
}

/** mappings/xero.yaml beside mappings/default.yaml. */
export function destinationMappingPath(chartPath: string, kind: Pick<DestinationMappingKind, 'fileName'>): string {
  return join(dirname(chartPath), kind.fileName);
}

/**
 * A destination's mapping in the types its kind's schemas give it, when it was asked for. loadMappings admitted it
 * only through those schemas (the kind's fileSchema and accountSchema), whose output it kept.
 */
export function destinationMappingOf<FileSchema extends z.ZodType, AccountSchema extends z.ZodType>(
  mappings: Pick<Mappings, 'destinations'>,
  kind: DestinationMappingKind<FileSchema, AccountSchema>,
): DestinationMapping<z.output<FileSchema>, z.output<AccountSchema>> | undefined {
  return mappings.destinations.get(kind.kind) as
    DestinationMapping<z.output<FileSchema>, z.output<AccountSchema>> | undefined;
}

/**
 * Reads and checks the mappings before anything runs: every event kind has a
 * rule, rules name accounts the chart defines, split shares are positive,
 * and (for the destinations asked for) every account the chart uses is
 * mapped. All problems are reported at once in one ConfigError, each naming
 * the file and the key. Without the cache: loadMappings (config/load-mappings.ts).
 */
export function checkedMappings(options: LoadMappingsOptions): Mappings {
  const problems: ConfigProblem[] = [];
  const vocabularies = options.vocabularies ?? [];
  const chart = readChart(options.chartPath, { vocabularies, chartEvents: options.chartEvents }, problems);
  if (chart.readable) problems.push(...bankAccountProblems(chart, options.bankAccounts ?? []));
  const destinations = new Map<string, DestinationMapping>();
  for (const kind of options.destinations ?? []) {
    if (destinations.has(kind.kind)) continue;
    const read = readDestination(
      destinationMappingPath(options.chartPath, kind),
      kind,
      declaredMappings(vocabularies, kind.kind),
      { ...chart, events: eventsBookedBy(chart.events, vocabularies) },
      problems,
    );
    if (read !== undefined) destinations.set(kind.kind, read);
  }
  if (problems.length > 0 || !hasEveryRule(chart)) throw new ConfigError(problems);
  const { accounts, events, tax, taxFlows } = chart;
  const chartIn = { file: options.chartPath, accounts, events, ...(taxFlows === undefined ? {} : { taxFlows }) };
  return { chart: { ...chartIn, ...(tax === undefined ? {} : { tax }) }, destinations };
}

/** What could be read of the chart: the valid parts, so that destination files are checked even when the chart has problems. */
interface ChartReading extends Pick<Chart, 'taxFlows'> {
  file: string;
  readable: boolean;
  accountKeys: ReadonlySet<string>;
  accounts: Record<string, ChartAccount>;
  /** Every event kind in force: those the chart file rules, then those the vocabularies declare. */
  eventKinds: readonly string[];
  events: Partial<Record<string, JournalRule>>;
  tax?: TaxFlows | undefined;
}

function readChart(
  file: string,
  kinds: { vocabularies: readonly ConfiguredVocabulary[]; chartEvents: ChartFileEvents | undefined },
  problems: ConfigProblem[],
): ChartReading {
  const { vocabularies, chartEvents } = kinds;
  const read = readYamlFile(file);
  if (!read.ok) {
    problems.push(...read.problems);
    const eventKinds = chartEvents?.kinds ?? [];
    return { file, readable: false, accountKeys: new Set(), accounts: {}, eventKinds, events: {} };
  }
  const { yaml } = read;
  parseAt(chartSchemas().chartFile, yaml.value, yaml, [], problems);

  const rawAccounts = recordAt(yaml.value, ['accounts']);
  const accountKeys = new Set(Object.keys(rawAccounts));
  const accounts: Record<string, ChartAccount> = {};
  for (const [key, value] of Object.entries(rawAccounts)) {
    if (!ACCOUNT_KEY.test(key))
      problems.push(
        problemAt(
          yaml,
          ['accounts', key],
          'an account key is lower-case letters, digits and _, starting with a letter',
        ),
      );
    const account = parseAt(chartSchemas().chartAccount, value, yaml, ['accounts', key], problems);
    if (account !== undefined) accounts[key] = account;
  }
  if (isPlainRecord(valueAt(yaml.value, ['accounts'])) && !accountKeys.has(ROUNDING_ACCOUNT)) {
    problems.push(
      problemAt(yaml, ['accounts', ROUNDING_ACCOUNT], 'is required: cent rounding residue is booked to it'),
    );
  }
  for (const [key, entry] of declaredAccounts(vocabularies, accountKeys, file, problems)) {
    accountKeys.add(key);
    const account = parseDeclared(chartSchemas().chartAccount, entry, file, problems);
    if (account !== undefined) accounts[key] = account;
  }

  const rawEvents = recordAt(yaml.value, ['events']);
  const ruled = chartEvents?.kinds ?? Object.keys(rawEvents);
  const declaredEvents = declaredEventKinds(vocabularies, ruled, file, problems);
  const eventKinds = [...ruled, ...declaredEvents.keys()];
  const context = { yaml, accountKeys, sinceFirstRelease: chartEvents?.sinceFirstRelease ?? [] };
  for (const key of Object.keys(rawEvents)) {
    if (!eventKinds.includes(key))
      problems.push(problemAt(yaml, ['events', key], `is not an event kind${didYouMean(key, eventKinds)}`));
  }
  const events: Partial<Record<string, JournalRule>> = {};
  if (isPlainRecord(valueAt(yaml.value, ['events']))) {
    for (const kind of eventKinds) {
      const rule =
        rawEvents[kind] === undefined
          ? ruleNotInFile(kind, declaredEvents.get(kind), context, problems)
          : ruleInFile(kind, rawEvents[kind], context, problems);
      if (rule !== undefined) events[kind] = rule;
    }
  }
  const taxFlows = taxableFlows(
    { kinds: ruled, reversing: chartEvents?.reversing },
    declaredTaxFlows(vocabularies, file, problems),
  );
  const tax = chartTax(yaml, { accountKeys, taxable: Object.keys(taxFlows) }, problems);
  return { file, readable: true, accountKeys, accounts, eventKinds, events, tax, taxFlows };
}

/**
 * What a rule is read against: the chart file, every account in force (the file's and the vocabularies'), and the
 * kinds a newer version added, whose shipped rule stands in for one a chart copied before them lacks.
 */
interface RuleContext {
  yaml: YamlFile;
  accountKeys: ReadonlySet<string>;
  sinceFirstRelease: readonly string[];
}

/** The chart file's own rule for a kind, built-in or declared: it wins over a vocabulary's. */
function ruleInFile(kind: string, raw: unknown, at: RuleContext, problems: ConfigProblem[]): JournalRule | undefined {
  const rule = parseAt(chartSchemas().journalRule, raw, at.yaml, ['events', kind], problems);
  if (rule !== undefined)
    problems.push(...unknownAccountProblems(rule, raw, at.accountKeys, at.yaml, ['events', kind]));
  return rule;
}

/** A kind the chart file has no rule for: the rule its vocabulary declares, a rule shipped since the file was copied, or a problem. */
function ruleNotInFile(
  kind: string,
  declared: DeclaredEntry | undefined,
  at: RuleContext,
  problems: ConfigProblem[],
): JournalRule | undefined {
  if (declared !== undefined) {
    const rule = parseDeclared(chartSchemas().journalRule, declared, at.yaml.file, problems);
    const unknown =
      rule === undefined ? [] : [...rule.debit, ...rule.credit].filter(({ account }) => !at.accountKeys.has(account));
    for (const { account } of unknown)
      problems.push(
        declaredProblem(at.yaml.file, declared, `unknown account "${account}"${didYouMean(account, at.accountKeys)}`),
      );
    return unknown.length === 0 ? rule : undefined;
  }
  const shipped = at.sinceFirstRelease.includes(kind) ? shippedRule(kind) : undefined;
  if (
    shipped !== undefined &&
    [...shipped.debit, ...shipped.credit].every(({ account }) => at.accountKeys.has(account))
  )
    return shipped;
  problems.push(
    problemAt(
      at.yaml,
      ['events', kind],
      `no journal rule for event kind ${kind} (every kind needs debit, credit and description)`,
    ),
  );
  return undefined;
}

function shippedRule(kind: string): JournalRule | undefined {
  const read = readYamlFile(join(packageMappingsDir(), 'default.yaml'));
  if (!read.ok) return undefined;
  const parsed = chartSchemas().journalRule.safeParse(valueAt(read.yaml.value, ['events', kind]), ONCE);
  return parsed.success ? parsed.data : undefined;
}

function unknownAccountProblems(
  rule: JournalRule,
  raw: unknown,
  accountKeys: ReadonlySet<string>,
  yaml: YamlFile,
  at: KeyPath,
): ConfigProblem[] {
  return (['debit', 'credit'] as const).flatMap((side) =>
    rule[side].flatMap((split, index) => {
      if (accountKeys.has(split.account)) return [];
      // The one-account form has no list index to point at.
      const path = typeof valueAt(raw, [side]) === 'string' ? [...at, side] : [...at, side, index, 'account'];
      return [problemAt(yaml, path, `unknown account "${split.account}"${didYouMean(split.account, accountKeys)}`)];
    }),
  );
}

/**
 * A destination file's top-level settings and its accounts, or undefined (with the problems pushed) when it
 * cannot be used; `label` is the destination's title.
 */
function readDestination<Top extends z.ZodType, Account extends z.ZodType>(
  file: string,
  kind: DestinationMappingKind<Top, Account>,
  declared: ReadonlyMap<string, DeclaredEntry>,
  chart: ChartReading,
  problems: ConfigProblem[],
): DestinationMapping<z.output<Top>, z.output<Account>> | undefined {
  const { title: label, fileSchema, accountSchema } = kind;
  // Every value as text: an unquoted code like 0200 must not become the number 200.
  const read = readYamlFile(file, { failsafe: true });
  if (!read.ok) {
    problems.push(...read.problems);
    return undefined;
  }
  const { yaml } = read;
  const settings = parseAt(fileSchema, yaml.value, yaml, [], problems);
  // Its tax: keys are held to the chart's as written: a file with other problems too is told them all at once.
  const tax = valueAt(yaml.value, ['tax']);
  if (chart.readable && isPlainRecord(tax) && (settings === undefined || isPlainRecord(valueAt(settings, ['tax']))))
    for (const problem of destinationTaxProblems(tax, Object.keys(chart.taxFlows ?? {})))
      problems.push(problemAt(yaml, problem.path, problem.message));

  const rawAccounts = recordAt(yaml.value, ['accounts']);
  const accounts: Record<string, z.output<Account>> = {};
  for (const [key, value] of Object.entries(rawAccounts)) {
    if (chart.readable && !chart.accountKeys.has(key)) {
      problems.push(
        problemAt(
          yaml,
          ['accounts', key],
          `is not an account in ${basename(chart.file)}${didYouMean(key, chart.accountKeys)}`,
        ),
      );
    }
    const mapping = parseAt(accountSchema, value, yaml, ['accounts', key], problems);
    if (mapping !== undefined) accounts[key] = mapping;
  }
  // A configured kind's default entry for an account the file leaves out (the file's own wins).
  for (const [key, entry] of declared) {
    if (rawAccounts[key] !== undefined || !chart.accountKeys.has(key)) continue;
    const mapping = parseDeclared(accountSchema, entry, file, problems);
    if (mapping !== undefined) accounts[key] = mapping;
  }
  if (isPlainRecord(valueAt(yaml.value, ['accounts']))) {
    for (const [account, users] of accountsUsedByChart(chart.events)) {
      if (chart.accountKeys.has(account) && rawAccounts[account] === undefined && !declared.has(account)) {
        problems.push(
          problemAt(
            yaml,
            ['accounts', account],
            `has no ${label} mapping, and the chart books to it (${users.join(', ')})`,
          ),
        );
      }
    }
  }
  return settings === undefined ? undefined : { file, settings, accounts };
}

/** A vocabulary's entry read by the schema its chart or mapping file entry has; its problems name the kind that declared it. */
function parseDeclared<Schema extends z.ZodType>(
  schema: Schema,
  entry: DeclaredEntry,
  file: string,
  problems: ConfigProblem[],
): z.output<Schema> | undefined {
  const parsed = schema.safeParse(entry.value, ONCE);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const at = { ...entry, path: [entry.path, ...issue.path.map(String)].join('.') };
    problems.push(declaredProblem(file, at, issue.message));
  }
  return undefined;
}

function recordAt(document: unknown, path: KeyPath): Record<string, unknown> {
  const value = valueAt(document, path);
  return isPlainRecord(value) ? value : {};
}

function hasEveryRule(chart: ChartReading): chart is ChartReading & { events: ChartEvents } {
  return chart.eventKinds.every((kind) => chart.events[kind] !== undefined);
}
