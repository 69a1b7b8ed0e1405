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
import { LedgerStore } from '../dist/src/store/index.js';
import { startSandbox } from '../dist/sandbox/sandbox-server.js';
import {
  HISTORIC_ORDERS,
  NIGHT,
  WORLD_START,
  bookOpenDay,
  bothPairs,
  historicOrderValues,
  nightMetrics,
  openOrders,
  writeCumulativeOrdersFile,
} from './support/nightly-night.mjs';
import { postgresMissing, skipped, startPostgres } from './support/postgres.mjs';
import { median, panelConfig, panelScript, tempDir, writeOrdersFile } from './support-sync.mjs';
import { runWhenMain, sized } from './support/bench-size.mjs';

const ROUNDS = sized('BENCH_ROUNDS', 7, 1);
/** Historic orders per COPY file: bounds the CSV text held at once. */
const COPY_CHUNK = 100_000;

async function openStoreAt(url) {
  return LedgerStore.openAt(url);
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
    await bookOpenDay({
      sandbox,
      config,
      chart,
      store: await openStoreAt(await server.createDatabase('open_alone')),
      openFile,
    });
    await server.createDatabase('with_history', 'open_alone');
    await copyHistoricOrders(server, 'with_history', temp.dir, HISTORIC_ORDERS);
    for (const database of ['open_alone', 'with_history']) await server.query(database, 'VACUUM ANALYZE');
    const cumulativeFile = writeCumulativeOrdersFile(join(temp.dir, 'orders-cumulative.csv'), orders);

    sandbox.setToday(NIGHT);
    const { plain, filed } = await bothPairs({
      config,
      chart,
      rounds: ROUNDS,
      // Each run on a fresh copy of its database (CREATE DATABASE … TEMPLATE).
      fresh: async ({ name, database }) => {
        const copy = `run_${name.toLowerCase()}`;
        const store = await openStoreAt(await server.createDatabase(copy, database));
        return {
          store,
          discard: async () => {
            await store.close();
            await server.dropDatabase(copy);
          },
        };
      },
      serverCpuMs: () => server.cpuMs(),
      openAlone: { database: 'open_alone' },
      withHistory: { database: 'with_history' },
      openFile,
      cumulativeFile,
    });
    return {
      name: 'nightly-sync-postgres',
      metrics: {
        ...nightMetrics({
          plain,
          filed,
          rounds: ROUNDS,
          cpu: {
            'with history ÷ open alone (client CPU time, median)': (
              median(plain.withHistory.cpuMs) / median(plain.openAlone.cpuMs)
            ).toFixed(2),
            open_alone_server_cpu_median_ms: Math.round(median(plain.openAlone.serverCpuMs)),
            with_history_server_cpu_median_ms: Math.round(median(plain.withHistory.serverCpuMs)),
            'with history ÷ open alone (client + server CPU time, median)': (
              median(both(plain.withHistory)) / median(both(plain.openAlone))
            ).toFixed(2),
          },
          fileCpu: {
            'cumulative orders file ÷ open-orders file (client + server CPU time, median)': (
              median(both(filed.withHistoryFile)) / median(both(filed.openAloneFile))
            ).toFixed(2),
          },
        }),
        'machine load (1-min average) at the end': loadavg()[0].toFixed(1),
      },
    };
  } finally {
    await sandbox.close();
    await server.stop();
    temp.remove();
  }
}

await runWhenMain(import.meta.url, run);
