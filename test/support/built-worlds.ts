import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { processIsAlive } from '../../src/runtime/process-liveness.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import {
  createWorkspace,
  scenarioEnvironment,
  scratchDir,
  setSandboxDay,
  startScenarioSandbox,
  workspaceIn,
  worldOf,
  type SyncedWorld,
  type Workspace,
} from '../scenarios/scenario-harness.js';

/**
 * A multi-night world (the 38 closes of the month end, say) synced once per test run and copied into each
 * file that reads it, instead of synced again by each. Built on first use under a lock (a folder made with
 * mkdir, which only one process can make), in a folder of this run: LEDGERLINE_WORLDS_DIR when a global
 * setup made one (worldsGlobalSetup below), else one named for the vitest process, so a later run, on
 * changed code, never reads a world an earlier run built.
 */

export interface WorldSpec {
  /** Names the folder (and the workspace prefix). */
  name: string;
  script: WorldScript;
  /** The nights synced, in order, each with `sync --as-of day --orders-file orders.csv`. */
  days: readonly string[];
  /** What the configuration `init` wrote is given before the first night (a GBP ledger, a chart's tax); `key` names it in the world's key. */
  configure?: { key: unknown; apply(dir: string): void };
}

export interface BuiltNight {
  day: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface BuiltWorld {
  /** Each night's sync as it ended, in order. */
  nights: readonly BuiltNight[];
  /** A copy of the SQLite ledger as that night's close left it: read it, never write it. */
  ledgerAfter(day: string): string;
  /**
   * A workspace of its own: the folder as the last night left it, its configuration pointed at `sandbox`; with
   * `night`, its ledger as that night's close left it (the folder holds nothing else a night writes but orders.csv).
   */
  copyFor(sandbox: RunningSandbox, prefix: string, night?: string): Workspace;
}

interface WorldRecord {
  baseUrl: string;
  nights: BuiltNight[];
}

const WORLDS_VARIABLE = 'LEDGERLINE_WORLDS_DIR';
const BUILD_WAIT_MS = 15 * 60_000;
const inThisProcess = new Map<string, Promise<BuiltWorld>>();

/** The world of `spec`, synced by the first file of the run that asks, read by every one. */
export function builtWorld(spec: WorldSpec): Promise<BuiltWorld> {
  const key = `${spec.name}-${createHash('sha256')
    .update(JSON.stringify([spec.script, spec.days, spec.configure?.key ?? null]))
    .digest('hex')
    .slice(0, 16)}`;
  let world = inThisProcess.get(key);
  if (world === undefined) {
    world = openOrBuild(join(worldsDir(), key), spec);
    inThisProcess.set(key, world);
  }
  return world;
}

/**
 * What syncedWorld (scenario-harness) gives, from a world synced once per test run: a sandbox of its own on the
 * last day, or on `through` (its state is a function of the script and the day), and a copy of the workspace as
 * that night left it. For the files that read the same nights: five of them synced the five days across the month
 * end each, and one the first two of them.
 */
export async function copiedSyncedWorld(
  script: WorldScript,
  prefix: string,
  days: readonly string[],
  through: string = days[days.length - 1]!,
): Promise<SyncedWorld> {
  const world = await builtWorld({ name: 'synced', script, days });
  const failed = world.nights.find((night) => night.day <= through && night.code !== 0 && night.code !== 1);
  if (failed !== undefined) throw new Error(`sync of ${failed.day} exited ${failed.code}: ${failed.stderr}`);
  const sandbox = await startScenarioSandbox(script);
  await setSandboxDay(sandbox, through);
  return worldOf(sandbox, world.copyFor(sandbox, prefix, through));
}

/**
 * For a vitest globalSetup (`globalSetup: ['test/support/built-worlds.ts']`): one folder for the run's
 * worlds, given to the test processes through LEDGERLINE_WORLDS_DIR and removed when the run ends.
 */
export function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-worlds-'));
  process.env[WORLDS_VARIABLE] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

function worldsDir(): string {
  const given = process.env[WORLDS_VARIABLE];
  if (given !== undefined && given !== '') return given;
  // Forks are children of the vitest process; threads run inside it.
  const runner = isMainThread ? process.ppid : process.pid;
  const dir = join(tmpdir(), `ledgerline-worlds-of-${runner}`);
  if (!existsSync(dir)) removeWorldsOfEndedRuns();
  mkdirSync(dir, { recursive: true });
  return dir;
}

function removeWorldsOfEndedRuns(): void {
  for (const name of readdirSync(tmpdir())) {
    const runner = /^ledgerline-worlds-of-(\d+)$/.exec(name)?.[1];
    if (runner !== undefined && !processIsAlive(Number(runner)))
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

async function openOrBuild(folder: string, spec: WorldSpec): Promise<BuiltWorld> {
  const lock = `${folder}.lock`;
  const deadline = Date.now() + BUILD_WAIT_MS;
  while (!existsSync(join(folder, 'world.json'))) {
    if (takeLock(lock)) {
      try {
        if (!existsSync(join(folder, 'world.json'))) await build(folder, spec);
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
      break;
    }
    if (Date.now() > deadline)
      throw new Error(`the world ${spec.name} was not built within ${BUILD_WAIT_MS / 60_000} minutes (lock ${lock})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return worldAt(folder, JSON.parse(readFileSync(join(folder, 'world.json'), 'utf8')) as WorldRecord);
}

/** mkdir is atomic: one process makes the lock folder; a lock whose builder died is taken over. */
function takeLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(readFileSafely(join(lock, 'pid')));
    if (holder > 0 && !processIsAlive(holder)) rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

function readFileSafely(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Syncs the nights in a scratch workspace, keeping each night's ledger, then moves it into `folder` (world.json last). */
async function build(folder: string, spec: WorldSpec): Promise<void> {
  const building = `${folder}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(join(building, 'nights'), { recursive: true });
  const sandbox = await startScenarioSandbox(spec.script);
  const workspace = await createWorkspace(sandbox, spec.name);
  try {
    spec.configure?.apply(workspace.dir);
    const nights: BuiltNight[] = [];
    for (const day of spec.days) {
      await setSandboxDay(sandbox, day);
      const { code, stdout, stderr } = await workspace.syncDay(day);
      nights.push({ day, code, stdout, stderr });
      if (existsSync(`${workspace.ledgerPath}-wal`))
        throw new Error(`the sync of ${day} left ${workspace.ledgerPath}-wal: the ledger was not closed`);
      cpSync(workspace.ledgerPath, join(building, 'nights', `${day}.sqlite`));
    }
    cpSync(workspace.dir, join(building, 'workspace'), { recursive: true });
    writeFileSync(
      join(building, 'world.json'),
      JSON.stringify({ baseUrl: sandbox.baseUrl, nights } satisfies WorldRecord),
    );
    renameSync(building, folder);
  } finally {
    await sandbox.close();
    workspace.remove();
  }
}

function worldAt(folder: string, record: WorldRecord): BuiltWorld {
  const ledgerAfter = (day: string): string => {
    const path = join(folder, 'nights', `${day}.sqlite`);
    if (!existsSync(path)) throw new Error(`the world in ${folder} has no night ${day}`);
    return path;
  };
  return {
    nights: record.nights,
    ledgerAfter,
    copyFor(sandbox, prefix, night) {
      const dir = scratchDir(prefix);
      cpSync(join(folder, 'workspace'), dir, { recursive: true });
      if (night !== undefined) cpSync(ledgerAfter(night), join(dir, 'data', 'ledger.sqlite'));
      const configPath = join(dir, 'ledgerline.yaml');
      writeFileSync(configPath, readFileSync(configPath, 'utf8').replaceAll(record.baseUrl, sandbox.baseUrl));
      return workspaceIn(sandbox, dir, scenarioEnvironment(sandbox), undefined);
    },
  };
}
