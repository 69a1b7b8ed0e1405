import { parse } from 'csv-parse/sync';
import { printable } from '../../log/index.js';
import type { ConfigProblem } from '../../errors.js';
import { commonDate, fileInstant } from './orders-file-date.js';

/** Columns of an orders file (DESIGN §4); quantity and created_at may be left out. */
const ORDERS_FILE_COLUMNS = ['order_id', 'service', 'quantity', 'created_at'] as const;
const REQUIRED_COLUMNS = ['order_id', 'service'] as const;

export interface OrdersFileOrder {
  orderId: string;
  service: string;
  quantity?: bigint;
  /** An ISO 8601 instant: "2026-03-02" → "2026-03-02T00:00:00.000Z". */
  createdAt?: string;
}

/** A problem at a line of the file; usable as a ConfigProblem (path "line 7"). */
export interface OrdersFileProblem extends ConfigProblem {
  line: number;
}

export interface OrdersFileReading {
  orders: OrdersFileOrder[];
  /** Bad rows are listed here and skipped; the rest of the file is still read. */
  problems: OrdersFileProblem[];
  /** False when the header itself is unusable (a required column missing): nothing was read. */
  headerUsable: boolean;
}

/** What csv-parse's `trim` strips around a field: CR, LF, form feed, space and tab. */
const AROUND_FIELD = /^[\r\n\f \t]+|[\r\n\f \t]+$/g;
/**
 * A line without quotes is split on commas directly, as csv-parse would split
 * it: a parser per line cost about 40 µs, 4 s for a file of 100,000 orders.
 */
const trimField = (field: string) => field.replace(AROUND_FIELD, '');

const blankAsAbsent = (text: string | undefined) => (text === undefined || text === '' ? undefined : text);

const ORDER_ID = /^[^\s,\u0000-\u001f\u007f-\u009f]+$/;

/** csv-parse's reason for a row, in a few words (its own message repeats the whole parser state). */
function csvReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'a quote is opened and never closed';
  if (code === 'CSV_INVALID_CLOSING_QUOTE') return 'a quote is closed in the middle of a field';
  return error instanceof Error ? error.message.replace(/ at line 1\b/, '') : String(error);
}

/** "\r\n" ends a line as "\n" does; a lone "\r" stays in the line. */
export function withoutCarriageReturn(lineText: string, endedByNewline: boolean): string {
  return endedByNewline && lineText.charCodeAt(lineText.length - 1) === 13 ? lineText.slice(0, -1) : lineText;
}

