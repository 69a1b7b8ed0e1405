/**
 * First import of a large orders file, as a user runs it: `ledgerline sync
 * --orders-file` as a subprocess against a sandbox in another process, so
 * the figures are ledgerline's alone (wall time and peak RSS of the CLI).
 *
 * Baseline, in the same run: a bare importer that reads the same file and
 * inserts the same rows into one SQLite table (bench/support/raw-orders-import.mjs),
 * also a subprocess. Aims (issue 12): ≤ 10 s and ≤ 150 MB for 200,000 rows.
 *
 * Then the cost of ids the panel does not know: the file also lists ids no
 * order has; they are polled each night until unknownOrderRetentionDays
 * (default 7) pass, in the same batches as the rest. Counted from the sync
 * reports' `polled` over the following nights.
 *
 * Where a first import of 200,000 rows goes (issue 12; --cpu-prof and a
 * 250 ms memoryUsage sampler on the CLI, a 2-core machine at load ~11):
 * - CPU (~17 s): the close's one transaction is most of it. SQLite row writes
 *   about 60% (upserting 200,000 orders with their state, inserting 200,000
 *   events with their detail, the daily entry's 200,000 event links), JSON of
 *   states and details 15% (toStoredJson's replacer, now off V8's slow path),
 *   the rules 7%; then the HTTP writes of 2,000 status requests and landing
 *   their replies, the file's parsing (~2 s) and matching it to known orders.
 * - Memory (~470–485 MB peak): the heap climbs steadily through the 2,000
 *   requests (~110 → ~300 MB used), mostly garbage V8 keeps while it may:
 *   capped at 120 MB of old space the polling runs on ~95 MB live (the file's
 *   rows, the known-orders map, the observations), the booking then needs
 *   more. Booking in chunks and reading each polled chunk at once took little
 *   off the peak. What is left needs the transaction to span the polling
 *   (poll a chunk, book it: the async store), the file's orders registered
 *   while it is read, and known orders read from the table per chunk.
 * - The event links are now made 500 to an UPDATE (store/journal.ts): 40% less
 *   link time on a bare 200,000-row table; within the noise of a loaded machine
 *   here (CPU 17.4 → 16.1 s, peak 479 → 476 MB). A unit of work spanning the
 *   polling holds SQLite's write lock (BEGIN IMMEDIATE) through every status
 *   request: a webhook receiver writing the same ledger from another process
 *   waits busy_timeout (5 s) and fails, and a single-status panel polls 200,000
 *   orders one request each. It needs booking per polled chunk in units of
 *   their own, the close's all-or-nothing kept another way (a close marker).
 * - Each polled chunk (5,000 orders) is now booked in a unit of work of its own
 *   and the balance step with the day's journal in a last one, the close's marker
 *   (a close stopped between them is finished by the next sync: the orders start
 *   from the states written, the events left unjournaled are journalized then);
 *   states are read per chunk, what to poll from the orders table's columns.
 *   The lock is no longer held through the polling; the figures barely moved
 *   (the import alone, old and new builds back to back at load ~10: 84.4 → 64.5 s
 *   wall, mostly the loaded sandbox; CPU 18.1 → 18.4 s; peak 478 → 435 MB);
 *   a 250 ms memoryUsage sampler shows about 80-120 MB live after each major GC
 *   (the file's rows, the fresh-order map, the ids to poll, the new events kept
 *   for the journal) and 200+ MB of garbage between them, since V8 lets old
 *   space grow to 3-4 times what survives; the peak follows the live set. What
 *   is left: register the file's orders while it is read (the fresh map and the
 *   rows go), read the close's events back for the journal instead of holding
 *   them, and the row writes (orders, events, links) for the CPU.
 *
 *   npm run build && node bench/orders-import.bench.mjs
 *   BENCH_ORDERS=20000 node bench/orders-import.bench.mjs
 *   BENCH_CLI_NODE_FLAGS=--cpu-prof node bench/orders-import.bench.mjs   (profiles each CLI run)
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { addDays, FOLLOWERS_SERVICE, panelScript, tempDir } from './support-sync.mjs';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 200_000);
/** One id in a hundred names no order at the panel (a typo, another panel's order). */
const UNKNOWN = Math.ceil(ORDERS / 100);
const NIGHTS_AFTER = 9;
const LIMIT_PER_MINUTE = 100_000;
const START = '2026-01-01';
const PLACEMENT_DAYS = 100;
const AS_OF = addDays(START, PLACEMENT_DAYS + 1);
const here = import.meta.dirname;
const CLI = join(here, '..', 'dist', 'src', 'cli', 'main.js');

/** Pending orders placed over PLACEMENT_DAYS days (a day's list is copied per order added, so spread them). */
function pendingOrders(count) {
  return Array.from({ length: count }, (_, index) => ({
    id: String(1_000_001 + index),
    quantity: 1000 + (index % 9) * 500,
    placedOn: addDays(START, 1 + (index % PLACEMENT_DAYS)),
    timeline: [],
  }));
}

