// parseJsonExact and toStoredJson as they were before their fast paths (git d3b344c): the oracle
// test/money/exact-json.test.ts and test/rules/stored-state.test.ts check every generated input
// against, and the baseline bench/exact-json.bench.mjs measures the new ones against.

const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function oldParseJsonExact(text) {
  let out = '';
  let copiedUpTo = 0;
  let index = 0;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === 0x22) {
      index += 1;
      while (index < text.length) {
        const inner = text.charCodeAt(index);
        if (inner === 0x5c) index += 2;
        else if (inner === 0x22) {
          index += 1;
          break;
        } else index += 1;
      }
      continue;
    }
    if (char === 0x2d || (char >= 0x30 && char <= 0x39)) {
      NUMBER_TOKEN.lastIndex = index;
      const match = NUMBER_TOKEN.exec(text);
      if (match && match[0].length > 0) {
        out += text.slice(copiedUpTo, index) + `"${match[0]}"`;
        index += match[0].length;
        copiedUpTo = index;
        continue;
      }
    }
    index += 1;
  }
  return JSON.parse(out + text.slice(copiedUpTo));
}

export function oldStoredJson(state) {
  return JSON.stringify(bigintsAsText(state));
}

function bigintsAsText(value) {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(bigintsAsText);
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy = {};
  for (const key of Object.keys(value)) copy[key] = bigintsAsText(value[key]);
  return copy;
}
