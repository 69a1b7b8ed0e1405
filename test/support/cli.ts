import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../../src/cli/run-cli.js';
import type { Clock } from '../../src/http/index.js';

/** The built CLI (npm test builds first), for the tests where the process itself is the subject. */
export const CLI = resolve(import.meta.dirname, '../../dist/src/cli/main.js');

/**
 * What the CLI says for an internal error (exit 70). Every run of the CLI in the suite goes through a
 * helper that calls refuseBugReport, so an ordinary outcome reported as a bug fails the test that caused it.
 */
export const BUG_REPORT = 'This is a bug in ledgerline';

export function refuseBugReport(args: readonly string[], output: { stdout?: string; stderr?: string }): void {
  const said = `${output.stdout ?? ''}${output.stderr ?? ''}`;
  if (said.includes(BUG_REPORT))
    throw new Error(`ledgerline ${args.join(' ')} reported an internal error (a bug):\n${said.slice(0, 2000)}`);
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  cwd: string;
  /** Added to PATH and HOME; nothing else of the test's environment is passed on. */
  env?: NodeJS.ProcessEnv;
  /** In process: the stop signal is raised at this point, and the run fails if it has not ended 10 s later. A subprocess is killed. */
  timeoutMs?: number;
  /** In process: the clock the command's retries and waits sleep on (fastForwardClock for a failing server's backoff). A subprocess keeps the system's. */
  clock?: Clock;
}

/**
 * Variables that libraries read from process.env themselves (pg's PGPASSWORD and friends, TZ, Node's
 * own): a run given one of them cannot be told it in process, so it runs as a subprocess.
 */
const READ_BY_LIBRARIES = /^(PG[A-Z]+|TZ|NODE_[A-Z_]+|UV_[A-Z_]+)$/;

export function needsOwnProcess(env: NodeJS.ProcessEnv | undefined): boolean {
  return Object.keys(env ?? {}).some((name) => READ_BY_LIBRARIES.test(name));
}

/**
 * The CLI as a user runs it, in this process: `runCli` (src/cli/run-cli.ts, what main.ts calls) with the
 * output captured, the result shaped as a subprocess's. Importing src/ rather than dist/ lets vitest's
 * coverage see what the CLI ran. Where the process is the subject (signals, kill -9, a pipe that closes,
 * a terminal, namespaces) use runLedgerlineProcess.
 */
export function runLedgerline(args: readonly string[], options: CliRunOptions): Promise<CliRun> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env };
  if (needsOwnProcess(options.env)) return runLedgerlineProcess(args, options);
  return runLedgerlineInProcess(args, {
    cwd: options.cwd,
    env,
    timeoutMs: options.timeoutMs ?? 60_000,
    clock: options.clock,
  });
}

/** Collects what a run writes; `isTTY` stays unset, as for a pipe. */
class CapturedOutput extends Writable {
  private readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer | string, encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
    done();
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** The in-process run with the environment exactly as given (the scenario harness passes a full one). */
export async function runLedgerlineInProcess(
  args: readonly string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    timeoutMs: number;
    stopSignal?: AbortSignal;
    watchStderr?: (soFar: () => string) => void;
    clock?: Clock;
  },
): Promise<CliRun> {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  options.watchStderr?.(() => stderr.text());
  const stop = new AbortController();
  const forwardStop = () => stop.abort();
  options.stopSignal?.addEventListener('abort', forwardStop, { once: true });
  let overdue: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => stop.abort(), options.timeoutMs);
  const tooLate = new Promise<never>((_, reject) => {
    stop.signal.addEventListener('abort', () => {
      overdue = setTimeout(
        () =>
          reject(
            new Error(
              `ledgerline ${args.join(' ')} did not finish within ${options.timeoutMs} ms (and 10 s after being asked to stop)`,
            ),
          ),
        10_000,
      );
    });
  });
  try {
    const code = await Promise.race([
      runCli(args, {
        env: options.env,
        cwd: options.cwd,
        stdout,
        stderr,
        stopSignal: stop.signal,
        clock: options.clock,
      }),
      tooLate,
    ]);
    const result = { code: code as number, stdout: stdout.text(), stderr: stderr.text() };
    refuseBugReport(args, result);
    return result;
  } finally {
    clearTimeout(timer);
    clearTimeout(overdue);
    options.stopSignal?.removeEventListener('abort', forwardStop);
  }
}

/** The built CLI as a subprocess (`node dist/src/cli/main.js`), killed with SIGKILL after `timeoutMs`. */
export function runLedgerlineProcess(args: readonly string[], options: CliRunOptions): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        refuseBugReport(args, { stdout, stderr });
        resolvePromise({ code, stdout, stderr });
      } catch (error) {
        reject(error);
      }
    });
  });
}
