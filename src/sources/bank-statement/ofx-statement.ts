import { readFile } from 'node:fs/promises';
import { StatementFormatError } from '../../errors.js';
import { statementAmount, statementDate, type UnnamedLine } from './statement-line.js';
import { OFX_TAGS } from './ofx-tags.js';

/** An aggregate open on the tokenizer's stack, and the leaf values read directly inside it. */
interface OpenAggregate {
  tag: string;
  line: number;
  leaves: Map<string, string>;
}

const TOKEN = /<(\/?)([A-Za-z0-9.]+)>|<\?[^>]*\?>|<!--[\s\S]*?-->|([^<]+)/g;

/**
 * Reads an OFX bank or card statement, 1.x (SGML: a leaf's end tag may be left out, `<TRNAMT>-12.00`) and 2.x
 * (XML, every tag closed), with one small tokenizer: no OFX library on npm is kept up (the maintained ones parse
 * investment files, or convert 1.x to XML by regular expressions that lose the line a problem is on). Text before
 * <OFX> is the 1.x header, skipped. A tag outside the OFX 2.3 banking vocabulary (an extension tag holds a dot,
 * INTU.BID) or an end tag that closes nothing is refused naming its line; a file that ends inside an aggregate too.
 */
export async function readOfx(path: string, file: string): Promise<UnnamedLine[]> {
  const textOfFile = await readFile(path, 'utf8');
  const start = textOfFile.search(/<OFX>/i);
  if (start === -1) throw new StatementFormatError(file, 'the document', 'no <OFX> element: is this an OFX file?');
  const lines: UnnamedLine[] = [];
  const stack: OpenAggregate[] = [];
  let lineNumber = lineAt(textOfFile, start);
  let leaf: { tag: string; value: string; line: number } | undefined;
  let defaultCurrency = '';
  for (const match of textOfFile.slice(start).matchAll(TOKEN)) {
    const [token, closing, rawTag, text] = match;
    const tokenLine = lineNumber;
    lineNumber += countNewlines(token);
    if (text !== undefined) {
      if (leaf !== undefined && text.trim() !== '') leaf.value += text.trim();
      continue;
    }
    if (rawTag === undefined) continue;
    const tag = rawTag.toUpperCase();
    if (!OFX_TAGS.has(tag) && !tag.includes('.')) throw new StatementFormatError(file, `line ${tokenLine}, <${rawTag}>`, 'not an OFX banking tag');
    const top = stack.at(-1);
    if (leaf !== undefined && top !== undefined) {
      if (leaf.value === '' && closing === '') {
        // An open tag right after another: the first was an aggregate (<STMTTRN><TRNTYPE>…).
        stack.push({ tag: leaf.tag, line: leaf.line, leaves: new Map() });
      } else {
        top.leaves.set(leaf.tag, unescaped(leaf.value));
        if (leaf.tag === 'CURDEF') defaultCurrency = leaf.value;
        const ownEnd = closing === '/' && tag === leaf.tag;
        leaf = undefined;
        if (ownEnd) continue;
      }
      leaf = undefined;
    }
    if (closing === '/') {
      const open = stack.pop();
      if (open === undefined || open.tag !== tag) throw new StatementFormatError(file, `line ${tokenLine}, </${rawTag}>`, open === undefined ? 'closes nothing' : `closes nothing: <${open.tag}> from line ${open.line} is still open`);
      if (open.tag === 'STMTTRN') lines.push(transactionLine(open, defaultCurrency, file));
      continue;
    }
    if (stack.length === 0) stack.push({ tag, line: tokenLine, leaves: new Map() });
    else leaf = { tag, value: '', line: tokenLine };
  }
  const open = stack.at(-1);
  if (open !== undefined) throw new StatementFormatError(file, `line ${lineNumber}`, `the file ends inside <${open.tag}> opened at line ${open.line}: is it cut short?`);
  return lines;
}

function transactionLine(transaction: OpenAggregate, defaultCurrency: string, file: string): UnnamedLine {
  const place = `<STMTTRN> at line ${transaction.line}`;
  const leaf = (tag: string) => transaction.leaves.get(tag);
  const amount = leaf('TRNAMT');
  const posted = leaf('DTPOSTED');
  if (amount === undefined) throw new StatementFormatError(file, place, 'no <TRNAMT> amount');
  if (posted === undefined) throw new StatementFormatError(file, place, 'no <DTPOSTED> date');
  // Some banks write a decimal comma ("-12,50"); OFX has no thousands separator.
  const written = amount.includes('.') ? amount : amount.replace(',', '.');
  const currency = leaf('CURRENCY') ?? defaultCurrency;
  if (currency === '') throw new StatementFormatError(file, place, 'no currency: neither <CURDEF> nor <CURRENCY>');
  return {
    lineId: leaf('FITID'),
    bookedOn: statementDate(posted, file, `${place}, <DTPOSTED>`),
    amountMicros: statementAmount(written, file, `${place}, <TRNAMT>`),
    currency,
    reference: leaf('REFNUM') ?? leaf('CHECKNUM') ?? leaf('MEMO') ?? '',
    description: [leaf('NAME'), leaf('MEMO')].filter((part) => part !== undefined).join(' '),
  };
}

/** OFX 2.x is XML and 1.x SGML: both escape these three. */
function unescaped(value: string): string {
  return value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function lineAt(text: string, offset: number): number {
  return countNewlines(text.slice(0, offset)) + 1;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count += 1;
  return count;
}
