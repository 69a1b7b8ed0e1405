import { resolve } from 'node:path';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { cachedCheck, fileBytes, type CheckedCache } from './checked-cache.js';
import { setReferencedVariables, withReferencesResolved, withValuesAsReferences } from './referenced-values.js';
import { crossCheckProblems } from './config-cross-checks.js';
import { chosenEntity, entityDocument, entityNamesOf, entityProblems } from './entities.js';
import { checksCron, expandNeeds, isNeeded, type ConfigNeeds } from './config-needs.js';
import type { ConfigKinds } from './config-kinds.js';
import { configFileSchemaFor, type ConfigFile } from './config-schema.js';
import { interpolate, type Environment, type ReferenceSite } from './interpolate.js';
import { formatKeyPath, isPlainRecord, type KeyPath } from './key-path.js';
import { packageMappingsDir } from './package-mappings.js';
import { stateHome } from './witness-place.js';
import { configSecrets, redactSecrets } from './redactor.js';
import { resolveConfig, type Config, type UnresolvedReference } from './resolve-config.js';
import { isSecretPath, secretSites } from './secret-fields.js';
import { takeSourceSettings } from './source-settings.js';
import { expandSourcesFiles, placeProblems } from './sources-file.js';
import { readYamlFile, type YamlFile } from './yaml-file.js';
import { issueProblems, ONCE, problemAt } from './zod-problems.js';

export const CONFIG_FILE_NAME = 'ledgerline.yaml';
const CONFIG_ENV_VARIABLE = 'LEDGERLINE_CONFIG';

interface ConfigLookup {
  /** `--config PATH`, relative to `cwd`. */
  path?: string | undefined;
  env: Environment;
  cwd: string;
}

interface LoadConfigOptions extends ConfigLookup {
  /** The kinds of source and destination the file may name (src/pipeline/kinds' registries). */
  kinds: ConfigKinds;
  /** What the command uses; only those parts' `${VAR}`s must be set. */
  need?: ConfigNeeds;
  /**
   * The file read as if its `ledger:` were this instead: where each file kept beside the ledger is looked for
   * once the ledger has moved (`migrate --to` carries them there).
   */
  ledger?: string;
  /** `--entity NAME`: the entity (config/entities.ts) the command works on; the only one when left out. */
  entity?: string | undefined;
  /** Where the file's check is kept for the next command (the CLI's; config/checked-cache.ts); none when left out. */
  cache?: CheckedCache | undefined;
}

type ConfigOrigin = 'flag' | 'env' | 'default';

/** `--config PATH`, else LEDGERLINE_CONFIG, else ./ledgerline.yaml. */
export function findConfigFile(lookup: ConfigLookup): { file: string; origin: ConfigOrigin } {
  const fromEnv = lookup.env[CONFIG_ENV_VARIABLE];
  if (lookup.path !== undefined) return { file: resolve(lookup.cwd, lookup.path), origin: 'flag' };
  if (fromEnv !== undefined && fromEnv !== '') return { file: resolve(lookup.cwd, fromEnv), origin: 'env' };
  return { file: resolve(lookup.cwd, CONFIG_FILE_NAME), origin: 'default' };
}

/**
 * The entities the configuration file names, in its order, read without checking the file ([] when it has no
 * `entities:` or cannot be read: the command that loads it then says why). Where a command runs for each entity.
 */
export function configuredEntityNames(lookup: ConfigLookup): string[] {
  const read = readYamlFile(findConfigFile(lookup).file);
  return read.ok ? entityNamesOf(read.yaml.value) : [];
}

/**
 * Reads, interpolates and validates the configuration. Every problem found
 * (syntax, fields, unknown keys, missing variables the command needs,
 * cross-field rules) is reported at once in one ConfigError, each naming the
 * file, the key path and what is wrong, with secret values redacted.
 * `${VAR}`s outside the parts in `need` that are not set stay as written and
 * are listed in `config.unresolved`. The environment is only ever the `env`
 * passed in.
 */
export function loadConfig(options: LoadConfigOptions): Config {
  const loaded = validatedFile(options);
  return configAs(loaded, chosenEntity(loaded.entities, options.entity), options);
}