/** A subprocess's exit code, wall time, CPU time and peak RSS (MB), through bench/support/peak-rss.mjs. */
function measured(args, { cwd, env = {} }) {
  const rssFile = join(cwd, `peak-rss-${Date.now()}`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const nodeFlags = (process.env.BENCH_CLI_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeFlags, '--import', pathToFileURL(join(here, 'support', 'peak-rss.mjs')).href, ...args], {
      cwd,
      env: { PATH: process.env.PATH, PEAK_RSS_FILE: rssFile, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (!existsSync(rssFile)) reject(new Error(`${args.join(' ')} exited ${code} before measuring itself: ${stderr}`));
      const usage = JSON.parse(readFileSync(rssFile, 'utf8'));
      resolve({ code, ms, cpuMs: usage.cpuMs, peakMb: usage.maxRssKb / 1024, stdout, stderr });
    });
  });
}

async function startSandboxProcess(scriptFile) {
  const child = spawn(process.execPath, [join(here, 'support', 'sandbox-process.mjs'), scriptFile, String(LIMIT_PER_MINUTE)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((next) => [next.value]);
  return { ...JSON.parse(line), stop: () => child.kill('SIGTERM') };
}

async function admin(sandbox, method, path, body) {
  const response = await fetch(`${sandbox.adminUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  if (!response.ok) throw new Error(`sandbox admin ${method} ${path}: HTTP ${response.status}`);
  return response.json();
}

export async function run() {
  const temp = tempDir();
  const orders = pendingOrders(ORDERS);
  const scriptFile = join(temp.dir, 'world.json');
  writeFileSync(scriptFile, JSON.stringify(panelScript(START, orders)));
  const ordersFile = join(temp.dir, 'orders.csv');
  const unknownIds = Array.from({ length: UNKNOWN }, (_, index) => String(9_000_001 + index));
  writeFileSync(
    ordersFile,
    ['order_id,service,quantity,created_at', ...orders.map((order) => `${order.id},${FOLLOWERS_SERVICE},${order.quantity},${order.placedOn}`), ...unknownIds.map((id) => `${id},${FOLLOWERS_SERVICE},1000,${START}`)].join('\n') + '\n',
  );
  const sandbox = await startSandboxProcess(scriptFile);
  try {
    writeFileSync(
      join(temp.dir, 'ledgerline.yaml'),
      ['ledger: ledger.sqlite', 'timezone: UTC', 'currency: USD', 'sources:', '  - id: smm-panel', '    kind: panel', `    url: ${sandbox.panelUrl}`, '    apiKey: ${PANEL_KEY}', `    rateLimitPerMinute: ${LIMIT_PER_MINUTE}`, ''].join('\n'),
    );
    const cli = (args) => measured([CLI, ...args, '--log-level', 'error'], { cwd: temp.dir, env: { PANEL_KEY: sandbox.panelKey } });
    const opening = await cli(['sync', '--as-of', START]);
    if (opening.code !== 0) throw new Error(`opening sync exited ${opening.code}: ${opening.stderr}`);
    await admin(sandbox, 'POST', '/day', { date: AS_OF });

    const imported = await cli(['sync', '--as-of', AS_OF, '--orders-file', 'orders.csv', '--json']);
    if (imported.code > 1) throw new Error(`import sync exited ${imported.code}: ${imported.stderr}`);
    const report = JSON.parse(imported.stdout);
    const raw = await measured([join(here, 'support', 'raw-orders-import.mjs'), ordersFile, join(temp.dir, 'raw.sqlite')], { cwd: temp.dir });

    const polledPerNight = [];
    for (let night = 1; night <= NIGHTS_AFTER; night += 1) {
      await admin(sandbox, 'POST', '/day', { date: addDays(AS_OF, night) });
      const nightly = await cli(['sync', '--as-of', addDays(AS_OF, night), '--json']);
      if (nightly.code > 1) throw new Error(`night ${night} exited ${nightly.code}: ${nightly.stderr}`);
      polledPerNight.push(JSON.parse(nightly.stdout).sources[0].polled);
    }
    const unknownPolls = polledPerNight.reduce((sum, polled) => sum + (polled - ORDERS), 0);
    const nightsPolled = polledPerNight.filter((polled) => polled > ORDERS).length;
    const source = report.sources[0];
    return {
      name: 'orders-import',
      metrics: {
        orders_file_rows: ORDERS + UNKNOWN,
        events_booked: source.events,
        import_s: (imported.ms / 1000).toFixed(1),
        'import_cpu_s (the rest is waiting on the panel)': (imported.cpuMs / 1000).toFixed(1),
        import_peak_mb: Math.round(imported.peakMb),
        'raw importer s (baseline)': (raw.ms / 1000).toFixed(2),
        'raw importer peak MB (baseline)': Math.round(raw.peakMb),
        'import time ÷ raw importer': (imported.ms / raw.ms).toFixed(1),
        'import peak ÷ raw importer peak': (imported.peakMb / raw.peakMb).toFixed(1),
        'aim met (≤ 10 s, ≤ 150 MB at 200,000 rows)': imported.ms <= 10_000 && imported.peakMb <= 150,
        unknown_ids: UNKNOWN,
        'nights an unknown id is polled after the import': nightsPolled,
        'unknown-id polls over those nights': unknownPolls,
        'status requests they cost (100 ids a request)': Math.ceil(UNKNOWN / 100) * nightsPolled,
      },
    };
  } finally {
    sandbox.stop();
    temp.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) console.log(await run());
