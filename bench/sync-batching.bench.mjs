/**
 * Batching and pacing of a panel sync: 100,000 open orders (all new, listed in
 * an orders file) polled from the in-process sandbox through runSync, with a
 * real Ledger on a temp SQLite file. The panel's limit is scaled from the
 * seed's 1000/min to 100,000/min on both sides (the sandbox's fixed windows
 * and the client's token bucket; 100,000 is the most the config schema takes
 * for rateLimitPerMinute), so the run is bound by our own work, not by waiting.
 *
 * Baseline, in the same process: ceil(N/100) status requests, which is the
 * fewest the seed's 100-ids-per-request limit allows, and the scaled limit.
 * Before the measured sync, a baseline sync on the world's first day (no
 * orders yet) books the opening balance, so the measured one books a charge
 * for every order as a nightly sync would.
 *
 *   npm run build && node bench/sync-batching.bench.mjs
 *   BENCH_ORDERS=20000 node bench/sync-batching.bench.mjs
 */
import { journalBooksOver } from '../dist/src/store/journal-books-store.js';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '../dist/src/ledger/index.js';
import { startSandbox } from '../dist/sandbox/sandbox-server.js';
import {
  addDays,
  openLedgerStore,
  panelConfig,
  panelScript,
  syncPanel,
  tempDir,
  writeOrdersFile,
} from './support-sync.mjs';
import { runWhenMain, sized } from './support/bench-size.mjs';

const ORDERS = sized('BENCH_ORDERS', 100_000, 300);
const BATCH = 100;
const SCALED_LIMIT_PER_MINUTE = 100_000;
const REAL_LIMIT_PER_MINUTE = 1000;
/** The client's bucket at the real limit: 20 back to back, then (1000 − 20) a minute. */
const REAL_BURST = 20;
const START = '2026-01-01';
/**
 * Orders are placed over this many days: the world script copies a day's list
 * for every order it adds to it, so 40,000 orders on one day take 18 s to
 * script and 100,000 would take minutes; spread over 100 days, 100,000 take 1 s.
 */
const PLACEMENT_DAYS = 100;
const AS_OF = addDays(START, PLACEMENT_DAYS + 1);
const STATUS_ACTIONS = new Set(['multiStatus', 'status']);

/** Open orders only: Pending, or moved on to In progress / Processing with some delivered. */
function openOrders(count) {
  const orders = [];
  for (let index = 0; index < count; index += 1) {
    const placedOn = addDays(START, 1 + (index % PLACEMENT_DAYS));
    const quantity = 1000 + (index % 9) * 500;
    const timeline =
      index % 3 === 0
        ? []
        : [{ on: addDays(placedOn, 1), status: index % 3 === 1 ? 'In progress' : 'Processing', remains: quantity / 2 }];
    orders.push({ id: String(1_000_001 + index), quantity, placedOn, timeline });
  }
  return orders;
}

export async function run() {
  const temp = tempDir();
  const orders = openOrders(ORDERS);
  const sandbox = await startSandbox({
    script: panelScript(START, orders),
    today: START,
    rateLimitPerMinute: SCALED_LIMIT_PER_MINUTE,
  });
  const store = await openLedgerStore(join(temp.dir, 'ledger.sqlite'));
  try {
    const { config, chart } = panelConfig(temp.dir, {
      panelUrl: sandbox.panelUrl,
      apiKey: sandbox.keys.panel,
      rateLimitPerMinute: SCALED_LIMIT_PER_MINUTE,
    });
    await syncPanel({ config, chart, store, asOf: START });

    sandbox.setToday(AS_OF);
    sandbox.clearRequestLog();
    const ordersFile = writeOrdersFile(join(temp.dir, 'orders.csv'), orders);
    const startedAt = Date.now();
    const cpuBefore = process.cpuUsage();
    const { source, ms } = await syncPanel({ config, chart, store, asOf: AS_OF, ordersFile });
    const cpu = process.cpuUsage(cpuBefore);
    const endedAt = Date.now();

    const log = sandbox.requestLog('panel');
    const statusRequests = log.filter((entry) => STATUS_ACTIONS.has(entry.action));
    const rateLimited = log.filter((entry) => entry.status === 429).length;
    const firstPoll = Date.parse(statusRequests[0].time);
    const lastPoll = Date.parse(statusRequests.at(-1).time);
    const pollingMs = Math.max(1, lastPoll - firstPoll);
    const perMinute = (statusRequests.length / pollingMs) * 60_000;
    const expected = Math.ceil(ORDERS / BATCH);
    const realLimitMinutes = Math.max(0, log.length - REAL_BURST) / (REAL_LIMIT_PER_MINUTE - REAL_BURST);
    const prepaid = await new Ledger(journalBooksOver(store)).balanceOf('panel_prepaid', 'USD', {
      sourceId: source.sourceId,
    });

    return {
      name: 'sync-batching',
      metrics: {
        orders: ORDERS,
        orders_polled: source.polled,
        status_requests: statusRequests.length,
        'status requests ÷ ceil(N/100) (aim 1.00)': (statusRequests.length / expected).toFixed(2),
        'status requests refused (400: over 100 ids)': statusRequests.filter((entry) => entry.status === 400).length,
        other_panel_requests: log.length - statusRequests.length,
        http_429: rateLimited,
        sync_ms: Math.round(ms),
        'sync_cpu_ms (ours and the in-process sandbox)': Math.round((cpu.user + cpu.system) / 1000),
        before_first_poll_ms: Math.max(0, firstPoll - startedAt),
        polling_ms: pollingMs,
        after_last_poll_ms: Math.max(0, endedAt - lastPoll),
        status_requests_per_minute: Math.round(perMinute),
        'throughput ÷ scaled limit (100,000/min)': (perMinute / SCALED_LIMIT_PER_MINUTE).toFixed(3),
        'throughput ÷ real limit (1000/min)': (perMinute / REAL_LIMIT_PER_MINUTE).toFixed(1),
        'projected sync at the real 1000/min limit (min)': (realLimitMinutes + (ms - pollingMs) / 60_000).toFixed(1),
        events_booked: source.events,
        journal_entries: source.entries.length,
        findings: source.findings.length,
        ledger_prepaid_equals_panel_balance: prepaid === sandbox.world.balanceOn(AS_OF),
        'machine load (1-min average) at the end': loadavg()[0].toFixed(1),
      },
    };
  } finally {
    await store.close();
    await sandbox.close();
    temp.remove();
  }
}

await runWhenMain(import.meta.url, run);
