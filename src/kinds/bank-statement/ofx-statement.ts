import { createReadStream } from 'node:fs';
import { StatementFormatError } from '../../errors.js';
import { statementAmount, statementDate, type StatementFacts, type UnnamedLine } from './statement-line.js';
import { OFX_AGGREGATES, OFX_TAGS } from './ofx-tags.js';

/** An aggregate open on the tokenizer's stack, and the leaf values read directly inside it. */
interface OpenAggregate {
  tag: string;
  line: number;
  leaves: Map<string, string>;
  /** A tag outside the vocabulary taken for an aggregate (empty, another tag after it): an end tag of its parent closes it too. */
  implied: boolean;
}

/** Where the tokenizer is between two chunks of the file. */
interface OfxReading {
  file: string;
  stack: OpenAggregate[];
  leaf: { tag: string; value: string; line: number } | undefined;
  defaultCurrency: string;
  lineNumber: number;
  facts: StatementFacts;
  /** Each tag outside the vocabulary, with the line it was first seen on. */
  skipped: Map<string, number>;
}

const TOKEN = /<(\/?)([A-Za-z0-9.]+)>|<\?[^>]*\?>|<!--[\s\S]*?-->|([^<]+)/g;

/**
 * Reads an OFX bank or card statement, 1.x (SGML: a leaf's end tag may be left out, `<TRNAMT>-12.00`) and 2.x
 * (XML, every tag closed), with one small tokenizer: no OFX library on npm is kept up (the maintained ones parse
 * investment files, or convert 1.x to XML by regular expressions that lose the line a problem is on). Text before
 * <OFX> is the 1.x header, skipped. A bank's own tag outside the OFX 2.3 banking vocabulary (VALUEDATE, CATEGORY,
 * ACCTBAL) is skipped and noted once in `facts` (an extension tag with a dot, INTU.BID, silently); the account
 * (<BANKACCTFROM> or <CCACCTFROM> <ACCTID>) goes to `facts` too. An end tag that closes nothing is refused naming
 * its line; a file that ends inside an aggregate too.
 * The file is read in chunks of 1 MiB, each chunk's lines handed on before the next is read (a refusal comes after
 * the lines before it: whoever lands them must drop them).
 */
export async function* readOfx(path: string, file: string, facts: StatementFacts): AsyncGenerator<UnnamedLine[]> {
  const reading: OfxReading = {
    file,
    stack: [],
    leaf: undefined,
    defaultCurrency: '',
    lineNumber: 1,
    facts,
    skipped: new Map(),
  };
  let pending = '';
  let started = false;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    pending += chunk as string;
    if (!started) {
      const start = pending.search(/<OFX>/i);
      // The 1.x header, skipped: keep only what could be the start of a "<OFX>" cut by the chunk's end.
      const skipped = start === -1 ? Math.max(pending.length - 4, 0) : start;
      reading.lineNumber += countNewlines(pending.slice(0, skipped));
      pending = pending.slice(skipped);
      started = start !== -1;
      if (!started) continue;
    }
    const cut = completeTokensEnd(pending);
    const lines = tokenized(reading, pending.slice(0, cut));
    pending = pending.slice(cut);
    if (lines.length > 0) yield lines;
  }
  if (!started) throw new StatementFormatError(file, 'the document', 'no <OFX> element: is this an OFX file?');
  const lines = tokenized(reading, pending);
  const open = reading.stack.at(-1);
  if (open !== undefined)
    throw new StatementFormatError(
      file,
      `line ${reading.lineNumber}`,
      `the file ends inside <${open.tag}> opened at line ${open.line}: is it cut short?`,
    );
  if (reading.skipped.size > 0)
    facts.notes.push(
      `skipped tags outside the OFX banking vocabulary: ${[...reading.skipped].map(([tag, line]) => `<${tag}> (first at line ${line})`).join(', ')}`,
    );
  if (lines.length > 0) yield lines;
}

/**
 * Where a chunk's whole tokens end: at its last "<" (the text before it is whole, the tag from it may be cut),
 * or at a comment still open. Example: "<MEMO>fee</MEMO><NAME>ACME LT" → 16, the
 * "<NAME>ACME LT" kept for the next chunk (its text may go on); "<MEMO>fee<!-- a" → 9, at the open comment.
 */
