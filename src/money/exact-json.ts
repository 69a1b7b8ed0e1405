/**
 * JSON.parse turns 0.27819 into a double before any code sees it. Replies that
 * carry money go through parseJsonExact instead: every number literal is kept
 * as its decimal text (a string), so amounts are parsed from what the API
 * actually sent and order ids keep their exact digits.
 *
 *   parseJsonExact('{"charge":0.27819,"order":23501}') → { charge: "0.27819", order: "23501" }
 */
const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseJsonExact(text: string): unknown {
  let out = '';
  let copiedUpTo = 0;
  let index = 0;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === 0x22 /* " */) {
      index += 1;
      while (index < text.length) {
        const inner = text.charCodeAt(index);
        if (inner === 0x5c /* \ */) index += 2;
        else if (inner === 0x22) {
          index += 1;
          break;
        } else index += 1;
      }
      continue;
    }
    if (char === 0x2d /* - */ || (char >= 0x30 && char <= 0x39)) {
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
