import { calendarDateIn } from '../../calendar/index.js';
import { UsageError } from '../../errors.js';
import { convertCents, formatCents, parseRate } from '../../money/index.js';
import type { LedgerReads } from '../../reads/books/ledger-reads.js';
import { encodeIn } from '../code-pages.js';
import type { DestinationExportRequest } from '../destination-kind.js';
import { exportRate } from '../export-rate.js';
import { fecMappingOf } from './fec-settings.js';

/** The 18 fields of article A47 A-1 of the Livre des procédures fiscales, in their order. */
const FIELDS = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
];

/** One line of an écriture before it is written: a ledger account, its cents in the line's currency (+ debit). */
interface FecLine {
  account: string;
  currency: string;
  cents: bigint;
  text: string;
}

interface Ecriture {
  journal: { code: string; label: string };
  date: string;
  pieceRef: string;
  validDate: string;
  lines: FecLine[];
}

/** The window a FEC covers: the fiscal year, or the request's window inside it (said so: not what an auditor receives). */
export function fecWindow(request: DestinationExportRequest): { from: string; to: string; wholeYear: boolean } {
  const year = request.fiscalYear!;
  const from = request.from ?? year.start;
  const to = request.to ?? year.end;
  if (from < year.start)
    throw new UsageError(
      `a FEC is of one fiscal year: ${from}…${to} starts before the fiscal year ${year.start}…${year.end}; export each year apart (--from ${year.start})`,
    );
  return { from, to, wholeYear: from === year.start && to === year.end };
}

/**
 * The FEC of the window, in ISO 8859-15: the header of field names, the à-nouveaux first (each account's balance
 * before the window, earlier years' results carried to the report à nouveau), then every entry in book order, each an
 * EcritureNum of its own numbered 1, 2, 3, … without a gap. Built whole before a byte is written.
 */
export async function fecFile(
  reads: LedgerReads,
  request: DestinationExportRequest,
): Promise<{ bytes: Buffer; ecritures: number; lines: number; wholeYear: boolean }> {
  const window = fecWindow(request);
  const mapping = fecMappingOf(request.mappings)!;
  const chart = request.mappings.chart.accounts;
  const account = (key: string) => {
    if (key === RESULT)
      return { number: mapping.settings.opening.resultAccount, label: mapping.settings.opening.resultLabel };
    const mapped = mapping.accounts[key];
    if (mapped === undefined)
      throw new UsageError(
        `${mapping.file} at accounts.${key}: has no FEC account number (PCG), and the window books to it; add it (nothing was written)`,
      );
    return { number: mapped.account, label: mapped.label ?? chart[key]?.name ?? key };
  };
  const ecritures: Ecriture[] = [];
  const opening = await openingLines(reads, request, window.from);
  const { opening: an, journal } = mapping.settings;
  if (opening.length > 0)
    ecritures.push({
      journal: an,
      date: window.from,
      pieceRef: `AN-${window.from}`,
      validDate: window.from,
      lines: opening,
    });
  const bookings = await reads.entryBookings({ from: window.from, to: window.to });
  const bookedDay = calendarDateIn(request.config.timezone);
  for await (const entry of reads.journal.renderedEntries({ from: window.from, to: window.to })) {
    if (entry.lines.length === 0) continue;
    const bookedAt = bookings.get(entry.id)?.bookedAt;
    ecritures.push({
      journal,
      date: entry.date,
      pieceRef: entry.id,
      validDate: bookedAt === undefined ? entry.date : bookedDay(bookedAt),
      lines: entry.lines.map((line) => ({ ...line, text: line.description ?? entry.description })),
    });
  }
  const rows: string[] = [FIELDS.join('\t')];
  ecritures.forEach((ecriture, at) => rows.push(...ecritureRows(ecriture, at + 1, request, account)));
  const text = rows.map((row) => `${row}\r\n`).join('');
  const bytes = encodeIn('iso-8859-15', text, (offset) => `FEC line ${text.slice(0, offset).split('\r\n').length}`);
  return { bytes, ecritures: ecritures.length, lines: rows.length - 1, wholeYear: window.wholeYear };
}

