import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';
import { StatementFormatError, messageOf } from '../../errors.js';
import { camtEntryLines, type CamtEntry } from './camt053-entry.js';
import { CamtScanner, localName } from './camt053-scanner.js';
import { statementAmount, statementDate, type StatementFacts, type UnnamedLine } from './statement-line.js';

/** The elements below <Stmt> that name the account, by the path of local names that ends in them. */
const ACCOUNT_PATHS = ['Stmt/Acct/Id/IBAN', 'Stmt/Acct/Id/Othr/Id'];
/** A transaction's details inside an entry: one per transaction of a batch. */
const TRANSACTION_PATH = 'NtryDtls/TxDtls';

/**
 * Reads an ISO 20022 camt.053 (bank-to-customer statement, any version .001.02 to .001.13): the file is read in
 * chunks of 1 MiB and the lines whose <Ntry> closed in a chunk are handed on before the next is read, so a
 * statement of 100,000 lines is never held, as a tree or as lines. An entry that is a batch (several <TxDtls>)
 * gives a line per transaction (camt053-entry.ts). The account the statement is of (<Acct><Id><IBAN> or
 * <Othr><Id>) goes to `facts`. A file that is not well-formed (truncated, a tag left open) is refused naming the
 * line, the column and the element, after its earlier lines were handed on: whoever lands them must drop them.
 *
 * The file is read by CamtScanner (camt053-scanner.ts), a fraction of saxes' cost, while it stays inside the
 * subset banks write; at the first thing outside it, saxes reads the whole file again, its first lines (those
 * already handed on, the same) passed over, and the facts noted afresh: every refusal is saxes', word for word.
 */
export async function* readCamt053(path: string, file: string, facts: StatementFacts): AsyncGenerator<UnnamedLine[]> {
  let handedOn = yield* scanCamt053(path, file, facts);
  if (handedOn === undefined) return;
  facts.accounts.length = 0;
  facts.notes.length = 0;
  delete facts.balances;
  for await (const lines of readWithSaxes(path, file, facts)) {
    if (handedOn >= lines.length) handedOn -= lines.length;
    else {
      yield handedOn === 0 ? lines : lines.slice(handedOn);
      handedOn = 0;
    }
  }
}

/** The file's lines by the scanner; the count handed on when the file turned out to be saxes' to read, else undefined. */
async function* scanCamt053(
  path: string,
  file: string,
  facts: StatementFacts,
): AsyncGenerator<UnnamedLine[], number | undefined> {
  const reading = newReading();
  const scanner = new CamtScanner({
    open: (name, attributes) => openTag(reading, name, attributes),
    close: (text) => {
      reading.text = text;
      closeTag(reading, file, facts);
    },
  });
  reading.line = () => scanner.line();
  let handedOn = 0;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    if (scanner.write(chunk as string) === 'outside') return handedOn;
    if (reading.lines.length > 0) yield reading.lines;
    handedOn += reading.lines.length;
    reading.lines = [];
  }
  if (scanner.write('', true) === 'outside') return handedOn;
  statementSeen(reading, file);
  if (reading.lines.length > 0) yield reading.lines;
  return undefined;
}

/** The file read by saxes, a streaming, conformant XML parser. */
async function* readWithSaxes(path: string, file: string, facts: StatementFacts): AsyncGenerator<UnnamedLine[]> {
  const reading = newReading();
  const parser = new SaxesParser({ position: true });
  reading.line = () => parser.line;
  const { stack } = reading;
  parser.on('opentag', (tag) => openTag(reading, localName(tag.name), tag.attributes));
  parser.on('text', (chunk) => {
    reading.text += chunk;
  });
  parser.on('closetag', () => closeTag(reading, file, facts));
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      parser.write(chunk as string);
      if (reading.lines.length > 0) yield reading.lines;
      reading.lines = [];
    }
    parser.close();
  } catch (error) {
    if (error instanceof StatementFormatError) throw error;
    const open = stack.length > 0 ? ` inside <${stack.at(-1)}>` : '';
    throw new StatementFormatError(
      file,
      `line ${parser.line} column ${parser.column}${open}`,
      `not well-formed XML (${xmlReason(error)})`,
    );
  }
  statementSeen(reading, file);
  if (reading.lines.length > 0) yield reading.lines;
}

