import fc from 'fast-check';

/** Odd values real APIs send where a number or text is expected. */
const ODD_VALUES: unknown[] = [
  '',
  '+5',
  '-0.1',
  '1e5',
  'Unknown',
  '0.1234567',
  '１２',
  ' 3 ',
  'NaN',
  null,
  true,
  [],
  {},
  1.5e300,
  -0,
  12345678901234567890,
];

function replaceAt(value: unknown, picks: number[], replacement: unknown): unknown {
  if (picks.length === 0 || typeof value !== 'object' || value === null) return replacement;
  const [pick, ...rest] = picks as [number, ...number[]];
  if (Array.isArray(value)) {
    if (value.length === 0) return replacement;
    const index = pick % value.length;
    value[index] = replaceAt(value[index], rest, replacement);
    return value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 0) return replacement;
  const key = keys[pick % keys.length]!;
  if (rest.length === 0 && replacement === undefined) delete record[key];
  else record[key] = replaceAt(record[key], rest, replacement);
  return record;
}

/**
 * `count` reply bodies derived from good ones, deterministic for a seed: a field replaced by an
 * odd or random value or removed, the text cut or spliced, or something random altogether.
 */
export function mutatedBodies(goodBodies: readonly unknown[], count: number, seed: number): string[] {
  const texts = goodBodies.map((body) => JSON.stringify(body));
  const structural = fc
    .tuple(
      fc.nat({ max: goodBodies.length - 1 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      fc.oneof(fc.constantFrom(...ODD_VALUES, undefined), fc.jsonValue({ maxDepth: 2 })),
    )
    .map(
      ([index, picks, replacement]) =>
        JSON.stringify(replaceAt(structuredClone(goodBodies[index]), picks, replacement)) ?? '',
    );
  const textual = fc
    .tuple(fc.nat({ max: texts.length - 1 }), fc.nat(), fc.nat({ max: 6 }), fc.string({ maxLength: 3 }))
    .map(([index, at, cut, insert]) => {
      const text = texts[index]!;
      const position = at % (text.length + 1);
      return text.slice(0, position) + insert + text.slice(position + cut);
    });
  const random = fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );
  return fc.sample(
    fc.oneof({ arbitrary: structural, weight: 5 }, { arbitrary: textual, weight: 3 }, { arbitrary: random, weight: 2 }),
    { numRuns: count, seed },
  );
}
