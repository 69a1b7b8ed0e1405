import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { camt053Text, type SandboxBankLine } from '../../../sandbox/bank/statement-writers.js';
import { seededRandom, type SeededRandom } from '../../../sandbox/seeded-random.js';
import { CamtScanner } from '../../../src/kinds/bank-statement/camt053-scanner.js';
import { readStatementText } from '../../support/bank-statement-workspace.js';
import { useTempDir } from '../../support/temp-dir.js';

/**
 * The camt.053 scanner against saxes (issue 56): for every statement the repository writes or reads and for
 * generated ones (entities, character references, CDATA, comments, prefixes, both quote styles, CRLF, a byte-order
 * mark, cut into chunks anywhere), either the scanner hands on exactly saxes' tags (local name, attributes, the
 * line of the open tag, the text at each close) or it says 'outside' and saxes reads the file; and every file saxes
 * refuses is 'outside'. Example: `<Ustrd>AT&amp;T<![CDATA[x]]></Ustrd>` closes with "AT&T" in both (saxes gives
 * CDATA to no text handler).
 */
const tempDir = useTempDir();

type Tag = ['open', string, Record<string, string>, number] | ['close', string];

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** The tags saxes gives the camt reader, or 'refused'. */
function bySaxes(text: string): Tag[] | 'refused' {
  const tags: Tag[] = [];
  const parser = new SaxesParser({ position: true });
  let pending = '';
  parser.on('opentag', (tag) => {
    // Without xmlns, saxes gives each attribute as its text.
    tags.push(['open', localName(tag.name), { ...(tag.attributes as Record<string, string>) }, parser.line]);
    pending = '';
  });
  parser.on('text', (chunk) => {
    pending += chunk;
  });
  parser.on('closetag', () => {
    tags.push(['close', pending]);
    pending = '';
  });
  try {
    parser.write(text).close();
  } catch {
    return 'refused';
  }
  return tags;
}

/** The tags the scanner gives, the text cut into chunks at the given places, or 'outside'. */
function byScanner(text: string, cuts: readonly number[] = []): Tag[] | 'outside' {
  const tags: Tag[] = [];
  const scanner = new CamtScanner({
    open: (name, attributes) => tags.push(['open', name, { ...attributes }, scanner.line()]),
    close: (value) => tags.push(['close', value]),
  });
  const ends = [...cuts.filter((cut) => cut > 0 && cut < text.length).toSorted((a, b) => a - b), text.length];
  let from = 0;
  for (const end of ends) {
    if (scanner.write(text.slice(from, end)) === 'outside') return 'outside';
    from = end;
  }
  return scanner.write('', true) === 'outside' ? 'outside' : tags;
}

/** A line with words that need escaping in XML. */
function line(random: SeededRandom, index: number): SandboxBankLine {
  const words = ['AT&T', 'Müller & Söhne', '<ref>', 'a "quoted" word', "it's", 'Zürich 8001', '€ 12', 'plain'];
  return {
    id: `B${index}`,
    bookedOn: `2026-11-${String(1 + (index % 28)).padStart(2, '0')}`,
    amountMicros: BigInt(random.int(-9_999, 9_999)) * 10_000n,
    currency: 'EUR',
    reference: `${random.pick(words)} ${index}`,
    description: random.pick(words),
  };
}

function sandboxStatement(random: SeededRandom, count: number): string {
  const lines = Array.from({ length: count }, (_, index) => line(random, index));
  return camt053Text({
    account: 'DE89370400440532013000',
    currency: 'EUR',
    from: '2026-11-01',
    to: '2026-11-30',
    lines,
  });
}

