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
import { execFileSync } from 'node:child_process';
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
  const exported = await timedProcess(process.execPath, [CLI, 'export', '--format', 'hledger', '--out', journal], {
    cwd: dir,
  });
  const oursRounds = [];
  const hledgerRounds = [];
  for (let round = 0; round < rounds; round += 1) {
    oursRounds.push(await timedProcess(process.execPath, [CLI, 'balances', '--as-of', lastDate], { cwd: dir }));
    // hledger reads the UTF-8 export in the locale's encoding: a UTF-8 locale, whatever this machine's is.
    hledgerRounds.push(
      await timedProcess(HLEDGER, ['-f', journal, 'bal', '-e', nextDay(lastDate)], {
        cwd: dir,
        env: { ...process.env, LC_ALL: 'C.UTF-8' },
      }),
    );
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
      'accounts whose whole-ledger totals differ from the sum of their months (must be 0)': wholeLedgerAgainstMonths(
        dir,
        lastDate,
      ),
    },
  };
}

/**
 * The whole-ledger trial balance comes from the running totals (migration 0012), the one split by month from the
 * lines themselves: the accounts on which the two disagree, in any of debits and credits, exact or in cents.
 */
function wholeLedgerAgainstMonths(dir, lastDate) {
  const balances = (...args) =>
    JSON.parse(
      execFileSync(process.execPath, [CLI, 'balances', '--as-of', lastDate, '--json', ...args], {
        cwd: dir,
        encoding: 'utf8',
      }),
    ).rows;
  const FIGURES = ['debit', 'credit', 'debitCents', 'creditCents'];
  const cents = (text) => BigInt(text.replace('.', ''));
  const byMonths = new Map();
  for (const row of balances('--by', 'month')) {
    const sums = byMonths.get(row.account) ?? FIGURES.map(() => 0n);
    byMonths.set(
      row.account,
      sums.map((sum, index) => sum + cents(row[FIGURES[index]])),
    );
  }
  const whole = balances();
  const differing = whole.filter((row) =>
    FIGURES.some((figure, index) => cents(row[figure]) !== (byMonths.get(row.account)?.[index] ?? 0n)),
  );
  return (
    differing.length + [...byMonths.keys()].filter((account) => !whole.some((row) => row.account === account)).length
  );
}

/** hledger's -e is exclusive: the day after the as-of date. */
function nextDay(date) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

await runWhenMain(import.meta.url, run);
