import { dirname, isAbsolute, join, resolve } from 'node:path';
import type {
  ConfigKinds,
  ConfiguredSource,
  ConfiguredVocabulary,
  EntryPlacement,
  SourceConfigKind,
} from './config-kinds.js';
import type { ConfigFile } from './config-schema.js';
import { chartFileEvents } from './chart-vocabulary.js';
import { holdsReference } from './interpolate.js';
import { ledgerEngineOf } from './ledger-location.js';
import { witnessPlace } from './witness-place.js';

/** A `${VAR}` the command did not need and the environment did not set: the value stays as written and unusable. */
export interface UnresolvedReference {
  path: string;
  variables: readonly string[];
}

interface ConfigLocation {
  /** Absolute path of the configuration file; relative paths inside it are relative to its folder. */
  configFile: string;
  /** The mappings/ folder shipped with the package, used when the file names none. */
  packageMappingsDir: string;
  /** `$XDG_STATE_HOME` (else ~/.local/state): where the ledger's witness is kept unless the file names one. */
  stateHome?: string;
}

const TOKEN_STORE_FILE_NAME = '.ledgerline-tokens.json';

/**
 * The validated file made ready to use: paths absolute, payouts merged per
 * source (source over global over defaults), defaults filled in. Pure: the
 * loader has already checked what needs looking at the whole file (a
 * source has what its kind needs, ids are unique, …); each source is made
 * ready by its kind.
 */
export function resolveConfig(
  file: ConfigFile,
  kinds: ConfigKinds,
  location: ConfigLocation,
  unresolved: readonly UnresolvedReference[],
  entity: { name: string | undefined; names: readonly string[]; fleetPing?: string | undefined } = {
    name: undefined,
    names: [],
  },
) {
  const folder = dirname(location.configFile);
  const ledgerEngine = ledgerEngineOf(file.ledger);
  /** A postgres URL is kept as written; a file path is made absolute. */
  const ledger = ledgerEngine === 'postgres' ? file.ledger : pathIn(folder, file.ledger);
  const placement: EntryPlacement = {
    pathInFile: (path) => pathIn(folder, path),
    ledgerFolder: ledgerEngine === 'postgres' ? folder : dirname(ledger),
    topLevel: file,
  };
  return {
    file: location.configFile,
    /** The entity this configuration is (config/entities.ts), and every entity the file names ([] without entities:). */
    entity: entity.name,
    entities: entity.names,
    ledger,
    ledgerEngine,
    timezone: file.timezone,
    ...(file.sandboxClock === undefined ? {} : { sandboxClock: file.sandboxClock }),
    currency: file.currency,
    /** The chart file; the destination mappings (xero.yaml, quickbooks.yaml) are read from beside it. */
    mappings: chartPath(folder, file.mappings, location.packageMappingsDir),
    sources: file.sources.map((source) => ({
      ...sourceKindOf(kinds, source.kind).resolve(source, placement),
      ...(source.schedule === undefined ? {} : { schedule: source.schedule }),
      ...(source.silentAfterDays === undefined ? {} : { silentAfterDays: source.silentAfterDays }),
    })),
    /** The words the configured sources' kinds bring to the chart (their event kinds, accounts and default mappings). */
    vocabularies: vocabulariesOf(kinds, file.sources),
    /** The event kinds every registered source kind books by the chart file's own rules: the chart must rule each. */
    chartEvents: chartFileEvents(kinds.sources),
    granularity: file.granularity,
    destinations: configuredDestinations(file.destinations, kinds, placement),
    /**
     * Beside the ledger file unless configured: the ledger's folder is already the place that must be kept
     * private. A postgres ledger has no folder: beside the configuration file.
     */
    tokenStore:
      file.tokenStore === undefined
        ? join(placement.ledgerFolder, TOKEN_STORE_FILE_NAME)
        : pathIn(folder, file.tokenStore),
    ...(file.schedule === undefined
      ? {}
      : { schedule: { ...file.schedule, timezone: file.schedule.timezone ?? file.timezone } }),
    alerts: file.alerts,
    /** With entities:, `ping` is the entity's own check and `fleetPing` the top level's, the fleet's. */
    monitor: { ...file.monitor, fleetPing: entity.fleetPing },
    ...(file.webhooks === undefined ? {} : { webhooks: file.webhooks }),
    export: file.export,
    adjustments: file.adjustments,
    witness: witnessPlace(file.witness, location.configFile, ledger, location.stateHome),
    unresolved,
  };
}

/** The vocabulary of each kind a source names, once per kind, in the order the sources first name them; an empty, undeclared one for a kind without. */
function vocabulariesOf(kinds: ConfigKinds, sources: readonly { kind: string }[]): ConfiguredVocabulary[] {
  const named = [...new Set(sources.map((source) => source.kind))];
  return named.map((name) => {
    const { vocabulary } = sourceKindOf(kinds, name);
    return vocabulary === undefined
      ? { kind: name, events: {}, accounts: {}, undeclared: true }
      : { kind: name, ...vocabulary };
  });
}

export type Config = ReturnType<typeof resolveConfig>;
export type SourceConfig = ConfiguredSource;
export type ExchangeRatesConfig = NonNullable<Config['destinations']['rates']>;
export type ScheduleConfig = NonNullable<Config['schedule']>;

/** The kind a validated entry names: the schema admitted only registered kinds. */
function sourceKindOf(kinds: ConfigKinds, kind: string): SourceConfigKind {
  const found = kinds.sources.find((candidate) => candidate.kind === kind);
  if (found === undefined) throw new Error(`source kind ${kind} passed the schema but is not registered`);
  return found;
}

type WrittenRates = NonNullable<ConfigFile['destinations']['rates']>;

/** Each destination kind's section, by the kind's name, and the exchange rates the destinations convert at. */
interface ConfiguredDestinations {
  /** A kind's own code reads its section with its own type (xeroSectionOf in destinations/xero): the configuration names no kind. */
  readonly [kind: string]: unknown;
  readonly rates?: WrittenRates;
}

/** Each destination kind's section the file has, made ready by its kind; the rates file's path made absolute. */
function configuredDestinations(
  written: ConfigFile['destinations'],
  kinds: ConfigKinds,
  placement: EntryPlacement,
): ConfiguredDestinations {
  const sections = kinds.destinations.flatMap(({ kind, resolve }) => {
    const section = written[kind];
    if (section === undefined) return [];
    return [[kind, resolve === undefined ? section : resolve(section, placement)] as const];
  });
  const { rates } = written;
  return {
    ...Object.fromEntries(sections),
    ...(rates === undefined
      ? {}
      : { rates: { ...rates, ...(rates.file === undefined ? {} : { file: placement.pathInFile(rates.file) }) } }),
  };
}

/** `mappings:` names the chart file, or a folder holding default.yaml. */
function chartPath(folder: string, configured: string | undefined, packageMappingsDir: string): string {
  if (configured === undefined) return join(packageMappingsDir, 'default.yaml');
  const path = pathIn(folder, configured);
  return /\.ya?ml$/i.test(path) ? path : join(path, 'default.yaml');
}

/** A reference left unresolved is kept as written rather than turned into a path that looks real. */
function pathIn(folder: string, path: string): string {
  if (holdsReference(path) || isAbsolute(path)) return path;
  return resolve(folder, path);
}
