/**
 * Does a year of history slow the nightly sync down? The same nightly sync
 * (1,000 open orders, polled from the in-process sandbox at the seed's real
 * 1000/min limit, about 700 of them moving on that night) against two ledgers
 * that differ only in 1,000,000 terminal orders in the orders table, inserted
 * directly as a previous year of syncs would have left them (terminal = 1,
 * their final state as JSON). Baseline: the same sync with the 1,000 open
 * orders alone, in the same process.
 *
 * Each run starts from a fresh copy of its ledger file (so every run does the
 * same work); after one warm-up run of each, the variants alternate, ROUNDS
 * times each, and the medians are compared: runSync's wall time, and the
 * process CPU time it took (the in-process sandbox's included, the same in
 * both), which a busy machine disturbs less.
 *
 * Second pair: the same two nights with an orders file configured that lists
 * every order the panel ever had (a cumulative panel export): 100,000 of the
 * historic orders plus the 1,000 open ones, against a file of the 1,000 open
 * ones alone. Every listed order is read and looked up in the ledger at every
 * sync (the file is streamed: the close parses it once and registers its
 * orders a batch at a time, an INSERT that finds most of them known).
 *
 *   npm run build && node bench/nightly-sync.bench.mjs
 */
import { closeSync, copyFileSync, fsyncSync, openSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { toStoredJson } from '../dist/src/rules/index.js';
import { startSandbox } from '../dist/sandbox/sandbox-server.js';
import { PANEL_SOURCE_ID, addDays, median, openLedger, panelConfig, panelScript, syncPanel, tempDir, writeOrdersFile } from './support-sync.mjs';

export const HISTORIC_ORDERS = Number(process.env.BENCH_HISTORIC_ORDERS ?? 1_000_000);
export const OPEN_ORDERS = 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const FILE_ROUNDS = Number(process.env.BENCH_FILE_ROUNDS ?? 3);
export const HISTORIC_ROWS_IN_FILE = Math.min(HISTORIC_ORDERS, 100_000);
/** The panel's first sync, a year before the night measured. */
export const WORLD_START = '2025-03-01';
export const OPEN_DAY = '2026-03-01';
export const NIGHT = '2026-03-02';

/** Placed on OPEN_DAY; that night 40 % complete, 20 % end Partial, 10 % are canceled, 30 % stay in progress. */
export function openOrders() {
  const orders = [];
  for (let index = 0; index < OPEN_ORDERS; index += 1) {
    const quantity = 1000 + (index % 9) * 500;
    const step = index % 10;
    const night =
      step < 4
        ? { status: 'Completed', remains: 0 }
        : step < 6
          ? { status: 'Partial', remains: quantity / 10 }
          : step < 7
            ? { status: 'Canceled', remains: quantity }
            : { status: 'In progress', remains: quantity / 2 };
    orders.push({ id: String(5_000_001 + index), quantity, placedOn: OPEN_DAY, timeline: [{ on: NIGHT, ...night }] });
  }
  return orders;
}

/**
 * What a year of syncs leaves in `orders` for the index-th order that finished: its last state, terminal.
 * The values of (source_id, order_id, quantity, created_at, first_seen_date, state, last_observed_date,
 * updated_at), in that order; nightly-sync-postgres.bench.mjs loads the same rows.
 */
export function historicOrderValues(index) {
  const orderId = String(index + 1);
  const quantity = 1000 + (index % 9) * 500;
  const placedOn = addDays(WORLD_START, 1 + (index % 360));
  const finishedOn = addDays(placedOn, 1 + (index % 4));
  const charge = 900n * BigInt(quantity);
  const partial = index % 5 === 0;
  const state = {
    orderId,
    currency: 'USD',
    bookedNetMicros: partial ? (charge * 9n) / 10n : charge,
    firstChargeMicros: charge,
    statusNormalized: partial ? 'partial' : 'completed',
    statusRaw: partial ? 'Partial' : 'Completed',
    terminal: true,
    baseline: false,
    lastObservedOn: finishedOn,
    eventSequence: { date: finishedOn, count: 1 },
  };
  return [PANEL_SOURCE_ID, orderId, quantity, `${placedOn}T12:00:00.000Z`, placedOn, toStoredJson(state), finishedOn, `${finishedOn}T02:30:00.000Z`];
}

function insertHistoricOrders(path, count) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(
    `INSERT INTO orders (source_id, order_id, quantity, created_at, first_seen_date, state, last_observed_date, updated_at, service, discovered_via, terminal, unknown_since)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, '1', 'orders-file', 1, NULL)`,
  );
  db.transaction(() => {
    for (let index = 0; index < count; index += 1) insert.run(...historicOrderValues(index));
  })();
  db.close();
}

