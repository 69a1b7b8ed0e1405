import { createReadStream } from 'node:fs';
import { ConfigError } from '../../errors.js';
import {
  ordersFileParser,
  withoutCarriageReturn,
  type OrdersFileOrder,
  type OrdersFileProblem,
  type OrdersFileVerdict,
} from './orders-file.js';

/* An orders file read from disk a piece at a time (its format and rows: orders-file.ts). */

/** Orders handed on per call of streamOrdersFile's `onOrders`. */
const ORDERS_PER_BATCH = 5_000;
/** Text read from an orders file at a time. */
const READ_CHUNK = 1 << 20;

/**
 * Reads an orders file from disk a piece at a time, handing its good rows to `onOrders` in batches
 * as they are read (a file of 200,000 orders is never held whole), and gives its problems at the
 * end; a file that cannot be read is a ConfigError naming it. A file whose header is unusable hands nothing on.
 */
export async function streamOrdersFile(
  path: string,
  onOrders: (orders: OrdersFileOrder[]) => Promise<void>,
): Promise<OrdersFileVerdict> {
  const batches = ordersFileBatches(path);
  for (;;) {
    const next = await batches.next();
    if (next.done === true) return next.value;
    await onOrders(next.value);
  }
}

/** streamOrdersFile's batches as a generator: each batch of good rows yielded as read, the file's problems returned at its end. */
export async function* ordersFileBatches(path: string): AsyncGenerator<OrdersFileOrder[], OrdersFileVerdict> {
  const parser = ordersFileParser(path);
  let batch: OrdersFileOrder[] = [];
  let line = 0;
  for await (const lines of linesIn(path)) {
    for (const lineText of lines) {
      const order = parser.read(lineText, (line += 1));
      if (order === undefined) continue;
      batch.push(order);
      if (batch.length < ORDERS_PER_BATCH) continue;
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
  return parser.end();
}

/**
 * The problems that make an orders file unusable as a whole (no usable header; it cannot be read),
 * as streamOrdersFile gives them, or undefined: a usable file is read only up to its header.
 */
export async function unusableOrdersFile(path: string): Promise<OrdersFileProblem[] | undefined> {
  const parser = ordersFileParser(path);
  let line = 0;
  for await (const lines of linesIn(path)) {
    for (const lineText of lines) {
      parser.read(lineText, (line += 1));
      if (parser.hasUsableHeader()) return undefined;
    }
  }
  const verdict = parser.end();
  return verdict.headerUsable ? undefined : verdict.problems;
}

/**
 * The lines of a file with "\r\n" read as "\n" and a byte-order mark dropped, a piece of the file at a time: one await per
 * piece, not per line (a promise per line cost a nightly sync with a cumulative file about 1.7 s per 100,000 rows).
 */
async function* linesIn(path: string): AsyncGenerator<string[]> {
  let rest = '';
  let first = true;
  for await (const chunk of textOf(path)) {
    const text = rest + (first && chunk.startsWith('\ufeff') ? chunk.slice(1) : chunk);
    first = false;
    const lines: string[] = [];
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      lines.push(withoutCarriageReturn(text.slice(start, newline), true));
      start = newline + 1;
    }
    rest = text.slice(start);
    yield lines;
  }
  yield [rest];
}

/** The file's text a piece at a time; a file that cannot be read is a ConfigError naming it. */
async function* textOf(path: string): AsyncGenerator<string> {
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: READ_CHUNK }))
      yield chunk as string;
  } catch (error) {
    const reason =
      (error as { code?: unknown }).code === 'ENOENT'
        ? 'no such file'
        : `cannot be read (${String((error as { code?: unknown }).code ?? error)})`;
    throw new ConfigError([{ file: path, path: '', message: reason }]);
  }
}
