/**
 * nightly-sync.bench.mjs on a PostgreSQL ledger: does a year of history slow
 * the nightly sync down? The same night (1,000 open orders polled from the
 * in-process sandbox, about 700 of them moving) against two databases of a
 * throwaway cluster with durability on (bench/support/postgres.mjs) that
 * differ only in 1,000,000 terminal orders in the orders table, loaded with
 * COPY as a year of syncs would have left them, then VACUUM ANALYZE (what
 * autovacuum does to a table after a bulk load). Baseline: the same sync with
 * the 1,000 open orders alone, in the same process.
 *
 * Each run starts from a fresh copy of its database (CREATE DATABASE …
 * TEMPLATE, the files copied), so every run does the same work; after one
 * warm-up run of each, the variants alternate, ROUNDS times each, and the
 * medians of runSync's wall time and of the process's CPU time are compared.
 * Second pair, as in the SQLite bench: an orders file listing 100,000 of the
 * historic orders plus the open ones, against a file of the open ones alone.
 *
 *   npm run build && node bench/nightly-sync-postgres.bench.mjs
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ledger, LedgerStore } from '../dist/src/ledger/index.js';
import { startSandbox } from '../dist/sandbox/sandbox-server.js';
import {
  HISTORIC_ORDERS,
  HISTORIC_ROWS_IN_FILE,
  NIGHT,
  OPEN_DAY,
  OPEN_ORDERS,
  WORLD_START,
  historicOrderValues,
  openOrders,
} from './nightly-sync.bench.mjs';
import { postgresMissing, skipped, startPostgres } from './support/postgres.mjs';
import { addDays, median, panelConfig, panelScript, syncPanel, tempDir, writeOrdersFile } from './support-sync.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const FILE_ROUNDS = Number(process.env.BENCH_FILE_ROUNDS ?? 3);
/** Historic orders per COPY file: bounds the CSV text held at once. */
const COPY_CHUNK = 100_000;

async function openLedgerAt(url) {
  return new Ledger(await LedgerStore.openAt(url));
}

/** One CSV field: quoted, its quotes doubled. */
function csvField(value) {
  return value === null ? '' : `"${String(value).replaceAll('"', '""')}"`;
}

/** COPYs `count` historic orders into the database at `database`, through CSV files the server reads from `dir`. */
async function copyHistoricOrders(server, database, dir, count) {
  const file = join(dir, 'historic-orders.csv');
  for (let start = 0; start < count; start += COPY_CHUNK) {
    const lines = [];
    for (let index = start; index < Math.min(count, start + COPY_CHUNK); index += 1) {
      lines.push(`${[...historicOrderValues(index), '1', 'orders-file', 1, null].map(csvField).join(',')}\n`);
    }
    writeFileSync(file, lines.join(''), { mode: 0o644 });
    await server.query(
      database,
      `COPY orders (source_id, order_id, quantity, created_at, first_seen_date, state, last_observed_date, updated_at, service, discovered_via, terminal, unknown_since)
       FROM '${file}' WITH (FORMAT csv)`,
    );
  }
}

/** Each run's client and server CPU milliseconds added. */
function both(runs) {
  return runs.cpuMs.map((cpuMs, index) => cpuMs + runs.serverCpuMs[index]);
}

/** The night once per variant per round, alternating, each on a fresh copy of its database; round 0 is a warm-up. */
async function nights({ server, config, chart, variants, rounds }) {
  const runs = Object.fromEntries(variants.map((variant) => [variant.name, { ms: [], cpuMs: [], serverCpuMs: [], polled: 0, events: 0 }]));
  for (let round = 0; round <= rounds; round += 1) {
    for (const variant of variants) {
      const database = `run_${variant.name.toLowerCase()}`;
      const ledger = await openLedgerAt(await server.createDatabase(database, variant.database));
      try {
        const cpuBefore = process.cpuUsage();
        const serverCpuBefore = server.cpuMs();
        const { source, ms } = await syncPanel({ config, chart, ledger, asOf: NIGHT, ordersFile: variant.ordersFile, runId: `bench:${variant.name}:${round}` });
        const cpu = process.cpuUsage(cpuBefore);
        const serverCpuMs = server.cpuMs() - serverCpuBefore;
        if (round > 0) {
          runs[variant.name].ms.push(ms);
          runs[variant.name].cpuMs.push((cpu.user + cpu.system) / 1000);
          runs[variant.name].serverCpuMs.push(serverCpuMs);
        }
        runs[variant.name].polled = source.polled;
        runs[variant.name].events = source.events;
      } finally {
        await ledger.store.close();
        await server.dropDatabase(database);
      }
    }
  }
  return runs;
}

