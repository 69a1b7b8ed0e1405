/** Items written per chunk of the list: a chunk's text is ~200 KB. */
const ITEMS_PER_CHUNK = 500;

/**
 * `JSON.stringify(value, null, 2)` in chunks: the list under `listKey` a few of its items at a time, each written
 * as `itemOf` makes it (made a chunk at a time, so the list's written items are never all held at once).
 */
export function* prettyJsonChunks<Item>(
  value: object,
  listKey: string,
  itemOf: (item: Item) => unknown = (item) => item,
): Generator<string> {
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
      // The chunk as a list inside a list, both lists' brackets cut off ("[\n  [\n" and "\n  ]\n]"): its items come
      // out at the depth of the report's list, with no pass over the text to indent each line one level deeper, and
      // its comma apart, not joined to a copy of it (a year's 100,000 items, 40 MB: 190 ms -> 120 of CPU, the peak as
      // before within 4 MB). One stringify a chunk, not one an item (10,000 calls made the 4 MB of 10,000 items 40 ms
      // of CPU, 22 so).
      yield JSON.stringify([(entry as Item[]).slice(first, first + ITEMS_PER_CHUNK).map(itemOf)], null, 2).slice(6, -6);
      yield first + ITEMS_PER_CHUNK < entry.length ? ',\n' : '\n';
    }
    yield `  ]${tail}`;
  }
}

/** A value as JSON.stringify with an indent of 2 writes it at the depth `indent`: its own lines indented by it. */
const nested = (value: unknown, indent: string): string =>
  JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`);
