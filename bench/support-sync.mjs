// Shared by the sync benchmarks: a panel world written as a script, an orders
// file, a validated ledgerline.yaml, and one runSync against the in-process
// sandbox with a real Ledger on a SQLite file. Nothing here is measured.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRedactor, loadConfig, loadMappings } from '../dist/src/config/index.js';
import { configKinds, sourceKinds } from '../dist/src/pipeline/kinds/index.js';
import { createSystemClock } from '../dist/src/http/clock.js';
import { Ledger } from '../dist/src/ledger/index.js';
import { LedgerStore, journalBooksOver } from '../dist/src/store/index.js';
import { silentLogger } from '../dist/src/log/logger.js';
import { runRecords } from '../dist/src/pipeline/runs/index.js';
import { syncBooks } from '../dist/src/pipeline/sync/index.js';
import { syncSources as runSync } from '../dist/src/pipeline/sync/sync-sources.js';

export const PANEL_SOURCE_ID = 'smm-panel';
/** Instagram Followers in the sandbox's standard catalogue: rate 0.90 per 1000. */
export const FOLLOWERS_SERVICE = '1';

export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-bench-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** "2026-01-01" + 3 → "2026-01-04". */
export function addDays(date, days) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A world script with `orders` (each { id, placedOn, quantity, timeline }) on
 * the standard catalogue; the opening balance is large enough that no order
 * ever finds the panel short of funds.
 */
export function panelScript(start, orders) {
  return {
    start,
    panel: {
      openingBalance: '100000000.00',
      refundMode: 'lowerCharge',
      orders: orders.map((order) => ({ service: FOLLOWERS_SERVICE, ...order })),
    },
  };
}

/** The orders file a panel export would give: order_id,service,quantity,created_at. */
export function writeOrdersFile(path, orders) {
  const lines = ['order_id,service,quantity,created_at'];
  for (const order of orders) lines.push(`${order.id},${FOLLOWERS_SERVICE},${order.quantity},${order.placedOn}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/**
 * Writes ledgerline.yaml for one panel source and loads it through the real
 * loader, so the benchmark runs under a configuration the schema accepts.
 */
export function panelConfig(dir, { panelUrl, apiKey, rateLimitPerMinute, granularity = 'day' }) {
  const file = join(dir, 'ledgerline.yaml');
  writeFileSync(
    file,
    [
      'ledger: ledger.sqlite',
      'timezone: UTC',
      'currency: USD',
      `granularity: ${granularity}`,
      'sources:',
      `  - id: ${PANEL_SOURCE_ID}`,
      '    kind: panel',
      `    url: ${panelUrl}`,
      '    apiKey: ${PANEL_KEY}',
      ...(rateLimitPerMinute === undefined ? [] : [`    rateLimitPerMinute: ${rateLimitPerMinute}`]),
      '',
    ].join('\n'),
  );
  const config = loadConfig({ path: file, env: { PANEL_KEY: apiKey }, cwd: dir, kinds: configKinds() });
  return { config, chart: loadMappings({ chartPath: config.mappings }).chart.events };
}

/** The store of the ledger file at `path`: the benches hand it to the stages, as the CLI does. */
export async function openLedgerStore(path) {
  return LedgerStore.open(path);
}

/**
 * One sync of the panel as of `asOf` (optionally with an extra orders file),
 * as `ledgerline sync` runs it minus the run record and lock. Returns the
 * panel's report and the wall time of runSync alone.
 */
export async function syncPanel({ config, chart, store, asOf, ordersFile, runId = `bench:${asOf}` }) {
  const started = performance.now();
  const report = await runSync(
    {
      ...sourceKinds.forSync(),
      config,
      ledger: new Ledger(journalBooksOver(store)),
      runs: runRecords(store),
      chart,
      logger: silentLogger,
      now: () => new Date(),
      clock: createSystemClock(),
      redact: createRedactor(config).redact,
      runId,
    },
    { asOf, ordersFile, dryRun: false },
    syncBooks(store),
  );
  const ms = performance.now() - started;
  const source = report.sources[0];
  if (source === undefined || source.outcome !== 'booked') {
    throw new Error(`sync as of ${asOf} did not book: ${source?.error?.message ?? 'no source report'}`);
  }
  return { source, ms };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
