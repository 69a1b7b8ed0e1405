/**
 * A night of a fleet (issue 55): 40 sources, 30 SMM panels and 10 publisher accounts, each panel a sandbox of its own
 * whose every reply waits a seeded 150–400 ms (a distant server; the publishers share the first ten panels' servers),
 * closed through the queue (`sync --queue`) into a PostgreSQL ledger by 4 `ledgerline worker` processes against 1, in
 * the same run. Each variant gets a fresh database; the workers are started and idle before the night is timed, from
 * the sync's start until it has printed the night's summary. Figures: the speed-up, 1 worker's wall time over 4
 * workers' (aim ≥ 2.5, since most of a night waits on the sources), the share of a core each worker used while the
 * night ran (its CPU from /proc over the wall time), and the configuration load of 50 sources (fleet-config's figure).
 *
 *   npm run build && node bench/run.mjs fleet-night        (--size=tiny: 3 panels and 1 publisher, 15–40 ms)
 *
 * First run, 27 Nov 2026, load average 17–19 on the 2 shared cores (eight engineers testing): 1 worker 39.0 s,
 * 4 workers 40.7 s (0.96×, aim ≥ 2.5 NOT met); CPU share of a core: 1 worker 11%, each of 4 workers 6%; all 40
 * sources booked; configuration load of 50 sources 46 ms. At that load a runnable process gets about 2/18 of a
 * core, the 11% the lone worker had: the night was bound by CPU starvation, not by the replies (0.11 s of worker
 * CPU a close), and four cold workers spent twice the CPU a close of one warm one. The ratio is to be measured
 * again on a quiet machine, where the replies (several per close at 150–400 ms) dominate.
 * 27 Nov 2026 02:33-02:41 UTC, load 20-26, fab7aec then the startup branch (the configuration's fingerprint parsed only
 * when the file's bytes change, undici loaded at the worker's start): 1 worker 44.3 s -> 30.7 s, 4 workers 53.3 s ->
 * 28.9 s (0.83x -> 1.06x; still CPU-starved at this load); the workers' CPU over the night, share x wall time: 1 worker
 * 4.4 s -> 2.8 s, 4 workers together 10.7 s -> 6.9 s. A worker's --cpu-prof (BENCH_WORKER_NODE_ARGS) had shown the
 * fingerprint's YAML parse of the 40-source file for each close as most of its own CPU per close. Idle, a worker
 * polls 3 pg-boss queues every 0.5 s and looks for dead workers' jobs every 2 s: 1.0-1.8 % of a core each (5 s watched).
 * On main as it landed, idle machine (load 1.8 -> 1.1): 1 worker 13.5 / 13.7 s, 4 workers 5.66 / 5.67 s (2.38x / 2.42x).
 * 27 Nov 2026, fleet-bench branch. "where ... went" splits each night from the queue's job table and the close runs.
 * Before (3bbf195), load 15-30: sync start->enqueue 4.9-10.9 s (the CLI's start, CPU-bound), enqueue->first taken
 * 0.07-0.46 s (an idle worker's 0.5 s poll), a lane's first job 1.6-3.9 s against 0.55-0.93 s for the rest with 1
 * worker and 7.6-13.3 s against 1.6-2.1 s with 4 (a CPU profile: nearly all of that first close's CPU parsed the
 * 40-source file and the chart), tail 0.15-0.40 s a lane, last done->sync exit 0.33-0.82 s (the sync's 250 ms look).
 * No close was tried again: no retry delay falls in the timed night. Changes: a LISTEN/NOTIFY wake-up (the enqueue
 * wakes idle lanes; each completion wakes the waiting sync), the worker reads its chart before taking jobs.
 * After, same loads: enqueue->first taken 0.03-0.08 s, a lane's first job 0.9-1.4 s (1 worker) and 3.1-4.2 s (4),
 * last done->sync exit 0.14-0.36 s. A/B in turns at load 24-30 (05:19-05:29 UTC, full size): before 1.06x, 1.16x;
 * after 1.25x, 1.42x; then 1.40x at load 20 -> 17 (1 worker 25.7 s, 4 workers 18.3 s). CPU-starved: not comparable
 * with the idle 2.4x; the aim of 2.5x is still to be measured on an idle machine. An idle worker: 1.0-1.4 % of a
 * core before, 1.0-2.2 % after (not explained yet). --size=tiny at load 17-21 (05:35 UTC): 1 worker 5.54 s at 12 % of
 * a core (0.66 s of CPU for 4 closes), 4 workers 7.59 s at 4-5 % each (1.35 s together, one close each): 0.73x.
 * The merged tree of that round (6b85608, the wake-up and the code cache), idle machine (load 2.1 -> 1.9), two runs:
 * 1 worker 12.8 / 13.1 s, 4 workers 4.85 / 4.52 s: 2.64x / 2.89x, aim >= 2.5x met. Each of 4 workers 15-18 % of a core,
 * the lone worker 13-14 %, an idle worker 0.8-1.2 %; sync start -> enqueue 0.6-0.9 s; all 40 sources booked.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDocument } from 'yaml';
import { SANDBOX_ENVIRONMENT } from '../dist/sandbox/destination-fakes.js';
import { startSandbox } from '../dist/sandbox/sandbox-server.js';
import { run as fleetConfig } from './fleet-config.bench.mjs';
import { ledgerline, startedWorker } from './support/ledgerline-process.mjs';
import { sized, TINY } from './support/bench-size.mjs';
import { queueNightTimeline, timelineLine } from './support/queue-night-timeline.mjs';
import { postgresMissing, skipped, startPostgres } from './support/postgres.mjs';

const PANELS = sized('BENCH_PANELS', 30, 3);
const PUBLISHERS = sized('BENCH_PUBLISHERS', 10, 1);
const SEED = 55;
/** Each server's reply latency is drawn from this range (ms); at --size=tiny a tenth, to keep the soak's run short. */
const LATENCY_MS = TINY ? [15, 40] : [150, 400];
const CLI = new URL('../dist/src/cli/main.js', import.meta.url).pathname;
const NIGHT = '2026-03-01';
/** How long the started workers are watched idle before the night, for the CPU their polling costs. */
const IDLE_MS = sized('BENCH_IDLE_MS', 5000, 500);

