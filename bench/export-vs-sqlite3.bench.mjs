/**
 * `ledgerline export --format generic --out FILE` against the sqlite3 command-line
 * tool writing the same rows as CSV from the same ledger (BENCH_LINES journal
 * lines, default 1,000,000; bench/support/bulk-ledger.mjs). Each runs as a
 * process, in alternation, BENCH_ROUNDS times (default 3), fastest round
 * counted; the two files must be byte-identical, so both wrote the same rows.
 * Aim: ours ≤ 1.5× sqlite3's time, ≤ 150 MB. Rows in book order (date, source,
 * id, line), as the export writes them.
 *
 * Load 12-15 (2 cores shared), 2026-11-23, 1M lines, CPU (user + sys) of each
 * whole process, 3 rounds: sqlite3 3.9 s; before (entries and lines as objects,
 * exportCsv) 6.0-6.4 s, 136 MB (1.55-1.64×); after (rows a chunk at a time,
 * exportGenericCsv) 4.1-4.5 s, 137-139 MB (1.05-1.15×). Wall times under that
 * load varied 10-26 s for every tool alike.
 *
 * 2026-11-25, load 1-2, rendered cents with their lines (migration 0015), both
 * reading the same UNION in book order: ours 4.4 s, sqlite3 4.7 s (0.93×), 134 MB.
 *
 * 2026-11-27 (issue 71), 1M lines, 3 rounds: the cells written by hand (csv-record.ts) 3.0 s against sqlite3's
 * 4.2 s (0.72×, 96 MB, load 0.6); written by csv-stringify (its sync stringify a batch of rows at a time,
 * csv-output.ts) 3.4 s against 4.3 s (0.79×, 113 MB, load 2.5): within the 1.5× the design card allows, so
 * csv-stringify writes every CSV export. Paired again under a load of 16-23 (eight test runs on the 2 cores), by
 * hand then csv-stringify, twice: 6.4 s / 6.2 s (1.03×), 6.7 s / 6.1 s (1.10×), 6.9 s / 5.0 s (1.39×), 6.5 s / 5.3 s
 * (1.23×): a busy machine moves the ratio more than the writer does.
 *
 *   npm run build && BENCH_LINES=200000 node bench/run.mjs export-vs-sqlite3
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sharedBulkLedger } from './support/bulk-ledger.mjs';
import { timedProcess } from './support/timed-process.mjs';
import { runWhenMain, sized } from './support/bench-size.mjs';

const LINES = sized('BENCH_LINES', 1_000_000, 2000);
const ROUNDS = sized('BENCH_ROUNDS', 3, 1);
const CLI = resolve(import.meta.dirname, '../dist/src/cli/main.js');
const SQLITE3 = '/usr/bin/sqlite3';

/** A text cell as RFC 4180 wants it, in SQL: quoted (quotes doubled) when it holds a comma, a quote or a line break. */
const cell = (column) =>
  `CASE WHEN ${column} GLOB '*[",' || char(13) || char(10) || ']*' THEN '"' || replace(${column}, '"', '""') || '"' ELSE ${column} END`;

/** One part of the generic export's rows in SQL: the rendered lines of `lines` (`t`), with their number last. */
const genericRows = (lines) => `
SELECT ${cell('e.id')} AS journal_id, e.date AS date, ${cell('t.account')} AS account,
       CASE WHEN t.cents > 0 THEN printf('%d.%02d', t.cents / 100, t.cents % 100) ELSE '' END AS debit,
       CASE WHEN t.cents < 0 THEN printf('%d.%02d', -t.cents / 100, -t.cents % 100) ELSE '' END AS credit,
       ${cell('t.currency')} AS currency, ${cell('COALESCE(t.description, e.description)')} AS description, ${cell('e.source_id')} AS source, '' AS source_ref,
       t.line_no, e.source_id AS source_id, e.id AS id
FROM journal_entries e JOIN ${lines} t ON t.entry_id = e.id`;

/**
 * The generic export's rows in SQL, CSV built by sqlite3 itself (its -csv mode
 * quotes more than RFC 4180 needs and ends lines with LF): amounts as cents in
 * the debit or the credit column with two decimals, the line's description or
 * else the entry's. The bulk ledger's entries have no event ids (source_ref is
 * empty) and no cell a spreadsheet would read as a formula. Rendered lines are
 * stored with their journal lines and, for rounding lines, apart (migration
 * 0015): a UNION in book order, which SQL orders by its output's columns, so
 * three columns follow the export's and are cut before the files are compared.
 */
const GENERIC_SQL = `${genericRows('journal_lines')} WHERE t.cents <> 0
UNION ALL ${genericRows('rendered_lines')}
ORDER BY date, source_id, id, line_no;`;

/** sqlite3's rows without the three columns GENERIC_SQL adds for its order. */
function withoutOrderColumns(csv) {
  return Buffer.from(csv.toString('utf8').replace(/,[^,\r\n]*,[^,\r\n]*,[^,\r\n]*\r\n/g, '\r\n'), 'utf8');
}

export async function run({ lines = LINES, rounds = ROUNDS } = {}) {
  const { dir } = await sharedBulkLedger(lines);
  const oursPath = join(dir, 'ours.csv');
  const sqlitePath = join(dir, 'sqlite3.csv');
  const oursRounds = [];
  const sqliteRounds = [];
  for (let round = 0; round < rounds; round += 1) {
    sqliteRounds.push(
      await timedProcess(
        SQLITE3,
        ['-readonly', '-list', '-header', '-separator', ',', '-newline', '\r\n', 'ledger.sqlite', GENERIC_SQL],
        { cwd: dir, stdoutPath: sqlitePath },
      ),
    );
    oursRounds.push(
      await timedProcess(process.execPath, [CLI, 'export', '--format', 'generic', '--out', oursPath], { cwd: dir }),
    );
  }
  const bytes = statSync(oursPath).size;
  const identical = readFileSync(oursPath).equals(withoutOrderColumns(readFileSync(sqlitePath)));
  rmSync(oursPath);
  rmSync(sqlitePath);
  if (!identical) throw new Error('the two exports differ: they did not write the same rows');
  const oursMs = Math.min(...oursRounds.map((result) => result.ms));
  const sqliteMs = Math.min(...sqliteRounds.map((result) => result.ms));
  return {
    name: 'export-vs-sqlite3',
    metrics: {
      lines,
      bytes,
      rounds,
      oursMs: Math.round(oursMs),
      sqlite3Ms: Math.round(sqliteMs),
      timeRatio: Number((oursMs / sqliteMs).toFixed(2)),
      peakRssOursMb: Math.max(...oursRounds.map((result) => result.peakRssMb)),
      peakRssSqlite3Mb: Math.max(...sqliteRounds.map((result) => result.peakRssMb)),
    },
  };
}

await runWhenMain(import.meta.url, run);
