import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Clock } from '../../src/http/index.js';
import { runLedgerlineInProcess } from '../support/cli.js';
import { PANEL_SOURCE, finished, spawnLedgerline, type CliResult, type Workspace } from './scenario-harness.js';

/** Helpers of the queued-sync scenarios: a workspace on a PostgreSQL ledger, and `ledgerline worker` subprocesses. */

/** The ledger at `url`, and the panel's orders file named in the configuration (what a night queued by `schedule` reads). */
export function pointAtPostgres(workspace: Workspace, url: string): void {
  const path = join(workspace.dir, 'ledgerline.yaml');
  const document = parseDocument(readFileSync(path, 'utf8'));
  document.set('ledger', url);
  const sources = document.get('sources') as {
    items: { get(key: string): unknown; set(key: string, value: unknown): void }[];
  };
  for (const source of sources.items) if (source.get('id') === PANEL_SOURCE) source.set('ordersFile', 'orders.csv');
  writeFileSync(path, document.toString());
}

/** A worker subprocess, with its stderr so far. */
export interface RunningWorker {
  child: ChildProcess;
  stderr(): string;
  ended: Promise<CliResult>;
}

/** `boundMs`: the worker is killed after this long (a file whose nights outlast the default says so). */
export function startWorker(
  workspace: Pick<Workspace, 'dir' | 'env'>,
  args: readonly string[] = [],
  boundMs = 280_000,
): RunningWorker {
  const child = spawnLedgerline(workspace.dir, ['worker', '--expiry-check', '1', ...args], workspace.env);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stderr: () => stderr, ended: finished(child, boundMs) };
}

/** A worker in this process (runCli, as main.ts calls it), where the queue is the subject and not the worker's process. */
export interface WorkerInProcess {
  stderr(): string;
  /** Raises its stop signal, as SIGTERM does to a worker process. */
  stop(): void;
  ended: Promise<CliResult>;
}

/** `ledgerline worker` in this process: a process start (and its import of the CLI) fewer than startWorker; on `clock` when given. */
export function startWorkerInProcess(
  workspace: Pick<Workspace, 'dir' | 'env'>,
  args: readonly string[] = [],
  boundMs = 280_000,
  clock?: Clock,
): WorkerInProcess {
  const stop = new AbortController();
  let soFar = () => '';
  const ended = runLedgerlineInProcess(['worker', '--expiry-check', '1', ...args], {
    cwd: workspace.dir,
    env: workspace.env,
    timeoutMs: boundMs,
    stopSignal: stop.signal,
    watchStderr: (stderr) => (soFar = stderr),
    clock,
  }).then((run) => ({ ...run, signal: null }));
  return { stderr: () => soFar(), stop: () => stop.abort(), ended };
}

/** Resolves once `check` holds, looking every 100 ms for at most `ms` (a bound for a loaded machine, not a wait: it returns as soon as `check` holds). */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 90_000): Promise<void> {
  for (let waited = 0; !(await check()); waited += 100) {
    if (waited >= ms) throw new Error(`gave up after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