/** The statement rewritten as another bank's machine might write it: same meaning, other spelling. */
function respelled(random: SeededRandom, text: string): string {
  let result = text;
  if (random.chance(0.5)) result = result.replace(/<(\/?)(?=[A-Za-z])/g, '<$1camt:').replace('xmlns=', 'xmlns:camt=');
  if (random.chance(0.5)) result = result.replace(/Ccy="([A-Z]{3})"/g, "Ccy='$1'");
  if (random.chance(0.3)) result = result.replace(/\n/g, '\r\n');
  if (random.chance(0.3))
    result = result.replace(/<\/(\w+(?::\w+)?)>/g, (close) => (random.chance(0.2) ? close.replace('>', ' >') : close));
  if (random.chance(0.5))
    result = result.replace(/>([^<]*[^<\s][^<]*)</g, (_, value: string) => {
      // Characters are respelled, an entity the writer made is kept whole.
      const pieces = (value.match(/&[^;]+;|[\s\S]/gu) ?? []).map((character) => {
        if (character.length > 1 && character.startsWith('&')) return character;
        const roll = random.next();
        if (roll < 0.05) return `&#${character.codePointAt(0)};`;
        if (roll < 0.1) return `&#x${character.codePointAt(0)!.toString(16)};`;
        if (roll < 0.12) return `${character}<!-- a comment -->`;
        if (roll < 0.14) return `${character}<![CDATA[ignored <b> & ]]>`;
        return character;
      });
      return `>${pieces.join('')}<`;
    });
  if (random.chance(0.3)) result = result.replace('<BkToCstmrStmt>', '<!-- head --><BkToCstmrStmt a="1" b=\'2\'>');
  const declarations = [
    '<?xml version="1.0"?>',
    "<?xml version='1.0' encoding='utf-8' standalone='yes'?>",
    '<?xml version="1.0" standalone="no" ?>',
    '<?xml version="1.0" encoding="ISO-8859-1"\n?>',
  ];
  if (random.chance(0.3)) result = result.replace(/^<\?xml[^>]*>/, random.pick(declarations));
  if (random.chance(0.2)) result = `\uFEFF${result}`;
  if (random.chance(0.2)) result = result.replace(/^(\uFEFF?)<\?xml[^>]*>/, '$1');
  if (random.chance(0.2)) result = result.replace(/<AddtlNtryInf>[^<]*<\/AddtlNtryInf>/, '<AddtlNtryInf/>');
  return result;
}

/** One edit saxes may well refuse: a character dropped, doubled or put in, or the file cut. */
function damaged(random: SeededRandom, text: string): string {
  const at = random.int(0, text.length - 1);
  const inserts = [
    '<',
    '&',
    '>',
    ']]>',
    '&bogus;',
    '<?pi?>',
    '<!DOCTYPE x>',
    '\u0001',
    '\r',
    '--',
    '"',
    "'",
    '</x>',
    '&#0;',
  ];
  switch (random.int(0, 3)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + random.pick(inserts) + text.slice(at);
    case 2:
      return text.slice(0, at);
    default:
      return text.slice(0, at) + text[at] + text.slice(at);
  }
}

function cutsOf(random: SeededRandom, text: string): number[] {
  return Array.from({ length: random.int(0, 8) }, () => random.int(1, text.length - 1));
}

/** Either the scanner gives saxes' tags, or it reads nothing; and whatever saxes refuses, it does not read. */
function expectSaxesTags(text: string, cuts: readonly number[]): 'read' | 'outside' {
  const scanned = byScanner(text, cuts);
  const parsed = bySaxes(text);
  if (parsed === 'refused') expect(scanned).toBe('outside');
  else if (scanned !== 'outside') expect(scanned).toEqual(parsed);
  return scanned === 'outside' ? 'outside' : 'read';
}