function statementSeen(reading: CamtReading, file: string): void {
  if (!reading.statementSeen)
    throw new StatementFormatError(file, 'the document', 'no <BkToCstmrStmt> statement: is this a camt.053 file?');
}

function newReading(): CamtReading {
  return {
    lines: [],
    line: () => 0,
    stack: [],
    paths: [],
    outside: { path: '', children: new Map() },
    entry: undefined,
    entryDepth: 0,
    transactionDepth: 0,
    text: '',
    statementSeen: false,
    balance: undefined,
  };
}

/** Where a camt.053 read stands: the lines not yet handed on, the open elements and the entry being read. */
interface CamtReading {
  lines: UnnamedLine[];
  /** The line the open tag just handed on ends on, as saxes counts it (an entry's place in its messages). */
  line: () => number;
  stack: string[];
  /**
   * Each open element's path below its <Ntry> ("" outside one), built as tags open: joining the stack at every
   * close was the import's costliest line (0.6 s of 4 at 100,000 lines).
   */
  paths: PathNode[];
  /** The path outside an entry (""), the root of the paths below one. */
  outside: PathNode;
  entry: CamtEntry | undefined;
  entryDepth: number;
  transactionDepth: number;
  text: string;
  statementSeen: boolean;
  /** The <Bal> being read outside the entries. */
  balance: CamtBalance | undefined;
}

/** An element opens: an entry starts, or an amount's currency or a batch's transaction is noted in the open entry. */
function openTag(reading: CamtReading, name: string, attributes: Readonly<Record<string, unknown>>): void {
  const { stack, paths, entry } = reading;
  const parent = paths.at(-1) ?? reading.outside;
  stack.push(name);
  const node = entry === undefined ? reading.outside : childOf(parent, name);
  paths.push(node);
  const { path } = node;
  if (name === 'BkToCstmrStmt') reading.statementSeen = true;
  reading.text = '';
  if (entry === undefined && name === 'Bal') reading.balance = {};
  if (entry === undefined && name === 'Amt' && stack.at(-2) === 'Bal' && reading.balance !== undefined)
    reading.balance.currency = String(attributes['Ccy'] ?? '');
  if (name === 'Ntry' && entry === undefined) {
    reading.entry = { openedAt: reading.line(), fields: new Map(), currency: undefined, transactions: [] };
    reading.entryDepth = stack.length;
  } else if (entry !== undefined && name === 'Amt' && stack.length === reading.entryDepth + 1) {
    entry.currency = String(attributes['Ccy'] ?? '');
  } else if (entry !== undefined && path === TRANSACTION_PATH) {
    entry.transactions.push(new Map());
    reading.transactionDepth = stack.length;
  } else if (entry !== undefined && name === 'Amt' && reading.transactionDepth > 0) {
    entry.transactions.at(-1)?.set(`${path.slice(TRANSACTION_PATH.length + 1)}@Ccy`, String(attributes['Ccy'] ?? ''));
  }
}

/** An element closes: its text goes to the open entry (or names the account), and a closed entry becomes lines. */
function closeTag(reading: CamtReading, file: string, facts: StatementFacts): void {
  const { stack, paths, entry, entryDepth, transactionDepth } = reading;
  const value = reading.text.trim();
  if (entry !== undefined && stack.length > entryDepth) {
    const path = paths.at(-1)?.path ?? '';
    if (value !== '' && !entry.fields.has(path)) entry.fields.set(path, value);
    const transaction = transactionDepth > 0 && stack.length > transactionDepth ? entry.transactions.at(-1) : undefined;
    if (transaction !== undefined && value !== '') {
      const below = path.slice(TRANSACTION_PATH.length + 1);
      if (!transaction.has(below)) transaction.set(below, value);
    }
    if (stack.length === transactionDepth) reading.transactionDepth = 0;
  } else if (entry === undefined && reading.balance !== undefined) {
    readBalance(reading.balance, stack, value, file, facts);
    if (stack.at(-1) === 'Bal') reading.balance = undefined;
  } else if (entry === undefined && value !== '') {
    noteAccount(stack, value, facts);
  }
  if (entry !== undefined && stack.length === entryDepth) {
    reading.lines.push(...camtEntryLines(entry, file, facts));
    reading.entry = undefined;
  }
  stack.pop();
  paths.pop();
  reading.text = '';
}

