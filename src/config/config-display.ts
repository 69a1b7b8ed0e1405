import { formatMicros } from '../money/index.js';
import { holdsReference } from './interpolate.js';
import { formatKeyPath, isPlainRecord, type KeyPath } from './key-path.js';
import { createRedactor, REDACTED } from './redactor.js';
import type { Config } from './resolve-config.js';
import { secretSites } from './secret-fields.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * The loaded configuration as plain JSON for `--json` output: every secret
 * field shows "[redacted]" (an unresolved `${VAR}` shows as written, it is
 * not a secret), secrets quoted inside other values are redacted too, and
 * micro-unit amounts are shown as decimal text (minimumMicros → minimum: "50.00").
 */
export function redactedConfigForDisplay(config: Config): JsonValue {
  const redactor = createRedactor(config);
  const secretPaths = new Set(
    secretSites(config)
      .filter((site) => typeof site.value === 'string' && !holdsReference(site.value))
      .map((site) => formatKeyPath(site.path)),
  );
  const display = (value: unknown, path: KeyPath): JsonValue => {
    if (secretPaths.has(formatKeyPath(path))) return REDACTED;
    if (typeof value === 'string') return redactor.redact(value);
    if (typeof value === 'bigint') return formatMicros(value);
    if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
    if (Array.isArray(value)) return value.map((item, index) => display(item, [...path, index]));
    if (isPlainRecord(value)) {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, item]) => item !== undefined)
          .map(([key, item]) => [key.replace(/Micros$/, ''), display(item, [...path, key])]),
      );
    }
    return String(value);
  };
  return display(config, []);
}
