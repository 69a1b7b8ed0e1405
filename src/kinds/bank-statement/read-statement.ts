import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { StatementFormatError } from '../../errors.js';
import { cleanRead } from '../../log/index.js';
import type { BankLine, StatementFormat } from '../../rules/index.js';
import { lineNamer, type StatementFacts, type UnnamedLine } from './statement-line.js';
import type { BankStatementSourceConfig } from './bank-statement-config.js';
import { readCamt053 } from './camt053-statement.js';
import { readCsvStatement } from './csv-statement.js';
import { readOfx } from './ofx-statement.js';
import { fileSlice } from './statement-balances.js';

/**
 * A statement file: its format, its SHA-256, and its lines in batches of at most LINES_PER_BATCH, read as they
 * are asked for (one batch held, never the file). A file that does not read throws while its lines are read,
 * after the batches before the place: whoever lands them keeps them only once the file ended well.
 */
export interface StatementFile {
  file: string;
  format: StatementFormat;
  sha256: string;
  lines: AsyncIterable<BankLine[]>;
  /** The account(s) the file names and the notes for the person importing it: complete once its lines were read. */
  facts: StatementFacts;
}

/** Lines handed on at a time: a batch is one write of the store, and memory holds one batch, not the file. */
const LINES_PER_BATCH = 500;

/**
 * Reads a statement for a bank account: camt.053 and OFX are told by their first bytes (an XML document with a
 * camt namespace or <BkToCstmrStmt>, an OFX header or <OFX>), anything else is CSV and needs the account's
 * `csv:` column map. A file that does not read throws a StatementFormatError naming the place (a CSV without a
 * column map now, anything else as its lines are read).
 */
export async function readStatement(path: string, account: BankStatementSourceConfig): Promise<StatementFile> {
  const file = basename(path);
  const format = formatOf(await fileSlice(path, 'head', 1024));
  const facts: StatementFacts = { accounts: [], notes: [] };
  const read = readerOf(path, file, format, account, facts);
  return {
    file,
    format,
    sha256: await sha256Of(path),
    lines: { [Symbol.asyncIterator]: () => inBatches(read(), LINES_PER_BATCH) },
    facts,
  };
}

/**
 * The lines made clean (log/printable.ts cleanRead: a control character or a bidirectional override in an id, a
 * reference or a description is one visible U+FFFD, a tab or a line break a space), named (statement-line.ts
 * lineNamer) and cut into batches of `size`, whatever batches the reader gave.
 */
async function* inBatches(batches: AsyncIterable<UnnamedLine[]>, size: number): AsyncGenerator<BankLine[]> {
  const named = lineNamer();
  let batch: BankLine[] = [];
  for await (const lines of batches) {
    for (const line of named(lines.map(cleanLine))) {
      batch.push(line);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

function cleanLine(line: UnnamedLine): UnnamedLine {
  const lineId = line.lineId === undefined ? undefined : cleanRead(line.lineId);
  const [reference, description] = [cleanRead(line.reference), cleanRead(line.description)];
  if (lineId === line.lineId && reference === line.reference && description === line.description) return line;
  return { ...line, lineId, reference, description };
}

/** The format's reader, to start once the lines are asked for; a CSV without a column map is refused now. */
function readerOf(
  path: string,
  file: string,
  format: StatementFormat,
  account: BankStatementSourceConfig,
  facts: StatementFacts,
): () => AsyncIterable<UnnamedLine[]> {
  if (format === 'camt.053') return () => readCamt053(path, file, facts);
  if (format === 'ofx') return () => readOfx(path, file, facts);
  const map = csvMapOf(account, file);
  return () => readCsvStatement(path, file, { map, currency: account.currency, facts });
}

function csvMapOf(account: BankStatementSourceConfig, file: string) {
  if (account.csv === undefined)
    throw new StatementFormatError(
      file,
      'the file',
      `reads as CSV, and source ${account.id} has no csv: column map in ledgerline.yaml (add csv.date, csv.amount, csv.reference)`,
    );
  return account.csv;
}

function formatOf(head: string): StatementFormat {
  if (/OFXHEADER|<OFX>/i.test(head)) return 'ofx';
  if (/^\uFEFF?\s*</.test(head)) return 'camt.053';
  return 'csv';
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
