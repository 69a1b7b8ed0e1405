/**
 * `ledgerline balances` against `hledger bal` on the same postings: a ledger of
 * BENCH_LINES journal lines (default 1,000,000; bench/support/bulk-ledger.mjs),
 * exported once with `ledgerline export --format hledger`, then each tool run
 * as a process in alternation, BENCH_ROUNDS times (default 1), fastest round
 * counted. Reports the time ratio hledger ÷ ours and each one's peak RSS
 * (/usr/bin/time). Aim: ours ≥ 30× faster, ≤ 100 MB.
 *
 *   npm run build && BENCH_LINES=200000 node bench/run.mjs balances-vs-hledger
 */
import { join, resolve } from 'node:path';
import { sharedBulkLedger } from './support/bulk-ledger.mjs';
import { timedProcess } from './support/timed-process.mjs';
import { runWhenMain, sized } from './support/bench-size.mjs';

const LINES = sized('BENCH_LINES', 1_000_000, 2000);
const ROUNDS = sized('BENCH_ROUNDS', 1, 1);
const CLI = resolve(import.meta.dirname, '../dist/src/cli/main.js');
const HLEDGER = '/usr/bin/hledger';

export async function run({ lines = LINES, rounds = ROUNDS } = {}) {
  const { dir, lastDate } = await sharedBulkLedger(lines);
  const journal = join(dir, 'books.journal');
  const exported = await timedProcess(process.execPath, [CLI, 'export', '--format', 'hledger', '--out', journal], { cwd: dir });
  const oursRounds = [];
  const hledgerRounds = [];
  for (let round = 0; round < rounds; round += 1) {
    oursRounds.push(await timedProcess(process.execPath, [CLI, 'balances', '--as-of', lastDate], { cwd: dir }));
    hledgerRounds.push(await timedProcess(HLEDGER, ['-f', journal, 'bal', '-e', nextDay(lastDate)], { cwd: dir }));
  }
  const oursMs = Math.min(...oursRounds.map((result) => result.ms));
  const hledgerMs = Math.min(...hledgerRounds.map((result) => result.ms));
  return {
    name: 'balances-vs-hledger',
    metrics: {
      lines,
      rounds,
      oursMs: Math.round(oursMs),
      hledgerMs: Math.round(hledgerMs),
      timesFasterThanHledger: Number((hledgerMs / oursMs).toFixed(1)),
      peakRssOursMb: Math.max(...oursRounds.map((result) => result.peakRssMb)),
      peakRssHledgerMb: Math.max(...hledgerRounds.map((result) => result.peakRssMb)),
      hledgerExportMs: Math.round(exported.ms),
    },
  };
}

/** hledger's -e is exclusive: the day after the as-of date. */
function nextDay(date) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

await runWhenMain(import.meta.url, run);
