import { createReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import { isCalendarDate } from '../../calendar/index.js';
import { StatementFormatError } from '../../errors.js';
import type { StatementBalances } from '../../rules/index.js';
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
    parse({
      ...{ bom: true, delimiter: map.delimiter, skip_empty_lines: true, trim: true, info: true },
      relax_column_count: true,
    }),
  );
  let lines: UnnamedLine[] = [];
  let columns: Map<Mapped, number> | undefined;
  const header = new HeaderSearch(map, file);
  const balances = new BalanceColumn();
  try {
    for await (const { record, info } of rows as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (columns === undefined) {
        columns = header.columnsAt(record);
        continue;
      }
      header.checkLength(record, info.lines);
      const place = { map, file, line: info.lines, currency };
      const line = csvLine(record, columns, place);
      lines.push(line);
      if (columns.has('balance'))
        balances.add(
          line,
          cellText(record, columns, 'balance')
            ? cellAmount(record, columns, 'balance', { ...place, currency: line.currency })
            : undefined,
        );
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
  if (columns === undefined) header.noHeader();
  const statementBalances = balances.statementBalances(currency);
  if (statementBalances !== undefined) facts.balances = statementBalances;
  if (lines.length > 0) yield lines;
}

/** Lines a bank writes about the account before the header row (Nationwide: name, balance, available balance, a blank). */
const MOST_ROWS_BEFORE_HEADER = 20;

/**
 * The header row: the first naming the map's date column, within the first rows (those before it, a bank's lines
 * about the account, passed over); else the first row, whose missing columns are named as before. After it, each
 * row has the header's number of cells. Example: "Account Name:,FlexAccount", "Account Balance:,£1,234.56", then
 * "Date,Transaction type,Description,Paid out,Paid in,Balance" → the third row is the header.
 */
class HeaderSearch {
  private first: string[] | undefined;
  private passed = 0;
  private cells = 0;

  constructor(
    private readonly map: CsvColumnMap,
    private readonly file: string,
  ) {}

  /** The columns when `record` is the header, else undefined (a row before it). */
  columnsAt(record: string[]): Map<Mapped, number> | undefined {
    this.first ??= record;
    if (!record.includes(this.map.date) && ++this.passed <= MOST_ROWS_BEFORE_HEADER) return undefined;
    const header = record.includes(this.map.date) ? record : this.first;
    this.cells = header.length;
    return columnsOf(header, this.map, this.file);
  }

  checkLength(record: readonly string[], line: number): void {
    if (record.length !== this.cells)
      throw new StatementFormatError(
        this.file,
        `line ${line}`,
        `has ${record.length} cells, and the header ${this.cells}: not CSV as its header writes it`,
      );
  }

  noHeader(): never {
    if (this.first !== undefined) columnsOf(this.first, this.map, this.file);
    throw new StatementFormatError(this.file, 'line 1', 'no header row');
  }
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
  const currency = cell('currency') || at.currency;
  const inCurrency = { ...at, currency };
  const amountMicros =
    at.map.amount !== undefined
      ? cellAmount(record, columns, 'amount', inCurrency)
      : cellAmount(record, columns, 'credit', inCurrency) - absolute(cellAmount(record, columns, 'debit', inCurrency));
  return {
    lineId: cell('id'),
    bookedOn: csvDate(cell('date') ?? '', at.map.dateFormat, at.file, place(at, 'date')),
    amountMicros,
    currency,
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

/** An amount cell as the map writes decimals (an empty cell: 0), in the row's currency, no more decimals than it has. */
function cellAmount(record: readonly string[], columns: Map<Mapped, number>, key: Mapped, at: CsvPlace): bigint {
  const written = cellText(record, columns, key) ?? '';
  if (written === '') return 0n;
  // A pound, dollar or euro sign is the currency the column is in, as banks write it: "£1,234.56", "-£50.00".
  const unsigned = written.replace(/^(-?)[£$€]/, '$1');
  const plain = at.map.decimalComma ? unsigned.replace(/\./g, '').replace(',', '.') : unsigned.replace(/,/g, '');
  return statementAmount(plain, at.file, place(at, key), at.currency);
}

/** A row with a balance: the sum of the amounts of the rows before it in the file, its amount, and its balance. */
interface BalancedRow {
  before: bigint;
  amount: bigint;
  balance: bigint;
}

/**
 * The statement's balances from its rows' `balance` column, the rows written oldest first or newest first (as many
 * banks export), a balance written on every row or only on some (a day's last, the others empty): the opening
 * before the earliest line is the chronologically first balance less what the lines up to it moved, the closing
 * after the latest line the last balance plus what the lines after it moved. Which way the rows run is said by
 * their dates (one later than the row after it: newest first), or, in a file of one day, by the balances (the
 * second row's after-balance is the first's before-balance: newest first). Example, newest first: 10-05 −25.00
 * balance 925.00; 10-02 +200.00 950.00; 10-02 −50.00 (empty); 10-02 −200.00 (empty) → opening 1,000.00 on 10-02
 * (950.00 less the day's −200.00, −50.00 and +200.00), closing 925.00 on 10-05.
 */
class BalanceColumn {
  private total = 0n;
  private firstBalanced: BalancedRow | undefined;
  private lastBalanced: BalancedRow | undefined;
  private readonly firstTwo: (BalancedRow | undefined)[] = [];
  private earliest: string | undefined;
  private latest: string | undefined;
  private previousDay: string | undefined;
  private newestFirst: boolean | undefined;

  add(line: UnnamedLine, balance: bigint | undefined): void {
    const row = balance === undefined ? undefined : { before: this.total, amount: line.amountMicros, balance };
    this.total += line.amountMicros;
    if (this.firstTwo.length < 2) this.firstTwo.push(row);
    if (row !== undefined) {
      this.firstBalanced ??= row;
      this.lastBalanced = row;
    }
    const on = line.bookedOn;
    if (this.previousDay !== undefined && on !== this.previousDay) this.newestFirst ??= on < this.previousDay;
    this.previousDay = on;
    if (this.earliest === undefined || on < this.earliest) this.earliest = on;
    if (this.latest === undefined || on > this.latest) this.latest = on;
  }

  /** Undefined when no row had a balance. */
  statementBalances(currency: string): StatementBalances | undefined {
    const { firstBalanced: first, lastBalanced: last, earliest, latest } = this;
    if (first === undefined || last === undefined || earliest === undefined || latest === undefined) return undefined;
    const [one, two] = this.firstTwo;
    const chainsBack =
      one !== undefined &&
      two !== undefined &&
      two.balance === one.balance - one.amount &&
      two.balance - two.amount !== one.balance;
    const opening =
      (this.newestFirst ?? chainsBack)
        ? last.balance - (this.total - last.before)
        : first.balance - (first.before + first.amount);
    const closing =
      (this.newestFirst ?? chainsBack)
        ? first.balance + first.before
        : last.balance + (this.total - last.before - last.amount);
    return {
      currency,
      opening: { amountMicros: opening, on: earliest },
      closing: { amountMicros: closing, on: latest },
    };
  }
}

function absolute(micros: bigint): bigint {
  return micros < 0n ? -micros : micros;
}

/**
 * "14/11/2026" as DD/MM/YYYY ("14.11.2026" as DD.MM.YYYY, "14 Nov 2026" as DD MMM YYYY) → 2026-11-14; a date that
 * does not fit the map's format is refused.
 */
function csvDate(written: string, format: CsvDateFormat, file: string, place: string): string {
  const separator = format.charAt(2);
  const [first = '', second = '', year = ''] = written.split(separator);
  const month = format === 'DD MMM YYYY' ? monthNumber(second) : second;
  const date =
    format === 'YYYY-MM-DD'
      ? written
      : format === 'MM/DD/YYYY'
        ? `${year}-${first}-${second}`
        : `${year}-${month}-${first.padStart(2, '0')}`;
  if (!isCalendarDate(date))
    throw new StatementFormatError(file, place, `"${written}" is not a date written ${format}`);
  return date;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "Nov" (any case) → "11"; a word that is no month's abbreviation → itself, which no date reads. */
function monthNumber(written: string): string {
  const index = MONTHS.indexOf(written.toLowerCase());
  return index === -1 ? written : String(index + 1).padStart(2, '0');
}
