import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { printable } from '../../log/printable.js';
import { ConfigError, type ConfigProblem } from '../../errors.js';

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

const OrdersFileRowSchema = z.object({
  order_id: z.string().regex(/^[^\s,]+$/, 'order_id must be one word without spaces or commas'),
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

/** Reads an orders CSV; a bad row is reported with its line and skipped, never stopping the rest. */
export function parseOrdersFile(text: string, file: string): OrdersFileReading {
  const problems: OrdersFileProblem[] = [];
  // Every message about a row is escaped alike: a binary file or a stray byte never reaches the terminal raw.
  const problem = (line: number, message: string) => problems.push({ file, line, path: `line ${line}`, message: printable(message, 200) });
  // Each line is parsed on its own: a broken quote then costs one row, not the rest of the file
  // (order ids and service ids never hold line breaks).
  const records: Array<{ record: string[]; line: number }> = [];
  for (const [index, lineText] of text.replace(/^\ufeff/, '').split(/\r?\n/).entries()) {
    if (lineText.trim() === '') continue;
    if (!lineText.includes('"') && !lineText.includes('\r')) {
      records.push({ record: lineText.split(',').map(trimField), line: index + 1 });
      continue;
    }
    try {
      const [record] = parse(lineText, { trim: true, relax_column_count: true });
      if (record) records.push({ record, line: index + 1 });
    } catch (error) {
      problem(index + 1, `cannot read the row ${JSON.stringify(lineText)}: ${csvReason(error)}`);
    }
  }

  const [header, ...rows] = records;
  if (!header) {
    problem(1, `the file is empty; expected the header ${ORDERS_FILE_COLUMNS.join(',')}`);
    return { orders: [], problems, headerUsable: false };
  }
  const columns = header.record.map((name) => name.toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length > 0) {
    problem(header.line, `the header has no ${missing.join(' or ')} column; expected ${ORDERS_FILE_COLUMNS.join(',')} (quantity and created_at optional)`);
    return { orders: [], problems, headerUsable: false };
  }
  const unknown = columns.filter((name) => !(ORDERS_FILE_COLUMNS as readonly string[]).includes(name));
  if (unknown.length > 0) problem(header.line, `unknown column ${unknown.join(', ')} ignored; expected ${ORDERS_FILE_COLUMNS.join(',')}`);

  const orders: OrdersFileOrder[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { record, line } of rows) {
    if (record.length !== columns.length) {
      problem(line, `the row ${JSON.stringify(record.join(','))} has ${record.length} fields; the header has ${columns.length}`);
      continue;
    }
    const row = Object.fromEntries(columns.map((name, index) => [name, record[index]]));
    const parsed = OrdersFileRowSchema.safeParse(row);
    if (!parsed.success) {
      problem(line, parsed.error.issues.map((issue) => issue.message).join('; '));
      continue;
    }
    const { order_id: orderId, service, quantity, created_at: createdAt } = parsed.data;
    const seenAt = firstLineOf.get(orderId);
    if (seenAt !== undefined) {
      problem(line, `order ${orderId} is already listed on line ${seenAt}`);
      continue;
    }
    firstLineOf.set(orderId, line);
    orders.push({ orderId, service, quantity, createdAt });
  }
  return { orders, problems, headerUsable: true };
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

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO 8601 date or date-time as an instant, UTC when it has no offset:
 * "2026-03-02" → "2026-03-02T00:00:00.000Z", "2026-03-02T10:30:00+02:00" → "2026-03-02T08:30:00.000Z".
 * Impossible dates (2026-02-30, 24:00) are refused rather than rolled over.
 */
export function isoInstant(text: string): string | undefined {
  const date = DATE.exec(text);
  // A plain date is midnight UTC: checked by hand, not through a Date, since a file of 100,000 orders repeats it.
  if (date) {
    const [y, mo, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (y >= 1000) return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) ? `${text}T00:00:00.000Z` : undefined;
  }
  const match = date ?? DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', offset = 'Z'] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  const [y, mo, d, h, mi, s] = fields;
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return undefined;
  const local = Date.UTC(y, mo - 1, d, h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
  if (new Date(local).getUTCDate() !== d) return undefined;
  let offsetMinutes = 0;
  if (offset.toUpperCase() !== 'Z') {
    const digits = offset.replace(':', '');
    const offsetHours = Number(digits.slice(1, 3));
    const offsetMins = Number(digits.slice(3, 5));
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (digits.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  return new Date(local - offsetMinutes * 60_000).toISOString();
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
