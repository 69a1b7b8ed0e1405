import { UsageError } from '../errors.js';

/** A single-byte code page an export may be written in: Latin-1 but where its table says otherwise. */
export type CodePage = 'windows-1252' | 'iso-8859-15';

/**
 * Where each code page leaves Latin-1: Windows-1252 puts printable characters at 0x80–0x9F (0x81, 0x8D, 0x8F,
 * 0x90, 0x9D unused), ISO 8859-15 replaces eight of Latin-1's at 0xA4–0xBE (€ at 0xA4, Š, š, Ž, ž, Œ, œ, Ÿ).
 */
const DIFFERENCES: Record<CodePage, { bytes: Map<string, number>; replaced: ReadonlySet<number> }> = {
  'windows-1252': table(0x80, '€\0‚ƒ„…†‡ˆ‰Š‹Œ\0Ž\0\0‘’“”•–—˜™š›œ\0žŸ', range(0x80, 0x9f)),
  'iso-8859-15': {
    bytes: new Map([
      ['€', 0xa4],
      ['Š', 0xa6],
      ['š', 0xa8],
      ['Ž', 0xb4],
      ['ž', 0xb8],
      ['Œ', 0xbc],
      ['œ', 0xbd],
      ['Ÿ', 0xbe],
    ]),
    replaced: new Set([0xa4, 0xa6, 0xa8, 0xb4, 0xb8, 0xbc, 0xbd, 0xbe, ...range(0x80, 0x9f)]),
  },
};

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, at) => first + at);
}

function table(first: number, chars: string, replaced: number[]) {
  const bytes = new Map([...chars].flatMap((char, at) => (char === '\0' ? [] : [[char, first + at] as const])));
  return { bytes, replaced: new Set(replaced) };
}

/**
 * `text` in `codePage`, or a refusal naming where the first character it cannot hold is and that character: never a
 * "?" in its place. Example, Windows-1252: "Gebühr 5 €" → 47 65 62 FC 68 72 20 35 20 80; "Order ✓" refused at "✓" (U+2713).
 */
export function encodeIn(codePage: CodePage, text: string, where: (offset: number) => string): Buffer {
  const { bytes: high, replaced } = DIFFERENCES[codePage];
  const bytes = Buffer.alloc(text.length);
  let at = 0;
  let offset = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const byte = code < 0x80 || (code <= 0xff && !replaced.has(code)) ? code : high.get(char);
    if (byte === undefined) {
      const unicode = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      throw new UsageError(
        `${where(offset)} holds "${char}" (${unicode}), which ${codePage} cannot hold and the file is read in; change that text (nothing was written)`,
      );
    }
    bytes[at] = byte;
    at += 1;
    offset += char.length;
  }
  return bytes.subarray(0, at);
}
