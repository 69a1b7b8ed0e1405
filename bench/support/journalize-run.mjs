// What journalize.bench.mjs and journalize-postgres.bench.mjs share: the panel order observations, their
// normalizing, journalizing and appending (each stage timed), and the metrics both print.
import { journalBooksOver } from '../../dist/src/store/journal-books-store.js';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadMappings, packageMappingsDir } from '../../dist/src/config/index.js';
import { Ledger } from '../../dist/src/ledger/index.js';
import { orderEvents } from '../../dist/src/kinds/panel/rules/order-events.js';
import { journalize } from '../../dist/src/rules/index.js';
import { insertNewEvents } from '../../dist/src/pipeline/sync/books/close-writes.js';
import { addDays } from '../support-sync.mjs';
import { sized } from './bench-size.mjs';

export const OBSERVATIONS = sized('BENCH_OBSERVATIONS', 1_000_000, 2000);
export const GRANULARITY = process.env.BENCH_GRANULARITY ?? 'day';
export const ROUNDS = sized('BENCH_ROUNDS', 3, 1);
const SIGHTS_PER_ORDER = 4;
const PLACEMENT_DAYS = 60;
const START = '2026-01-01';
const SOURCE_ID = 'smm-panel';

/** The shipped default chart's event mappings. */
export function defaultChart() {
  return loadMappings({ chartPath: join(packageMappingsDir(), 'default.yaml') }).chart.events;
}

/** { orderId, date, quantity, observation }[], in date order as a backfill replays them. */
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
        rows.push({
          orderId,
          date: addDays(placedOn, day),
          quantity: BigInt(quantity),
          observation: { kind: 'status', orderId, currency: 'USD', ...sight },
        });
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

async function timedAsync(work) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * Normalizes, journalizes and appends `rows` to the ledger of `store`, each stage timed. The events are
 * stored between journalize and the append, untimed, as a close stores them before its journal: the
 * append links each to its entry (migration 0017), and a link names an event the ledger holds.
 * With `serverCpuMs` (the database server's CPU milliseconds so far), the append's server CPU too.
 */
export async function journalizeInto(store, rows, chart, { serverCpuMs } = {}) {
  const ledger = new Ledger(journalBooksOver(store));
  const now = new Date('2026-03-31T00:00:00Z');
  const states = new Map();
  const events = [];
  let findings = 0;
  const normalize = timed(() => {
    for (const { orderId, date, quantity, observation } of rows) {
      const result = orderEvents(states.get(orderId), observation, {
        sourceId: SOURCE_ID,
        date,
        isBaselineSync: false,
        quantity,
      });
      states.set(orderId, result.next);
      for (const event of result.events) events.push(event);
      findings += result.findings.length;
    }
  });
  const journalized = timed(() => journalize(events, chart, { granularity: GRANULARITY }));
  const entries = journalized.value;
  const meta = { runId: 'bench', now: now.toISOString() };
  await store.unitOfWork((tx) =>
    insertNewEvents(
      tx,
      events.map((event) => ({ ...event, detail: '{}' })),
      meta,
    ),
  );
  const serverBefore = serverCpuMs?.();
  const append = await timedAsync(() => ledger.appendEntries(entries, { runId: 'bench', now }));
  if (serverCpuMs !== undefined) append.serverCpuMs = serverCpuMs() - serverBefore;
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

/** The item of `list` with the least `key`: the fastest of the rounds keeps the ratio steady on a busy machine. */
export function fastest(list, key) {
  return list.reduce((best, item) => (item[key] < best[key] ? item : best));
}

/** What both benches print first: what `result` (journalizeInto's) booked from `rows`. */
export function bookedMetrics(rows, result) {
  return {
    observations: rows.length,
    granularity: GRANULARITY,
    rounds: ROUNDS,
    events: result.events,
    findings: result.findings,
    journal_entries: result.entries,
  };
}

/** The wall time of `result`, in all and by stage. */
export function stageMetrics(result) {
  const { normalize, journalize: journalized, append } = result.stages;
  return {
    ours_ms: Math.round(result.ms),
    normalize_ms: Math.round(normalize.ms),
    journalize_ms: Math.round(journalized.ms),
    append_ms: Math.round(append.ms),
  };
}

/** What both benches print last. */
export function closingMetrics(rows, result) {
  return {
    observations_per_second: Math.round((rows.length / result.ms) * 1000),
    trial_balance_equal: result.balanced,
    'machine load (1-min average) at the end': loadavg()[0].toFixed(1),
  };
}