export async function run() {
  if (postgresMissing() !== undefined) return skipped('fleet-night');
  const postgres = await startPostgres();
  const members = await startMembers();
  const env = { ...process.env, ...SANDBOX_ENVIRONMENT, NO_COLOR: '1' };
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-fleet-night-'));
  try {
    await ledgerline(CLI, dir, ['init', '--sandbox-url', members[0].sandbox.baseUrl], env);
    const one = await timedNight(dir, env, postgres, 'fleet_one_worker', members, 1);
    const four = await timedNight(dir, env, postgres, 'fleet_four_workers', members, 4);
    const config = await fleetConfig();
    const latencies = members.map((member) => member.latencyMs);
    return {
      name: 'fleet-night',
      metrics: {
        sources: PANELS + PUBLISHERS,
        'reply latency, ms (seeded per server)': `${Math.min(...latencies)}–${Math.max(...latencies)}`,
        oneWorkerMs: Math.round(one.ms),
        fourWorkersMs: Math.round(four.ms),
        '4 workers ÷ 1 (speed-up, aim ≥ 2.5)': Number((one.ms / four.ms).toFixed(2)),
        "where 1 worker's night went": timelineLine(one.timeline),
        "where 4 workers' night went": timelineLine(four.timeline),
        'CPU share of a core, 1 worker': shares(one),
        'CPU share of a core, each of 4 workers': shares(four),
        'CPU share of a core while idle, each of 4 workers': idleShares(four),
        'sources not booked (must be 0)': one.notBooked + four.notBooked,
        'configuration load and check of 50 sources, median ms':
          config.metrics['load and check of 50 sources, median ms'],
        loadAverage: loadavg()[0].toFixed(2),
      },
    };
  } finally {
    await Promise.all(members.map((member) => member.sandbox.close()));
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One sandbox per panel, each answering after its own seeded latency (LATENCY_MS), all on the first one's day. */
async function startMembers() {
  const random = seeded(SEED);
  const members = [];
  for (let index = 0; index < Math.max(PANELS, PUBLISHERS); index += 1) {
    const latencyMs = LATENCY_MS[0] + Math.floor(random() * (LATENCY_MS[1] - LATENCY_MS[0] + 1));
    const lead = members[0]?.sandbox;
    const sandbox = await startSandbox({
      seed: SEED + index,
      replyLatencyMs: latencyMs,
      rateLimitPerMinute: 1_000_000,
      ...(lead === undefined ? {} : { followDay: () => lead.today() }),
    });
    members.push({ sandbox, latencyMs });
  }
  return members;
}

/** mulberry32: the same latencies on every run. */
function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function idleShares(night) {
  return night.idleCpuMs.map((ms) => `${((100 * ms) / IDLE_MS).toFixed(1)}%`).join(', ');
}

function shares(night) {
  return night.workerCpuMs.map((ms) => `${Math.round((100 * ms) / night.ms)}%`).join(', ');
}

/** Wall time of `sync --queue` with `workers` idle worker processes on a fresh ledger, and each worker's CPU meanwhile. */
async function timedNight(dir, env, postgres, database, members, workers) {
  writeConfig(join(dir, 'ledgerline.yaml'), await postgres.createDatabase(database), members);
  await ledgerline(CLI, dir, ['migrate'], env);
  const running = await Promise.all(Array.from({ length: workers }, () => startedWorker(CLI, dir, env)));
  try {
    const idleFrom = running.map((worker) => processCpuMs(worker.pid));
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const before = running.map((worker) => processCpuMs(worker.pid));
    const idleCpuMs = running.map((worker, index) => before[index] - idleFrom[index]);
    const started = performance.now();
    const syncStartedMs = Date.now();
    const stdout = await ledgerline(
      CLI,
      dir,
      ['sync', '--queue', '--as-of', NIGHT, '--queue-wait', '1800', '--json'],
      env,
      [0, 1],
    );
    const ms = performance.now() - started;
    const syncEndedMs = Date.now();
    return {
      ms,
      timeline: await queueNightTimeline(postgres, database, { lanes: workers, syncStartedMs, syncEndedMs }),
      idleCpuMs,
      workerCpuMs: running.map((worker, index) => processCpuMs(worker.pid) - before[index]),
      notBooked:
        PANELS + PUBLISHERS - JSON.parse(stdout).sources.filter((source) => source.outcome === 'booked').length,
    };
  } finally {
    for (const worker of running) worker.kill('SIGTERM');
    await Promise.all(
      running.map(
        (worker) => new Promise((resolve) => (worker.exitCode === null ? worker.once('close', resolve) : resolve())),
      ),
    );
  }
}

let ticksPerSecond;

/** CPU milliseconds (user and system) a live process has used, from /proc. */
function processCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const [utime, stime] = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number)
    .slice(11, 13);
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** The panels, one per member, and the publishers on the first members' servers. */
function writeConfig(path, url, members) {
  const document = parseDocument(readFileSync(path, 'utf8'));
  document.set('ledger', url);
  const number = (index) => String(index + 1).padStart(2, '0');
  const sources = [
    ...members.slice(0, PANELS).map(({ sandbox }, index) => ({
      id: `panel-${number(index)}`,
      kind: 'panel',
      url: sandbox.panelUrl,
      apiKey: '${PANEL_KEY}',
    })),
    ...members.slice(0, PUBLISHERS).map(({ sandbox }, index) => ({
      id: `publisher-${number(index)}`,
      kind: 'payelancer',
      baseUrl: sandbox.payelancerBaseUrl,
      apiKey: '${PAYELANCER_KEY}',
    })),
  ];
  document.set('sources', document.createNode(sources));
  writeFileSync(path, document.toString());
}
