import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { printable } from '../../log/printable.js';
import { ConfigError, type ConfigProblem } from '../../errors.js';
import { isCalendarDate, readIsoDateTime } from '../../calendar/index.js';

/** Columns of an orders file (DESIGN §4); quantity and created_at may be left out. */
export const ORDERS_FILE_COLUMNS = ['order_id', 'service', 'quantity', 'created_at'] as const;
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

const ORDER_ID = /^[^\s,]+$/;

const OrdersFileRowSchema = z.object({
  order_id: z.string().regex(ORDER_ID, 'order_id must be one word without spaces or commas'),
  service: z.string().min(1, 'service is empty'),
  quantity: z
    .string()
    .optional()
    .transform((text, ctx) => {
      const value = blankAsAbsent(text);
      if (value === undefined) return undefined;
      if (!/^\d+$/.test(value) || BigInt(value) === 0n) {
        ctx.addIssue({ code: 'custom', message: `quantity must be a whole number above 0, got ${JSON.stringify(value)}` });
        return z.NEVER;
      }
      return BigInt(value);
    }),
  created_at: z
    .string()
    .optional()
    .transform((text, ctx) => {
      const value = blankAsAbsent(text);
      if (value === undefined) return undefined;
      const instant = isoInstant(value);
      if (instant === undefined) {
        ctx.addIssue({ code: 'custom', message: `created_at must be an ISO 8601 date or date-time, got ${JSON.stringify(value)}` });
        return z.NEVER;
      }
      return instant;
    }),
});

/** csv-parse's reason for a row, in a few words (its own message repeats the whole parser state). */
function csvReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'a quote is opened and never closed';
  if (code === 'CSV_INVALID_CLOSING_QUOTE') return 'a quote is closed in the middle of a field';
  return error instanceof Error ? error.message.replace(/ at line 1\b/, '') : String(error);
}

/**
 * Each line of the text with its number, read in place: a file of 200,000
 * orders is never held again as an array of lines or of records.
 */
function* linesOf(text: string): Generator<{ lineText: string; line: number }> {
  let start = text.startsWith('\ufeff') ? 1 : 0;
  for (let line = 1; start <= text.length; line += 1) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    // "\r\n" ends a line as "\n" does; a lone "\r" stays in the line.
    const lineText = text.slice(start, newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : end);
    yield { lineText, line };
    start = end + 1;
  }
}

/**
 * Whether the row passes OrdersFileRowSchema, checked by hand: the schema
 * cost about 20 µs a row, 4 s for a file of 200,000 orders. A row it refuses
 * goes through the schema, which words the problem.
 */
function plainlyValid(orderId: string | undefined, service: string | undefined, quantity: string | undefined, createdAt: string | undefined): boolean {
  if (orderId === undefined || !ORDER_ID.test(orderId) || service === undefined || service === '') return false;
  const count = blankAsAbsent(quantity);
  if (count !== undefined && (!/^\d+$/.test(count) || BigInt(count) === 0n)) return false;
  const instant = blankAsAbsent(createdAt);
  return instant === undefined || isoInstant(instant) !== undefined;
}

