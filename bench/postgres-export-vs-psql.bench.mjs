/**
 * `ledgerline export --format generic` on a PostgreSQL ledger against `psql \copy` of the same rows in the same
 * order (the export's rendered lines in book order, as CSV), both as processes against one throwaway cluster
 * (bench/support/postgres.mjs). The ledger: BENCH_LINES journal lines (default 1,000,000;
 * bench/support/bulk-ledger.mjs) copied in with `ledgerline migrate --to`. Alternating rounds (BENCH_ROUNDS,
 * default 3), the fastest counted: wall time, the client's CPU (user + system) and the cluster's. Aim: ours
 * ≤ 1.5× psql's wall time. The export reads its rows through COPY … TO STDOUT (store/postgres/copied-rows.ts).
 *
 * 2026-11-25, load 18-33 (2 cores shared), 300,000 lines, 2 rounds: before (a cursor, FETCH 1000 a round trip)
 * 40.7 s wall, client CPU 2,540 ms, server 960 ms (10.2× psql's wall, 3.9× its client + server CPU); after
 * (COPY) 6.3 s, client 1,710 ms, server 690 ms (3.3× wall, 3.1× CPU; psql 1.9 s, 110 + 670 ms). The client's
 * profile after: 42 % idle (the server producing rows), 7 % GC, module loading, then parsing and formatting.
 *
 * 2026-11-26, load 20-25, 300,000 lines, 3 rounds, medians: 3.76× psql's wall (4.8 s against 1.5 s), client CPU
 * 1,710 ms against psql's 120, server CPU 710 against 690: the gap is the client's CPU (about 400 ms of it the
 * CLI's start). Tried and measured worse: PostgreSQL writing each row's final CSV itself (the cells guarded
 * and quoted in SQL, one text column per row through a binary COPY piped to the file, the refusals checked
 * first in one aggregate) gave the same bytes but took 11.7-16 s against this path's 6.1-7.7 s and psql's
 * 1.9-2.9 s in the same minutes: evaluating the cells' expressions cost the server 3-7 s per 300k rows, in
 * one process, where Node formats the rows in about 1 s while the server is still producing them.
 *
 * 2026-11-26 later, load 6-9, 300,000 lines, 3 rounds, before and after in the same rounds (BENCH_BEFORE_CLI):
 * 2.71× → 2.31× psql's wall (median; psql 0.72 s, ours 1.64 s at best), client CPU 1,200 → 1,020 ms, server
 * 670 against psql's 660, bytes identical. What went: COPY's text cut at tabs in place (no split arrays per
 * line and per row, text columns not passed to a parser), and undici and pg-boss no longer loaded by a
 * command that sends no request and queues nothing (~200 ms of the start). The profile after (one run,
 * 2.1 s): 39 % idle, of which ~0.6 s waits for the server's first row (it sorts every row before the first:
 * hash join, then an external merge sort, as psql's query does), 8 % GC, exportGenericCsv 6 %, the file's
 * UTF-8 writes 4 %, the COPY parsing 5 %; the start is ~0.4 s of CPU (module compile, config, and pg's
 * Cloudflare check building a fetch Response, which loads Node's own undici: ~50 ms). What is left is the
 * start and ~2 µs of client CPU a row, paid after the sort rather than beside it. Tried and worse: 4,000 or
 * 150 rows a chunk instead of 500 (client CPU 1,200 and 1,190 ms against 1,080 and 1,040, medians of 7), and a
 * larger V8 young generation (no change). Not tried, for a migration of its own: book order straight off the
 * indexes, so the rows stream while the server reads them; with sorts and hash joins disabled it still sorted.
 *
 * 2026-11-26 02:15-03:00 UTC, PostgreSQL 15.18, book order off the indexes (store/journal.ts bookLineChunks,
 * IN_INDEX_ORDER in store/postgres/postgres-ledger-store.ts). It still sorted because the UNION's parts were
 * planned without the order: each part now ordered in a subquery of its own is merged (Merge Append), and with
 * hash and merge joins, JIT and parallel workers off for that read a nested loop reads journal_entries_by_identity
 * (date, source_id, id: migration 0006, no index was missing) into journal_lines' key, an incremental sort per
 * entry: first row after 3-10 ms instead of 600-900, bytes identical, peak RSS 117-128 MB as before (118-119).
 * Before → after in the same rounds: 1,000,000 lines, load 13-15, 3 rounds: server CPU 3,120 → 1,900 ms, client
 * 2,240 → 2,260, client + server 1.14× psql's; wall (median) 1.45× → 1.67× psql's (psql 4.76 s at best). 300,000
 * lines: load 4, 3 rounds, 1.97× → 2.37× (psql 0.60 s, ours 1.51 s at best, server 640 → 770 ms); load 9-10,
 * 7 rounds, 3.02 → 3.13 s, server 1,040 → 720 ms. So the CPU is less (the external sort is gone) but not the wall
 * time on this shared machine: the nested loop is one process, slower than the client formats (the client's
 * profile, 1.8 s: 44 % idle; before the first row 0.29 s, of it module compile ~60 ms, the config's zod schemas
 * ~50 ms with Intl's time-zone data 13-90 ms; then GC 7 %, the file's writes and fsync 10 %, exportGenericCsv
 * 3 %, COPY parsing 5 %), while psql's and the sorting plan's three processes take more of two busy cores. Tried
 * and no better: parallel workers under the nested loops (wall 3.06-3.10 s against 3.13, server 940-1,070 ms),
 * a covering index on the lines for index-only scans (server 560-590 → 520-550 ms: not worth an index more on
 * every appended line), work_mem 64 MB (the planner dropped its parallel sort: first row 1.4 s).
 *
 * 2026-11-26 03:11 UTC, a QUIET machine (load 1.3-3, nothing else running), 1,000,000 lines, 3 rounds, the lead's
 * run: the index-order plan 1.94× psql's wall (4.6 s against 2.32 s; client CPU 2,510 ms, server 2,840), the
 * sorting plan before it 1.50× (client 2,130, server 3,290; psql's client 380, server 3,400). Reverted: one
 * server process reading the rows off the indexes is slower than the parallel hash join and sort, and the
 * client waits for it.
 *
 * 2026-11-26 03:20-03:40 UTC, the sorting plan back, against main's index-order build (BENCH_BEFORE_CLI), 3 rounds,
 * medians of wall: 1,000,000 lines, load 6-7 (others' tests running), 1.45× psql's wall against 1.56× (psql 3.2 s
 * at best; client CPU 2,330 against 2,260 ms, server 3,220 against 2,640, psql's 390 + 3,480); 300,000 lines, load
 * 4-6, 2.27× against 2.93× (psql 0.53 s; client 980 against 990, server 680 against 770). Tried and reverted: the
 * read in date windows of ~40,000 entries (13 at 1M lines, sized by a count per date, ~100 ms), the next window's
 * COPY on a second connection in the first one's exported snapshot while the client formats the current one, so
 * the server sorts a small window beside the client. Bytes identical, memory flat (peak RSS 124-125 MB), but no
 * faster: with the default plan each window's hash join scanned every line (server CPU 5.7 s, 2.09× psql's wall
 * against main's 1.04× in that run); with a nested loop per window and its sort in memory (32 MB work_mem; a
 * 76,720-line window 181 ms, 320 ms spilled to disk), 1.45× against the sorting plan's 1.40× (load 1.4-3.5;
 * server 3,340 against 3,100 ms), and in 3-4 interleaved rounds at load 3-7 5.3-7.0 s against 4.6-6.1 s (index
 * order 3.7-5.9 s, server 2.0-2.5 s): the windows' sorts cost the server what the one sort did, and the index
 * order, which needs no sort, is the least server CPU. The lines carry no date, so a window's lines come either
 * from a scan of all of them or from one index lookup per entry; a date on the lines (or a covering index) is
 * what would make a window cheap.
 *
 *   npm run build && BENCH_LINES=300000 node bench/run.mjs postgres-export
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBulkLedger } from './support/bulk-ledger.mjs';
import { postgresMissing, skipped, startPostgres } from './support/postgres.mjs';
import { timedProcess } from './support/timed-process.mjs';
import { runWhenMain, sized } from './support/bench-size.mjs';

const LINES = sized('BENCH_LINES', 1_000_000, 2000);
const ROUNDS = sized('BENCH_ROUNDS', 3, 1);
const CLI = resolve(import.meta.dirname, '../dist/src/cli/main.js');
// Another build's CLI (BENCH_BEFORE_CLI=/path/dist/src/cli/main.js), measured in the same rounds: a before/after in one run.
const BEFORE_CLI = process.env.BENCH_BEFORE_CLI;
const PSQL = '/usr/bin/psql';

/** One part of the generic export's rows: the rendered lines of `lines` (`t`) with their entries, in columns the CSV writes. */
const part = (
  lines,
) => `SELECT e.id, e.date, t.account, t.cents, t.currency, COALESCE(t.description, e.description) AS description, e.source_id, t.line_no
  FROM journal_entries e JOIN ${lines} t ON t.entry_id = e.id`;
