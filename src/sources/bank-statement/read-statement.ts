import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { StatementFormatError } from '../../errors.js';
import type { BankLine, StatementFormat } from '../../rules/index.js';
import { namedLines } from './statement-line.js';
import type { BankStatementSourceConfig } from './bank-statement-config.js';
import { readCamt053 } from './camt053-statement.js';
import { readCsvStatement } from './csv-statement.js';
import { readOfx } from './ofx-statement.js';

/** A statement file read whole, before anything of it is kept: its lines, its format and its SHA-256. */
export interface StatementFile {
  file: string;
  format: StatementFormat;
  sha256: string;
  lines: BankLine[];
}

/**
 * Reads a statement for a bank account: camt.053 and OFX are told by their first bytes (an XML document with a
 * camt namespace or <BkToCstmrStmt>, an OFX header or <OFX>), anything else is CSV and needs the account's
 * `csv:` column map. A file that does not read throws a StatementFormatError naming the place.
 */
export async function readStatement(path: string, account: BankStatementSourceConfig): Promise<StatementFile> {
  const file = basename(path);
  const format = formatOf(await firstBytes(path));
  const lines =
    format === 'camt.053' ? await readCamt053(path, file)
    : format === 'ofx' ? await readOfx(path, file)
    : await readCsvStatement(path, file, csvMapOf(account, file), account.currency);
  return { file, format, sha256: await sha256Of(path), lines: namedLines(lines) };
}

function csvMapOf(account: BankStatementSourceConfig, file: string) {
  if (account.csv === undefined) throw new StatementFormatError(file, 'the file', `reads as CSV, and source ${account.id} has no csv: column map in ledgerline.yaml (add csv.date, csv.amount, csv.reference)`);
  return account.csv;
}

function formatOf(head: string): StatementFormat {
  if (/OFXHEADER|<OFX>/i.test(head)) return 'ofx';
  if (/^\uFEFF?\s*</.test(head)) return 'camt.053';
  return 'csv';
}

async function firstBytes(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
