/**
 * What does a backfill cost next to the nightly closes it re-reads? For each
 * of BENCH_DAYS (30, 90 and 365 days side by side), a sandbox panel world of DAYS days, about ORDERS orders placed over its first DAYS − 4
 * days (one orders file per night lists that day's orders, as a daily export
 * would), each going Pending → In progress → In progress (less remaining) →
 * Completed / Partial / Canceled over the three nights after it is placed, so
 * every order is terminal by the last close.
 *
 * Baseline, in the same process: the DAYS nightly closes taken one per day
 * with runSync against the in-process sandbox (each timed; summed; median).
 * The panel's limit is scaled to 100,000/min on both sides, as in
 * sync-batching, so the closes are bound by our own work, not by waiting.
 *
 * Then, on the ledger those closes left, the backfill as runSync's
 * runBackfill calls it (planSourceReplay + bookSourceReplay, dryRun false):
 * - the whole window, first day..last day, REPLAY_ROUNDS times (median), ÷ the
 *   nightly total, in wall and in process CPU time (the nightly CPU includes
 *   the in-process sandbox serving the closes; the replay talks to no server);
 *   nothing changed between the closes and the replay, so it must book no
 *   correcting entry and find no order correction or re-read figure;
 * - the last day alone, LAST_DAY_ROUNDS times (median), ÷ one median nightly
 *   close: the replay starts from the state the ledger kept after the day
 *   before (migration 0010), so it re-reads one close however old the ledger;
 *   before that it re-read every close from the first (aim ≤ 1.5× at every age);
 * - RSS growth during the first whole-window replay: the replay never yields
 *   to the event loop (stored replies and SQLite answer synchronously), so RSS
 *   is sampled after each close it re-reads (onClose) and after booking; the
 *   process's maxRSS is also compared before and after that round, which
 *   catches peaks between samples but moves only above the peak the nightly
 *   closes already reached.
 *
 * Load 14-21 (2 cores shared), 2026-11-23, `node bench/run.mjs backfill`,
 * last-day replay ÷ one median nightly close at 30 / 90 / 365 days:
 *   folded from the first close   3.77 / 28.85 / 55.92 wall, 3.92 / 11.19 / 21.38 CPU
 *   from the kept state (0010)    0.13 /  0.80 /  0.90 wall, 0.24 /  0.71 /  0.98 CPU
 *   (last-day replay CPU 162 / 172 / 179 ms → 13 / 15 / 12 ms; closes re-read 30 / 90 / 365 → 1)
 * Quiet machine (load 0.7-1.1), 2026-11-24: the kept start still read every order's quantity and placing
 * day (two scans of 3,000 orders, 7 of its 10 ms), so at 365 days, where a night has few orders, it was
 * 0.47 / 0.88 / 1.95 wall, 0.40 / 0.84 / 1.83 CPU; reading only the orders the re-read closes poll:
 *   from the kept state, day's orders    0.17 / 0.18 / 0.28 wall, 0.14 / 0.15 / 0.25 CPU (last day 2-4 ms)
 * With the same orders a day at every age (BENCH_DAYS=365 BENCH_ORDERS=36100, 100 a day, a close 23 ms):
 * 0.20 wall and CPU, the last day 5 ms.
 *
 *   npm run build && node bench/backfill.bench.mjs
 *   BENCH_DAYS=60 BENCH_ORDERS=6000 node bench/backfill.bench.mjs
 */
import { journalBooksOver } from '../dist/src/store/index.js';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Ledger } from '../dist/src/ledger/index.js';
import { backfillBooks } from '../dist/src/pipeline/backfill/index.js';
import { bookSourceReplay, planSourceReplay } from '../dist/src/pipeline/backfill/replay-source.js';
import { sourceKinds } from '../dist/src/pipeline/kinds/index.js';
import { startSandbox } from '../dist/sandbox/sandbox-server.js';
import { runWhenMain, sized, TINY } from './support/bench-size.mjs';
import {
  addDays,
  median,
  openLedgerStore,
  panelConfig,
  panelScript,
  syncPanel,
  tempDir,
  writeOrdersFile,
} from './support-sync.mjs';

/** The worlds measured side by side: DAYS days of history each (BENCH_DAYS=30,90,365 by default). */
const DAY_COUNTS = (process.env.BENCH_DAYS ?? (TINY ? '8' : '30,90,365')).split(',').map(Number);
const ORDERS = sized('BENCH_ORDERS', 3000, 60);
const REPLAY_ROUNDS = sized('BENCH_REPLAY_ROUNDS', 5, 1);
const LAST_DAY_ROUNDS = sized('BENCH_LAST_DAY_ROUNDS', 7, 1);
const SCALED_LIMIT_PER_MINUTE = 100_000;
const START = '2026-01-01';
const MB = 1024 * 1024;