/**
 * The configuration as each of its entities sees it, in the file's order (the file itself when it has no
 * `entities:`): what a command that runs for every entity in turn works through. Checked as loadConfig checks it.
 */
export function loadEachEntityConfig(options: LoadConfigOptions): Config[] {
  const loaded = validatedFile(options);
  if (options.entity !== undefined) return [configAs(loaded, chosenEntity(loaded.entities, options.entity), options)];
  return loaded.entities.length === 0
    ? [configAs(loaded, undefined, options)]
    : loaded.entities.map((name) => configAs(loaded, name, options));
}

/**
 * The file read, interpolated and validated, every problem thrown at once; not yet made ready (resolveConfig). Kept
 * in the cache when it passed and has no entities: and no sources file (whose bytes the key would miss). The key
 * holds the values of the variables the file names (hashed with the rest, never stored) and the kept value holds
 * `${NAME}` where a value was (config/referenced-values.ts): no secret is written, and a changed value is a miss.
 */
function validatedFile(options: LoadConfigOptions) {
  const { file, origin } = findConfigFile(options);
  const key = options.cache === undefined ? undefined : configKey(file, options);
  let fresh: ReturnType<typeof checkedFile> | undefined;
  const kept = cachedCheck(
    options.cache,
    key?.parts,
    () => {
      fresh = checkedFile(file, origin, options);
      const { at: _at, fromTables: _fromTables, ...value } = fresh;
      return withValuesAsReferences(value, key?.set ?? new Map());
    },
    (written) => written !== undefined && fresh?.validated !== undefined && !fresh.fromTables,
  );
  if (fresh !== undefined) return { ...fresh, file };
  return { ...(withReferencesResolved(kept, key?.set ?? new Map()) as KeptCheck), file, at: lazyLines(file) };
}

type KeptCheck = Omit<ReturnType<typeof checkedFile>, 'at' | 'fromTables'>;

/** What a check of `file` read besides its bytes: the command's needs and each variable the file names, with its value. */
function configKey(file: string, options: LoadConfigOptions) {
  const bytes = fileBytes(file);
  const { names, set } = setReferencedVariables(bytes.toString(), options.env);
  const states = [...names].map(
    (name) => `${name}=${set.has(name) ? `set:${set.get(name)}` : options.env[name] === undefined ? 'unset' : 'empty'}`,
  );
  return { parts: ['config', file, bytes, JSON.stringify(options.need ?? {}), states.join('\n')], set };
}

/** A problem placed at its line of the file, read again only if a problem is placed (a kept check has no YAML read). */
function lazyLines(file: string) {
  return (path: KeyPath, message: string) => {
    const read = readYamlFile(file);
    return problemAt(read.ok ? read.yaml : { file, lineOf: () => undefined }, path, message);
  };
}

