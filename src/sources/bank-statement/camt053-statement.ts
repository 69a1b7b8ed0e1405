import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';
import { StatementFormatError } from '../../errors.js';
import { camtEntryLines, type CamtEntry } from './camt053-entry.js';
import type { StatementFacts, UnnamedLine } from './statement-line.js';

/** The elements below <Stmt> that name the account, by the path of local names that ends in them. */
const ACCOUNT_PATHS = ['Stmt/Acct/Id/IBAN', 'Stmt/Acct/Id/Othr/Id'];
/** A transaction's details inside an entry: one per transaction of a batch. */
const TRANSACTION_PATH = 'NtryDtls/TxDtls';

/**
 * Reads an ISO 20022 camt.053 (bank-to-customer statement, any version .001.02 to .001.13) with saxes, a
 * streaming, conformant XML parser: the file is read in chunks of 1 MiB and the lines whose <Ntry> closed in a
 * chunk are handed on before the next is read, so a statement of 100,000 lines is never held, as a tree or as
 * lines. An entry that is a batch (several <TxDtls>) gives a line per transaction (camt053-entry.ts). The
 * account the statement is of (<Acct><Id><IBAN> or <Othr><Id>) goes to `facts`. A file that is not well-formed
 * (truncated, a tag left open) is refused naming the line, the column and the element, after its earlier lines
 * were handed on: whoever lands them must drop them.
 */
export async function* readCamt053(path: string, file: string, facts: StatementFacts): AsyncGenerator<UnnamedLine[]> {
  let lines: UnnamedLine[] = [];
  const parser = new SaxesParser({ position: true });
  const stack: string[] = [];
  // Each open element's path below its <Ntry> ("" outside one), built as tags open: joining the stack at every
  // close was the import's costliest line (0.6 s of 4 at 100,000 lines).
  const paths: string[] = [];
  let entry: CamtEntry | undefined;
  let entryDepth = 0;
  let transactionDepth = 0;
  let text = '';
  let statementSeen = false;
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    const parent = paths.at(-1) ?? '';
    stack.push(name);
    const path = entry === undefined ? '' : parent === '' ? name : `${parent}/${name}`;
    paths.push(path);
    if (name === 'BkToCstmrStmt') statementSeen = true;
    text = '';
    if (name === 'Ntry' && entry === undefined) {
      entry = { openedAt: parser.line, fields: new Map(), currency: undefined, transactions: [] };
      entryDepth = stack.length;
    } else if (entry !== undefined && name === 'Amt' && stack.length === entryDepth + 1) {
      entry.currency = String(tag.attributes['Ccy'] ?? '');
    } else if (entry !== undefined && path === TRANSACTION_PATH) {
      entry.transactions.push(new Map());
      transactionDepth = stack.length;
    } else if (entry !== undefined && name === 'Amt' && transactionDepth > 0) {
      entry.transactions.at(-1)?.set(`${path.slice(TRANSACTION_PATH.length + 1)}@Ccy`, String(tag.attributes['Ccy'] ?? ''));
    }
  });
  parser.on('text', (chunk) => {
    text += chunk;
  });
  parser.on('closetag', () => {
    const value = text.trim();
    if (entry !== undefined && stack.length > entryDepth) {
      const path = paths.at(-1) ?? '';
      if (value !== '' && !entry.fields.has(path)) entry.fields.set(path, value);
      const transaction = transactionDepth > 0 ? entry.transactions.at(-1) : undefined;
      const below = path.slice(TRANSACTION_PATH.length + 1);
      if (transaction !== undefined && stack.length > transactionDepth && value !== '' && !transaction.has(below)) transaction.set(below, value);
      if (stack.length === transactionDepth) transactionDepth = 0;
    } else if (entry === undefined && value !== '') {
      noteAccount(stack, value, facts);
    }
    if (entry !== undefined && stack.length === entryDepth) {
      lines.push(...camtEntryLines(entry, file, facts));
      entry = undefined;
    }
    stack.pop();
    paths.pop();
    text = '';
  });
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      parser.write(chunk as string);
      if (lines.length > 0) yield lines;
      lines = [];
    }
    parser.close();
  } catch (error) {
    if (error instanceof StatementFormatError) throw error;
    const open = stack.length > 0 ? ` inside <${stack.at(-1)}>` : '';
    throw new StatementFormatError(file, `line ${parser.line} column ${parser.column}${open}`, `not well-formed XML (${xmlReason(error)})`);
  }
  if (!statementSeen) throw new StatementFormatError(file, 'the document', 'no <BkToCstmrStmt> statement: is this a camt.053 file?');
  if (lines.length > 0) yield lines;
}

/** The statement's account, when the element closing is its <IBAN> or <Othr><Id> (each account once, in order). */
function noteAccount(stack: readonly string[], value: string, facts: StatementFacts): void {
  const last = stack.at(-1);
  if (last !== 'IBAN' && last !== 'Id') return;
  const path = stack.slice(-5).join('/');
  if (ACCOUNT_PATHS.some((candidate) => path.endsWith(candidate)) && !facts.accounts.includes(value)) facts.accounts.push(value);
}

/** "camt:Document" → "Document": a statement may carry a namespace prefix. */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

function xmlReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^[^:]*:\d+:\d+: /, '');
}
