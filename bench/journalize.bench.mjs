/**
 * Normalizing and journalizing 1,000,000 panel order observations: orderEvents
 * over each observation (carrying each order's state from one to the next, as
 * the pipeline does) → source events → journalize → Ledger.appendEntries, all
 * appends in one transaction on a temp SQLite ledger. Baseline, in the same
 * process: a raw better-sqlite3 insert of the same observations, one row each,
 * in one transaction on a file with the ledger's pragmas (WAL, synchronous
 * NORMAL). The observations are built in memory before either is timed; the
 * two run in alternation for ROUNDS rounds, each on a new file, and the
 * fastest round of each counts, which keeps the ratio steady on a busy machine.
 * The 350,000 events are stored between journalize and the append, untimed, as a
 * close stores them; the append links each to its entry (migration 0017). Until
 * then the events were never stored, so the append linked nothing and its figure
 * left out the links. Append, the two builds run in turns: 0.83 s without links,
 * 1.12 s with the 350,000 (each day's ids put in order, the days merged: the
 * table's key order); 2.0 s with one sort of all the links, 4.5 s unsorted.
 *
 * Granularity 'day' (the configured default): a nightly run books one entry
 * per source and day, which is where journalize does its real work (summing
 * thousands of events into four lines). 'event' makes one two-line entry per
 * event, so its cost is the per-entry append that ledger-append.bench.mjs
 * already measures; BENCH_GRANULARITY=event runs it anyway.
 *
 * 250,000 orders over 60 days, each seen 4 times: Pending (charge), In progress
 * twice (no change), then Completed (60 %), Partial with the charge lowered
 * (20 %), Partial with the charge kept (10 %: a pro-rata refund and a finding)
 * or Canceled (10 %): 350,000 events.
 *
 *   npm run build && node bench/journalize.bench.mjs
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
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
  timed,
} from './support/journalize-run.mjs';
import { openLedgerStore, tempDir } from './support-sync.mjs';
import { runWhenMain } from './support/bench-size.mjs';

function rawInsert(path, rows) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE observations (order_id TEXT NOT NULL, date TEXT NOT NULL, status TEXT NOT NULL, charge_micros INTEGER NOT NULL, remains TEXT, currency TEXT NOT NULL)',
  );
  const insert = db.prepare('INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?)');
  const time = timed(() =>
    db.transaction(() => {
      for (const { orderId, date, observation } of rows) {
        insert.run(
          orderId,
          date,
          observation.statusRaw,
          observation.chargeMicros,
          observation.remainsRaw ?? null,
          observation.currency,
        );
      }
    })(),
  );
  db.close();
  return time;
}

async function ours(path, rows, chart) {
  const store = await openLedgerStore(path);
  try {
    return await journalizeInto(store, rows, chart);
  } finally {
    await store.close();
  }
}

export async function run() {
  const temp = tempDir();
  try {
    const chart = defaultChart();
    const rows = observations(OBSERVATIONS);
    const raw = [];
    const runs = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      raw.push(rawInsert(join(temp.dir, `raw-${round}.sqlite`), rows));
      runs.push(await ours(join(temp.dir, `ledger-${round}.sqlite`), rows, chart));
    }
    const rawMs = fastest(raw, 'ms').ms;
    const rawCpuMs = fastest(raw, 'cpuMs').cpuMs;
    const result = fastest(runs, 'ms');
    const leanest = fastest(runs, 'cpuMs');
    const oursCpuMs = leanest.cpuMs;
    return {
      name: 'journalize',
      metrics: {
        ...bookedMetrics(rows, result),
        raw_insert_ms: Math.round(rawMs),
        ...stageMetrics(result),
        'ours ÷ raw (time, lower is better)': (result.ms / rawMs).toFixed(2),
        'ours ÷ raw (throughput, aim ≥ 0.5)': (rawMs / result.ms).toFixed(2),
        raw_insert_cpu_ms: Math.round(rawCpuMs),
        ours_cpu_ms: Math.round(oursCpuMs),
        normalize_cpu_ms: Math.round(leanest.stages.normalize.cpuMs),
        journalize_cpu_ms: Math.round(leanest.stages.journalize.cpuMs),
        append_cpu_ms: Math.round(leanest.stages.append.cpuMs),
        'ours ÷ raw (throughput by CPU time)': (rawCpuMs / oursCpuMs).toFixed(2),
        ...closingMetrics(rows, result),
      },
    };
  } finally {
    temp.remove();
  }
}

await runWhenMain(import.meta.url, run);
