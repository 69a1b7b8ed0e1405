import { withoutSandboxBank } from '../support/sandbox-bank.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { refuseBugReport } from '../support/cli.js';
import { createDestinationFakes, SANDBOX_ENVIRONMENT, type DestinationFakes } from '../../sandbox/destination-fakes.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';

/** The built CLI (`npm run build`; `npm test` builds first). */
export const CLI = resolve(import.meta.dirname, '../../dist/src/cli/main.js');

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" before these tests`);
}

export interface SandboxProject {
  dir: string;
  sandbox: RunningSandbox;
  fakes: DestinationFakes;
  env: Record<string, string>;
  ledgerPath: string;
  close(): Promise<void>;
}

/**
 * The sandbox (panel, ad network, Xero and QuickBooks fakes) and a folder set
 * up by `ledgerline init --sandbox-url`, with its schedule replaced by `schedule`
 * and `alerts` added when given.
 */
export async function sandboxProject(
  dir: string,
  options: { schedule: string; alertUrl?: string; today?: string; env?: Record<string, string> },
): Promise<SandboxProject> {
  const fakes = createDestinationFakes();
  const sandbox = await startSandbox({
    ...(options.today === undefined ? {} : { today: options.today }),
    extraMounts: [fakes.xero, fakes.quickbooks],
  });
  // An alert webhook URL is a secret (chat webhooks carry their token in it): it comes from the environment.
  const env = {
    ...SANDBOX_ENVIRONMENT,
    ...(options.alertUrl === undefined ? {} : { ALERT_WEBHOOK_URL: options.alertUrl }),
    ...options.env,
  };
  const alerts = options.alertUrl === undefined ? '' : 'alerts:\n  webhookUrl: ${ALERT_WEBHOOK_URL}';
  const init = await runInProcess(['init', '--sandbox-url', sandbox.baseUrl], { cwd: dir, env });
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  // The nights here are the two APIs'; the sandbox bank's statements are imported by hand, never scheduled.
  withoutSandboxBank(dir);
  const configPath = join(dir, 'ledgerline.yaml');
  const written = readFileSync(configPath, 'utf8');
  // These tests move the CLI's clock instead of following the sandbox's day, as a real configuration would.
  const withoutSchedule = written
    .replace(/^schedule:.*\n(?:^ .*\n)*/m, '')
    .replace(/^alerts:.*\n(?:^ .*\n)*/m, '')
    .replace(/^sandboxClock:.*\n(?:^ +#.*\n)*/m, '');
  writeFileSync(configPath, `${withoutSchedule}\n${options.schedule}\n${alerts}\n`);
  return { dir, sandbox, fakes, env, ledgerPath: join(dir, 'data', 'ledger.sqlite'), close: () => sandbox.close() };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

class Collector extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** runCli in this process, as main.ts would call it; `stopSignal` stands for SIGTERM. */
export async function runInProcess(
  args: readonly string[],
  options: {
    cwd: string;
    env: Record<string, string>;
    stopSignal?: AbortSignal;
    now?: () => Date;
    watchStderr?: (soFar: () => string) => void;
  },
): Promise<CliResult> {
  const stdout = new Collector();
  const stderr = new Collector();
  options.watchStderr?.(() => stderr.text);
  const code = await runCli(args, {
    env: { PATH: process.env.PATH, ...options.env },
    cwd: options.cwd,
    stdout,
    stderr,
    ...(options.stopSignal === undefined ? {} : { stopSignal: options.stopSignal }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  refuseBugReport(args, { stdout: stdout.text, stderr: stderr.text });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export interface SpawnedCli {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The built CLI as a separate process, killed with SIGKILL if it outlives `timeoutMs`. */
export function spawnCli(
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): SpawnedCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      refuseBugReport(args, { stderr });
      resolveExit({ code, signal });
    });
  });
  return { child, stderr: () => stderr, exited };
}

/**
 * What a file's tests start, ended after each test: its processes (SIGKILL if still running, then awaited) and its
 * projects (the sandbox and the fakes). Call once at the top of a file.
 */
export function useScheduleProcesses(): {
  keep<Kept extends { close(): Promise<void> }>(kept: Kept): Kept;
  spawned(spawnedCli: SpawnedCli): SpawnedCli;
} {
  const closing: { close(): Promise<void> }[] = [];
  const children: SpawnedCli[] = [];
  afterEach(async () => {
    for (const spawnedCli of children.splice(0)) {
      if (spawnedCli.child.exitCode === null && spawnedCli.child.signalCode === null) spawnedCli.child.kill('SIGKILL');
      await spawnedCli.exited;
    }
    for (const item of closing.splice(0)) await item.close();
  });
  return {
    keep: (kept) => (closing.push(kept), kept),
    spawned: (spawnedCli) => (children.push(spawnedCli), spawnedCli),
  };
}

export interface RecordedRun {
  id: string;
  command: string;
  started_at: string;
  finished_at: string | null;
  outcome: string | null;
  as_of: string | null;
  error: string | null;
  summary: string | null;
}

/** The runs table as another reader sees it while the CLI works (WAL: readers never block the writer). */
export function recordedRuns(ledgerPath: string): RecordedRun[] {
  if (!existsSync(ledgerPath)) return [];
  const db = new Database(ledgerPath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        'SELECT id, command, started_at, finished_at, outcome, as_of, error, summary FROM runs ORDER BY started_at, id',
      )
      .all() as RecordedRun[];
  } finally {
    db.close();
  }
}

export function lockHolder(ledgerPath: string): { run_id: string; pid: number } | undefined {
  if (!existsSync(ledgerPath)) return undefined;
  const db = new Database(ledgerPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT run_id, pid FROM run_lock').get() as { run_id: string; pid: number } | undefined;
  } finally {
    db.close();
  }
}

/** Runs that did work (not those the lock refused), in start order. */
export function workedRuns(ledgerPath: string): RecordedRun[] {
  return recordedRuns(ledgerPath).filter((run) => run.outcome !== 'refused');
}

/** Each run finished before the next one started, by the times they recorded. */
export function overlaps(runs: readonly RecordedRun[]): string[] {
  const sorted = [...runs].sort((a, b) => a.started_at.localeCompare(b.started_at));
  const found: string[] = [];
  for (let index = 1; index < sorted.length; index += 1) {
    const previous = sorted[index - 1]!;
    const run = sorted[index]!;
    if (previous.finished_at === null || previous.finished_at > run.started_at)
      found.push(`${run.id} started before ${previous.id} finished`);
  }
  return found;
}

export const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** Polls `done` every 25 ms, for at most `withinMs` (a bound for a loaded machine: it returns as soon as `done` holds). */
export async function until(done: () => boolean, withinMs: number, what: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (done()) return;
    await sleep(25);
  }
  if (!done()) throw new Error(`${what}: not within ${withinMs} ms`);
}
