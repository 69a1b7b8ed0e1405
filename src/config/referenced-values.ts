import { isDeepStrictEqual } from 'node:util';
import { isPlainRecord } from './key-path.js';

/** A `${NAME}` as the file writes it. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The variables a file's text names, each with its value when set and not empty. */
export function setReferencedVariables(text: string, env: Readonly<Record<string, string | undefined>>) {
  const names = new Set(Array.from(text.matchAll(REFERENCE), (match) => match[1]!));
  const set = new Map<string, string>();
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') set.set(name, value);
  }
  return { names, set };
}

/**
 * `value` with each set variable's value written back as its `${NAME}`, so that a checked configuration can be kept
 * without a secret in it; undefined when that cannot be undone exactly or a value would still be in it (as a key, a
 * number, or text that another value's reference made). Example, PANEL_KEY=k-123:
 * `{ apiKey: 'k-123', url: 'http://x/k-123' }` → `{ apiKey: '${PANEL_KEY}', url: 'http://x/${PANEL_KEY}' }`.
 */
export function withValuesAsReferences(value: unknown, set: ReadonlyMap<string, string>): unknown {
  // The longest first, so a value that holds another is written as its own reference.
  const longestFirst = [...set].sort(([, a], [, b]) => b.length - a.length);
  const written = mapStrings(value, (text) =>
    longestFirst.reduce((out, [name, secret]) => out.split(secret).join(`\${${name}}`), text),
  );
  if (written === undefined || holdsAny(written, set)) return undefined;
  return isDeepStrictEqual(withReferencesResolved(written, set), value) ? written : undefined;
}

/** What withValuesAsReferences wrote, with the same variables' values put back. */
export function withReferencesResolved(value: unknown, set: ReadonlyMap<string, string>): unknown {
  return mapStrings(value, (text) => text.replace(REFERENCE, (whole, name: string) => set.get(name) ?? whole));
}

/** Every string of plain data mapped; undefined for anything but plain objects, arrays and primitives. */
function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) {
    const items = value.map((item) => mapStrings(item, map));
    return items.some((item, index) => item === undefined && value[index] !== undefined) ? undefined : items;
  }
  if (isPlainRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const mapped = mapStrings(item, map);
      if (mapped === undefined && item !== undefined) return undefined;
      out[key] = mapped;
    }
    return out;
  }
  return value === null || typeof value !== 'object' ? value : undefined;
}

/** Whether any set value is still in `value`: in a string, a key, or a number's or boolean's text. */
function holdsAny(value: unknown, set: ReadonlyMap<string, string>): boolean {
  const secrets = [...set.values()];
  const visit = (item: unknown): boolean => {
    if (typeof item === 'string') return secrets.some((secret) => item.includes(secret));
    if (Array.isArray(item)) return item.some(visit);
    if (isPlainRecord(item)) return Object.entries(item).some(([key, inner]) => visit(key) || visit(inner));
    return item !== undefined && item !== null && visit(String(item));
  };
  return visit(value);
}
