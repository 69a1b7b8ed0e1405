/**
 * A panel with no batch status (multiStatus answers null, status&orders
 * "Order not found."), polled one order at a time, against the same panel
 * answering batches of 100: one nightly sync of 1,000 open orders each, in
 * the same process, on the in-process sandbox with the limit scaled to
 * 100,000/min so the run is bound by our own work. Calls are what the panel's
 * rate limit counts; at the seed's real 1,000/min they are the night's length.
 *
 *   npm run build && node bench/single-status.bench.mjs
 */
import { join } from 'node:path';
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

const ORDERS = sized('BENCH_ORDERS', 1000, 30);
const SCALED_LIMIT_PER_MINUTE = 100_000;
const REAL_LIMIT_PER_MINUTE = 1000;
const START = '2026-01-01';
const AS_OF = addDays(START, 2);
const STATUS_ACTIONS = new Set(['multiStatus', 'status']);

function pendingOrders(count) {
  return Array.from({ length: count }, (_, index) => ({
    id: String(1_000_001 + index),
    quantity: 1000,
    placedOn: addDays(START, 1),
    timeline: [],
  }));
}

/** One nightly sync of ORDERS open orders against a panel with or without batch status: wall time and status calls. */
async function night(batchStatus) {
  const temp = tempDir();
  const orders = pendingOrders(ORDERS);
  const sandbox = await startSandbox({
    script: panelScript(START, orders),
    today: START,
    rateLimitPerMinute: SCALED_LIMIT_PER_MINUTE,
    panel: { batchStatus },
  });
  const store = await openLedgerStore(join(temp.dir, 'ledger.sqlite'));
  try {
    const { config, chart } = panelConfig(temp.dir, {
      panelUrl: sandbox.panelUrl,
      apiKey: sandbox.keys.panel,
      rateLimitPerMinute: SCALED_LIMIT_PER_MINUTE,
    });
    await syncPanel({ config, chart, store, asOf: START });
    sandbox.setToday(addDays(START, 1));
    await syncPanel({
      config,
      chart,
      store,
      asOf: addDays(START, 1),
      ordersFile: writeOrdersFile(join(temp.dir, 'orders.csv'), orders),
    });
    sandbox.setToday(AS_OF);
    sandbox.clearRequestLog();
    const { ms, source } = await syncPanel({ config, chart, store, asOf: AS_OF });
    const calls = sandbox.requestLog('panel').filter((entry) => STATUS_ACTIONS.has(entry.action)).length;
    return { ms, calls, polled: source.polled };
  } finally {
    await store.close();
    await sandbox.close();
    temp.remove();
  }
}

export async function run() {
  const batch = await night('seed');
  const single = await night('none');
  return {
    name: 'single-status',
    metrics: {
      open_orders: ORDERS,
      batch_status_calls: batch.calls,
      single_status_calls: single.calls,
      'calls ÷ batch calls (expected about 100)': (single.calls / batch.calls).toFixed(1),
      batch_sync_ms: Math.round(batch.ms),
      single_sync_ms: Math.round(single.ms),
      'time ÷ batch time (scaled limit)': (single.ms / batch.ms).toFixed(1),
      'minutes at the real 1000/min limit, single': (single.calls / REAL_LIMIT_PER_MINUTE).toFixed(1),
      'minutes at the real 1000/min limit, batch': (batch.calls / REAL_LIMIT_PER_MINUTE).toFixed(2),
    },
  };
}

await runWhenMain(import.meta.url, run);
