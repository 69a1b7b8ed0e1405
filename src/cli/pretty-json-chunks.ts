/** Items written per chunk of the list: a chunk's text is ~200 KB. */
const ITEMS_PER_CHUNK = 500;

/** `JSON.stringify(value, null, 2)` in chunks: the list under `listKey` a few of its items at a time. */
export function* prettyJsonChunks(value: object, listKey: string): Generator<string> {
  const entries = Object.entries(value).filter(([, entry]) => entry !== undefined);
  yield entries.length === 0 ? '{}' : '{\n';
  for (const [index, [key, entry]] of entries.entries()) {
    const head = `  ${JSON.stringify(key)}: `;
    const tail = index < entries.length - 1 ? ',\n' : '\n}';
    if (key !== listKey || !Array.isArray(entry) || entry.length === 0) {
      yield `${head}${nested(entry, '  ')}${tail}`;
      continue;
    }
    yield `${head}[\n`;
    for (let first = 0; first < entry.length; first += ITEMS_PER_CHUNK) {
      // The chunk as a list of its own, its brackets cut off ("[\n" and "\n]"), each line one level deeper: one
      // stringify a chunk, not one an item (10,000 calls made the 4 MB of 10,000 items 40 ms of CPU, 22 so).
      const items = JSON.stringify(entry.slice(first, first + ITEMS_PER_CHUNK), null, 2).slice(2, -2);
      yield `  ${items.replaceAll('\n', '\n  ')}${first + ITEMS_PER_CHUNK < entry.length ? ',\n' : '\n'}`;
    }
    yield `  ]${tail}`;
  }
}

/** A value as JSON.stringify with an indent of 2 writes it at the depth `indent`: its own lines indented by it. */
const nested = (value: unknown, indent: string): string =>
  JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`);
