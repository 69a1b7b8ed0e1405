import { isPlainRecord, type KeyPath } from './key-path.js';

/**
 * Every configuration field that holds a secret: the one list that redaction,
 * `--json` display and error messages go by. `[]` stands for any list index,
 * `*` for any key: every kind of source keeps its secret in `apiKey`, every
 * kind of destination in `clientSecret` and `refreshToken`, so a plug-in's
 * secrets are redacted too. An alert webhook URL is here because chat
 * webhooks carry their token in the URL, and so is the ping URL: a
 * Healthchecks check's UUID or ping key is its secret; so is the witness URL, which may carry its token.
 */
export const SECRET_FIELDS = [
  'sources[].apiKey',
  'destinations.*.clientSecret',
  'destinations.*.refreshToken',
  'webhooks.secret',
  'alerts.webhookUrl',
  'monitor.ping',
  'monitor.fleetPing',
  'entities.*.monitor.ping',
  'witness.url',
] as const;

const ANY_INDEX = Symbol('any index');
const ANY_KEY = Symbol('any key');
type PatternSegment = string | typeof ANY_INDEX | typeof ANY_KEY;

const SECRET_PATTERNS: readonly (readonly PatternSegment[])[] = SECRET_FIELDS.map((field) =>
  field
    .split('.')
    .flatMap((part): PatternSegment[] =>
      part === '*' ? [ANY_KEY] : part.endsWith('[]') ? [part.slice(0, -2), ANY_INDEX] : [part],
    ),
);

export function isSecretPath(path: KeyPath): boolean {
  return SECRET_PATTERNS.some(
    (pattern) =>
      pattern.length === path.length &&
      pattern.every((segment, index) =>
        segment === ANY_INDEX
          ? typeof path[index] === 'number'
          : segment === ANY_KEY
            ? typeof path[index] === 'string'
            : segment === path[index],
      ),
  );
}

/** Each secret field present in a document (raw YAML or a loaded config), with its concrete path. */
export function secretSites(document: unknown): { path: KeyPath; value: unknown }[] {
  const sites: { path: KeyPath; value: unknown }[] = [];
  for (const pattern of SECRET_PATTERNS) collect(document, pattern, [], sites);
  return sites;
}

function collect(
  value: unknown,
  pattern: readonly PatternSegment[],
  path: KeyPath,
  sites: { path: KeyPath; value: unknown }[],
): void {
  const [head, ...rest] = pattern;
  if (head === undefined) {
    if (value !== undefined) sites.push({ path, value });
    return;
  }
  if (head === ANY_INDEX) {
    if (Array.isArray(value)) value.forEach((item: unknown, index) => collect(item, rest, [...path, index], sites));
    return;
  }
  if (head === ANY_KEY) {
    if (isPlainRecord(value))
      for (const [key, item] of Object.entries(value)) collect(item, rest, [...path, key], sites);
    return;
  }
  if (isPlainRecord(value) && Object.hasOwn(value, head)) collect(value[head], rest, [...path, head], sites);
}
