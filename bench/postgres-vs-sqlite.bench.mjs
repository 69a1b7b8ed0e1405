/**
 * Is a PostgreSQL ledger at least half as fast as a SQLite one? The same work on both engines, in the same
 * process and run, on a throwaway cluster with durability on (bench/support/postgres.mjs):
 *
 * - journalize: 200,000 panel order observations normalized, journalized and appended (Ledger.appendEntries,
 *   one unit of work) to a fresh ledger of each engine; alternating rounds, the fastest of each counts;
 * - the nightly sync: the night of nightly-sync.bench.mjs (1,000 open orders polled from the in-process
 *   sandbox, about 700 of them moving), each run on a fresh copy of a ledger that booked the same open day
 *   (a copied file; CREATE DATABASE … TEMPLATE); after a warm-up, alternating rounds, medians compared.
 *
 * Baseline: SQLite. The figures are PostgreSQL's throughput over SQLite's (aim ≥ 0.5 each), with the
 * round trips each PostgreSQL run made (support/pg-round-trips.mjs); BENCH_PG_PROFILE=1 prints the
 * statements that waited longest.
 *
 * On a quiet machine (26 Nov 2026, nothing else running, load 0.8-2), three runs: journalize PostgreSQL ÷ SQLite
 * throughput 0.54, 0.51, 0.45 (median 0.51; by CPU 0.62, 0.52, 0.49), the nightly close 0.57, 0.46, 0.51 (median
 * 0.51; by CPU 0.73, 0.56, 0.66): at the aim of 0.5, not above it by much.
 *
 *   npm run build && node bench/run.mjs postgres-vs-sqlite
 */
import { copyFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { LedgerStore } from '../dist/src/store/index.js';
import { startSandbox } from '../dist/sandbox/sandbox-server.js';
import { defaultChart, fastest, journalizeInto, observations } from './support/journalize-run.mjs';
import { NIGHT, OPEN_ORDERS, WORLD_START, bookOpenDay, nights, openOrders } from './support/nightly-night.mjs';
import { countRoundTrips } from './support/pg-round-trips.mjs';
import { postgresMissing, skipped, startPostgres } from './support/postgres.mjs';
import { median, openLedgerStore, panelConfig, panelScript, tempDir, writeOrdersFile } from './support-sync.mjs';
import { runWhenMain, sized } from './support/bench-size.mjs';

const OBSERVATIONS = sized('BENCH_OBSERVATIONS', 200_000, 2000);
const ROUNDS = sized('BENCH_ROUNDS', 3, 1);

async function journalizeBoth(server, dir) {
  const chart = defaultChart();
  const rows = observations(OBSERVATIONS);
  const runs = { sqlite: [], postgres: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    const path = join(dir, `journalize-${round}.sqlite`);
    const sqlite = await openLedgerStore(path);
    try {
      runs.sqlite.push(await journalizeInto(sqlite, rows, chart));
    } finally {
      await sqlite.close();
      rmSync(path, { force: true });
    }
    const postgres = await LedgerStore.openAt(await server.createDatabase(`journalize_${round}`));
    const trips = countRoundTrips();
    try {
      // The server's CPU of the append only: the client's is of the stages SQLite's is (not of storing the events).
      const result = await journalizeInto(postgres, rows, chart, { serverCpuMs: () => server.cpuMs() });
      runs.postgres.push({
        ...result,
        trips: trips.total,
        totalCpuMs: result.cpuMs + result.stages.append.serverCpuMs,
      });
    } finally {
      trips.stop();
      profiled(`journalize, round ${round}`, trips);
      await postgres.close();
      await server.dropDatabase(`journalize_${round}`);
    }
  }
  const sqlite = fastest(runs.sqlite, 'ms');
  const postgres = fastest(runs.postgres, 'ms');
  // CPU as well as wall: on a machine shared with other work the wall times swing, the CPU a run spent far less.
  const sqliteCpuMs = fastest(runs.sqlite, 'cpuMs').cpuMs;
  const postgresCpuMs = fastest(runs.postgres, 'totalCpuMs').totalCpuMs;
  return {
    observations: rows.length,
    journal_entries: sqlite.entries,
    journalize_sqlite_ms: Math.round(sqlite.ms),
    journalize_postgres_ms: Math.round(postgres.ms),
    journalize_sqlite_append_ms: Math.round(sqlite.stages.append.ms),
    journalize_postgres_append_ms: Math.round(postgres.stages.append.ms),
    'journalize: PostgreSQL round trips per 1,000 journal entries': (
      (postgres.trips / postgres.entries) *
      1000
    ).toFixed(1),
    'journalize: PostgreSQL ÷ SQLite (throughput, aim ≥ 0.5)': (sqlite.ms / postgres.ms).toFixed(2),
    journalize_sqlite_cpu_ms: Math.round(sqliteCpuMs),
    journalize_postgres_client_and_server_cpu_ms: Math.round(postgresCpuMs),
    'journalize: PostgreSQL ÷ SQLite (throughput by CPU, client + server)': (sqliteCpuMs / postgresCpuMs).toFixed(2),
    'journalize: entries booked differently by the engines (must be 0)': Math.abs(sqlite.entries - postgres.entries),
    'journalize: unbalanced trial balances (must be 0)': [...runs.sqlite, ...runs.postgres].filter(
      (run) => !run.balanced,
    ).length,
  };
}

async function nightBoth(server, dir) {
  const nightTrips = [];
  const orders = openOrders();
  const sandbox = await startSandbox({ script: panelScript(WORLD_START, orders), today: WORLD_START });
  try {
    const { config, chart } = panelConfig(dir, { panelUrl: sandbox.panelUrl, apiKey: sandbox.keys.panel });
    const openFile = writeOrdersFile(join(dir, 'orders-open.csv'), orders);
    const sqliteBooked = join(dir, 'open-day.sqlite');
    await bookOpenDay({ sandbox, config, chart, store: await LedgerStore.open(sqliteBooked), openFile });
    sandbox.setToday(WORLD_START);
    await bookOpenDay({
      sandbox,
      config,
      chart,
      store: await LedgerStore.openAt(await server.createDatabase('open_day')),
      openFile,
    });
    sandbox.setToday(NIGHT);
    const runs = await nights({
      config,
      chart,
      serverCpuMs: () => server.cpuMs(),
      rounds: ROUNDS,
      variants: [{ name: 'sqlite' }, { name: 'postgres' }],
      fresh: async ({ name }) => {
        if (name === 'sqlite') {
          const path = join(dir, 'night.sqlite');
          copyFileSync(sqliteBooked, path);
          const store = await LedgerStore.open(path);
          return { store, discard: async () => (await store.close(), rmSync(path, { force: true })) };
        }
        const store = await LedgerStore.openAt(await server.createDatabase('night', 'open_day'));
        const trips = countRoundTrips();
        const discard = async () => {
          trips.stop();
          nightTrips.push(trips.total);
          profiled('night', trips);
          await store.close();
          await server.dropDatabase('night');
        };
        return { store, discard };
      },
    });
    const sqlite = median(runs.sqlite.ms);
    const postgres = median(runs.postgres.ms);
    // The SQLite runs' server CPU is the idle cluster's, not counted; the PostgreSQL runs' is their server's.
    const postgresCpu = median(runs.postgres.cpuMs.map((cpuMs, index) => cpuMs + runs.postgres.serverCpuMs[index]));
    return {
      night_open_orders: OPEN_ORDERS,
      night_events_booked: `${runs.sqlite.events} SQLite, ${runs.postgres.events} PostgreSQL`,
      night_sqlite_median_ms: Math.round(sqlite),
      night_postgres_median_ms: Math.round(postgres),
      night_postgres_round_trips: median(nightTrips),
      night_sqlite_cpu_median_ms: Math.round(median(runs.sqlite.cpuMs)),
      night_postgres_client_and_server_cpu_median_ms: Math.round(postgresCpu),
      'nightly sync: PostgreSQL ÷ SQLite (throughput by CPU, client + server, median)': (
        median(runs.sqlite.cpuMs) / postgresCpu
      ).toFixed(2),
      'nightly sync: PostgreSQL ÷ SQLite (throughput, median, aim ≥ 0.5)': (sqlite / postgres).toFixed(2),
      'nightly sync: events booked differently by the engines (must be 0)': Math.abs(
        runs.sqlite.events - runs.postgres.events,
      ),
    };
  } finally {
    await sandbox.close();
  }
}

/** With BENCH_PG_PROFILE set, the statements of a PostgreSQL run that waited longest, on stderr. */
function profiled(what, trips) {
  if (!process.env.BENCH_PG_PROFILE) return;
  process.stderr.write(
    `  round trips of ${what}: ${trips.total}\n${trips
      .top(12)
      .map((line) => `    ${line}\n`)
      .join('')}`,
  );
}

export async function run() {
  if (postgresMissing() !== undefined) return skipped('postgres-vs-sqlite');
  const temp = tempDir();
  const server = await startPostgres();
  try {
    const journalized = await journalizeBoth(server, temp.dir);
    const night = await nightBoth(server, temp.dir);
    return {
      name: 'postgres-vs-sqlite',
      metrics: {
        rounds: ROUNDS,
        ...journalized,
        ...night,
        'machine load (1-min average) at the end': loadavg()[0].toFixed(1),
      },
    };
  } finally {
    await server.stop();
    temp.remove();
  }
}

await runWhenMain(import.meta.url, run);
