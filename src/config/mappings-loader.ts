import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { EVENT_KINDS, ROUNDING_ACCOUNT, type EventKind } from '../rules/index.js';
import type { DestinationMappingKind } from './config-kinds.js';
import { didYouMean } from './did-you-mean.js';
import { isPlainRecord, valueAt, type KeyPath } from './key-path.js';
import { packageMappingsDir } from './package-mappings.js';
import {
  ACCOUNT_KEY,
  chartAccountSchema,
  chartFileSchema,
  journalRuleSchema,
  type ChartAccount,
  type JournalRule,
} from './mappings-schema.js';
import { readYamlFile, type YamlFile } from './yaml-file.js';
import { issueProblems, problemAt } from './zod-problems.js';

/** The ledger's accounts and the journal rule of every event kind (mappings/default.yaml). */
export interface Chart {
  file: string;
  accounts: Readonly<Record<string, ChartAccount>>;
  events: Readonly<Record<EventKind, JournalRule>>;
}

/** A destination's mapping file as read: its settings (the file's top level, as its schema gave them) and its accounts. */
export interface DestinationMapping<Settings = unknown, Account = unknown> {
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
}

/** A bank-statement source and the chart's account its bank legs book to (its `ledgerAccount`). */
export interface BankLedgerAccount {
  sourceId: string;
  account: string;
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
  return mappings.destinations.get(kind.kind) as DestinationMapping<z.output<FileSchema>, z.output<AccountSchema>> | undefined;
}

/**
 * Reads and checks the mappings before anything runs: every event kind has a
 * rule, rules name accounts the chart defines, split shares are positive,
 * and (for the destinations asked for) every account the chart uses is
 * mapped. All problems are reported at once in one ConfigError, each naming
 * the file and the key.
 */
export function loadMappings(options: LoadMappingsOptions): Mappings {
  const problems: ConfigProblem[] = [];
  const chart = readChart(options.chartPath, problems);
  if (chart.readable) problems.push(...bankAccountProblems(chart, options.bankAccounts ?? []));
  const destinations = new Map<string, DestinationMapping>();
  for (const kind of options.destinations ?? []) {
    if (destinations.has(kind.kind)) continue;
    const read = readDestination(destinationMappingPath(options.chartPath, kind), kind.title, kind.fileSchema, kind.accountSchema, chart, problems);
    if (read !== undefined) destinations.set(kind.kind, read);
  }

  if (problems.length > 0 || !hasEveryRule(chart.events)) throw new ConfigError(problems);
  return { chart: { file: options.chartPath, accounts: chart.accounts, events: chart.events }, destinations };
}

/**
 * The accounts a chart's rules book to, each with the event kinds that use it;
 * the rounding account is always used (renderers book cent residue to it).
 */
export function accountsUsedByChart(events: Partial<Readonly<Record<EventKind, JournalRule>>>): Map<string, string[]> {
  const used = new Map<string, string[]>([[ROUNDING_ACCOUNT, ['cent rounding']]]);
  for (const kind of EVENT_KINDS) {
    const rule = events[kind];
    if (rule === undefined) continue;
    for (const { account } of [...rule.debit, ...rule.credit]) {
      const users = used.get(account) ?? [];
      if (!users.includes(kind)) users.push(kind);
      used.set(account, users);
    }
  }
  return used;
}

/** What could be read of the chart: the valid parts, so that destination files are checked even when the chart has problems. */
interface ChartReading {
  file: string;
  readable: boolean;
  accountKeys: ReadonlySet<string>;
  accounts: Record<string, ChartAccount>;
  events: Partial<Record<EventKind, JournalRule>>;
}

function readChart(file: string, problems: ConfigProblem[]): ChartReading {
  const read = readYamlFile(file);
  if (!read.ok) {
    problems.push(...read.problems);
    return { file, readable: false, accountKeys: new Set(), accounts: {}, events: {} };
  }
  const { yaml } = read;
  const top = chartFileSchema.safeParse(yaml.value);
  if (!top.success) problems.push(...issueProblems(top.error.issues, { ...yaml, schema: chartFileSchema, document: yaml.value }));

  const rawAccounts = recordAt(yaml.value, ['accounts']);
  const accountKeys = new Set(Object.keys(rawAccounts));
  const accounts: Record<string, ChartAccount> = {};
  for (const [key, value] of Object.entries(rawAccounts)) {
    if (!ACCOUNT_KEY.test(key)) problems.push(problemAt(yaml, ['accounts', key], 'an account key is lower-case letters, digits and _, starting with a letter'));
    const account = parseEntry(chartAccountSchema, value, yaml, ['accounts', key], problems);
    if (account !== undefined) accounts[key] = account;
  }
  if (isPlainRecord(valueAt(yaml.value, ['accounts'])) && !accountKeys.has(ROUNDING_ACCOUNT)) {
    problems.push(problemAt(yaml, ['accounts', ROUNDING_ACCOUNT], 'is required: cent rounding residue is booked to it'));
  }

  const rawEvents = recordAt(yaml.value, ['events']);
  for (const key of Object.keys(rawEvents)) {
    if (!(EVENT_KINDS as readonly string[]).includes(key)) {
      problems.push(problemAt(yaml, ['events', key], `is not an event kind${didYouMean(key, EVENT_KINDS)}`));
    }
  }
  const events: Partial<Record<EventKind, JournalRule>> = {};
  if (isPlainRecord(valueAt(yaml.value, ['events']))) {
    for (const kind of EVENT_KINDS) {
      if (rawEvents[kind] === undefined) {
        const shipped = KINDS_ADDED_SINCE_FIRST_RELEASE.has(kind) ? shippedRule(kind) : undefined;
        if (shipped !== undefined && [...shipped.debit, ...shipped.credit].every(({ account }) => accountKeys.has(account))) {
          events[kind] = shipped;
          continue;
        }
        problems.push(problemAt(yaml, ['events', kind], `no journal rule for event kind ${kind} (every kind needs debit, credit and description)`));
        continue;
      }
      const rule = parseEntry(journalRuleSchema, rawEvents[kind], yaml, ['events', kind], problems);
      if (rule === undefined) continue;
      problems.push(...unknownAccountProblems(rule, rawEvents[kind], accountKeys, yaml, ['events', kind]));
      events[kind] = rule;
    }
  }
  return { file, readable: true, accountKeys, accounts, events };
}

