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
 * 2026-11-27 11:45-12:30 UTC (report2 branch), load 7-13 (2 cores shared), 100,000 lines. The baseline is fair and
 * kept: the report of the whole ledger shows the same period, at the grain of this GROUP BY (each day's, source's,
 * account's and currency's debits and credits, exact and in cents: the daily movements its charts and nights read);
 * the report reads them from the daily movements (migration 0022), sqlite3 from the lines. What the report added over
 * balances (callgrind, Ir of all threads, code cache warm; report 1.092 G, balances 0.938-0.947 G, node -e 0 0.503 G,
 * the sqlite3 GROUP BY as a process 1.054 G): the chart's YAML parsed and checked on every run (97 M: balances takes
 * it from the checked cache, the report now does too) -> 0.993-0.997 G; the sealed periods' checks, the sync's alerts
 * and the fleet's zod schemas loaded to write a page without them (37 chunks, 1.88 MB -> 33, 1.83 MB; balances 24,
 * 1.71 MB): within Ir's run-to-run spread (+-5 M). On the report bench's ledger (two sources, the fleet table read):
 * 1.292-1.293 G -> 1.188-1.206 G. Left over balances: 14 more statements (the checklist's reads, refused deliveries,
 * quarantine, runs, adjustments), the page's write and fsync, the chunks above: about 3 ms each (experiments removing
 * one at a time). Both pay the first localeCompare (ICU builds the collator's locale set): a run with a code-unit
 * comparator instead, not kept (its order is the default locale's), 0.992 -> 0.917 G, about 8 CPU-ms.
 * This bench, main's build (61a4284) then this branch's, one run each a minute apart, load 11,
 * `BENCH_LINES=100000 BENCH_ROUNDS=5 node bench/run.mjs period-reads` (/usr/bin/time: 10 ms steps): the report
 * 170 -> 160 CPU-ms against the GROUP BY's 80 and 90 (2.13x -> 1.78x); without NODE_EXTRA_CA_CERTS on both sides
 * 130 -> 110 (1.63x -> 1.22x); balances 140 (2.00x; 90-100 without it, 1.29-1.43x); node -e 0 50. Finer, by bash's
 * `times` (7 interleaved rounds of 3 runs each, medians, load 11-13): main's report 186 CPU-ms, this branch's 165,
 * balances 148, the GROUP BY 98, node -e 0 64 (report 1.89x -> 1.68x); without NODE_EXTRA_CA_CERTS 147 -> 126,
 * balances 111, node -e 0 25 (1.50x -> 1.28x). Aim 1.0x not met: balances itself is 1.50x (1.13x without the
 * certificates), and what it pays is the CLI's shared start.
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

/**
 * This machine's environment sets NODE_EXTRA_CA_CERTS, which node reads at start (~40 of node -e 0's ~60 CPU-ms):
 * each pair also runs with it removed, on both sides, so a reader sees the ratio with and without it.
 */
const BARE_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_EXTRA_CA_CERTS'));
const ENVIRONMENTS = { '': process.env, ' without NODE_EXTRA_CA_CERTS': BARE_ENV };

export async function run({ lines = LINES, rounds = ROUNDS } = {}) {
  const { dir, lastDate } = await sharedBulkLedger(lines);
  const commands = {
    balances: { ours: [CLI, 'balances', '--from', FIRST, '--to', lastDate], sqlite3: yearSql(lastDate) },
    report: { ours: [CLI, 'report', '--out', 'report.html'], sqlite3: DAILY_SQL },
  };
  const pairs = Object.entries(commands).flatMap(([name, command]) =>
    Object.entries(ENVIRONMENTS).map(([suffix, env]) => ({
      name,
      suffix,
      env,
      ...command,
      runs: { ours: [], sqlite3: [] },
    })),
  );
  const nodeStart = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const pair of pairs) {
      const options = { cwd: dir, env: pair.env };
      pair.runs.sqlite3.push(await timedProcess(SQLITE3, ['-readonly', 'ledger.sqlite', pair.sqlite3], options));
      pair.runs.ours.push(await timedProcess(process.execPath, pair.ours, options));
    }
    nodeStart.push(await timedProcess(process.execPath, ['-e', '0'], { cwd: dir }));
  }
  const metrics = { lines, rounds, node_e_0_cpu_ms: best(nodeStart).cpuMs };
  for (const { name, suffix, runs } of pairs) {
    const ours = best(runs.ours);
    const sqlite3 = best(runs.sqlite3);
    const cpuRatio = Number((ours.cpuMs / Math.max(sqlite3.cpuMs, 10)).toFixed(2));
    if (suffix !== '') {
      Object.assign(metrics, {
        [`${name}_cpu_ms${suffix}`]: ours.cpuMs,
        [`${name}_sqlite3_group_by_cpu_ms${suffix}`]: sqlite3.cpuMs,
        [`${name} ÷ sqlite3 GROUP BY (CPU${suffix})`]: cpuRatio,
      });
      continue;
    }
    Object.assign(metrics, {
      [`${name}_cpu_ms`]: ours.cpuMs,
      [`${name}_ms`]: Math.round(ours.ms),
      [`${name}_peak_rss_mb`]: ours.peakRssMb,
      [`${name}_sqlite3_group_by_cpu_ms`]: sqlite3.cpuMs,
      [`${name}_sqlite3_group_by_ms`]: Math.round(sqlite3.ms),
      [`${name} ÷ sqlite3 GROUP BY (CPU)`]: cpuRatio,
      [`${name} ÷ sqlite3 GROUP BY (wall)`]: Number((ours.ms / sqlite3.ms).toFixed(2)),
    });
  }
  return { name: 'period-reads-vs-sqlite3', metrics };
}

await runWhenMain(import.meta.url, run);