/** A line without quotes, carriage returns or whitespace is split on commas as it is. */
const NEEDS_PARSER_OR_TRIM = /["\r\f\t\n ]/;
/** "whole number above 0" without making a bigint to compare. */
const POSITIVE_WHOLE = /^\d*[1-9]\d*$/;

/**
 * isoInstant for a file's rows, remembering the last few hundred texts: an export repeats the
 * same dates on thousands of rows, and reading each again was a tenth of a first import's parse.
 */
function rememberingIsoInstant(): (text: string) => string | undefined {
  const known = new Map<string, string | undefined>();
  return (text) => {
    if (known.has(text)) return known.get(text);
    if (known.size >= 512) known.clear();
    const instant = fileInstant(text);
    known.set(text, instant);
    return instant;
  };
}

/** What an orders file says besides its orders, once all its lines are read. */
export type OrdersFileVerdict = Omit<OrdersFileReading, 'orders'>;

/**
 * Reads an orders CSV a line at a time (`read` gives each good row's order); a bad row is
 * reported with its line and skipped, never stopping the rest. `end` gives the problems.
 */
export function ordersFileParser(file: string): {
  read: (lineText: string, line: number) => OrdersFileOrder | undefined;
  hasUsableHeader: () => boolean;
  end: () => OrdersFileVerdict;
} {
  // Problems are listed as before rows were read one at a time: unreadable lines, then the header, then rows.
  const lineProblems: OrdersFileProblem[] = [];
  const headerProblems: OrdersFileProblem[] = [];
  const rowProblems: OrdersFileProblem[] = [];
  // Every message about a row is escaped alike: a binary file or a stray byte never reaches the terminal raw.
  const problem = (list: OrdersFileProblem[], line: number, message: string) =>
    list.push({ file, line, path: `line ${line}`, message: printable(message, 200) });
  const problems = () => [...lineProblems, ...headerProblems, ...rowProblems];
  const instantOf = rememberingIsoInstant();

  let columns: string[] | undefined;
  let headerUsable = true;
  let at: ColumnPositions | undefined;
  const firstLineOf = new Map<string, number>();
  const read = (lineText: string, line: number): OrdersFileOrder | undefined => {
    if (lineText.trim() === '') return undefined;
    const record = fieldsOf(lineText, (reason) => problem(lineProblems, line, reason));
    if (!record) return undefined;
    if (columns === undefined) {
      columns = record.map((name) => name.toLowerCase());
      const header = readHeader(columns);
      for (const message of header.problems) problem(headerProblems, line, message);
      at = header.at;
      headerUsable = at !== undefined;
      return undefined;
    }
    if (!headerUsable || at === undefined) return undefined;
    if (record.length !== columns.length) {
      problem(
        rowProblems,
        line,
        `the row ${JSON.stringify(record.join(','))} has ${record.length} fields; the header has ${columns.length}`,
      );
      return undefined;
    }
    const order = orderOfRow(record, at, instantOf);
    if (typeof order === 'string') {
      // The row is refused by its order id when it has one, so the person finds the order, not only the line.
      const orderId = record[at.orderId];
      problem(
        rowProblems,
        line,
        orderId !== undefined && ORDER_ID.test(orderId) ? `order ${orderId}: ${order}` : order,
      );
      return undefined;
    }
    const seenAt = firstLineOf.get(order.orderId);
    if (seenAt !== undefined) {
      problem(rowProblems, line, `order ${order.orderId} is already listed on line ${seenAt}`);
      return undefined;
    }
    firstLineOf.set(order.orderId, line);
    return order;
  };
  const end = (): OrdersFileVerdict => {
    if (columns === undefined) {
      problem(headerProblems, 1, `the file is empty; expected the header ${ORDERS_FILE_COLUMNS.join(',')}`);
      return { problems: problems(), headerUsable: false };
    }
    return { problems: problems(), headerUsable };
  };
  return { read, hasUsableHeader: () => columns !== undefined && headerUsable, end };
}

/** Where each column of the header stands in a row. */
interface ColumnPositions {
  orderId: number;
  service: number;
  quantity: number;
  createdAt: number;
}

/**
 * A line's fields. Each line is parsed on its own: a broken quote then costs one row, not the rest of the file
 * (order ids and service ids never hold line breaks). Undefined, after `refuse`, for a line that cannot be read.
 */
function fieldsOf(lineText: string, refuse: (reason: string) => void): string[] | undefined {
  if (!NEEDS_PARSER_OR_TRIM.test(lineText)) return lineText.split(',');
  if (!lineText.includes('"') && !lineText.includes('\r')) return lineText.split(',').map(trimField);
  try {
    const [record] = parse(lineText, { trim: true, relax_column_count: true }) as string[][];
    return record;
  } catch (error) {
    refuse(`cannot read the row ${JSON.stringify(lineText)}: ${csvReason(error)}`);
    return undefined;
  }
}

/** The header's column positions (undefined when a required column is missing) and what is wrong with it. */
function readHeader(columns: readonly string[]): { at: ColumnPositions | undefined; problems: string[] } {
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length > 0) {
    return {
      at: undefined,
      problems: [
        `the header has no ${missing.join(' or ')} column; expected ${ORDERS_FILE_COLUMNS.join(',')} (quantity and created_at optional)`,
      ],
    };
  }
  const unknown = columns.filter((name) => !(ORDERS_FILE_COLUMNS as readonly string[]).includes(name));
  const problems =
    unknown.length > 0
      ? [`unknown column ${unknown.join(', ')} ignored; expected ${ORDERS_FILE_COLUMNS.join(',')}`]
      : [];
  // A column named twice: its last value counts, as in an object built from the row.
  const at = {
    orderId: columns.lastIndexOf('order_id'),
    service: columns.lastIndexOf('service'),
    quantity: columns.lastIndexOf('quantity'),
    createdAt: columns.lastIndexOf('created_at'),
  };
  return { at, problems };
}

/**
 * A row's order, or what is wrong with it: each field's problem, in column order. A row is checked by hand,
 * not through a zod schema: the schema cost about 20 µs a row, 4 s for a file of 200,000 orders.
 */
function orderOfRow(
  record: readonly string[],
  at: ColumnPositions,
  instantOf: (text: string) => string | undefined,
): OrdersFileOrder | string {
  const orderId = record[at.orderId] ?? '';
  const service = record[at.service] ?? '';
  const quantity = blankAsAbsent(record[at.quantity]);
  const createdAtText = blankAsAbsent(record[at.createdAt]);
  const createdAt = createdAtText === undefined ? undefined : instantOf(createdAtText);
  const problems: string[] = [];
  if (!ORDER_ID.test(orderId)) problems.push('order_id must be one word without spaces, commas or control characters');
  if (service === '') problems.push('service is empty');
  if (quantity !== undefined && !POSITIVE_WHOLE.test(quantity))
    problems.push(`quantity must be a whole number above 0, got ${JSON.stringify(quantity)}`);
  if (createdAtText !== undefined && createdAt === undefined) problems.push(`created_at ${whyNotADate(createdAtText)}`);
  if (problems.length > 0) return problems.join('; ');
  return { orderId, service, quantity: quantity === undefined ? undefined : BigInt(quantity), createdAt };
}

/** Why created_at does not read: a slashed date that could be either day or month first, or no date at all. */
function whyNotADate(text: string): string {
  const common = commonDate(text);
  return common !== undefined && 'ambiguous' in common
    ? common.ambiguous
    : `must be a date such as 2026-03-14, 14.03.2026 or 14/03/2026, or an ISO 8601 date-time, got ${JSON.stringify(text)}`;
}
