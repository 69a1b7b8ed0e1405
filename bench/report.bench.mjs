/**
 * `ledgerline report` on a ledger of many lines, against `ledgerline export
 * --format generic` of the same ledger in the same run: both are the built CLI
 * as a subprocess writing a file, so the ratio is report ÷ export wall time.
 * The report sums the journal per day in SQLite (GROUP BY), so its memory should
 * not grow with the lines (aim: peak RSS < 200 MB); the export streams every line.
 * The two run in alternation for a few rounds and the fastest of each counts.
 *
 * 2026-11-27 07:25-07:32 UTC (report-start branch), load 12-17, one run each of main's build (f934db4) and this
 * branch's: report 2,824 -> 2,271 ms wall (÷ export 0.47 -> 0.28; the export's own wall moved 5,996 -> 8,048 with the
 * load, so the ratio says less than the report's time), peak RSS 102 -> 80 MB, the page byte for byte the same. On
 * this bench's ledger (kept once, the two builds in turns, 3 pairs, /usr/bin/time): 500-640 -> 400-500 CPU-ms. The
 * report's fleet table (two sources here) came from the status read, which ran SQLite's page check over every page
 * (PRAGMA quick_check); it no longer does (the table shows no integrity). Books without sources read no fleet at
 * all. What the report still adds to the shared start here: the fleet's status read (~50 ms in the profile: its
 * ledger counts and the sources' silence), the charts' daily series and tables (~80 ms profiled at load 17).
 * 2026-11-27 12:20-12:31 UTC (report2 branch), load 11-18. The report takes the chart from the checked cache (as
 * balances does) instead of parsing its YAML each run, and no longer loads the sealed periods' checks, the sync's
 * alerts and money, or the fleet's zod schemas. On this bench's ledger, kept once, main's build (61a4284) and this
 * branch's: callgrind (Ir of all threads, code cache warm, two runs each) 1.292-1.293 G -> 1.188-1.206 G; bash
 * `times`, 7 interleaved rounds of 3 runs, medians: 240 -> 214 CPU-ms; the page byte for byte the same. This bench,
 * one run each a minute apart: report 665 -> 920 ms wall, export 1,150 -> 4,996 ms (÷ 0.58 -> 0.18): the load moved
 * more than the builds did, so its ratio says nothing here; peak RSS 78 -> 76 MB.
 *
 * The ledger: ENTRIES entries of PAIRS × 2 lines over DAYS days, from a
 * generator as in the export bench, spread over a panel (charges, refunds) and a publisher
 * (earnings, a payout each month), with the panel's balance close of every day.
 *
 *   npm run build && node bench/report.bench.mjs
 *   BENCH_REPORT_ENTRIES=50000 node bench/report.bench.mjs
 */
import { journalBooksOver } from '../dist/src/store/journal-books-store.js';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Ledger } from '../dist/src/ledger/index.js';
import { LedgerStore } from '../dist/src/store/index.js';
import { addDays } from '../dist/src/calendar/index.js';
import { logClose } from '../dist/src/pipeline/sync/books/logged-closes.js';
import { runWhenMain, sized } from './support/bench-size.mjs';

const ENTRIES = sized('BENCH_REPORT_ENTRIES', 25_000, 400);
const DAYS = 365;
const ROUNDS = sized(undefined, 2, 1);
const START = '2025-01-01';
const here = import.meta.dirname;
const CLI = join(here, '..', 'dist', 'src', 'cli', 'main.js');
const MB = 1024 * 1024;

const CONFIG = `ledger: ./ledger.sqlite
timezone: UTC
currency: USD
payouts: { method: paypal }
sources:
  - { id: smm-panel, kind: panel, url: "https://panel.invalid/api/v2", apiKey: "\${BENCH_KEY}" }
  - { id: ads-publisher, kind: payelancer, baseUrl: "https://ads.invalid", apiKey: "\${BENCH_KEY}" }
`;

/** Pairs of lines per entry: a night's summary entry holds many lines, and building the ledger costs per entry. */
const PAIRS = 4;