function completeTokensEnd(text: string): number {
  const cut = Math.max(text.lastIndexOf('<'), 0);
  const comment = text.lastIndexOf('<!--', cut);
  if (comment === -1) return cut;
  const commentEnd = text.indexOf('-->', comment);
  if (commentEnd === -1) return comment;
  return Math.max(commentEnd + 3, cut);
}

/** The statement lines whose <STMTTRN> closed in `text`, whole tokens only, read on from the state `reading` was left in. */
function tokenized(reading: OfxReading, text: string): UnnamedLine[] {
  const { stack } = reading;
  const lines: UnnamedLine[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const [token, closing, rawTag, tokenText] = match;
    const tokenLine = reading.lineNumber;
    reading.lineNumber += countNewlines(token);
    if (tokenText !== undefined) {
      if (reading.leaf !== undefined && tokenText.trim() !== '') reading.leaf.value += tokenText.trim();
      continue;
    }
    if (rawTag === undefined) continue;
    const tag = rawTag.toUpperCase();
    if (!OFX_TAGS.has(tag) && !tag.includes('.') && !reading.skipped.has(tag)) reading.skipped.set(tag, tokenLine);
    const top = stack.at(-1);
    const leaf = reading.leaf;
    if (leaf !== undefined && top !== undefined) {
      reading.leaf = undefined;
      if (leaf.value === '' && closing === '' && !(OFX_TAGS.has(leaf.tag) && !OFX_AGGREGATES.has(leaf.tag))) {
        // An open tag right after another that is not a leaf of the vocabulary: the first was an aggregate (<STMTTRN><TRNTYPE>…).
        stack.push({ tag: leaf.tag, line: leaf.line, leaves: new Map(), implied: !OFX_TAGS.has(leaf.tag) });
      } else {
        top.leaves.set(leaf.tag, unescaped(leaf.value));
        if (leaf.tag === 'CURDEF') reading.defaultCurrency = leaf.value;
        if (closing === '/' && tag === leaf.tag) continue;
      }
    }
    if (closing === '/') lines.push(...closed(reading, tag, `line ${tokenLine}, </${rawTag}>`));
    else if (stack.length === 0) stack.push({ tag, line: tokenLine, leaves: new Map(), implied: false });
    else reading.leaf = { tag, value: '', line: tokenLine };
  }
  return lines;
}

/**
 * Closes the aggregate `tag` ends, and any tag outside the vocabulary left open inside it (SGML: its end tag
 * left out, its leaves its parent's); the transaction it ends, if it is one. What it held goes to its parent
 * (CURRENCY's CURSYM as the transaction's currency) or to the facts (the account's ACCTID).
 */
function closed(reading: OfxReading, tag: string, place: string): UnnamedLine[] {
  const { stack, file } = reading;
  let open = stack.pop();
  while (open !== undefined && open.implied && open.tag !== tag) {
    const parent = stack.at(-1);
    for (const [name, value] of open.leaves)
      if (parent !== undefined && !parent.leaves.has(name)) parent.leaves.set(name, value);
    open = stack.pop();
  }
  if (open === undefined || open.tag !== tag)
    throw new StatementFormatError(
      file,
      place,
      open === undefined ? 'closes nothing' : `closes nothing: <${open.tag}> from line ${open.line} is still open`,
    );
  if (open.tag === 'STMTTRN') return [transactionLine(open, reading.defaultCurrency, file)];
  const symbol = open.leaves.get('CURSYM');
  if ((open.tag === 'CURRENCY' || open.tag === 'ORIGCURRENCY') && symbol !== undefined)
    stack.at(-1)?.leaves.set(open.tag, symbol);
  const account = open.leaves.get('ACCTID');
  if (
    (open.tag === 'BANKACCTFROM' || open.tag === 'CCACCTFROM') &&
    account !== undefined &&
    !reading.facts.accounts.includes(account)
  )
    reading.facts.accounts.push(account);
  return [];
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
  // A transaction's own CURRENCY: its amount is in that currency. With ORIGCURRENCY it is in the default one (converted).
  const currency = leaf('CURRENCY') || defaultCurrency;
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

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count += 1;
  return count;
}
