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
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { loadMappings, packageMappingsDir } from '../dist/src/config/index.js';
import { journalize, orderEvents } from '../dist/src/rules/index.js';
import { addDays, openLedger, tempDir } from './support-sync.mjs';

const OBSERVATIONS = Number(process.env.BENCH_OBSERVATIONS ?? 1_000_000);
export const GRANULARITY = process.env.BENCH_GRANULARITY ?? 'day';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SIGHTS_PER_ORDER = 4;
const PLACEMENT_DAYS = 60;
const START = '2026-01-01';
const SOURCE_ID = 'smm-panel';

/** { orderId, date, quantity, observation }[], in date order as a backfill replays them (journalize-postgres.bench.mjs books the same). */
export function observations(count) {
  const orders = Math.ceil(count / SIGHTS_PER_ORDER);
  const rows = [];
  for (let index = 0; index < orders; index += 1) {
    const orderId = String(1_000_001 + index);
    const quantity = 1000 + (index % 9) * 500;
    const charge = 900n * BigInt(quantity);
    const placedOn = addDays(START, index % PLACEMENT_DAYS);
    const lowered = (charge * 9n) / 10n;
    const last = [
      { statusRaw: 'Completed', chargeMicros: charge, remainsRaw: '0' },
      { statusRaw: 'Partial', chargeMicros: lowered, remainsRaw: String(quantity / 10) },
      { statusRaw: 'Partial', chargeMicros: charge, remainsRaw: String(quantity / 10) },
      { statusRaw: 'Canceled', chargeMicros: 0n, remainsRaw: String(quantity) },
    ][index % 10 < 6 ? 0 : index % 10 < 8 ? 1 : index % 10 < 9 ? 2 : 3];
    const sights = [
      { statusRaw: 'Pending', chargeMicros: charge, remainsRaw: String(quantity) },
      { statusRaw: 'In progress', chargeMicros: charge, remainsRaw: String(quantity / 2) },
      { statusRaw: 'In progress', chargeMicros: charge, remainsRaw: String(quantity / 4) },
      last,
    ];
    sights.forEach((sight, day) => {
      if (rows.length < count) {
        rows.push({ orderId, date: addDays(placedOn, day), quantity: BigInt(quantity), observation: { kind: 'status', orderId, currency: 'USD', ...sight } });
      }
    });
  }
  return rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Wall and CPU milliseconds of `work` (CPU time is what a busy machine disturbs least). */
export function timed(work) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = work();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

export async function timedAsync(work) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

function rawInsert(path, rows) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE observations (order_id TEXT NOT NULL, date TEXT NOT NULL, status TEXT NOT NULL, charge_micros INTEGER NOT NULL, remains TEXT, currency TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?)');
  const time = timed(() =>
    db.transaction(() => {
      for (const { orderId, date, observation } of rows) {
        insert.run(orderId, date, observation.statusRaw, observation.chargeMicros, observation.remainsRaw ?? null, observation.currency);
      }
    })(),
  );
  db.close();
  return time;
}

async function ours(path, rows, chart) {
  const ledger = await openLedger(path);
  try {
    return await journalizeInto(ledger, rows, chart);
  } finally {
    await ledger.store.close();
  }
}

/**
 * Normalizes, journalizes and appends `rows` to `ledger`, each stage timed; the
 * PostgreSQL bench (journalize-postgres.bench.mjs) runs the same on its ledger.
 */
export async function journalizeInto(ledger, rows, chart) {
  const now = new Date('2026-03-31T00:00:00Z');
  const states = new Map();
  const events = [];
  let findings = 0;
  const normalize = timed(() => {
    for (const { orderId, date, quantity, observation } of rows) {
      const result = orderEvents(states.get(orderId), observation, { sourceId: SOURCE_ID, date, isBaselineSync: false, quantity });
      states.set(orderId, result.next);
      for (const event of result.events) events.push(event);
      findings += result.findings.length;
    }
  });
  const journalized = timed(() => journalize(events, chart, { granularity: GRANULARITY }));
  const entries = journalized.value;
  const append = await timedAsync(() => ledger.appendEntries(entries, { runId: 'bench', now }));
  const trial = await ledger.trialBalance();
  return {
    stages: { normalize, journalize: journalized, append },
    ms: normalize.ms + journalized.ms + append.ms,
    cpuMs: normalize.cpuMs + journalized.cpuMs + append.cpuMs,
    events: events.length,
    findings,
    entries: entries.length,
    balanced: trial.totalDebitMicros === trial.totalCreditMicros,
  };
}

export async function run() {
  const temp = tempDir();
  try {
    const chart = loadMappings({ chartPath: join(packageMappingsDir(), 'default.yaml') }).chart.events;
    const rows = observations(OBSERVATIONS);
    const raw = [];
    const runs = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      raw.push(rawInsert(join(temp.dir, `raw-${round}.sqlite`), rows));
      runs.push(await ours(join(temp.dir, `ledger-${round}.sqlite`), rows, chart));
    }
    const fastest = (list, key) => list.reduce((best, item) => (item[key] < best[key] ? item : best));
    const rawMs = fastest(raw, 'ms').ms;
    const rawCpuMs = fastest(raw, 'cpuMs').cpuMs;
    const result = fastest(runs, 'ms');
    const leanest = fastest(runs, 'cpuMs');
    const oursCpuMs = leanest.cpuMs;
    const { normalize, journalize: journalized, append } = result.stages;
    return {
      name: 'journalize',
      metrics: {
        observations: rows.length,
        granularity: GRANULARITY,
        rounds: ROUNDS,
        events: result.events,
        findings: result.findings,
        journal_entries: result.entries,
        raw_insert_ms: Math.round(rawMs),
        ours_ms: Math.round(result.ms),
        normalize_ms: Math.round(normalize.ms),
        journalize_ms: Math.round(journalized.ms),
        append_ms: Math.round(append.ms),
        'ours ÷ raw (time, lower is better)': (result.ms / rawMs).toFixed(2),
        'ours ÷ raw (throughput, aim ≥ 0.5)': (rawMs / result.ms).toFixed(2),
        raw_insert_cpu_ms: Math.round(rawCpuMs),
        ours_cpu_ms: Math.round(oursCpuMs),
        normalize_cpu_ms: Math.round(leanest.stages.normalize.cpuMs),
        journalize_cpu_ms: Math.round(leanest.stages.journalize.cpuMs),
        append_cpu_ms: Math.round(leanest.stages.append.cpuMs),
        'ours ÷ raw (throughput by CPU time)': (rawCpuMs / oursCpuMs).toFixed(2),
        observations_per_second: Math.round((rows.length / result.ms) * 1000),
        trial_balance_equal: result.balanced,
        'machine load (1-min average) at the end': loadavg()[0].toFixed(1),
      },
    };
  } finally {
    temp.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) console.log(await run());
