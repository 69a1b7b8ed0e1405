import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The built CLI (npm test builds first): tests run it as a user would, in a subprocess. */
export const CLI = resolve(import.meta.dirname, '../../dist/src/cli/main.js');

/**
 * What the CLI says for an internal error (exit 70). Every run of the CLI in the suite goes through a
 * helper that calls refuseBugReport, so an ordinary outcome reported as a bug fails the test that caused it.
 */
export const BUG_REPORT = 'This is a bug in ledgerline';

export function refuseBugReport(args: readonly string[], output: { stdout?: string; stderr?: string }): void {
  const said = `${output.stdout ?? ''}${output.stderr ?? ''}`;
  if (said.includes(BUG_REPORT)) throw new Error(`ledgerline ${args.join(' ')} reported an internal error (a bug):\n${said.slice(0, 2000)}`);
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runLedgerline(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliRun> {
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