const ROWS_SQL = `${part('journal_lines')} WHERE t.cents <> 0 UNION ALL ${part('rendered_lines')} ORDER BY date, source_id, id, line_no`;

/** The middle of the rounds' `key` (the lower middle of an even count). */
function median(runs, key) {
  const sorted = runs.map((result) => result[key]).sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export async function run({ lines = LINES, rounds = ROUNDS } = {}) {
  if (postgresMissing()) return skipped('postgres-export-vs-psql');
  const server = await startPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-pg-export-'));
  try {
    const url = await server.createDatabase('export_bench');
    await writeBulkLedger(dir, lines);
    await timedProcess(process.execPath, [CLI, 'migrate', '--to', url], { cwd: dir });
    writeFileSync(join(dir, 'ledgerline.yaml'), 'ledger: ${BENCH_PG_URL}\ntimezone: UTC\ncurrency: USD\n');
    const env = { ...process.env, BENCH_PG_URL: url };
    const measured = async (command, args) => {
      const serverBefore = server.cpuMs();
      const result = await timedProcess(command, args, { cwd: dir, env });
      return { ...result, serverCpuMs: server.cpuMs() - serverBefore };
    };
    const ours = [];
    const psql = [];
    const before = [];
    for (let round = 0; round < rounds; round += 1) {
      psql.push(await measured(PSQL, ['-X', '-q', url, '-c', `\\copy (${ROWS_SQL}) TO 'psql.csv' WITH (FORMAT csv)`]));
      ours.push(await measured(process.execPath, [CLI, 'export', '--format', 'generic', '--out', 'ours.csv']));
      if (BEFORE_CLI)
        before.push(
          await measured(process.execPath, [BEFORE_CLI, 'export', '--format', 'generic', '--out', 'before.csv']),
        );
    }
    const least = (runs, key) => Math.min(...runs.map((result) => result[key]));
    const metrics = {
      lines,
      rounds,
      ours_ms: Math.round(least(ours, 'ms')),
      ours_client_cpu_ms: least(ours, 'cpuMs'),
      ours_server_cpu_ms: Math.round(least(ours, 'serverCpuMs')),
      ours_peak_rss_mb: Math.max(...ours.map((result) => result.peakRssMb)),
      psql_ms: Math.round(least(psql, 'ms')),
      psql_client_cpu_ms: least(psql, 'cpuMs'),
      psql_server_cpu_ms: Math.round(least(psql, 'serverCpuMs')),
      ours_csv_mb: Number((statSync(join(dir, 'ours.csv')).size / 1024 / 1024).toFixed(1)),
      psql_csv_mb: Number((statSync(join(dir, 'psql.csv')).size / 1024 / 1024).toFixed(1)),
    };
    // The export has a header row and ends lines with CRLF; psql's rows are the same rows without a header.
    const rowsOf = (name) => readFileSync(join(dir, name), 'utf8').split('\n').length - 1;
    metrics['rows apart from psql (must be 0)'] = rowsOf('ours.csv') - 1 - rowsOf('psql.csv');
    metrics['export ÷ psql \\copy (wall)'] = Number((metrics.ours_ms / metrics.psql_ms).toFixed(2));
    metrics['export ÷ psql \\copy (wall, median of rounds)'] = Number(
      (median(ours, 'ms') / median(psql, 'ms')).toFixed(2),
    );
    if (BEFORE_CLI) {
      metrics['before ÷ psql \\copy (wall, median of rounds)'] = Number(
        (median(before, 'ms') / median(psql, 'ms')).toFixed(2),
      );
      metrics.before_client_cpu_ms = least(before, 'cpuMs');
      metrics.before_server_cpu_ms = Math.round(least(before, 'serverCpuMs'));
      metrics.before_peak_rss_mb = Math.max(...before.map((result) => result.peakRssMb));
      metrics['bytes apart from before (must be 0)'] = Buffer.compare(
        readFileSync(join(dir, 'ours.csv')),
        readFileSync(join(dir, 'before.csv')),
      );
    }
    metrics['export ÷ psql \\copy (client + server CPU)'] = Number(
      (
        (metrics.ours_client_cpu_ms + metrics.ours_server_cpu_ms) /
        Math.max(metrics.psql_client_cpu_ms + metrics.psql_server_cpu_ms, 10)
      ).toFixed(2),
    );
    return { name: 'postgres-export-vs-psql', metrics };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}

await runWhenMain(import.meta.url, run);
