import { open } from 'node:fs/promises';
import type { StatementBalances, StatementFormat } from '../../rules/index.js';
import { statementAmount, statementDate } from './statement-line.js';

/** How much of a camt.053's head holds its balances (they come before the first <Ntry>), and of an OFX's tail (LEDGERBAL follows the lines). */
const HEAD_BYTES = 64 * 1024;
const TAIL_BYTES = 16 * 1024;

/**
 * A statement's balances as its bank wrote them, read apart from its lines: camt.053's <Bal> of type OPBD (the
 * opening booked balance) and CLBD (the closing one), each before the first entry; OFX's <LEDGERBAL> (the closing
 * balance, as of DTASOF), after the lines. Example: <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd>…<Amt Ccy="USD">1000.00</Amt>
 * <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-04-01</Dt></Dt></Bal> → opening 1000.00 USD on 2026-04-01. A CSV
 * export has none: null.
 */
export async function readStatementBalances(
  path: string,
  file: string,
  format: StatementFormat,
): Promise<StatementBalances | null> {
  if (format === 'camt.053') return camtBalances(await fileSlice(path, 'head', HEAD_BYTES), file);
  if (format === 'ofx') return ofxBalances(await fileSlice(path, 'tail', TAIL_BYTES), file);
  return null;
}

function camtBalances(head: string, file: string): StatementBalances | null {
  const before = head.search(/<(?:\w+:)?Ntry[\s>]/);
  const text = before === -1 ? head : head.slice(0, before);
  const balances: StatementBalances = { currency: '', opening: null, closing: null };
  for (const [, body] of text.matchAll(/<(?:\w+:)?Bal>([\s\S]*?)<\/(?:\w+:)?Bal>/g)) {
    const code = leaf(body!, 'Cd');
    const amount = /<(?:\w+:)?Amt\s+Ccy="([A-Z]{3})"\s*>([^<]+)</.exec(body!);
    const day = leaf(body!, 'Dt') ?? leaf(body!, 'DtTm');
    if ((code !== 'OPBD' && code !== 'CLBD') || amount === null || day === undefined) continue;
    const micros = statementAmount(amount[2]!, file, `<Bal> ${code}, <Amt>`);
    const balance = {
      amountMicros: leaf(body!, 'CdtDbtInd') === 'DBIT' ? -micros : micros,
      on: statementDate(day, file, `<Bal> ${code}, <Dt>`),
    };
    balances.currency = amount[1]!;
    if (code === 'OPBD') balances.opening = balance;
    else balances.closing = balance;
  }
  return balances.opening === null && balances.closing === null ? null : balances;
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

/** The innermost text of the first <tag> in `xml` (its value), when it has one. */
function leaf(xml: string, tag: string): string | undefined {
  return new RegExp(`<(?:\\w+:)?${tag}>\\s*([^<]+?)\\s*</`).exec(xml)?.[1];
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
