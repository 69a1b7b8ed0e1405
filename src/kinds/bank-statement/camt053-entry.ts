import { StatementFormatError } from '../../errors.js';
import { formatMicros } from '../../money/index.js';
import { statementAmount, statementDate, type StatementFacts, type UnnamedLine } from './statement-line.js';

/** What one <Ntry> gave: its fields by the path below it ("Amt", "BookgDt/Dt"), and each <TxDtls>'s by the path below that. */
export interface CamtEntry {
  openedAt: number;
  fields: Map<string, string>;
  currency: string | undefined;
  /** One map per <TxDtls>, its paths below it ("Refs/EndToEndId", "AmtDtls/TxAmt/Amt", "AmtDtls/TxAmt/Amt@Ccy"). */
  transactions: Map<string, string>[];
}

const REFERENCES = ['RmtInf/Ustrd', 'Refs/EndToEndId', 'RmtInf/Strd/CdtrRefInf/Ref'];
const ENTRY_REFERENCES = REFERENCES.map((path) => `NtryDtls/TxDtls/${path}`);
/** A transaction's amount, in order of preference: its own <Amt> (camt.053.001.08 on), the amount booked, the amount instructed. */
const TRANSACTION_AMOUNTS = ['Amt', 'AmtDtls/TxAmt/Amt', 'AmtDtls/InstdAmt/Amt'];
/** Entries a bank has booked; a pending (PDNG) or information-only (INFO) entry moved no money yet. */
const BOOKED = new Set(['BOOK', '']);

/**
 * The lines of one entry: one, or one per transaction when the entry is a batch (several <TxDtls>) whose
 * transactions add up to it. Example: an entry of 664.05 DBIT with two direct debits of 564.05 and 100.00 → two
 * lines, -564.05 and -100.00, each with its own reference and party, ids "<entry id>/1" and "/2", and the entry's
 * id beside them (entryReference). A batch whose parts do not add up to the entry (charges taken from it, a
 * part in another currency) lands as the one entry, and `facts` says so.
 */
export function camtEntryLines(entry: CamtEntry, file: string, facts: StatementFacts): UnnamedLine[] {
  const line = entryLine(entry, file);
  if (line === undefined || entry.transactions.length < 2) return line === undefined ? [] : [line];
  const parts = entry.transactions.map((transaction, index) => transactionLine(transaction, index, line));
  const landed = parts.every((part) => part !== undefined) ? parts : [];
  const total = landed.reduce((sum, part) => sum + part.amountMicros, 0n);
  if (landed.length > 0 && total === line.amountMicros) return landed;
  facts.notes.push(
    `the batch <Ntry> at line ${entry.openedAt} (${formatMicros(line.amountMicros)} ${line.currency}): ` +
      `its ${entry.transactions.length} transactions do not add up to it in ${line.currency}, so ` +
      `it landed as one line`,
  );
  return [line];
}

function entryLine(entry: CamtEntry, file: string): UnnamedLine | undefined {
  const place = `<Ntry> at line ${entry.openedAt}`;
  const field = (path: string) => entry.fields.get(path);
  const status = field('Sts/Cd') ?? field('Sts') ?? '';
  if (!BOOKED.has(status)) return undefined;
  const amount = field('Amt');
  if (amount === undefined || entry.currency === undefined || entry.currency === '')
    throw new StatementFormatError(file, place, 'no <Amt Ccy="…"> amount with its currency');
  const side = field('CdtDbtInd');
  if (side !== 'CRDT' && side !== 'DBIT')
    throw new StatementFormatError(file, `${place}, <CdtDbtInd>`, `"${side ?? ''}" is neither CRDT nor DBIT`);
  const booked = field('BookgDt/Dt') ?? field('BookgDt/DtTm') ?? field('ValDt/Dt');
  if (booked === undefined) throw new StatementFormatError(file, place, 'no <BookgDt> booking date');
  const micros = statementAmount(amount, file, `${place}, <Amt>`);
  return {
    lineId: field('AcctSvcrRef') ?? field('NtryRef'),
    bookedOn: statementDate(booked, file, `${place}, <BookgDt>`),
    amountMicros: side === 'CRDT' ? micros : -micros,
    currency: entry.currency,
    reference: firstReference(ENTRY_REFERENCES.map(field)),
    description: field('AddtlNtryInf') ?? '',
  };
}

/** One transaction of a batch as a line of its own, or undefined when its amount is missing or in another currency than the entry's. */
function transactionLine(transaction: Map<string, string>, index: number, entry: UnnamedLine): UnnamedLine | undefined {
  const field = (path: string) => transaction.get(path);
  const amountPath = TRANSACTION_AMOUNTS.find((path) => field(path) !== undefined);
  if (amountPath === undefined || field(`${amountPath}@Ccy`) !== entry.currency) return undefined;
  let micros: bigint;
  try {
    micros = statementAmount(field(amountPath) ?? '', '', '');
  } catch {
    return undefined;
  }
  const side = field('CdtDbtInd') ?? (entry.amountMicros < 0n ? 'DBIT' : 'CRDT');
  // Money out names the creditor it went to, money in the debtor it came from (camt .02 <Nm>, .08 on <Pty><Nm>).
  const party =
    side === 'DBIT'
      ? (field('RltdPties/Cdtr/Nm') ?? field('RltdPties/Cdtr/Pty/Nm'))
      : (field('RltdPties/Dbtr/Nm') ?? field('RltdPties/Dbtr/Pty/Nm'));
  const entryReference = entry.lineId ?? entry.reference;
  return {
    lineId: entry.lineId === undefined ? field('Refs/AcctSvcrRef') : `${entry.lineId}/${index + 1}`,
    bookedOn: entry.bookedOn,
    amountMicros: side === 'DBIT' ? -micros : micros,
    currency: entry.currency,
    reference: firstReference(REFERENCES.map(field)),
    description: [party, field('AddtlTxInf') ?? entry.description]
      .filter((part) => part !== undefined && part !== '')
      .join(' '),
    ...(entryReference === '' ? {} : { entryReference }),
  };
}

/** The first reference written, "NOTPROVIDED" (camt's word for none) passed over. */
function firstReference(candidates: readonly (string | undefined)[]): string {
  return candidates.find((value) => value !== undefined && value !== 'NOTPROVIDED') ?? '';
}
