/**
 * `ledgerline serve` answering the month-end console page (December of a year's ledger) on a ledger of
 * 1M journal lines (bench/support/bulk-ledger.mjs), against `ledgerline report` of the same window on
 * the same ledger in the same run. Both are the built CLI as a subprocess; serve's peak RSS is its whole
 * life (start, ROUNDS page loads, stop). Aim: each page under 1 s, serve under 200 MB.
 *
 * 2026-11-23, load average 6.5 to 13 (other jobs running): pages 585 to 913 ms, serve 125 MB, report 1,441 ms
 * (page ÷ report 0.41). 2026-11-25, load under 2: fastest page 383 to 398 ms, first 539 to 565 ms, the same
 * before migrations 0011 to 0014 (daa45cd) as after (runs taken in turns). The page took 4.96 s before its opening balances came from the running totals less
 * the window's lines: 2.5 s of it summed the eleven months before the window.
 *
 * 2026-11-26, load 20-26, 1M lines, against the same bytes (77 KB) served as a static file: before (main,
 * 7011ddf) the default page 1,138 ms (59.5×), the whole ledger 1,129 ms (89×), serve 143 MB; after (the
 * ledger's date span off the index, refused deliveries read from the deliveries, the page written in parts)
 * 227 ms (30×) and 246 ms (19×), the fastest December page 86 ms, serve 127 MB. Every page's first byte came
 * with its last: the time was the report's reads, done before the head could be written (its window and title).
 *
 * 2026-11-26 01:00, load 5 to 11, medians of 3 runs each: before (d330140) the default page 50 ms (27.5×), the
 * whole ledger 64 ms (38.7×), first byte with the last. The head and bar now go out from the window alone (the
 * request and the ledger's date span) before the reads run: default 39 ms (24.2×), first byte 16 ms; whole
 * ledger 31 ms (19×), first byte 13 ms. A profile of 80 page loads then put 6.5 ms of each page, all before the
 * first byte, in parsing the chart's YAML per request; read once at start: default 6 ms (3.9×), whole ledger
 * 20 ms (9.6×), first byte 2 ms on both, serve 95 MB. What is left of the year page is its reads (the daily
 * movements of 365 days, 40 % of the report's time) and the series built from them.
 *
 * 2026-11-26 03:00, load 7 to 19 (others' jobs), medians of 3 runs taken in turns with main (a748e44): the year
 * page read every day × account row of the year (2,190, ~4 ms as objects) to sum them back into six totals; it now
 * reads the window's totals grouped in SQL and per day only what the page draws (the last week; the charted accounts
 * of panels and publishers, as arrays). Year page 27 ms (14.3×) → 7 ms (3.8×); default page 7 ms (4.0×) → 5 ms
 * (2.4×); first byte 1 to 4 ms on both, before and after (two more sets of 3 at load 6 to 15: year 14.4× and 16.7×
 * → 4.3× and 2.7×). The static file's time is 1.5 to 8 ms from run to run under such load: the serve process's
 * CPU per page is steadier (200 loads each, /proc utime+stime): year 9.5 → 3.5 ms, default 5.8 → 4.0 ms, the static
 * file's server 0.6 to 0.8 ms. What is left of the year page: the window's GROUP BY in SQLite (~1 ms), writing
 * 77 KB to the socket (~1 ms), reconcile's reads.
 *
 * On a quiet machine (26 Nov 2026 03:14, nothing else running, load 1.3): the default page 5 ms (3.8× the same
 * 77 KB from a static file, 1.3 ms), the year page 10 ms (4.9×, 2.1 ms), first byte 2 ms for both; peak 83 MB.
 *
 *   npm run build && node bench/run.mjs serve
 *   BENCH_SERVE_LINES=200000 node bench/run.mjs serve
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { sized } from './support/bench-size.mjs';
import { sharedBulkLedger } from './support/bulk-ledger.mjs';

const LINES = sized('BENCH_SERVE_LINES', 1_000_000, 2_000);
const ROUNDS = 3;
const here = import.meta.dirname;
const CLI = join(here, '..', 'dist', 'src', 'cli', 'main.js');

function ledgerline(args, cwd, rssFile) {
  return spawn(
    process.execPath,
    ['--import', pathToFileURL(join(here, 'support', 'peak-rss.mjs')).href, CLI, ...args],
    {
      cwd,
      env: { PATH: process.env.PATH, PEAK_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

function ended(child, rssFile) {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      if (code !== 0 || !existsSync(rssFile)) return reject(new Error(`ledgerline exited ${code}: ${stderr}`));
      const usage = JSON.parse(readFileSync(rssFile, 'utf8'));
      rmSync(rssFile);
      resolve(usage.maxRssKb / 1024);
    });
  });
}

function get(url) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const sent = request(url, { timeout: 60_000 }, (response) => {
      const chunks = [];
      let firstByteMs;
      response.on('data', (chunk) => {
        firstByteMs ??= performance.now() - started;
        chunks.push(chunk);
      });
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        if (response.statusCode !== 200) return reject(new Error(`GET ${url}: ${response.statusCode}`));
        resolve({ ms: performance.now() - started, firstByteMs, bytes: body.length, body });
      });
    });
    sent.on('timeout', () => sent.destroy(new Error(`GET ${url}: no answer within 60 s`)));
    sent.on('error', reject).end();
  });
}

async function servePages(dir, from, to) {
  const rssFile = join(dir, 'serve-rss.json');
  const child = ledgerline(['serve', '--port', '0'], dir, rssFile);
  const exit = ended(child, rssFile);
  const base = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no address: ${seen}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const found = /console on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(seen);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
  });
  const pages = [];
  let opened;
  let wholeLedger;
  try {
    for (let round = 0; round < ROUNDS; round += 1) pages.push(await get(`${base}?from=${from}&to=${to}`));
    // The page the console opens on (the month to date of the latest entry) and the whole ledger, one link away.
    opened = await get(base);
    wholeLedger = await get(`${base}?whole=ledger`);
  } finally {
    child.kill('SIGTERM');
  }
  return { pages, opened, wholeLedger, peakMb: await exit };
}

async function reportRun(dir, from, to) {
  const rssFile = join(dir, 'report-rss.json');
  const started = performance.now();
  const peakMb = await ended(
    ledgerline(['report', '--from', from, '--to', to, '--out', 'report.html'], dir, rssFile),
    rssFile,
  );
  return { ms: performance.now() - started, peakMb };
}

/**
 * The baseline: the same bytes as a static file, served by node:http in its own process (read from disk and
 * piped, as a static file server does), fetched ROUNDS times; the fastest counted.
 */