/** The rows of one écriture: its lines in the books' currency, each with Montantdevise and Idevise when in another. */
function ecritureRows(
  ecriture: Ecriture,
  number: number,
  request: DestinationExportRequest,
  account: (key: string) => { number: string; label: string },
): string[] {
  const books = request.config.currency;
  const converted = inBooksCurrency(ecriture, request);
  return ecriture.lines.map((line, at) => {
    const compte = account(line.account);
    const cents = converted[at]!;
    const foreign = line.currency !== books;
    return [
      ecriture.journal.code,
      ecriture.journal.label,
      String(number),
      compact(ecriture.date),
      compte.number,
      compte.label,
      '',
      '',
      ecriture.pieceRef,
      compact(ecriture.date),
      line.text,
      decimal(cents > 0n ? cents : 0n),
      decimal(cents < 0n ? -cents : 0n),
      '',
      '',
      compact(ecriture.validDate),
      // The amount in its currency unsigned: Debit or Credit says the side.
      foreign ? decimal(line.cents < 0n ? -line.cents : line.cents) : '',
      foreign ? line.currency : '',
    ]
      .map(cell)
      .join('\t');
  });
}

/**
 * Each line's cents in the books' currency: as they are, or converted at destinations.rates.fixed, each currency's
 * lines together so they still balance (convertCents). A currency without a fixed rate is refused by name (exportRate).
 */
function inBooksCurrency(ecriture: Ecriture, request: DestinationExportRequest): bigint[] {
  const converted = ecriture.lines.map((line) => line.cents);
  for (const currency of new Set(ecriture.lines.map((line) => line.currency))) {
    if (currency === request.config.currency) continue;
    const rate = exportRate(request, currency, `FEC: ${ecriture.pieceRef}`);
    const at = ecriture.lines.flatMap((line, index) => (line.currency === currency ? [index] : []));
    const cents = convertCents(
      at.map((index) => ecriture.lines[index]!.cents),
      parseRate(rate),
    );
    at.forEach((index, position) => (converted[index] = cents[position]!));
  }
  return converted;
}

/**
 * The à-nouveaux of a window starting `from`: each account's balance before it, in cents; of a revenue or expense
 * account only what the fiscal year moved it by before `from`, earlier years' results carried together to the
 * report à nouveau (a ledger of 2025 with 100.00 revenue opens 2026 with Cr 110000 100.00, no revenue line).
 */
async function openingLines(reads: LedgerReads, request: DestinationExportRequest, from: string): Promise<FecLine[]> {
  const chart = request.mappings.chart.accounts;
  const resultOf = (account: string) => ['revenue', 'expense'].includes(chart[account]?.type ?? '');
  const before = await reads.movementsBefore(from);
  const beforeYear = await reads.movementsBefore(request.fiscalYear!.start);
  const net = new Map<string, FecLine>();
  const add = (account: string, currency: string, cents: bigint, text: string) => {
    const key = `${account}\u0000${currency}`;
    const line = net.get(key) ?? { account, currency, cents: 0n, text };
    line.cents += cents;
    net.set(key, line);
  };
  for (const row of before) add(row.account, row.currency, row.debitCents - row.creditCents, 'A nouveau');
  for (const row of beforeYear.filter((candidate) => resultOf(candidate.account))) {
    const cents = row.debitCents - row.creditCents;
    add(row.account, row.currency, -cents, 'A nouveau');
    add(RESULT, row.currency, cents, 'Report à nouveau');
  }
  return [...net.values()].filter((line) => line.cents !== 0n);
}

/** The key the report à nouveau is carried under in the opening lines: fec.yaml's opening.resultAccount. */
const RESULT = '\u0000result';

function decimal(cents: bigint): string {
  return formatCents(cents).replace('.', ',');
}

function compact(date: string): string {
  return date.replaceAll('-', '');
}

/** A field holds no tab and no line break: each would break the file's records. */
function cell(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}