/** Reads an orders CSV; a bad row is reported with its line and skipped, never stopping the rest. */
export function parseOrdersFile(text: string, file: string): OrdersFileReading {
  // Problems are listed as before rows were read one at a time: unreadable lines, then the header, then rows.
  const lineProblems: OrdersFileProblem[] = [];
  const headerProblems: OrdersFileProblem[] = [];
  const rowProblems: OrdersFileProblem[] = [];
  // Every message about a row is escaped alike: a binary file or a stray byte never reaches the terminal raw.
  const problem = (list: OrdersFileProblem[], line: number, message: string) => list.push({ file, line, path: `line ${line}`, message: printable(message, 200) });
  const problems = () => [...lineProblems, ...headerProblems, ...rowProblems];

  let columns: string[] | undefined;
  let headerUsable = true;
  let at: { orderId: number; service: number; quantity: number; createdAt: number } | undefined;
  const orders: OrdersFileOrder[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { lineText, line } of linesOf(text)) {
    if (lineText.trim() === '') continue;
    // Each line is parsed on its own: a broken quote then costs one row, not the rest of the file
    // (order ids and service ids never hold line breaks).
    let record: string[] | undefined;
    if (!lineText.includes('"') && !lineText.includes('\r')) record = lineText.split(',').map(trimField);
    else {
      try {
        [record] = parse(lineText, { trim: true, relax_column_count: true });
      } catch (error) {
        problem(lineProblems, line, `cannot read the row ${JSON.stringify(lineText)}: ${csvReason(error)}`);
      }
    }
    if (!record) continue;
    if (columns === undefined) {
      columns = record.map((name) => name.toLowerCase());
      const named = columns;
      const missing = REQUIRED_COLUMNS.filter((name) => !named.includes(name));
      if (missing.length > 0) {
        problem(headerProblems, line, `the header has no ${missing.join(' or ')} column; expected ${ORDERS_FILE_COLUMNS.join(',')} (quantity and created_at optional)`);
        headerUsable = false;
        continue;
      }
      const unknown = columns.filter((name) => !(ORDERS_FILE_COLUMNS as readonly string[]).includes(name));
      if (unknown.length > 0) problem(headerProblems, line, `unknown column ${unknown.join(', ')} ignored; expected ${ORDERS_FILE_COLUMNS.join(',')}`);
      // A column named twice: its last value counts, as in an object built from the row.
      at = { orderId: columns.lastIndexOf('order_id'), service: columns.lastIndexOf('service'), quantity: columns.lastIndexOf('quantity'), createdAt: columns.lastIndexOf('created_at') };
      continue;
    }
    if (!headerUsable || at === undefined) continue;
    if (record.length !== columns.length) {
      problem(rowProblems, line, `the row ${JSON.stringify(record.join(','))} has ${record.length} fields; the header has ${columns.length}`);
      continue;
    }
    let order: OrdersFileOrder;
    const [orderIdText, serviceText, quantityText, createdAtText] = [record[at.orderId], record[at.service], record[at.quantity], record[at.createdAt]];
    if (plainlyValid(orderIdText, serviceText, quantityText, createdAtText)) {
      const quantity = blankAsAbsent(quantityText);
      const createdAt = blankAsAbsent(createdAtText);
      order = { orderId: orderIdText!, service: serviceText!, quantity: quantity === undefined ? undefined : BigInt(quantity), createdAt: createdAt === undefined ? undefined : isoInstant(createdAt) };
    } else {
      const named = columns;
      const parsed = OrdersFileRowSchema.safeParse(Object.fromEntries(named.map((name, index) => [name, record[index]])));
      if (!parsed.success) {
        problem(rowProblems, line, parsed.error.issues.map((issue) => issue.message).join('; '));
        continue;
      }
      const { order_id: orderId, service, quantity, created_at: createdAt } = parsed.data;
      order = { orderId, service, quantity, createdAt };
    }
    const seenAt = firstLineOf.get(order.orderId);
    if (seenAt !== undefined) {
      problem(rowProblems, line, `order ${order.orderId} is already listed on line ${seenAt}`);
      continue;
    }
    firstLineOf.set(order.orderId, line);
    orders.push(order);
  }
  if (columns === undefined) {
    problem(headerProblems, 1, `the file is empty; expected the header ${ORDERS_FILE_COLUMNS.join(',')}`);
    return { orders: [], problems: problems(), headerUsable: false };
  }
  return { orders, problems: problems(), headerUsable };
}

/** Reads and parses an orders file from disk; a file that cannot be read is a ConfigError naming it. */
export async function readOrdersFile(path: string): Promise<OrdersFileReading> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as { code?: unknown }).code === 'ENOENT' ? 'no such file' : `cannot be read (${String((error as { code?: unknown }).code ?? error)})`;
    throw new ConfigError([{ file: path, path: '', message: reason }]);
  }
  return parseOrdersFile(text, path);
}

/**
 * An ISO 8601 date or date-time as an instant, UTC when it has no offset:
 * "2026-03-02" → "2026-03-02T00:00:00.000Z", "2026-03-02T10:30:00+02:00" → "2026-03-02T08:30:00.000Z".
 * Impossible dates (2026-02-30, 24:00) are refused rather than rolled over.
 */
export function isoInstant(text: string): string | undefined {
  const fields = readIsoDateTime(text);
  if (!fields) return undefined;
  const { year, month, day, time, zone } = fields;
  // A plain date is midnight UTC: checked without a Date, since a file of 100,000 orders repeats it.
  if (!time && year >= 1000) return isCalendarDate(text) ? `${text}T00:00:00.000Z` : undefined;
  // An offset needs its minutes here ("+02:00", "+0200").
  if (zone?.kind === 'offset' && !zone.minutesWritten) return undefined;
  const { hour, minute, second, fraction } = time ?? { hour: 0, minute: 0, second: 0, fraction: '' };
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, Number(fraction.padEnd(3, '0').slice(0, 3)));
  if (new Date(local).getUTCDate() !== day) return undefined;
  let offsetMinutes = 0;
  if (zone?.kind === 'offset') {
    if (zone.hours > 23 || zone.minutes > 59) return undefined;
    offsetMinutes = zone.sign * (zone.hours * 60 + zone.minutes);
  }
  return new Date(local - offsetMinutes * 60_000).toISOString();
}
