/**
 * A period's balances and the whole finance report against one sqlite3 GROUP BY over the same lines (the
 * sqlite3 command-line tool, /usr/bin/sqlite3): `ledgerline balances --from --to` over the year against
 * `GROUP BY account, currency` of the year's lines, `ledgerline report --out` of the whole ledger against
 * `GROUP BY date, source, account, currency` of every line, each with debits and credits exact and in cents
 * in the one pass. A ledger of BENCH_LINES journal lines (default 1,000,000; bench/support/bulk-ledger.mjs);
 * each runs as a process, in alternation, BENCH_ROUNDS times (default 3), the smallest CPU (user + system, the
 * whole process) and wall time counted. Aim: ≤ 1.0× CPU. The period reads add up the daily movements kept
 * at append (migration 0022), so they cost days × accounts, not lines.
 *
 * 2026-11-25, load 18-22 (2 cores shared), CPU of each whole process, fastest of the rounds: 300,000 lines,
 * before (two GROUP BYs over the lines, exact then cents) balances 1,270 ms (5.29× sqlite3's 240 ms), report
 * 1,370 ms (4.89× its 280 ms); after (daily movements) balances 680 ms (2.96×), report 730 ms (2.61×): what is
 * left is the CLI's start. 1,000,000 lines after: balances 710 ms (0.82× sqlite3's 870 ms), report 890 ms
 * (0.79× its 1,130 ms); before, on main (issue 43): 2.72× and 2.50×.
 * 2026-11-27 07:15-07:40 UTC (report-start branch), load 16-21, this bench run as a file, main's build (f934db4) and
 * this branch's in turns, BENCH_LINES=100000 BENCH_ROUNDS=5: the report 540 CPU-ms on main (3.60× sqlite3's 150 ms,
 * peak 99 MB) -> 360 and 400 ms on the branch (2.25× and 2.00×, 76 MB), balances in the same runs 330-390 ms. Where
 * main's report went beyond balances' (callgrind, instructions of all threads, the code cache warm, one run each):
 * 1.579 G against balances' 1.118 G. The fleet table's status read, which the report made for books with no source
 * at all, ran SQLite's page check (PRAGMA quick_check: 0.27 G of sqlite3_step at 100k lines, growing with them) and
 * opened the ledger and read the configuration a second time; the recorded instants' formatter was built for a page
 * with no instant (ICU's date-time format, 51 M); the posting side (pipeline/post, 0.2 MB of chunks) was loaded
 * to decide that nothing follows money in transit. Now the fleet is read only for books with sources, without the
 * page check; the formatter is built when a section writes an instant; the posting side only loads when followed:
 * 1.165 G (balances 1.118 G, node -e 0 about 0.51 G). What is left is the start every command pays (startup3's
 * area): node's own 0.51 G, 0.40 G of it NODE_EXTRA_CA_CERTS' certificates; loading the chunks through the code
 * cache; the configuration's and the chart's YAML and zod; the first localeCompare building ICU's locale set (67 M,
 * in balances too). The aim (≤ 1.0× from 100,000 lines) needs that start near sqlite3's whole 130-200 ms. At
 * 1,000,000 lines (3 rounds, load 11-15), the report 1,160 CPU-ms on main (0.55× sqlite3's 2,120) -> 360 ms on the
 * branch (0.21× its 1,750), balances 380-400 (0.22-0.23×): the report no longer grows with the lines. Last, at
 * 07:41 (load 6-9), the branch's final build at 100,000 lines: the report 340 ms (1.89× sqlite3's 180), balances 400
 * (2.67× its 150), node -e 0 90 ms.
 *
 *   npm run build && BENCH_LINES=200000 node bench/run.mjs period-reads
 *
 * 2026-11-27 08:19 UTC, the eighth round's merged tree (005929e), idle (load 1.1), BENCH_LINES=100000
 * BENCH_ROUNDS=5: balances 300 CPU-ms against the GROUP BY's 110 (2.73x), the report 280 against 130 (2.15x;
 * 2.95-3.21x last round). Aim 1.0x not met: node -e 0 alone is 110-120 ms here.
 * 2026-11-27 12:26-12:31 UTC (leanreads branch: bench/startup.bench.mjs says what changed), 100,000 lines, one ledger,
 * sqlite3's GROUP BY, node -e 0, main's build (61a4284) and this branch's in turns, 9 rounds of 3 runs each timed by
 * bash's `times` (bench/support/timed-runs.mjs), medians, each build's code cache fresh (its first run a balances),
 * load 11-13: the GROUP BY 79 CPU-ms, node -e 0 64, balances --from --to 153 on main (1.94x) -> 137 (1.73x). With
 * env -u NODE_EXTRA_CA_CERTS on both of ours (sqlite3 reads no certificates): the GROUP BY 80, node -e 0 24, balances
 * 111 (1.38x) -> 98 (1.22x). `BENCH_LINES=100000 node bench/run.mjs period-reads` on the branch at 12:31 (load 19):
 * balances 140 against 70 (2.0x; the 10 ms tick), the report 170 against 90 (1.89x). Of a period read at 100,000
 * lines (callgrind, 0.819 G, before the bundle went ASCII) sqlite3_step is 16 M: the rest is the start. Aim 1.0x not met: the GROUP BY as a whole
 * process costs about what node -e 0 does with NODE_EXTRA_CA_CERTS set.
 */