/** The check itself: validatedFile's, without the cache. */
function checkedFile(file: string, origin: ConfigOrigin, options: LoadConfigOptions) {
  const read = readYamlFile(file);
  if (!read.ok) throw new ConfigError(read.problems.map((problem) => withLookupHint(problem, origin)));
  const { yaml, rows, settings, problems } = documentOf(read.yaml, options.kinds, checksCron(options.need ?? {}));
  const at = (path: KeyPath, message: string) => problemAt(yaml, path, message);

  const needs = expandNeeds(options.need ?? {}, yaml.value);
  const { value: document, sites } = interpolate(yaml.value, options.env);
  const unresolved: UnresolvedReference[] = [];
  const unresolvedSites = new Map<string, ReferenceSite>();
  const missingVariables = (site: ReferenceSite) =>
    [...site.unset, ...site.empty].map((name) =>
      at(site.path, site.empty.includes(name) ? `${name} is set but empty` : `${name} is not set`),
    );
  for (const site of sites) {
    if (site.malformed)
      problems.push(at(site.path, 'has a "${" that is not a ${NAME} reference (a name is letters, digits and _)'));
    if (site.unset.length === 0 && site.empty.length === 0) continue;
    unresolvedSites.set(formatKeyPath(site.path), site);
    if (isNeeded(site.path, needs, document)) problems.push(...missingVariables(site));
    else unresolved.push({ path: formatKeyPath(site.path), variables: [...site.unset, ...site.empty] });
  }

  // A table's secret cell is checked as it reads (config/sources-file.ts), in the table's words.
  problems.push(...literalSecretProblems(yaml.value, at).filter((problem) => !fromTable(problem.path, rows)));

  const entities = entityNamesOf(document);
  const configFileSchema = configFileSchemaFor(options.kinds, {
    withEntities: entities.length > 0,
    entitiesWritten: isPlainRecord(document) && document.entities !== undefined,
    checkCron: checksCron(options.need ?? {}),
  });
  const parsed = configFileSchema.safeParse(document, ONCE);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
      const site = unresolvedSites.get(formatKeyPath(path));
      // A field that cannot hold a reference left as written (a port, a method) needs its variable even
      // where the command does not; where the command does, the variable was named above already.
      if (site === undefined) problems.push(...issueProblems([issue], { ...yaml, schema: configFileSchema, document }));
      else if (!isNeeded(path, needs, document)) problems.push(...missingVariables(site));
    }
  }
  problems.push(
    ...crossCheckProblems(document, needs, at, options.kinds),
    ...kindProblems(document, options.kinds, at),
    ...entityProblems(document as Record<string, unknown>, settings, at),
  );

  if (problems.length > 0 || !parsed.success) {
    const secrets = [...configSecrets(document), ...referencedSecretValues(sites, options.env)];
    throw new ConfigError(
      placeProblems(problems, file, rows).map((problem) => ({
        ...problem,
        message: redactSecrets(problem.message, secrets),
      })),
    );
  }
  // Without entities:, the file is what configAs would check again with the same schema: its result is kept.
  const validated = entities.length === 0 ? (parsed.data as ConfigFile) : undefined;
  const fromTables = rows.size > 0;
  return { document: document as Record<string, unknown>, settings, entities, unresolved, at, validated, fromTables };
}

/** The validated file as `entity` sees it (config/entities.ts), or as it is without entities, made ready. */
function configAs(
  loaded: ReturnType<typeof validatedFile>,
  entity: string | undefined,
  options: LoadConfigOptions,
): Config {
  const view = entity === undefined ? loaded : entityDocument(loaded.document, loaded.settings, entity);
  const validated =
    (entity === undefined ? loaded.validated : undefined) ?? entityFile(loaded, view.document, entity, options);
  const written = {
    ...validated,
    sources: validated.sources.map((source, index) => ({ ...source, ...view.settings[index] })),
  };
  return resolveConfig(
    options.ledger === undefined ? written : { ...written, ledger: options.ledger },
    options.kinds,
    { configFile: loaded.file, packageMappingsDir: packageMappingsDir(), stateHome: stateHome(options.env) },
    loaded.unresolved,
    {
      name: entity,
      names: loaded.entities,
      fleetPing: entity === undefined ? undefined : fleetPingOf(loaded.document),
    },
  );
}

/** The top level's `monitor.ping` of a file with entities: the fleet's check. */
function fleetPingOf(document: Record<string, unknown>): string | undefined {
  const ping = isPlainRecord(document.monitor) ? document.monitor.ping : undefined;
  return typeof ping === 'string' ? ping : undefined;
}

/** The file as one entity sees it, checked again: the entity's fields over a section must fit the section. */
function entityFile(
  loaded: ReturnType<typeof validatedFile>,
  document: Record<string, unknown>,
  entity: string | undefined,
  options: LoadConfigOptions,
): ConfigFile {
  const checks = { checkCron: checksCron(options.need ?? {}) };
  const parsed = configFileSchemaFor(options.kinds, checks).safeParse(document, ONCE);
  if (!parsed.success)
    throw new ConfigError(
      parsed.error.issues.map((issue) =>
        loaded.at([`entities.${entity ?? ''}`, ...issue.path.map(String)], issue.message),
      ),
    );
  // Each entry under sources: passed its kind's schema, which requires an id and a kind (ConfigKinds' contract).
  return parsed.data as ConfigFile;
}

/**
 * The file's document as validated: the rows of a sources file in its entry's place, each source's own settings
 * taken out; its line lookup knows no line for an entry from a sources file.
 */
