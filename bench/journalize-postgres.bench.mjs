/**
 * journalize.bench.mjs on a PostgreSQL ledger: the same 1,000,000 panel order
 * observations normalized, journalized and appended (Ledger.appendEntries, one
 * transaction) to a fresh database of a throwaway cluster with durability on
 * (bench/support/postgres.mjs). Baseline, in the same process and cluster: a
 * raw COPY of the same observations, one row each, into a plain table of a
 * fresh database, timed from the rows in memory (their CSV text written out,
 * then COPY … FROM that file; the server reads it, so no COPY client library
 * is needed). Alternating rounds, the fastest of each counts.
 *
 *   npm run build && node bench/journalize-postgres.bench.mjs
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { LedgerStore } from '../dist/src/store/index.js';
import {
  OBSERVATIONS,
  ROUNDS,
  bookedMetrics,
  closingMetrics,
  defaultChart,
  fastest,
  journalizeInto,
  observations,
  stageMetrics,
} from './support/journalize-run.mjs';
import { postgresMissing, skipped, startPostgres } from './support/postgres.mjs';
import { tempDir } from './support-sync.mjs';
import { runWhenMain } from './support/bench-size.mjs';

function csvOf(rows) {
  const lines = [];
  for (const { orderId, date, observation } of rows) {
    lines.push(
      `${orderId},${date},${observation.statusRaw},${observation.chargeMicros},${observation.remainsRaw ?? ''},${observation.currency}\n`,
    );
  }
  return lines.join('');
}

async function rawCopy(server, database, file, rows) {
  const client = new pg.Client({
    connectionString: await server.createDatabase(database),
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  try {
    await client.query(
      'CREATE TABLE observations (order_id TEXT NOT NULL, date TEXT NOT NULL, status TEXT NOT NULL, charge_micros BIGINT NOT NULL, remains TEXT, currency TEXT NOT NULL)',
    );
    const cpu = process.cpuUsage();
    const serverCpuBefore = server.cpuMs();
    const started = performance.now();
    writeFileSync(file, csvOf(rows), { mode: 0o644 });
    await client.query(`COPY observations FROM ${pg.escapeLiteral(file)} WITH (FORMAT csv)`);
    const ms = performance.now() - started;
    const serverCpuMs = server.cpuMs() - serverCpuBefore;
    const used = process.cpuUsage(cpu);
    const { rows: counted } = await client.query('SELECT COUNT(*)::text AS n FROM observations');
    if (Number(counted[0].n) !== rows.length) throw new Error(`COPY loaded ${counted[0].n} rows of ${rows.length}`);
    return { ms, cpuMs: (used.user + used.system) / 1000, serverCpuMs };
  } finally {
    await client.end();
  }
}

async function ours(server, database, rows, chart) {
  const store = await LedgerStore.openAt(await server.createDatabase(database));
  try {
    const serverCpuBefore = server.cpuMs();
    const result = await journalizeInto(store, rows, chart);
    // Includes the trial balance read after the append: a little more server time for ours, never less.
    return { ...result, serverCpuMs: server.cpuMs() - serverCpuBefore };
  } finally {
    await store.close();
  }
}

export async function run() {
  if (postgresMissing() !== undefined) return skipped('journalize-postgres');
  const temp = tempDir();
  // The server (another user under root) reads the CSV files from here.
  chmodSync(temp.dir, 0o755);
  const server = await startPostgres();
  try {
    const chart = defaultChart();
    const rows = observations(OBSERVATIONS);
    const raw = [];
    const runs = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      raw.push(await rawCopy(server, `raw_${round}`, join(temp.dir, `raw-${round}.csv`), rows));
      await server.dropDatabase(`raw_${round}`);
      runs.push(await ours(server, `ledger_${round}`, rows, chart));
      await server.dropDatabase(`ledger_${round}`);
    }
    const totalCpu = (item) => ({ ...item, totalCpuMs: item.cpuMs + item.serverCpuMs });
    const rawTotalCpuMs = fastest(raw.map(totalCpu), 'totalCpuMs').totalCpuMs;
    const oursTotal = fastest(runs.map(totalCpu), 'totalCpuMs');
    const rawMs = fastest(raw, 'ms').ms;
    const rawCpuMs = fastest(raw, 'cpuMs').cpuMs;
    const result = fastest(runs, 'ms');
    const leanest = fastest(runs, 'cpuMs');
    return {
      name: 'journalize-postgres',
      metrics: {
        ...bookedMetrics(rows, result),
        raw_copy_ms: Math.round(rawMs),
        ...stageMetrics(result),
        'ours ÷ raw COPY (time, lower is better)': (result.ms / rawMs).toFixed(2),
        'ours ÷ raw COPY (throughput, aim ≥ 0.5)': (rawMs / result.ms).toFixed(2),
        raw_copy_client_cpu_ms: Math.round(rawCpuMs),
        ours_client_cpu_ms: Math.round(leanest.cpuMs),
        append_client_cpu_ms: Math.round(leanest.stages.append.cpuMs),
        raw_copy_client_and_server_cpu_ms: Math.round(rawTotalCpuMs),
        ours_client_and_server_cpu_ms: Math.round(oursTotal.totalCpuMs),
        ours_server_cpu_ms: Math.round(oursTotal.serverCpuMs),
        'ours ÷ raw COPY (throughput by client + server CPU time)': (rawTotalCpuMs / oursTotal.totalCpuMs).toFixed(2),
        ...closingMetrics(rows, result),
      },
    };
  } finally {
    await server.stop();
    temp.remove();
  }
}

await runWhenMain(import.meta.url, run);