export async function run() {
  if (postgresMissing() !== undefined) return skipped('nightly-sync-postgres');
  const temp = tempDir();
  // The server (another user under root) reads the COPY files from here.
  chmodSync(temp.dir, 0o755);
  const orders = openOrders();
  const server = await startPostgres();
  const sandbox = await startSandbox({ script: panelScript(WORLD_START, orders), today: WORLD_START });
  try {
    const { config, chart } = panelConfig(temp.dir, { panelUrl: sandbox.panelUrl, apiKey: sandbox.keys.panel });
    const openFile = writeOrdersFile(join(temp.dir, 'orders-open.csv'), orders);
    const ledger = await openLedgerAt(await server.createDatabase('open_alone'));
    await syncPanel({ config, chart, ledger, asOf: WORLD_START });
    sandbox.setToday(OPEN_DAY);
    await syncPanel({ config, chart, ledger, asOf: OPEN_DAY, ordersFile: openFile });
    await ledger.store.close();
    await server.createDatabase('with_history', 'open_alone');
    await copyHistoricOrders(server, 'with_history', temp.dir, HISTORIC_ORDERS);
    for (const database of ['open_alone', 'with_history']) await server.query(database, 'VACUUM ANALYZE');
    const historic = Array.from({ length: HISTORIC_ROWS_IN_FILE }, (_, index) => ({ id: String(index + 1), quantity: 1000, placedOn: addDays(WORLD_START, 1 + (index % 360)) }));
    const cumulativeFile = writeOrdersFile(join(temp.dir, 'orders-cumulative.csv'), [...historic, ...orders]);

    sandbox.setToday(NIGHT);
    const plain = await nights({
      server,
      config,
      chart,
      rounds: ROUNDS,
      variants: [
        { name: 'openAlone', database: 'open_alone' },
        { name: 'withHistory', database: 'with_history' },
      ],
    });
    const filed = await nights({
      server,
      config,
      chart,
      rounds: FILE_ROUNDS,
      variants: [
        { name: 'openAloneFile', database: 'open_alone', ordersFile: openFile },
        { name: 'withHistoryFile', database: 'with_history', ordersFile: cumulativeFile },
      ],
    });
    const alone = median(plain.openAlone.ms);
    const history = median(plain.withHistory.ms);
    const aloneFile = median(filed.openAloneFile.ms);
    const historyFile = median(filed.withHistoryFile.ms);
    return {
      name: 'nightly-sync-postgres',
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
        'with history ÷ open alone (client CPU time, median)': (median(plain.withHistory.cpuMs) / median(plain.openAlone.cpuMs)).toFixed(2),
        open_alone_server_cpu_median_ms: Math.round(median(plain.openAlone.serverCpuMs)),
        with_history_server_cpu_median_ms: Math.round(median(plain.withHistory.serverCpuMs)),
        'with history ÷ open alone (client + server CPU time, median)': (median(both(plain.withHistory)) / median(both(plain.openAlone))).toFixed(2),
        orders_file_rows: `${OPEN_ORDERS} alone, ${HISTORIC_ROWS_IN_FILE + OPEN_ORDERS} cumulative`,
        file_rounds_each: FILE_ROUNDS,
        open_alone_with_file_median_ms: Math.round(aloneFile),
        with_history_cumulative_file_median_ms: Math.round(historyFile),
        'cumulative orders file ÷ open-orders file (time, median)': (historyFile / aloneFile).toFixed(2),
        'ms per 100,000 listed rows': Math.round(((historyFile - aloneFile) / HISTORIC_ROWS_IN_FILE) * 100_000),
        'cumulative orders file ÷ open-orders file (client + server CPU time, median)': (median(both(filed.withHistoryFile)) / median(both(filed.openAloneFile))).toFixed(2),
        'machine load (1-min average) at the end': loadavg()[0].toFixed(1),
      },
    };
  } finally {
    await sandbox.close();
    await server.stop();
    temp.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) console.log(await run());
