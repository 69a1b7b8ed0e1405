/**
 * JSON.parse turns 0.27819 into a double before any code sees it. Replies that
 * carry money go through parseJsonExact instead: every number literal is kept
 * as its decimal text (a string), so amounts are parsed from what the API
 * actually sent and order ids keep their exact digits.
 *
 *   parseJsonExact('{"charge":0.27819,"order":23501}') → { charge: "0.27819", order: "23501" }
 */
const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * In JSON that JSON.parse accepts, a number outside a string is the whole text
 * or sits between `:`, `,` or `[` and `,`, `}` or `]` (JSON whitespace
 * around it). Text matching neither has no number to keep, so JSON.parse's
 * result is already exact; a match inside a string ("12:30,") only costs the
 * exact path.
 */
const NUMBER_VALUE = /[:,[][\t\n\r ]*-?\d[\d.eE+-]*[\t\n\r ]*[,}\]]/;
const NUMBER_TEXT = /^[\t\n\r ]*-?\d/;

export function parseJsonExact(text: string): unknown {
  if (!NUMBER_VALUE.test(text) && !NUMBER_TEXT.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON as it stands: the exact path throws the same error, or reads a bare-number key ({1:"a"}) as it always has.
    }
  }
  return JSON.parse(numbersAsStrings(text));
}

/** The text with every number literal outside a string wrapped in quotes; strings are skipped whole. */
function numbersAsStrings(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let index = 0;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === 0x22 /* " */) {
      index = stringEnd(text, index + 1);
      continue;
    }
    if (char === 0x2d /* - */ || (char >= 0x30 && char <= 0x39)) {
      NUMBER_TOKEN.lastIndex = index;
      const match = NUMBER_TOKEN.exec(text);
      if (match !== null) {
        out += text.slice(copiedUpTo, index) + '"' + match[0] + '"';
        index += match[0].length;
        copiedUpTo = index;
        continue;
      }
    }
    index += 1;
  }
  return out + text.slice(copiedUpTo);
}

/**
 * The index after the quote that closes a string whose text starts at `from`
 * (the text's length if none does). A quote is escaped when an odd run of
 * backslashes precedes it; indexOf finds candidates natively instead of a
 * loop over every character of every string.
 */
function stringEnd(text: string, from: number): number {
  for (let quote = text.indexOf('"', from); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c /* \ */) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
  }
  return text.length;
}