describe('the camt.053 scanner', () => {
  it("reads every sandbox statement, respelled as other banks write it and cut anywhere, to saxes' tags", () => {
    const random = seededRandom(56);
    for (let round = 0; round < 150; round += 1) {
      const text = respelled(random, sandboxStatement(random, random.int(0, 12)));
      expect(expectSaxesTags(text, cutsOf(random, text))).toBe('read');
    }
  });

  it("reads a statement of megabytes cut into chunks longer than the bridge between them to saxes' tags", () => {
    const random = seededRandom(53);
    for (let round = 0; round < 3; round += 1) {
      const text = respelled(random, sandboxStatement(random, 2_000));
      const cuts = [random.int(100_000, 200_000), random.int(300_000, 400_000), random.int(500_000, 700_000)];
      expect(expectSaxesTags(text, cuts)).toBe('read');
    }
  });

  it('reads the statements the tests read (a German direct-debit batch, a Swiss QR batch, a balance head) as saxes does', () => {
    const sources = ['statements-as-banks-send-them.test.ts', '../../scenarios/bank-words-month.test.ts'];
    for (const source of sources) {
      const code = readFileSync(join(import.meta.dirname, source), 'utf8');
      const fragments = [...code.matchAll(/`(\s*<(?:Ntry|Bal)[\s\S]*?)`/g)].map((match) => match[1]!);
      expect(fragments.length).toBeGreaterThan(0);
      const random = seededRandom(fragments.length);
      for (const fragment of fragments) {
        const text = sandboxStatement(random, 2).replace(
          '      <Ntry>',
          `${fragment.replace(/\$\{[^}]*\}/g, 'X')}\n      <Ntry>`,
        );
        expect(expectSaxesTags(text, cutsOf(random, text))).toBe('read');
      }
    }
  });

  it('leaves to saxes every file saxes refuses, and reads a damaged file it accepts to the same tags', () => {
    const random = seededRandom(41);
    let refused = 0;
    for (let round = 0; round < 400; round += 1) {
      const text = damaged(random, respelled(random, sandboxStatement(random, random.int(1, 4))));
      expectSaxesTags(text, cutsOf(random, text));
      if (bySaxes(text) === 'refused') refused += 1;
    }
    expect(refused).toBeGreaterThan(200);
  });

  it('leaves to saxes what banks do not write: a DOCTYPE, a processing instruction, an unknown entity, a lone CR, version 1.1', () => {
    const text = sandboxStatement(seededRandom(1), 2);
    const outside = [
      text.replace('<Document', '<!DOCTYPE Document>\n<Document'),
      text.replace('<BkToCstmrStmt>', '<?pi here?><BkToCstmrStmt>'),
      text.replace('B0<', 'B0&nbsp;<'),
      text.replace('<Stmt>', '<Stmt>\r '),
      text.replace('version="1.0"', 'version="1.1"'),
      text.replace('Ccy="EUR"', 'Ccy = "EUR"'),
      text.replace('B1<', 'B1\uFFFD<'),
    ];
    expect(outside.map((each) => byScanner(each))).toEqual(outside.map(() => 'outside'));
  });
});

describe('a camt.053 read by the scanner, and by saxes from where the scanner stopped', () => {
  const read = (name: string, text: string) => readStatementText(join(tempDir(), name), text);

  it('gives the same lines once each when saxes takes over after the first megabyte', async () => {
    const text = sandboxStatement(seededRandom(7), 6_000);
    expect(text.length).toBeGreaterThan(2 << 20);
    const whole = await read('whole.xml', text);
    const late = text.lastIndexOf('<Ntry>');
    const taken = await read('taken-over.xml', `${text.slice(0, late)}<?late pi?>${text.slice(late)}`);
    expect(whole.lines).toHaveLength(6_000);
    expect(taken).toEqual(whole);
  });

  it("refuses a file saxes refuses with saxes' words, after the scanner read its first megabytes", async () => {
    const text = sandboxStatement(seededRandom(8), 6_000);
    const late = text.lastIndexOf('</Ntry>');
    await expect(read('bad.xml', `${text.slice(0, late)}</Nrty>${text.slice(late)}`)).rejects.toThrow(
      /^bad\.xml, line \d+ column \d+ inside <Stmt>: not well-formed XML \(\d+:\d+: unexpected close tag\.\)/,
    );
  });
});
