import { createReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import { isCalendarDate } from '../../calendar/index.js';
import { StatementFormatError } from '../../errors.js';
import { statementAmount, type StatementFacts, type UnnamedLine } from './statement-line.js';
import type { CsvColumnMap, CsvDateFormat } from './bank-statement-config.js';

/** Rows handed on at a time: the file is never held whole. */
const ROWS_PER_BATCH = 1000;

/** The map's keys that name a column of the file. */
const MAPPED = ['date', 'amount', 'credit', 'debit', 'reference', 'description', 'id', 'currency', 'balance'] as const;
type Mapped = (typeof MAPPED)[number];

/**
 * Reads a CSV statement with csv-parse (already the orders files' reader), its columns found by the header
 * names the source's `csv:` map gives. A map naming a column the header lacks is refused naming the key and
 * the header's columns; a row whose date or amount does not read, naming its line and column (after the rows
 * before it were handed on: whoever lands them must drop them). With a `balance` column (the account's balance
 * after each line), `facts.balances` holds the statement's opening and closing once the rows are read.
 */
export async function* readCsvStatement(
  path: string,
  file: string,
  at: { map: CsvColumnMap; currency: string; facts: StatementFacts },
): AsyncGenerator<UnnamedLine[]> {
  const { map, currency, facts } = at;
  const rows = createReadStream(path).pipe(
    parse({ bom: true, delimiter: map.delimiter, skip_empty_lines: true, trim: true, info: true }),
  );
  let lines: UnnamedLine[] = [];
  let columns: Map<Mapped, number> | undefined;
  try {
    for await (const { record, info } of rows as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (columns === undefined) {
        columns = columnsOf(record, map, file);
        continue;
      }
      const place = { map, file, line: info.lines, currency };
      const line = csvLine(record, columns, place);
      lines.push(line);
      if (columns.has('balance')) keepBalance(facts, line, cellAmount(record, columns, 'balance', place), currency);
      if (lines.length === ROWS_PER_BATCH) {
        yield lines;
        lines = [];
      }
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new StatementFormatError(
      file,
      `line ${String((error as CsvError & { lines?: number }).lines ?? '?')}`,
      `not CSV (${error.message})`,
    );
  }
  if (columns === undefined) throw new StatementFormatError(file, 'line 1', 'no header row');
  if (lines.length > 0) yield lines;
}

function columnsOf(header: readonly string[], map: CsvColumnMap, file: string): Map<Mapped, number> {
  const columns = new Map<Mapped, number>();
  for (const key of MAPPED) {
    const name = map[key];
    if (name === undefined) continue;
    const index = header.indexOf(name);
    if (index === -1)
      throw new StatementFormatError(
        file,
        'line 1 (the header)',
        `the column map's csv.${key} names "${name}", which is not a column; the header has ` +
          `${header.map((column) => `"${column}"`).join(', ')} (fix csv.${key} in ledgerline.yaml)`,
      );
    columns.set(key, index);
  }
  return columns;
}

interface CsvPlace {
  map: CsvColumnMap;
  file: string;
  line: number;
  currency: string;
}

function csvLine(record: readonly string[], columns: Map<Mapped, number>, at: CsvPlace): UnnamedLine {
  const cell = (key: Mapped) => cellText(record, columns, key);
  const amountMicros =
    at.map.amount !== undefined
      ? cellAmount(record, columns, 'amount', at)
      : cellAmount(record, columns, 'credit', at) - absolute(cellAmount(record, columns, 'debit', at));
  return {
    lineId: cell('id'),
    bookedOn: csvDate(cell('date') ?? '', at.map.dateFormat, at.file, place(at, 'date')),
    amountMicros,
    currency: cell('currency') || at.currency,
    reference: cell('reference') ?? '',
    description: cell('description') ?? '',
  };
}

function cellText(record: readonly string[], columns: Map<Mapped, number>, key: Mapped): string | undefined {
  const index = columns.get(key);
  return index === undefined ? undefined : (record[index] ?? '');
}

function place(at: CsvPlace, key: Mapped): string {
  return `line ${at.line}, column "${at.map[key] ?? key}"`;
}

/** An amount cell as the map writes decimals (an empty cell: 0). */
function cellAmount(record: readonly string[], columns: Map<Mapped, number>, key: Mapped, at: CsvPlace): bigint {
  const written = cellText(record, columns, key) ?? '';
  if (written === '') return 0n;
  const plain = at.map.decimalComma ? written.replace(/\./g, '').replace(',', '.') : written.replace(/,/g, '');
  return statementAmount(plain, at.file, place(at, key));
}

/**
 * The statement's balances from its rows' `balance` column: the opening before the earliest line (its balance less
 * its amount), the closing after the latest (the last row of its day). Example: rows 2026-10-02 −800.00 balance
 * 200.00, then 2026-10-16 +312.40 balance 512.40 → opening 1,000.00 on 10-02, closing 512.40 on 10-16; a file
 * written newest first gives the same.
 */
function keepBalance(facts: StatementFacts, line: UnnamedLine, balance: bigint, currency: string): void {
  const balances = (facts.balances ??= { currency, opening: null, closing: null });
  if (balances.opening === null || line.bookedOn < balances.opening.on)
    balances.opening = { amountMicros: balance - line.amountMicros, on: line.bookedOn };
  if (balances.closing === null || line.bookedOn >= balances.closing.on)
    balances.closing = { amountMicros: balance, on: line.bookedOn };
}

function absolute(micros: bigint): bigint {
  return micros < 0n ? -micros : micros;
}

/** "14/11/2026" as DD/MM/YYYY → 2026-11-14; the format is the map's, a date that does not fit it is refused. */
function csvDate(written: string, format: CsvDateFormat, file: string, place: string): string {
  const separator = format.charAt(2);
  const [first = '', second = '', year = ''] = written.split(separator);
  const date =
    format === 'YYYY-MM-DD'
      ? written
      : format === 'MM/DD/YYYY'
        ? `${year}-${first}-${second}`
        : `${year}-${second}-${first}`;
  if (!isCalendarDate(date))
    throw new StatementFormatError(file, place, `"${written}" is not a date written ${format}`);
  return date;
}