import { resolve } from 'node:path';
import { sharedBulkLedger } from './support/bulk-ledger.mjs';
import { timedProcess } from './support/timed-process.mjs';
import { runWhenMain, sized } from './support/bench-size.mjs';

const LINES = sized('BENCH_LINES', 1_000_000, 2000);
const ROUNDS = sized('BENCH_ROUNDS', 3, 1);
const CLI = resolve(import.meta.dirname, '../dist/src/cli/main.js');
const SQLITE3 = '/usr/bin/sqlite3';
const FIRST = '2025-01-01';

const sums = `SUM(CASE WHEN l.amount_micros > 0 THEN l.amount_micros ELSE 0 END), SUM(CASE WHEN l.amount_micros < 0 THEN -l.amount_micros ELSE 0 END),
  SUM(CASE WHEN l.cents > 0 THEN l.cents ELSE 0 END), SUM(CASE WHEN l.cents < 0 THEN -l.cents ELSE 0 END)`;
const yearSql = (
  last,
) => `SELECT l.account, l.currency, ${sums} FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
  WHERE e.date >= '${FIRST}' AND e.date <= '${last}' GROUP BY l.account, l.currency;`;
const DAILY_SQL = `SELECT e.date, e.source_id, l.account, l.currency, ${sums} FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
  GROUP BY e.date, e.source_id, l.account, l.currency;`;

/** The smallest CPU and wall time of `runs`. */
const best = (runs) => ({
  cpuMs: Math.min(...runs.map((run) => run.cpuMs)),
  ms: Math.min(...runs.map((run) => run.ms)),
  peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)),
});

export async function run({ lines = LINES, rounds = ROUNDS } = {}) {
  const { dir, lastDate } = await sharedBulkLedger(lines);
  const pairs = {
    balances: {
      ours: [CLI, 'balances', '--from', FIRST, '--to', lastDate],
      sqlite3: yearSql(lastDate),
      runs: { ours: [], sqlite3: [] },
    },
    report: { ours: [CLI, 'report', '--out', 'report.html'], sqlite3: DAILY_SQL, runs: { ours: [], sqlite3: [] } },
  };
  for (let round = 0; round < rounds; round += 1) {
    for (const pair of Object.values(pairs)) {
      pair.runs.sqlite3.push(await timedProcess(SQLITE3, ['-readonly', 'ledger.sqlite', pair.sqlite3], { cwd: dir }));
      pair.runs.ours.push(await timedProcess(process.execPath, pair.ours, { cwd: dir }));
    }
  }
  const metrics = { lines, rounds };
  for (const [name, pair] of Object.entries(pairs)) {
    const ours = best(pair.runs.ours);
    const sqlite3 = best(pair.runs.sqlite3);
    Object.assign(metrics, {
      [`${name}_cpu_ms`]: ours.cpuMs,
      [`${name}_ms`]: Math.round(ours.ms),
      [`${name}_peak_rss_mb`]: ours.peakRssMb,
      [`${name}_sqlite3_group_by_cpu_ms`]: sqlite3.cpuMs,
      [`${name}_sqlite3_group_by_ms`]: Math.round(sqlite3.ms),
      [`${name} ÷ sqlite3 GROUP BY (CPU)`]: Number((ours.cpuMs / Math.max(sqlite3.cpuMs, 10)).toFixed(2)),
      [`${name} ÷ sqlite3 GROUP BY (wall)`]: Number((ours.ms / sqlite3.ms).toFixed(2)),
    });
  }
  return { name: 'period-reads-vs-sqlite3', metrics };
}

await runWhenMain(import.meta.url, run);