/**
 * Placed on day 1..DAYS − 4 (the first close is the baseline; the last three nights let every order
 * finish); 60 % end Completed, 25 % Partial, 15 % Canceled on the third night.
 */
function worldOrders(DAYS) {
  const PLACEMENT_DAYS = DAYS - 4;
  const orders = [];
  for (let index = 0; index < ORDERS; index += 1) {
    const placedOn = addDays(START, 1 + (index % PLACEMENT_DAYS));
    const quantity = 1000 + (index % 9) * 500;
    const ending = index % 20;
    const terminal =
      ending < 12
        ? { status: 'Completed', remains: 0 }
        : ending < 17
          ? { status: 'Partial', remains: quantity / 10 }
          : { status: 'Canceled', remains: quantity };
    orders.push({
      id: String(3_000_001 + index),
      quantity,
      placedOn,
      timeline: [
        { on: addDays(placedOn, 1), status: 'In progress', remains: (quantity * 7) / 10 },
        { on: addDays(placedOn, 2), status: 'In progress', remains: (quantity * 3) / 10 },
        { on: addDays(placedOn, 3), ...terminal },
      ],
    });
  }
  return orders;
}

function cpuMsSince(before) {
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / 1000;
}

/** One backfill of the panel over `window`, as runBackfill runs it; RSS sampled after each close re-read when `sampleRss`. */
async function replay({ store, chart, source, window, runId, sampleRss }) {
  let closesReread = 0;
  let peakRss = process.memoryUsage().rss;
  const sample = () => {
    if (sampleRss) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  const run = {
    ledger: new Ledger(journalBooksOver(store)),
    books: backfillBooks(store),
    chart,
    granularity: 'day',
    runId,
    now: () => new Date(),
    dryRun: false,
    onClose: () => {
      closesReread += 1;
      sample();
    },
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const plan = await planSourceReplay(run, sourceKinds.of(source), source, window);
  sample();
  const booked = await bookSourceReplay(run, plan);
  sample();
  const ms = performance.now() - started;
  return {
    ms,
    cpuMs: cpuMsSince(cpuBefore),
    closesReread,
    closesInWindow: plan.replayed.closesInWindow,
    correctingEntries: booked.length,
    orderCorrections: plan.replayed.orderCorrections.length,
    rereads: plan.replayed.rereads.length,
    peakRss,
  };
}

export async function run() {
  const metrics = {};
  const byDays = [];
  for (const days of DAY_COUNTS) {
    const world = await measureWorld(days);
    byDays.push(world);
    for (const [key, value] of Object.entries(world)) metrics[`${days} days: ${key}`] = value;
  }
  const sideBySide = (key) => byDays.map((world) => world[key]).join(' / ');
  metrics[`last-day replay ÷ one median nightly close (time) at ${DAY_COUNTS.join(' / ')} days`] = sideBySide(
    'last-day replay ÷ one median nightly close (time)',
  );
  metrics[`last-day replay ÷ one median nightly close (CPU time) at ${DAY_COUNTS.join(' / ')} days`] = sideBySide(
    'last-day replay ÷ one median nightly close (CPU time)',
  );
  metrics['machine load (1-min average) at the end'] = loadavg()[0].toFixed(1);
  return { name: 'backfill', metrics };
}

/** The nightly closes of a world of DAYS days, then its replays: the figures of that world. */
async function measureWorld(DAYS) {
  const LAST_DAY = addDays(START, DAYS - 1);
  const temp = tempDir();
  const orders = worldOrders(DAYS);
  const placedByDay = new Map();
  for (const order of orders) placedByDay.set(order.placedOn, [...(placedByDay.get(order.placedOn) ?? []), order]);
  const sandbox = await startSandbox({
    script: panelScript(START, orders),
    today: START,
    rateLimitPerMinute: SCALED_LIMIT_PER_MINUTE,
  });
  const store = await openLedgerStore(join(temp.dir, 'ledger.sqlite'));
  try {
    const { config, chart } = panelConfig(temp.dir, {
      panelUrl: sandbox.panelUrl,
      apiKey: sandbox.keys.panel,
      rateLimitPerMinute: SCALED_LIMIT_PER_MINUTE,
    });
    const source = config.sources[0];

    const nightlyMs = [];
    const nightlyCpuMs = [];
    let polled = 0;
    let events = 0;
    for (let day = 0; day < DAYS; day += 1) {
      const asOf = addDays(START, day);
      const placed = placedByDay.get(asOf) ?? [];
      const ordersFile =
        placed.length === 0 ? undefined : writeOrdersFile(join(temp.dir, `orders-${asOf}.csv`), placed);
      sandbox.setToday(asOf);
      const cpuBefore = process.cpuUsage();
      const close = await syncPanel({ config, chart, store, asOf, ordersFile });
      nightlyCpuMs.push(cpuMsSince(cpuBefore));
      nightlyMs.push(close.ms);
      polled += close.source.polled;
      events += close.source.events;
    }
    const nightlyTotalMs = nightlyMs.reduce((sum, ms) => sum + ms, 0);
    const nightlyTotalCpuMs = nightlyCpuMs.reduce((sum, ms) => sum + ms, 0);
    const nightlyMedianMs = median(nightlyMs);
    const nightlyMedianCpuMs = median(nightlyCpuMs);

    const rssBefore = process.memoryUsage().rss;
    const maxRssBeforeKb = process.resourceUsage().maxRSS;
    const whole = [];
    let maxRssAfterKb = maxRssBeforeKb;
    for (let round = 0; round < REPLAY_ROUNDS; round += 1) {
      whole.push(
        await replay({
          store,
          chart,
          source,
          window: { from: START, to: LAST_DAY },
          runId: `bench:backfill:whole:${round}`,
          sampleRss: round === 0,
        }),
      );
      if (round === 0) maxRssAfterKb = process.resourceUsage().maxRSS;
    }
    const lastDay = [];
    for (let round = 0; round < LAST_DAY_ROUNDS; round += 1) {
      lastDay.push(
        await replay({
          store,
          chart,
          source,
          window: { from: LAST_DAY, to: LAST_DAY },
          runId: `bench:backfill:last:${round}`,
          sampleRss: false,
        }),
      );
    }

    const wholeMs = median(whole.map((replayed) => replayed.ms));
    const wholeCpuMs = median(whole.map((replayed) => replayed.cpuMs));
    const lastDayMs = median(lastDay.map((replayed) => replayed.ms));
    const lastDayCpuMs = median(lastDay.map((replayed) => replayed.cpuMs));
    const sum = (list, key) => list.reduce((total, replayed) => total + replayed[key], 0);
    const first = whole[0];
    const last = lastDay[0];
    return {
      days: DAYS,
      orders: ORDERS,
      'orders polled over the nightly closes': polled,
      'events booked by the nightly closes': events,
      nightly_total_ms: Math.round(nightlyTotalMs),
      nightly_total_cpu_ms: Math.round(nightlyTotalCpuMs),
      nightly_close_median_ms: Math.round(nightlyMedianMs),
      nightly_close_median_cpu_ms: Math.round(nightlyMedianCpuMs),
      nightly_close_runs_ms: nightlyMs.map(Math.round).join(' '),
      'whole-window replay rounds': REPLAY_ROUNDS,
      'whole-window replay closes re-read (in window)': `${first.closesReread} (${first.closesInWindow})`,
      whole_window_replay_median_ms: Math.round(wholeMs),
      whole_window_replay_median_cpu_ms: Math.round(wholeCpuMs),
      whole_window_replay_runs_ms: whole.map((replayed) => Math.round(replayed.ms)).join(' '),
      'whole-window replay ÷ nightly total (time, median)': (wholeMs / nightlyTotalMs).toFixed(2),
      'whole-window replay ÷ nightly total (CPU time, median; nightly includes the sandbox)': (
        wholeCpuMs / nightlyTotalCpuMs
      ).toFixed(2),
      'whole-window replay: correcting entries booked, all rounds (must be 0)': sum(whole, 'correctingEntries'),
      'whole-window replay: order corrections, all rounds (must be 0)': sum(whole, 'orderCorrections'),
      'whole-window replay: balance re-reads that differ, all rounds (must be 0)': sum(whole, 'rereads'),
      'whole-window replay RSS growth, peak sampled per close, first round (MB)': (
        (first.peakRss - rssBefore) /
        MB
      ).toFixed(1),
      'process maxRSS growth over the first whole-window replay (MB; 0 = below the nightly peak)': (
        (maxRssAfterKb - maxRssBeforeKb) /
        1024
      ).toFixed(1),
      'RSS before the replays (MB)': (rssBefore / MB).toFixed(1),
      'last-day replay rounds': LAST_DAY_ROUNDS,
      'last-day replay closes re-read (in window)': `${last.closesReread} (${last.closesInWindow})`,
      last_day_replay_median_ms: Math.round(lastDayMs),
      last_day_replay_median_cpu_ms: Math.round(lastDayCpuMs),
      last_day_replay_runs_ms: lastDay.map((replayed) => Math.round(replayed.ms)).join(' '),
      'last-day replay ÷ one median nightly close (time)': (lastDayMs / nightlyMedianMs).toFixed(2),
      'last-day replay ÷ one median nightly close (CPU time)': (lastDayCpuMs / nightlyMedianCpuMs).toFixed(2),
      'last-day replay ÷ whole-window replay (time)': (lastDayMs / wholeMs).toFixed(2),
      'last-day replay: correcting entries booked, all rounds (must be 0)': sum(lastDay, 'correctingEntries'),
      'machine load (1-min average)': loadavg()[0].toFixed(1),
    };
  } finally {
    await store.close();
    await sandbox.close();
    temp.remove();
  }
}

await runWhenMain(import.meta.url, run);
