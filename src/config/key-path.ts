/** Where a value sits in a YAML document: ['sources', 1, 'apiKey']. */
export type KeyPath = readonly (string | number)[];

/** formatKeyPath(['sources', 1, 'apiKey']) === 'sources[1].apiKey', the form every problem message uses. */
export function formatKeyPath(path: KeyPath): string {
  let text = '';
  for (const segment of path) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** Reads the value at `path` in plain parsed YAML, or undefined when any step is missing. */
export function valueAt(document: unknown, path: KeyPath): unknown {
  let value = document;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(value)) return undefined;
      value = value[segment];
    } else {
      if (!isPlainRecord(value)) return undefined;
      value = value[segment];
    }
  }
  return value;
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
