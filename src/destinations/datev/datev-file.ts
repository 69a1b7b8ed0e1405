import { createHash } from 'node:crypto';
import { UsageError } from '../../errors.js';
import { convertEachCents, formatCents, parseRate } from '../../money/index.js';
import type { LedgerReads } from '../../reads/books/ledger-reads.js';
import type { DestinationExportRequest } from '../destination-kind.js';
import { bookingPairs, type BookingPair } from './booking-pairs.js';
import { datevMappingOf, taxKeyOf, type DatevSection } from './datev-settings.js';
import { encodeIn } from '../code-pages.js';
import { exportRate } from '../export-rate.js';

/** The columns of a booking line this file fills, the first of format version 13's, in DATEV's order. */
const COLUMNS = [
  'Umsatz (ohne Soll/Haben-Kz)',
  'Soll/Haben-Kennzeichen',
  'WKZ Umsatz',
  'Kurs',
  'Basis-Umsatz',
  'WKZ Basis-Umsatz',
  'Konto',
  'Gegenkonto (ohne BU-Schlüssel)',
  'BU-Schlüssel',
  'Belegdatum',
  'Belegfeld 1',
  'Belegfeld 2',
  'Skonto',
  'Buchungstext',
];

/** Belegfeld 1 takes at most 36 of A–Z a–z 0–9 $ & % * + - / (DATEV's Formatbeschreibung). */
const BELEGFELD_LENGTH = 36;
const BUCHUNGSTEXT_LENGTH = 60;
const BEZEICHNUNG_LENGTH = 30;

interface DatevWindow {
  from: string;
  to: string;
  fiscalYear: { start: string; end: string };
}

/**
 * The window a Buchungsstapel covers: the request's, each end left open taken from the fiscal year; DATEV takes one
 * fiscal year a file, so a window across two is refused. Example: fiscal year from 01-01, --from 2026-03-01 alone →
 * 2026-03-01…2026-12-31; --from 2025-12-01 --to 2026-01-31 refused.
 */
export function datevWindow(request: DestinationExportRequest): DatevWindow {
  const fiscalYear = request.fiscalYear!;
  const from = request.from ?? fiscalYear.start;
  const to = request.to ?? fiscalYear.end;
  if (from < fiscalYear.start)
    throw new UsageError(
      `DATEV takes one fiscal year a file: ${from}…${to} starts before the fiscal year ${fiscalYear.start}…` +
        `${fiscalYear.end}; export each year apart (--from ${fiscalYear.start})`,
    );
  return { from, to, fiscalYear };
}

/**
 * The whole Buchungsstapel, in Windows-1252: the header, the column headings, then a booking line per pair of
 * accounts of each entry in book order (bookingPairs). Built whole before a byte is written, so an account without a
 * number or a text the code page cannot hold is refused with nothing written.
 */
export async function datevFile(
  reads: LedgerReads,
  request: DestinationExportRequest,
  section: DatevSection,
): Promise<{ bytes: Buffer; entries: number; bookings: number; byEvent: number }> {
  const window = datevWindow(request);
  const mapping = datevMappingOf(request.mappings)!;
  checkAccountLengths(mapping, section.accountLength);
  const numberOf = (account: string): string => {
    const mapped = mapping.accounts[account];
    if (mapped === undefined)
      throw new UsageError(
        `${mapping.file} at accounts.${account}: has no DATEV account number, and the window books to it; add it (nothing was written)`,
      );
    return mapped.account;
  };
  const bookings = await reads.entryBookings({ from: window.from, to: window.to });
  const lines: string[] = [headerLine(request, section, window), COLUMNS.join(';')];
  let entries = 0;
  let byEvent = 0;
  for await (const entry of reads.journal.renderedEntries({ from: window.from, to: window.to })) {
    entries += 1;
    const events = bookings.get(entry.id)?.events ?? [];
    const paired = bookingPairs(entry, events, request.mappings.chart.events, entry.description);
    if (paired.byEvent) byEvent += 1;
    for (const pair of paired.pairs) {
      const base = inBooksCurrency(pair, entry.id, request);
      lines.push(bookingLine(entry, pair, base, numberOf, taxKeyOf(mapping.accounts, pair)));
    }
  }
  const text = lines.map((line) => `${line}\r\n`).join('');
  const bytes = encodeIn('windows-1252', text, (offset) => whereIs(text, offset));
  return { bytes, entries, bookings: lines.length - 2, byEvent };
}

/**
 * Each number of mappings/datev.yaml against the header's Sachkontenlänge, booked in the window or not: DATEV reads a
 * G/L account as exactly that many digits and a personal account (Debitor/Kreditor) as one more, so at length 4
 * "1200" is a G/L account and "10000" a Debitor; "120" or "12000" marked G/L would book elsewhere, and is refused.
 */
function checkAccountLengths(
  mapping: { file: string; accounts: Readonly<Record<string, { account: string; personal?: boolean | undefined }>> },
  accountLength: number,
): void {
  for (const [key, { account, personal }] of Object.entries(mapping.accounts)) {
    const expected = personal === true ? accountLength + 1 : accountLength;
    if (account.length === expected) continue;
    const rule =
      personal === true
        ? `a personal account (personal: true) has one digit more than the Sachkontenlänge ` +
          `(destinations.datev.accountLength ${accountLength}): ${expected}`
        : `a G/L account has the Sachkontenlänge (destinations.datev.accountLength) of ${accountLength} ` +
          `(a Debitor or Kreditor one more: mark it personal: true)`;
    throw new UsageError(
      `${mapping.file} at accounts.${key}: "${account}" has ${account.length} digits; ${rule}; nothing was written`,
    );
  }
}

