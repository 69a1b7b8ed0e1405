import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import type { CsvError } from 'csv-parse/sync';
import { z } from 'zod';
import type { ConfigProblem } from '../errors.js';
import type { ConfigKinds } from './config-kinds.js';
import { configFields } from './field-schemas.js';
import { isPlainRecord } from './key-path.js';

const require = createRequire(import.meta.url);

/**
 * csv-parse's one-file CommonJS build, loaded when a table is first read: a command whose configuration check is
 * kept reads none, and loadConfig, being synchronous, cannot import() it (as a static import it was a 42 KB chunk
 * of every balances).
 */
const csvParse = () => require('csv-parse/sync') as typeof import('csv-parse/sync');

/**
 * `sources: { file: sources.csv }` (or `- file: sources.csv` among the list's entries): the sources kept as a
 * table beside ledgerline.yaml, one row each. Columns: id, kind, url, secret (the environment variable holding
 * the key: PANEL_KEY or ${PANEL_KEY}, never the key), schedule, silent_after_days, and any field of the row's
 * kind by its name in the yaml (stuckAfterDays, payouts.method). An empty cell is a field left out. Each row
 * becomes the entry the yaml would hold, so the kinds' own schemas check it; a problem at an entry from the
 * file is told by the file, its row (as a spreadsheet numbers it: the header is row 1) and its column.
 */

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VARIABLE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/** Where an entry of the expanded list came from, when a table row: to name it in a problem. */
interface SourcesFileRow {
  readonly file: string;
  readonly row: number;
  /** The row's field names as the entry holds them → the file's column. */
  readonly columnOf: ReadonlyMap<string, string>;
}

interface ExpandedSources {
  /** The document with each `file:` entry replaced by the file's rows. */
  readonly document: Record<string, unknown>;
  /** By the entry's index under sources:, the row it came from. */
  readonly rows: ReadonlyMap<number, SourcesFileRow>;
  readonly problems: readonly ConfigProblem[];
}

/** A `sources:` item that names a file rather than being a source: `{ file: sources.csv }`. */
function fileItem(value: unknown): string | undefined {
  if (!isPlainRecord(value) || Object.keys(value).length !== 1) return undefined;
  return typeof value.file === 'string' ? value.file : undefined;
}

/** The sources files a configuration names under `sources:`, resolved from its folder (none when it names none). */
export function sourcesFilesNamed(document: unknown, configFile: string): string[] {
  const written = isPlainRecord(document) ? document.sources : undefined;
  const items = fileItem(written) === undefined ? written : [written];
  if (!Array.isArray(items)) return [];
  return items.flatMap((item) => {
    const name = fileItem(item);
    return name === undefined ? [] : [resolve(dirname(configFile), name)];
  });
}

/** The document as if every sources file's rows were written under `sources:` in its place. */
export function expandSourcesFiles(
  document: Record<string, unknown>,
  configFile: string,
  kinds: ConfigKinds,
): ExpandedSources {
  const written = document.sources;
  const items = fileItem(written) === undefined ? written : [written];
  if (!Array.isArray(items) || !items.some((item) => fileItem(item) !== undefined))
    return { document, rows: new Map(), problems: [] };
  const entries: unknown[] = [];
  const rows = new Map<number, SourcesFileRow>();
  const problems: ConfigProblem[] = [];
  for (const item of items) {
    const name = fileItem(item);
    if (name === undefined) {
      entries.push(item);
      continue;
    }
    const read = readSourcesFile(resolve(dirname(configFile), name), kinds);
    problems.push(...read.problems);
    for (const { entry, place } of read.rows) {
      rows.set(entries.length, place);
      entries.push(entry);
    }
  }
  return { document: { ...document, sources: entries }, rows, problems };
}

interface ReadRow {
  entry: Record<string, unknown>;
  place: SourcesFileRow;
}

/** The file's rows as entries; a row's own problems (its secret cell) are listed and the row still read. */
function readSourcesFile(file: string, kinds: ConfigKinds): { rows: ReadRow[]; problems: ConfigProblem[] } {
  const records = parseTable(file);
  if (!records.ok) return { rows: [], problems: records.problems };
  const problems: ConfigProblem[] = [];
  const rows = records.rows.map(({ cells, row }) => {
    const { entry, columnOf } = entryOfRow(cells, kinds);
    const place = { file, row, columnOf };
    const secret = cells.secret ?? '';
    if (secret !== '' && !VARIABLE_NAME.test(secret) && !VARIABLE_REFERENCE.test(secret))
      problems.push(
        problemAtRow(
          place,
          'secret',
          'must name the environment variable that holds the key (PANEL_KEY or ${PANEL_KEY}), never the key itself: secrets come only from the environment',
        ),
      );
    return { entry, place };
  });
  return { rows, problems };
}

type TableRead =
  { ok: true; rows: { cells: Record<string, string>; row: number }[] } | { ok: false; problems: ConfigProblem[] };

const cellsSchema = z.record(z.string(), z.string());