async function staticFileMs(dir, body) {
  const file = join(dir, 'static-page.html');
  writeFileSync(file, body);
  const script = `const http = require('node:http'); const fs = require('node:fs');
    const server = http.createServer((request, response) => { response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); fs.createReadStream(${JSON.stringify(file)}).pipe(response); });
    server.listen(0, '127.0.0.1', () => console.log('static on http://127.0.0.1:' + server.address().port + '/'));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const base = await new Promise((resolve) =>
      child.stdout.on('data', (chunk) => resolve(/(http:\/\/\S+)/.exec(String(chunk))[1])),
    );
    const times = [];
    for (let round = 0; round < ROUNDS; round += 1) times.push((await get(base)).ms);
    return Math.min(...times);
  } finally {
    child.kill('SIGTERM');
    rmSync(file, { force: true });
  }
}

export async function run() {
  const { dir, lastDate } = await sharedBulkLedger(LINES);
  const to = lastDate;
  const from = `${to.slice(0, 7)}-01`;
  const reports = [];
  for (let round = 0; round < 2; round += 1) reports.push(await reportRun(dir, from, to));
  const serve = await servePages(dir, from, to);
  const ms = serve.pages.map((page) => page.ms);
  const staticDefaultMs = await staticFileMs(dir, serve.opened.body);
  const staticYearMs = await staticFileMs(dir, serve.wholeLedger.body);
  return {
    name: 'serve',
    metrics: {
      lines: LINES,
      window: `${from}..${to}`,
      serve_first_page_ms: Math.round(ms[0]),
      serve_fastest_page_ms: Math.round(Math.min(...ms)),
      serve_slowest_page_ms: Math.round(Math.max(...ms)),
      serve_peak_rss_mb: Math.round(serve.peakMb),
      page_kb: Math.round(serve.pages[0].bytes / 1024),
      serve_default_page_ms: Math.round(serve.opened.ms),
      serve_default_page_first_byte_ms: Math.round(serve.opened.firstByteMs),
      serve_whole_ledger_page_ms: Math.round(serve.wholeLedger.ms),
      serve_whole_ledger_page_first_byte_ms: Math.round(serve.wholeLedger.firstByteMs),
      default_page_kb: Math.round(serve.opened.bytes / 1024),
      whole_ledger_page_kb: Math.round(serve.wholeLedger.bytes / 1024),
      static_default_page_ms: Number(staticDefaultMs.toFixed(1)),
      static_whole_ledger_page_ms: Number(staticYearMs.toFixed(1)),
      'default page ÷ the same bytes as a static file': Number((serve.opened.ms / staticDefaultMs).toFixed(1)),
      'year page ÷ the same bytes as a static file': Number((serve.wholeLedger.ms / staticYearMs).toFixed(1)),
      report_fastest_ms: Math.round(Math.min(...reports.map((report) => report.ms))),
      report_peak_rss_mb: Math.round(Math.max(...reports.map((report) => report.peakMb))),
      'serve page ÷ report run (time)': Number(
        (Math.min(...ms) / Math.min(...reports.map((report) => report.ms))).toFixed(2),
      ),
    },
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(await run());