/**
 * A statement source's bank account must be an asset of the chart, as an event rule's accounts must be in it:
 * its bank legs (Dr bank / Cr payout_clearing_paypal) book to it. Example: source "operating" with ledgerAccount
 * bank_operating, a chart without it → "accounts.bank_operating is not in the chart, and …".
 */
function bankAccountProblems(chart: ChartReading, bankAccounts: readonly BankLedgerAccount[]): ConfigProblem[] {
  return bankAccounts.flatMap(({ sourceId, account }) => {
    const found = chart.accounts[account];
    const named = `bank-statement source "${sourceId}" books its bank legs to it (its ledgerAccount)`;
    if (!chart.accountKeys.has(account)) {
      return [{ file: chart.file, path: `accounts.${account}`, message: `is not in the chart, and ${named}: add "${account}: { type: asset, name: … }"${didYouMean(account, chart.accountKeys)}` }];
    }
    return found === undefined || found.type === 'asset' ? [] : [{ file: chart.file, path: `accounts.${account}`, message: `has type ${found.type}, and ${named}: make it type asset, or name an asset account as its ledgerAccount` }];
  });
}

/**
 * Event kinds a newer version added. A chart that `init` copied before they existed lacks their rules; it takes the
 * shipped rule when the chart has its accounts, so an upgrade never stops a working ledger for a rule the user never saw.
 */
const KINDS_ADDED_SINCE_FIRST_RELEASE: ReadonlySet<EventKind> = new Set(['panel_rounding_gain', 'panel_rounding_loss', 'panel_fall_explained']);

function shippedRule(kind: EventKind): JournalRule | undefined {
  const read = readYamlFile(join(packageMappingsDir(), 'default.yaml'));
  if (!read.ok) return undefined;
  const parsed = journalRuleSchema.safeParse(valueAt(read.yaml.value, ['events', kind]));
  return parsed.success ? parsed.data : undefined;
}

function unknownAccountProblems(rule: JournalRule, raw: unknown, accountKeys: ReadonlySet<string>, yaml: YamlFile, at: KeyPath): ConfigProblem[] {
  return (['debit', 'credit'] as const).flatMap((side) =>
    rule[side].flatMap((split, index) => {
      if (accountKeys.has(split.account)) return [];
      // The one-account form has no list index to point at.
      const path = typeof valueAt(raw, [side]) === 'string' ? [...at, side] : [...at, side, index, 'account'];
      return [problemAt(yaml, path, `unknown account "${split.account}"${didYouMean(split.account, accountKeys)}`)];
    }),
  );
}

/** A destination file's top-level settings and its accounts, or undefined (with the problems pushed) when it cannot be used; `label` is the destination's title. */
function readDestination<Top extends z.ZodType, Account extends z.ZodType>(
  file: string,
  label: string,
  fileSchema: Top,
  accountSchema: Account,
  chart: ChartReading,
  problems: ConfigProblem[],
): DestinationMapping<z.output<Top>, z.output<Account>> | undefined {
  // Every value as text: an unquoted code like 0200 must not become the number 200.
  const read = readYamlFile(file, { failsafe: true });
  if (!read.ok) {
    problems.push(...read.problems);
    return undefined;
  }
  const { yaml } = read;
  const top = fileSchema.safeParse(yaml.value);
  if (!top.success) problems.push(...issueProblems(top.error.issues, { ...yaml, schema: fileSchema, document: yaml.value }));

  const rawAccounts = recordAt(yaml.value, ['accounts']);
  const accounts: Record<string, z.output<Account>> = {};
  for (const [key, value] of Object.entries(rawAccounts)) {
    if (chart.readable && !chart.accountKeys.has(key)) {
      problems.push(problemAt(yaml, ['accounts', key], `is not an account in ${basename(chart.file)}${didYouMean(key, chart.accountKeys)}`));
    }
    const mapping = parseEntry(accountSchema, value, yaml, ['accounts', key], problems);
    if (mapping !== undefined) accounts[key] = mapping;
  }
  if (isPlainRecord(valueAt(yaml.value, ['accounts']))) {
    for (const [account, users] of accountsUsedByChart(chart.events)) {
      if (chart.accountKeys.has(account) && rawAccounts[account] === undefined) {
        problems.push(problemAt(yaml, ['accounts', account], `has no ${label} mapping, and the chart books to it (${users.join(', ')})`));
      }
    }
  }
  return top.success ? { file, settings: top.data, accounts } : undefined;
}

function parseEntry<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  yaml: YamlFile,
  prefix: KeyPath,
  problems: ConfigProblem[],
): z.output<Schema> | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  problems.push(...issueProblems(parsed.error.issues, { ...yaml, schema, document: value, prefix }));
  return undefined;
}

function recordAt(document: unknown, path: KeyPath): Record<string, unknown> {
  const value = valueAt(document, path);
  return isPlainRecord(value) ? value : {};
}

function hasEveryRule(events: Partial<Record<EventKind, JournalRule>>): events is Record<EventKind, JournalRule> {
  return EVENT_KINDS.every((kind) => events[kind] !== undefined);
}
