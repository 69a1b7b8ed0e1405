// The night nightly-sync.bench.mjs and nightly-sync-postgres.bench.mjs measure, on either engine: the world
// (1,000 open orders, a year of terminal ones), the nights run in alternation and the metrics both report.
import { toStoredJson } from '../../dist/src/rules/index.js';
import { PANEL_SOURCE_ID, addDays, median, syncPanel, writeOrdersFile } from '../support-sync.mjs';
import { sized } from './bench-size.mjs';

export const HISTORIC_ORDERS = sized('BENCH_HISTORIC_ORDERS', 1_000_000, 500);
export const OPEN_ORDERS = sized(undefined, 1000, 20);
export const FILE_ROUNDS = sized('BENCH_FILE_ROUNDS', 3, 1);
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
 * updated_at), in that order.
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
  return [
    PANEL_SOURCE_ID,
    orderId,
    quantity,
    `${placedOn}T12:00:00.000Z`,
    placedOn,
    toStoredJson(state),
    finishedOn,
    `${finishedOn}T02:30:00.000Z`,
  ];
}

/** Books the panel's first sync and OPEN_DAY (orders from `openFile`) on `store`, then closes it; the sandbox is left on OPEN_DAY. */
export async function bookOpenDay({ sandbox, config, chart, store, openFile }) {
  await syncPanel({ config, chart, store, asOf: WORLD_START });
  sandbox.setToday(OPEN_DAY);
  await syncPanel({ config, chart, store, asOf: OPEN_DAY, ordersFile: openFile });
  await store.close();
}

/** A cumulative panel export at `path`: HISTORIC_ROWS_IN_FILE of the historic orders, then `orders`. */
export function writeCumulativeOrdersFile(path, orders) {
  const historic = Array.from({ length: HISTORIC_ROWS_IN_FILE }, (_, index) => ({
    id: String(index + 1),
    quantity: 1000,
    placedOn: addDays(WORLD_START, 1 + (index % 360)),
  }));
  return writeOrdersFile(path, [...historic, ...orders]);
}

/**
 * Runs NIGHT once per variant per round, alternating, each on the fresh ledger `fresh(variant)` gives
 * ({ store, discard() }, so every run does the same work); round 0 is a warm-up and is not counted.
 * With `serverCpuMs` (the database server's CPU milliseconds so far), each run's server CPU time too.
 */
export async function nights({ config, chart, variants, rounds, fresh, serverCpuMs }) {
  const runs = Object.fromEntries(
    variants.map((variant) => [variant.name, { ms: [], cpuMs: [], serverCpuMs: [], polled: 0, events: 0 }]),
  );
  for (let round = 0; round <= rounds; round += 1) {
    for (const variant of variants) {
      const { store, discard } = await fresh(variant);
      try {
        const cpuBefore = process.cpuUsage();
        const serverCpuBefore = serverCpuMs?.();
        const { source, ms } = await syncPanel({
          config,
          chart,
          store,
          asOf: NIGHT,
          ordersFile: variant.ordersFile,
          runId: `bench:${variant.name}:${round}`,
        });
        const cpu = process.cpuUsage(cpuBefore);
        const serverCpuUsed = serverCpuMs === undefined ? undefined : serverCpuMs() - serverCpuBefore;
        if (round > 0) {
          runs[variant.name].ms.push(ms);
          runs[variant.name].cpuMs.push((cpu.user + cpu.system) / 1000);
          if (serverCpuUsed !== undefined) runs[variant.name].serverCpuMs.push(serverCpuUsed);
        }
        runs[variant.name].polled = source.polled;
        runs[variant.name].events = source.events;
      } finally {
        await discard();
      }
    }
  }
  return runs;
}

/** The plain pair (`openAlone`, `withHistory`) and the orders-file pair (`openAloneFile`, `withHistoryFile`), ROUNDS and FILE_ROUNDS rounds. */
export async function bothPairs({
  config,
  chart,
  rounds,
  fresh,
  serverCpuMs,
  openAlone,
  withHistory,
  openFile,
  cumulativeFile,
}) {
  const plain = await nights({
    config,
    chart,
    rounds,
    fresh,
    serverCpuMs,
    variants: [
      { name: 'openAlone', ...openAlone },
      { name: 'withHistory', ...withHistory },
    ],
  });
  const filed = await nights({
    config,
    chart,
    rounds: FILE_ROUNDS,
    fresh,
    serverCpuMs,
    variants: [
      { name: 'openAloneFile', ...openAlone, ordersFile: openFile },
      { name: 'withHistoryFile', ...withHistory, ordersFile: cumulativeFile },
    ],
  });
  return { plain, filed };
}

/**
 * The metrics both benches print, in their order; `cpu` (after the plain pair's CPU medians) and `fileCpu`
 * (after the orders-file pair's time) are each engine's own CPU-time figures.
 */
export function nightMetrics({ plain, filed, rounds, cpu, fileCpu }) {
  const alone = median(plain.openAlone.ms);
  const history = median(plain.withHistory.ms);
  const aloneFile = median(filed.openAloneFile.ms);
  const historyFile = median(filed.withHistoryFile.ms);
  return {
    historic_terminal_orders: HISTORIC_ORDERS,
    open_orders: OPEN_ORDERS,
    rounds_each: rounds,
    orders_polled: `${plain.openAlone.polled} alone, ${plain.withHistory.polled} with history`,
    events_booked: `${plain.openAlone.events} alone, ${plain.withHistory.events} with history`,
    open_alone_median_ms: Math.round(alone),
    with_history_median_ms: Math.round(history),
    open_alone_runs_ms: plain.openAlone.ms.map(Math.round).join(' '),
    with_history_runs_ms: plain.withHistory.ms.map(Math.round).join(' '),
    'with history ÷ open alone (time, median, aim ≤ 1.2)': (history / alone).toFixed(2),
    open_alone_cpu_median_ms: Math.round(median(plain.openAlone.cpuMs)),
    with_history_cpu_median_ms: Math.round(median(plain.withHistory.cpuMs)),
    ...cpu,
    orders_file_rows: `${OPEN_ORDERS} alone, ${HISTORIC_ROWS_IN_FILE + OPEN_ORDERS} cumulative`,
    file_rounds_each: FILE_ROUNDS,
    open_alone_with_file_median_ms: Math.round(aloneFile),
    with_history_cumulative_file_median_ms: Math.round(historyFile),
    'cumulative orders file ÷ open-orders file (time, median)': (historyFile / aloneFile).toFixed(2),
    'ms per 100,000 listed rows': Math.round(((historyFile - aloneFile) / HISTORIC_ROWS_IN_FILE) * 100_000),
    ...fileCpu,
  };
}