function documentOf(read: YamlFile, kinds: ConfigKinds, checkCron: boolean) {
  const at = (path: KeyPath, message: string) => problemAt(read, path, message);
  if (!isPlainRecord(read.value)) {
    throw new ConfigError([
      at(
        [],
        read.value === null ? 'the file is empty' : 'must be a mapping of settings (ledger:, timezone:, currency:, …)',
      ),
    ]);
  }
  const expanded = expandSourcesFiles(read.value, read.file, kinds);
  const lineOf = (path: KeyPath) =>
    path[0] === 'sources' && expanded.rows.has(Number(path[1])) ? undefined : read.lineOf(path);
  const taken = takeSourceSettings(
    expanded.document,
    (path: KeyPath, message: string) => problemAt({ file: read.file, lineOf }, path, message),
    checkCron,
  );
  const yaml = { file: read.file, value: taken.document, lineOf };
  const problems: ConfigProblem[] = [...expanded.problems, ...taken.problems];
  return { yaml, rows: expanded.rows, settings: taken.settings, problems };
}

function fromTable(path: string, rows: ReadonlyMap<number, unknown>): boolean {
  const index = /^sources\[(\d+)\]/.exec(path)?.[1];
  return index !== undefined && rows.has(Number(index));
}

/** What each source's kind checks across the file (an ad network's payout method, which the top level may give). */
function kindProblems(
  document: unknown,
  kinds: ConfigKinds,
  at: (path: KeyPath, message: string) => ConfigProblem,
): ConfigProblem[] {
  const entries = isPlainRecord(document) && Array.isArray(document.sources) ? document.sources : [];
  return entries.flatMap((entry: unknown, index) => {
    if (!isPlainRecord(entry)) return [];
    const kind = kinds.sources.find((candidate) => candidate.kind === entry.kind);
    return (kind?.crossCheck?.(entry, index, document) ?? []).map((problem) => at(problem.path, problem.message));
  });
}

/**
 * DESIGN §7: secrets come only from the environment (or the token store). A secret field written
 * literally, with no ${NAME} in it, is refused with the variable to use instead; the value is never quoted.
 * Example: `apiKey: abc123` on the source "smm-panel" → "… write apiKey: ${SMM_PANEL_KEY} and set SMM_PANEL_KEY".
 */
function literalSecretProblems(
  document: Record<string, unknown>,
  at: (path: KeyPath, message: string) => ConfigProblem,
): ConfigProblem[] {
  return secretSites(document)
    .filter((site) => typeof site.value === 'string' && !site.value.includes('${'))
    .map((site) => {
      const variable = suggestedVariable(site.path, document);
      const key = String(site.path.at(-1));
      return at(
        site.path,
        `a secret written literally in the file; secrets come only from the environment: write ${key}: ` +
          `\${${variable}} and set ${variable} where ledgerline runs`,
      );
    });
}

/** A variable name for a secret field, in the example configuration's style. */
function suggestedVariable(path: KeyPath, document: Record<string, unknown>): string {
  const upper = (text: string) =>
    text
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toUpperCase();
  if (path[0] === 'sources' && typeof path[1] === 'number') {
    const source = (document.sources as unknown[] | undefined)?.[path[1]];
    const id = isPlainRecord(source) && typeof source.id === 'string' ? source.id : `source_${path[1] + 1}`;
    return `${upper(id)}_KEY`;
  }
  if (path[0] === 'destinations') return `${upper(String(path[1]))}_${upper(String(path[2]))}`;
  if (path[0] === 'webhooks') return 'LEDGERLINE_WEBHOOK_SECRET';
  return upper(path.map(String).join('_'));
}

/** The environment values that went into secret fields, in case a message quotes a part of one. */
function referencedSecretValues(sites: readonly ReferenceSite[], env: Environment): string[] {
  return sites
    .filter((site) => isSecretPath(site.path))
    .flatMap((site) => site.variables.map((name) => env[name]))
    .filter((value): value is string => value !== undefined);
}

function withLookupHint(problem: ConfigProblem, origin: ConfigOrigin): ConfigProblem {
  if (problem.message !== 'file not found') return problem;
  const hint = {
    flag: 'given with --config',
    env: `named by ${CONFIG_ENV_VARIABLE}`,
    default: `no --config given and ${CONFIG_ENV_VARIABLE} not set, so ./${CONFIG_FILE_NAME} was expected; \`ledgerline init\` writes one`,
  }[origin];
  return { ...problem, message: `file not found (${hint})` };
}