/** Copies a ledger and flushes the copy, so no write-back of it competes with the run that follows. */
function freshCopy(from, to) {
  copyFileSync(from, to);
  const descriptor = openSync(to, 'r+');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Runs the night once per variant per round, alternating, each on a fresh copy
 * of its ledger; the first round is a warm-up and is not counted.
 */
async function nights({ dir, config, chart, variants, rounds }) {
  const runs = Object.fromEntries(variants.map((variant) => [variant.name, { ms: [], cpuMs: [], polled: 0, events: 0 }]));
  for (let round = 0; round <= rounds; round += 1) {
    for (const variant of variants) {
      const path = join(dir, `run-${variant.name}.sqlite`);
      freshCopy(variant.ledger, path);
      const ledger = await openLedger(path);
      try {
        const cpuBefore = process.cpuUsage();
        const { source, ms } = await syncPanel({ config, chart, ledger, asOf: NIGHT, ordersFile: variant.ordersFile, runId: `bench:${variant.name}:${round}` });
        const cpu = process.cpuUsage(cpuBefore);
        if (round > 0) {
          runs[variant.name].ms.push(ms);
          runs[variant.name].cpuMs.push((cpu.user + cpu.system) / 1000);
        }
        runs[variant.name].polled = source.polled;
        runs[variant.name].events = source.events;
      } finally {
        await ledger.store.close();
        rmSync(path, { force: true });
      }
    }
  }
  return runs;
}

export async function run() {
  const temp = tempDir();
  const orders = openOrders();
  const sandbox = await startSandbox({ script: panelScript(WORLD_START, orders), today: WORLD_START });
  try {
    const { config, chart } = panelConfig(temp.dir, { panelUrl: sandbox.panelUrl, apiKey: sandbox.keys.panel });
    const openAlone = join(temp.dir, 'open-alone.sqlite');
    const withHistory = join(temp.dir, 'with-history.sqlite');
    const openFile = writeOrdersFile(join(temp.dir, 'orders-open.csv'), orders);
    const ledger = await openLedger(openAlone);
    await syncPanel({ config, chart, ledger, asOf: WORLD_START });
    sandbox.setToday(OPEN_DAY);
    await syncPanel({ config, chart, ledger, asOf: OPEN_DAY, ordersFile: openFile });
    await ledger.store.close();
    copyFileSync(openAlone, withHistory);
    insertHistoricOrders(withHistory, HISTORIC_ORDERS);
    const historic = Array.from({ length: HISTORIC_ROWS_IN_FILE }, (_, index) => ({ id: String(index + 1), quantity: 1000, placedOn: addDays(WORLD_START, 1 + (index % 360)) }));
    const cumulativeFile = writeOrdersFile(join(temp.dir, 'orders-cumulative.csv'), [...historic, ...orders]);

    sandbox.setToday(NIGHT);
    const dir = temp.dir;
    const plain = await nights({
      dir,
      config,
      chart,
      rounds: ROUNDS,
      variants: [
        { name: 'openAlone', ledger: openAlone },
        { name: 'withHistory', ledger: withHistory },
      ],
    });
    const filed = await nights({
      dir,
      config,
      chart,
      rounds: FILE_ROUNDS,
      variants: [
        { name: 'openAloneFile', ledger: openAlone, ordersFile: openFile },
        { name: 'withHistoryFile', ledger: withHistory, ordersFile: cumulativeFile },
      ],
    });
    const alone = median(plain.openAlone.ms);
    const history = median(plain.withHistory.ms);
    const aloneFile = median(filed.openAloneFile.ms);
    const historyFile = median(filed.withHistoryFile.ms);
    return {
      name: 'nightly-sync',
      metrics: {
        historic_terminal_orders: HISTORIC_ORDERS,
        open_orders: OPEN_ORDERS,
        rounds_each: ROUNDS,
        orders_polled: `${plain.openAlone.polled} alone, ${plain.withHistory.polled} with history`,
        events_booked: `${plain.openAlone.events} alone, ${plain.withHistory.events} with history`,
        open_alone_median_ms: Math.round(alone),
        with_history_median_ms: Math.round(history),
        open_alone_runs_ms: plain.openAlone.ms.map(Math.round).join(' '),
        with_history_runs_ms: plain.withHistory.ms.map(Math.round).join(' '),
        'with history ÷ open alone (time, median, aim ≤ 1.2)': (history / alone).toFixed(2),
        open_alone_cpu_median_ms: Math.round(median(plain.openAlone.cpuMs)),
        with_history_cpu_median_ms: Math.round(median(plain.withHistory.cpuMs)),
        'with history ÷ open alone (CPU time, median)': (median(plain.withHistory.cpuMs) / median(plain.openAlone.cpuMs)).toFixed(2),
        orders_file_rows: `${OPEN_ORDERS} alone, ${HISTORIC_ROWS_IN_FILE + OPEN_ORDERS} cumulative`,
        file_rounds_each: FILE_ROUNDS,
        open_alone_with_file_median_ms: Math.round(aloneFile),
        with_history_cumulative_file_median_ms: Math.round(historyFile),
        'cumulative orders file ÷ open-orders file (time, median)': (historyFile / aloneFile).toFixed(2),
        'ms per 100,000 listed rows': Math.round(((historyFile - aloneFile) / HISTORIC_ROWS_IN_FILE) * 100_000),
        'cumulative orders file ÷ open-orders file (CPU time, median)': (median(filed.withHistoryFile.cpuMs) / median(filed.openAloneFile.cpuMs)).toFixed(2),
        'CPU ms per 100,000 listed rows': Math.round(((median(filed.withHistoryFile.cpuMs) - median(filed.openAloneFile.cpuMs)) / HISTORIC_ROWS_IN_FILE) * 100_000),
        'machine load (1-min average) at the end': loadavg()[0].toFixed(1),
      },
    };
  } finally {
    await sandbox.close();
    temp.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) console.log(await run());