/**
 * An element's path below its <Ntry> and its children's, each made once and kept: a path built anew at every
 * tag was a string copied, then flattened and hashed again as a map key, a dozen times a line.
 */
interface PathNode {
  path: string;
  children: Map<string, PathNode>;
}

/** "Refs" below "NtryDtls/TxDtls" → the node of "NtryDtls/TxDtls/Refs", the same each time. */
function childOf(parent: PathNode, name: string): PathNode {
  let child = parent.children.get(name);
  if (child === undefined) {
    child = { path: parent.path === '' ? name : `${parent.path}/${name}`, children: new Map() };
    parent.children.set(name, child);
  }
  return child;
}

/** The statement's account, when the element closing is its <IBAN> or <Othr><Id> (each account once, in order). */
function noteAccount(stack: readonly string[], value: string, facts: StatementFacts): void {
  const last = stack.at(-1);
  if (last !== 'IBAN' && last !== 'Id') return;
  const path = stack.slice(-5).join('/');
  if (ACCOUNT_PATHS.some((candidate) => path.endsWith(candidate)) && !facts.accounts.includes(value))
    facts.accounts.push(value);
}

/** A <Bal> as read so far: its type (Tp/CdOrPrtry/Cd), amount and currency, side, and day. */
interface CamtBalance {
  code?: string;
  amount?: string;
  currency?: string;
  side?: string;
  day?: string;
}

/**
 * An element of a <Bal> closes: its field is kept, and when the <Bal> itself closes, an OPBD or CLBD goes into the
 * file's balances. A file may hold a statement a day, each with its balances before its entries: the file opens
 * with the earliest statement's OPBD and closes with the latest's CLBD. Example: <Stmt>s of 11-02 (OPBD 1,000.00,
 * CLBD 900.00) and 11-03 (OPBD 900.00, CLBD 950.00) → opening 1,000.00 on 11-02, closing 950.00 on 11-03.
 */
function readBalance(
  balance: CamtBalance,
  stack: readonly string[],
  value: string,
  file: string,
  facts: StatementFacts,
) {
  const [name, parent, grandparent] = [stack.at(-1), stack.at(-2), stack.at(-3)];
  if (name === 'Cd' && parent === 'CdOrPrtry' && grandparent === 'Tp') balance.code = value;
  else if (name === 'Amt' && parent === 'Bal') balance.amount = value;
  else if (name === 'CdtDbtInd' && parent === 'Bal') balance.side = value;
  else if ((name === 'Dt' || name === 'DtTm') && parent === 'Dt' && grandparent === 'Bal') balance.day = value;
  const { code, amount, currency, day } = balance;
  if (name !== 'Bal' || (code !== 'OPBD' && code !== 'CLBD') || amount === undefined || day === undefined) return;
  const micros = statementAmount(amount, file, `<Bal> ${code}, <Amt>`);
  const kept = {
    amountMicros: balance.side === 'DBIT' ? -micros : micros,
    on: statementDate(day, file, `<Bal> ${code}, <Dt>`),
  };
  const balances = (facts.balances ??= { currency: currency ?? '', opening: null, closing: null });
  balances.currency = currency ?? balances.currency;
  if (code === 'OPBD' && (balances.opening === null || kept.on < balances.opening.on)) balances.opening = kept;
  if (code === 'CLBD' && (balances.closing === null || kept.on >= balances.closing.on)) balances.closing = kept;
}

function xmlReason(error: unknown): string {
  const message = messageOf(error);
  return message.replace(/^[^:]*:\d+:\d+: /, '');
}