/** Which line holds the character at `offset`, as a refusal names it: "DATEV line 12 (Belegfeld 1 \"je-smm-panel-2026-03-02\")". */
export function whereIs(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\r\n');
  const line = text.split('\r\n')[before.length - 1] ?? '';
  return before.length === 1 ? 'the DATEV header' : `DATEV line ${before.length} (${line.slice(0, 120)})`;
}

/** The header: format, version, when made, the adviser and client, the fiscal year, account length, window, chart. */
function headerLine(request: DestinationExportRequest, section: DatevSection, window: DatevWindow): string {
  const madeAt = request.madeAt.replace(/\D/g, '').padEnd(17, '0').slice(0, 17);
  const label = `ledgerline ${compact(window.from)}-${compact(window.to)}`.slice(0, BEZEICHNUNG_LENGTH);
  const fields: (string | number)[] = [
    quoted('EXTF'),
    700,
    21,
    quoted('Buchungsstapel'),
    13,
    madeAt,
    '',
    quoted('RE'),
    quoted('ledgerline'),
    '',
    section.adviser,
    section.client,
    compact(window.fiscalYear.start),
    section.accountLength,
    compact(window.from),
    compact(window.to),
    quoted(label),
    '',
    1,
    0,
    0,
    quoted(request.config.currency),
    '',
    '',
    '',
    '',
    quoted(section.chart.slice(3)),
    '',
    '',
    '',
    '',
  ];
  return fields.join(';');
}

/** Kurs, Basis-Umsatz and WKZ Basis-Umsatz of a pair in another currency than the books'. */
interface BaseAmount {
  kurs: string;
  cents: bigint;
  currency: string;
}

/** Kurs holds at most 4 digits before DATEV's decimal comma and 2 to 6 after (DATEV's Formatbeschreibung). */
const KURS = /^(\d{1,4})(?:\.(\d{1,6}))?$/;

/**
 * A pair in another currency than the books' at the export's rate (exportRate): Kurs the rate with DATEV's comma and
 * its own decimals (at least two), Basis-Umsatz the amount at it, half-even to the cent. Example: 10.01 USD at "0.9"
 * → Kurs 0,90, Basis-Umsatz 9,01 EUR (9.009). A rate Kurs cannot hold is refused by name, not rounded.
 */
function inBooksCurrency(
  pair: BookingPair,
  entryId: string,
  request: DestinationExportRequest,
): BaseAmount | undefined {
  const books = request.config.currency;
  if (pair.currency === books) return undefined;
  const rate = exportRate(request, pair.currency, `DATEV: ${entryId}`);
  const written = KURS.exec(
    rate
      .replace(/^0+(?=\d)/, '')
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, ''),
  );
  if (written === null)
    throw new UsageError(
      `destinations.rates.fixed.${pair.currency} "${rate}": DATEV's Kurs takes at most 4 digits before the decimal comma ` +
        `and 6 after; give the rate with at most 6 decimals (nothing was written)`,
    );
  const kurs = `${written[1]},${(written[2] ?? '').padEnd(2, '0')}`;
  return { kurs, cents: convertEachCents([pair.cents], parseRate(rate))[0]!, currency: books };
}

/**
 * One booking: the amount positive with S (Konto debited) in its currency, in the books' at Kurs where another, its
 * accounts, tax key, date DDMM, the entry's id, words.
 */
function bookingLine(
  entry: { id: string; date: string },
  pair: BookingPair,
  base: BaseAmount | undefined,
  numberOf: (account: string) => string,
  taxKey: string,
): string {
  return [
    formatCents(pair.cents).replace('.', ','),
    quoted('S'),
    quoted(pair.currency),
    base === undefined ? '' : base.kurs,
    base === undefined ? '' : formatCents(base.cents).replace('.', ','),
    base === undefined ? '' : quoted(base.currency),
    numberOf(pair.debit),
    numberOf(pair.credit),
    taxKey === '' ? '' : quoted(taxKey),
    `${entry.date.slice(8, 10)}${entry.date.slice(5, 7)}`,
    quoted(belegfeld(entry.id)),
    '',
    '',
    quoted(pair.text.slice(0, BUCHUNGSTEXT_LENGTH)),
  ].join(';');
}

/**
 * An entry's id as Belegfeld 1 takes it: each character DATEV does not allow made "-", and an id then longer than 36
 * kept as its first 27 characters, "-" and 8 hex digits of its hash, so two long ids stay apart.
 * Example: "je:smm-panel:2026-03-02:r2" → "je-smm-panel-2026-03-02-r2".
 */
export function belegfeld(id: string): string {
  const allowed = id.replace(/[^A-Za-z0-9$&%*+\-/]/g, '-');
  if (allowed.length <= BELEGFELD_LENGTH) return allowed;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `${allowed.slice(0, BELEGFELD_LENGTH - 9)}-${hash}`;
}

function quoted(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function compact(date: string): string {
  return date.replaceAll('-', '');
}