function entry(index) {
  const date = addDays(START, index % DAYS);
  const line = (account, amountMicros) => ({ account, currency: 'USD', amountMicros });
  const publisher = index % 4 === 3;
  const lines = [];
  for (let pair = 0; pair < PAIRS; pair += 1) {
    const micros = BigInt(100_000 + ((index * PAIRS + pair) % 9_900) * 1_001);
    // A panel's pairs are mostly charges, one in four a refund.
    const [debit, credit] = publisher
      ? ['payelancer_receivable', 'ad_revenue']
      : pair === 3
        ? ['panel_prepaid', 'smm_services_expense']
        : ['smm_services_expense', 'panel_prepaid'];
    lines.push(line(debit, micros), line(credit, -micros));
  }
  return {
    id: `je:bench:${index}`,
    date,
    sourceId: publisher ? 'ads-publisher' : 'smm-panel',
    description: `bench entry ${index}`,
    eventIds: [],
    lines,
  };
}

async function buildLedger(dir) {
  const store = await LedgerStore.open(join(dir, 'ledger.sqlite'));
  const ledger = new Ledger(journalBooksOver(store));
  const now = new Date('2026-01-01T00:00:00Z');
  // The panel's balance moves each day by what its entries book there: its close reports the ledger's figure.
  const panelMoves = new Map();
  await store.unitOfWork(async (tx) => {
    const ledger = new Ledger(journalBooksOver(tx));
    for (let index = 0; index < ENTRIES; index += 1) {
      const made = entry(index);
      await ledger.appendEntry(made, { now });
      for (const line of made.lines)
        if (line.account === 'panel_prepaid')
          panelMoves.set(made.date, (panelMoves.get(made.date) ?? 0n) + line.amountMicros);
    }
    let balance = 0n;
    for (let day = 0; day < DAYS; day += 1) {
      const date = addDays(START, day);
      if (date.endsWith('-28')) {
        const paid = 5_000_000n;
        await ledger.appendEntry(
          {
            id: `je:bench:payout:${date}`,
            date,
            sourceId: 'ads-publisher',
            description: 'bench payout',
            eventIds: [],
            lines: [
              { account: 'payout_clearing_paypal', currency: 'USD', amountMicros: paid },
              { account: 'payelancer_receivable', currency: 'USD', amountMicros: -paid },
            ],
          },
          { now },
        );
      }
      balance += panelMoves.get(date) ?? 0n;
      await logClose(tx, {
        sourceId: 'smm-panel',
        date,
        metric: 'balance',
        valueMicros: balance,
        currency: 'USD',
        runId: 'bench',
        now,
      });
    }
  });
  await store.close();
}

/** A CLI run's wall time and peak RSS (MB), through bench/support/peak-rss.mjs. */
function measured(args, cwd) {
  const rssFile = join(cwd, `peak-rss-${Date.now()}`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', pathToFileURL(join(here, 'support', 'peak-rss.mjs')).href, CLI, ...args],
      {
        cwd,
        env: { PATH: process.env.PATH, PEAK_RSS_FILE: rssFile, BENCH_KEY: 'not-used' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0 || !existsSync(rssFile))
        return reject(new Error(`ledgerline ${args.join(' ')} exited ${code}: ${stderr}`));
      const usage = JSON.parse(readFileSync(rssFile, 'utf8'));
      rmSync(rssFile);
      resolve({ ms, peakMb: usage.maxRssKb / 1024 });
    });
  });
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-report-bench-'));
  try {
    writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG);
    let started = performance.now();
    await buildLedger(dir);
    const buildMs = performance.now() - started;
    const reports = [];
    const exports = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      exports.push(await measured(['export', '--format', 'generic', '--out', 'export.csv'], dir));
      reports.push(await measured(['report', '--out', 'report.html'], dir));
    }
    const fastest = (runs) => Math.min(...runs.map((result) => result.ms));
    const peak = (runs) => Math.max(...runs.map((result) => result.peakMb));
    const lines = ENTRIES * PAIRS * 2 + 12 * 2;
    return {
      name: 'report',
      metrics: {
        lines,
        days: DAYS,
        rounds: ROUNDS,
        build_ledger_ms: Math.round(buildMs),
        report_ms: Math.round(fastest(reports)),
        export_generic_ms: Math.round(fastest(exports)),
        'report ÷ export (time, lower is better)': Number((fastest(reports) / fastest(exports)).toFixed(2)),
        report_peak_rss_mb: Math.round(peak(reports)),
        export_peak_rss_mb: Math.round(peak(exports)),
        report_html_kb: Math.round(statSync(join(dir, 'report.html')).size / 1024),
        export_csv_mb: Number((statSync(join(dir, 'export.csv')).size / MB).toFixed(1)),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runWhenMain(import.meta.url, run);
