import { open } from 'node:fs/promises';
import type { StatementBalances, StatementFormat } from '../../rules/index.js';
import { statementAmount, statementDate } from './statement-line.js';

/** How much of an OFX's tail holds its balance (LEDGERBAL follows the lines). */
const TAIL_BYTES = 16 * 1024;

/**
 * An OFX statement's balance as its bank wrote it, read apart from its lines: its <LEDGERBAL> (the closing
 * balance, as of DTASOF), after the lines. A camt.053's balances (its <Bal>s, a statement's before its entries, a
 * file holding a statement a day) are read with its lines (camt053-statement.ts), and a CSV's from its balance
 * column (csv-statement.ts): null here.
 */
export async function readStatementBalances(
  path: string,
  file: string,
  format: StatementFormat,
): Promise<StatementBalances | null> {
  if (format === 'ofx') return ofxBalances(await fileSlice(path, 'tail', TAIL_BYTES), file);
  return null;
}

function ofxBalances(tail: string, file: string): StatementBalances | null {
  const ledger = /<LEDGERBAL>([\s\S]*?)(?:<\/LEDGERBAL>|<AVAILBAL>|<\/STMTRS>|<\/CCSTMTRS>|$)/i.exec(tail);
  if (ledger === null) return null;
  const amount = /<BALAMT>\s*([^<\s]+)/i.exec(ledger[1]!);
  const day = /<DTASOF>\s*([^<\s]+)/i.exec(ledger[1]!);
  if (amount === null || day === null) return null;
  const currency = /<CURDEF>\s*([A-Z]{3})/i.exec(tail)?.[1] ?? '';
  return {
    currency,
    opening: null,
    closing: {
      amountMicros: statementAmount(amount[1]!, file, '<LEDGERBAL>, <BALAMT>'),
      on: statementDate(day[1]!, file, '<LEDGERBAL>, <DTASOF>'),
    },
  };
}

/** The first or the last `bytes` of a file (the whole of a shorter one), as UTF-8 text. */
export async function fileSlice(path: string, end: 'head' | 'tail', bytes: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, end === 'head' ? 0 : size - length);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
