import { finished } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import type { CompiledQuery } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { InvariantViolation } from '../../errors.js';
import { assertInvariant } from '../../rules/index.js';
import { LEDGER_TYPES } from './postgres-database.js';

/**
 * The rows of `compiled` as arrays, up to `rowsPerChunk` at a time, through `COPY (query) TO STDOUT` on
 * `client`: the server streams every row without waiting to be asked again, where a cursor waits one round
 * trip per page (issue 43: 44 % of a PostgreSQL export's time). Each row is parsed as it arrives from COPY's
 * text format, each column by the parser the driver would give it (LEDGER_TYPES: integers as BigInt), so
 * the rows are the ones a cursor would give; the stream is read only as fast as the chunks are taken, so
 * memory stays flat. COPY takes no parameters: they are written into the text as literals.
 */
export async function* copiedRowChunks(
  client: pg.ClientBase,
  compiled: CompiledQuery,
  rowsPerChunk: number,
): AsyncGenerator<unknown[][]> {
  const text = withLiterals(client, compiled);
  // The columns' types, for their parsers: the same query asked for no rows.
  const { fields } = await client.query({ text: `SELECT * FROM (${text}) AS described LIMIT 0` });
  const parsers = fields.map((field) =>
    TEXT_TYPES.includes(field.dataTypeID)
      ? undefined
      : (LEDGER_TYPES.getTypeParser(field.dataTypeID, 'text') as Parser),
  );
  const stream = client.query(copyTo(`COPY (${text}) TO STDOUT`));
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let chunk: unknown[][] = [];
  try {
    for await (const data of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      const text = rest + decoder.write(data);
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
        chunk.push(rowOf(text, start, end, parsers));
        if (chunk.length === rowsPerChunk) {
          yield chunk;
          chunk = [];
        }
      }
      rest = text.slice(start);
    }
  } finally {
    // A reader that stops early: the rest of the COPY is read and dropped, so the connection is usable again.
    if (!stream.readableEnded && !stream.destroyed) await finished(stream.resume());
  }
  assertInvariant(rest + decoder.end() === '', () => `COPY ended inside a row: ${rest.slice(0, 80)}`);
  if (chunk.length > 0) yield chunk;
}

type Parser = (value: string) => unknown;

/** text and varchar: their columns are the text itself, no parser to call. */
const TEXT_TYPES: readonly number[] = [pg.types.builtins.TEXT, pg.types.builtins.VARCHAR];
const BACKSLASH = 0x5c;
const TAB = '\t';

/**
 * The row between `start` and `end` (its newline) of COPY's text format: columns cut at tabs, \N for null,
 * backslash escapes undone, then parsed; no array of the line's pieces made first (a third of an export's
 * parsing time went to split and map). Example: `je:1\t2026-03-02\t\N\t156` → ["je:1", "2026-03-02", null, 156n].
 */
function rowOf(text: string, start: number, end: number, parsers: readonly (Parser | undefined)[]): unknown[] {
  const row: unknown[] = new Array(parsers.length);
  let from = start;
  for (let index = 0; index < parsers.length; index += 1) {
    let to = index === parsers.length - 1 ? end : text.indexOf(TAB, from);
    if (to === -1 || to > end) to = end;
    row[index] = cellOf(text, from, to, parsers[index]);
    from = to + 1;
  }
  return row;
}

/** One column's value: null for \N, else its text unescaped (only when it holds a backslash) and parsed. */
function cellOf(text: string, from: number, to: number, parser: Parser | undefined): unknown {
  let field = text.slice(from, to);
  if (field.indexOf('\\') !== -1) {
    if (to - from === 2 && text.charCodeAt(from) === BACKSLASH && text.charCodeAt(from + 1) === 0x4e /* N */)
      return null;
    field = unescaped(field);
  }
  return parser === undefined ? field : parser(field);
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** COPY's escapes in a text column undone. Example: `a\tb\\c` (as sent) → "a", a tab, "b\c". */
function unescaped(field: string): string {
  return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, code: string) => {
    if (code.startsWith('x')) return String.fromCharCode(parseInt(code.slice(1), 16));
    if (/^[0-7]/.test(code)) return String.fromCharCode(parseInt(code, 8));
    return ESCAPES[code] ?? code;
  });
}

/** The query's text with each $n replaced by its value as a literal: strings quoted by the driver, integers as digits. */
function withLiterals(client: pg.ClientBase, compiled: CompiledQuery): string {
  return compiled.sql.replace(/\$(\d+)/g, (_, position: string) => {
    const value = compiled.parameters[Number(position) - 1];
    if (value === null) return 'NULL';
    if (typeof value === 'string') return client.escapeLiteral(value);
    if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return `(${value})`;
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    throw new InvariantViolation(`a COPY read cannot write parameter $${position} (${typeof value}) into its text`);
  });
}