function parseTable(file: string): TableRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'file not found (named by sources: file: in the configuration)'
        : `cannot be read (${code ?? 'unknown error'})`;
    return { ok: false, problems: [{ file, path: '', message }] };
  }
  const csv = csvParse();
  try {
    const records = csv.parse(text, {
      bom: true,
      columns: headerOf(file),
      comment: '#',
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as {
      record: unknown;
      info: { lines: number };
    }[];
    return {
      ok: true,
      rows: records.map(({ record, info }) => ({ cells: cellsSchema.parse(record), row: info.lines })),
    };
  } catch (error) {
    if (error instanceof HeaderProblem)
      return { ok: false, problems: [{ file, path: 'row 1', message: error.message }] };
    if (!(error instanceof csv.CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    return {
      ok: false,
      problems: [
        { file, path: line === undefined ? '' : `row ${line}`, message: `CSV syntax: ${error.message.split(':')[0]}` },
      ],
    };
  }
}

class HeaderProblem extends Error {}

/** The header, checked: id and kind present, no column twice. */
function headerOf(file: string) {
  return (header: string[]): string[] => {
    const seen = new Set<string>();
    for (const column of header) {
      if (seen.has(column))
        throw new HeaderProblem(`the column ${column} is named twice in ${basename(file)}'s header`);
      seen.add(column);
    }
    const missing = ['id', 'kind'].filter((column) => !seen.has(column));
    if (missing.length > 0)
      throw new HeaderProblem(
        `the header must name the columns ${missing.join(' and ')} (it has: ${header.join(', ')})`,
      );
    return header;
  };
}

/** A row as the entry the yaml would hold: url and secret under the kind's own field names, dotted columns nested. */
function entryOfRow(cells: Record<string, string>, kinds: ConfigKinds) {
  const urlField = urlFieldOf(kinds, cells.kind);
  const entry: Record<string, unknown> = {};
  const columnOf = new Map<string, string>([
    [urlField, 'url'],
    ['apiKey', 'secret'],
    ['silentAfterDays', 'silent_after_days'],
  ]);
  for (const [column, value] of Object.entries(cells)) {
    if (value === '') continue;
    const field = column === 'url' ? urlField : column === 'secret' ? 'apiKey' : (COMMON_FIELD[column] ?? column);
    columnOf.set(field, column);
    setDotted(entry, field, column === 'secret' && VARIABLE_NAME.test(value) ? `\${${value}}` : value);
  }
  return { entry, columnOf };
}

/** The fleet columns' names in an entry (the yaml's spelling). */
const COMMON_FIELD: Readonly<Record<string, string>> = { silent_after_days: 'silentAfterDays' };

/** The field of the kind's entry that holds its URL (a panel's url, an ad network's baseUrl); url when none is. */
function urlFieldOf(kinds: ConfigKinds, kind: string | undefined): string {
  const schema = kinds.sources.find((candidate) => candidate.kind === kind)?.entrySchema;
  if (!(schema instanceof z.ZodObject)) return 'url';
  const shape = schema.shape as Record<string, unknown>;
  return (
    Object.keys(shape).find((key) => shape[key] === configFields.httpUrl || shape[key] === configFields.apiRoot) ??
    'url'
  );
}

function setDotted(entry: Record<string, unknown>, field: string, value: string): void {
  const [head, ...rest] = field.split('.');
  if (head === undefined) return;
  if (rest.length === 0) {
    entry[head] = value;
    return;
  }
  const inner = isPlainRecord(entry[head]) ? entry[head] : {};
  entry[head] = inner;
  setDotted(inner, rest.join('.'), value);
}

function problemAtRow(place: SourcesFileRow, column: string | undefined, message: string): ConfigProblem {
  return {
    file: place.file,
    path: column === undefined ? `row ${place.row}` : `row ${place.row}, column ${column}`,
    message,
  };
}

/**
 * Problems found at entries that came from a sources file, told by that file, row and column instead of the
 * configuration's key path; `sources[N]` in a message (an id used twice) named as the row too.
 */
export function placeProblems(
  problems: readonly ConfigProblem[],
  configFile: string,
  rows: ReadonlyMap<number, SourcesFileRow>,
): ConfigProblem[] {
  if (rows.size === 0) return [...problems];
  const named = (message: string) =>
    message.replace(/sources\[(\d+)\]/g, (whole, index: string) => {
      const place = rows.get(Number(index));
      return place === undefined ? whole : `${basename(place.file)} row ${place.row}`;
    });
  return problems.map((problem) => {
    const at = problem.file === configFile ? /^sources\[(\d+)\](?:\.(.+))?$/.exec(problem.path) : null;
    const place = at === null ? undefined : rows.get(Number(at[1]));
    if (at === null || place === undefined) return { ...problem, message: named(problem.message) };
    const field = at[2];
    const column = field === undefined ? undefined : (place.columnOf.get(field) ?? field);
    return problemAtRow(place, column, named(problem.message));
  });
}
