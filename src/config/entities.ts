import { dirname, join } from 'node:path';
import { z } from 'zod';
import { UsageError, type ConfigProblem } from '../errors.js';
import type { ConfigKinds } from './config-kinds.js';
import { didYouMean } from './did-you-mean.js';
import { httpUrl } from './field-schemas.js';
import { isPlainRecord, type KeyPath } from './key-path.js';
import { isPostgresUrl, ledgerSchema } from './ledger-location.js';
import type { SourceSettings } from './source-settings.js';
import { ONCE } from './zod-problems.js';

/**
 * `entities:` (issue 55 item 2): several organisations from one configuration. Each entity is a ledger of its own
 * and the organisation its journals go to: under the destination kind's name, the fields of that kind's section it
 * sets over `destinations:` (Xero's tenantId, QuickBooks' realmId). Each source names its entity (`entity:`, the
 * sources.csv column). A command works on one entity: the file seen as that entity (`entityDocument`) is a plain
 * single-ledger configuration, so books, certificates, closes and tie-outs stay each entity's own.
 */

const entityName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'must be a name of letters, digits, - and _ (e.g. north-ltd)');

/** An entity's override of a destination section: any of the section's fields, each checked as the section checks it. */
function overrideOf(section: z.ZodType | undefined) {
  const partial = section instanceof z.ZodObject ? section.partial() : undefined;
  return z.record(z.string(), z.unknown()).superRefine((value, context) => {
    const parsed = partial?.safeParse(value, ONCE);
    if (parsed !== undefined && !parsed.success)
      for (const issue of parsed.error.issues)
        context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });
}

/**
 * `entities:` for the destination kinds registered: name → { ledger, monitor: { ping }, <destination kind>: { fields
 * over its section } }. An entity's `monitor.ping` is its own check (a practice gives each client one); the
 * top level's `monitor.ping` is then the fleet's, pinged by a run over every entity.
 */
export function entitiesSchemaFor(kinds: ConfigKinds) {
  const sections = Object.fromEntries(
    kinds.destinations.map(({ kind, sectionSchema }) => [kind, overrideOf(sectionSchema).optional()]),
  );
  const monitor = z.strictObject({ ping: httpUrl.optional() }).optional();
  return z.record(entityName, z.strictObject({ ledger: ledgerSchema, monitor, ...sections }));
}

/** The entities the document names, in its order ([] when it has no `entities:`). */
export function entityNamesOf(document: unknown): string[] {
  const entities = isPlainRecord(document) ? document.entities : undefined;
  return isPlainRecord(entities) ? Object.keys(entities) : [];
}

/**
 * With `entities:`, every source names one of them and the ledger and token store are each entity's; without,
 * no source names one.
 */
export function entityProblems(
  document: Record<string, unknown>,
  settings: readonly SourceSettings[],
  at: (path: KeyPath, message: string) => ConfigProblem,
): ConfigProblem[] {
  const names = entityNamesOf(document);
  if (names.length === 0)
    return settings.flatMap((setting, index) =>
      setting.entity === undefined
        ? []
        : [at(['sources', index, 'entity'], `names entity "${setting.entity}", but the file has no entities:`)],
    );
  const problems = settings.flatMap((setting, index) => {
    if (setting.entity === undefined)
      return [at(['sources', index], `must name its entity (entity: one of ${names.join(', ')})`)];
    if (names.includes(setting.entity)) return [];
    const hint = didYouMean(setting.entity, names);
    return [at(['sources', index, 'entity'], `names no entity of entities: (${names.join(', ')})${hint}`)];
  });
  for (const key of ['ledger', 'tokenStore'] as const)
    if (document[key] !== undefined)
      problems.push(at([key], `is kept per entity when the file has entities: (remove it here)`));
  for (const name of names) problems.push(...unconfiguredSections(document, name, at));
  return problems;
}

function unconfiguredSections(
  document: Record<string, unknown>,
  name: string,
  at: (path: KeyPath, message: string) => ConfigProblem,
): ConfigProblem[] {
  const entity = (document.entities as Record<string, unknown>)[name];
  const destinations = isPlainRecord(document.destinations) ? document.destinations : {};
  if (!isPlainRecord(entity)) return [];
  return Object.keys(entity)
    .filter((key) => key !== 'ledger' && key !== 'monitor' && destinations[key] === undefined)
    .map((key) => at(['entities', name, key], `sets ${key} fields, but destinations.${key} is not configured`));
}

/** The entity a command works on: the one named, else the only one; several and none named is refused. */
export function chosenEntity(names: readonly string[], named: string | undefined): string | undefined {
  if (named !== undefined && !names.includes(named)) {
    const known = names.length === 0 ? 'the configuration has no entities:' : `its entities are ${names.join(', ')}`;
    throw new UsageError(`--entity ${named}: no such entity; ${known}${didYouMean(named, names)}`);
  }
  if (named !== undefined || names.length <= 1) return named ?? names[0];
  throw new UsageError(
    `this configuration books ${names.length} entities (${names.join(', ')}): name one with --entity NAME`,
  );
}

/**
 * The document as one entity sees it: its ledger, its token store (beside its ledger, named for it), its monitor
 * ping, each destination section with the entity's fields over it, and only its own sources (with their settings).
 */
export function entityDocument(
  document: Record<string, unknown>,
  settings: readonly SourceSettings[],
  name: string,
): { document: Record<string, unknown>; settings: SourceSettings[] } {
  const { entities, ...rest } = document;
  const { ledger, monitor, ...sections } = (entities as Record<string, Record<string, unknown>>)[name]!;
  // The entity's check, not the fleet's: the top level's ping is the fleet's (Config.monitor.fleetPing).
  const { ping: _fleetPing, ...watch } = isPlainRecord(rest.monitor) ? rest.monitor : {};
  const ownPing = isPlainRecord(monitor) ? monitor.ping : undefined;
  const destinations = isPlainRecord(rest.destinations) ? rest.destinations : {};
  const tokenFile = `.ledgerline-tokens.${name}.json`;
  const kept = settings.flatMap((setting, index) => (setting.entity === name ? [index] : []));
  const sources = Array.isArray(rest.sources) ? (rest.sources as unknown[]) : [];
  return {
    document: {
      ...rest,
      ledger,
      monitor: { ...watch, ...(ownPing === undefined ? {} : { ping: ownPing }) },
      tokenStore: typeof ledger === 'string' && !isPostgresUrl(ledger) ? join(dirname(ledger), tokenFile) : tokenFile,
      destinations: {
        ...destinations,
        ...Object.fromEntries(
          Object.entries(sections).map(([kind, fields]) => [
            kind,
            { ...(destinations[kind] as Record<string, unknown> | undefined), ...(fields as Record<string, unknown>) },
          ]),
        ),
      },
      sources: kept.map((index) => sources[index]),
    },
    settings: kept.map((index) => settings[index]!),
  };
}
