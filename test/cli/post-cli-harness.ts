import { spawn, type ChildProcess } from 'node:child_process';
import { needsOwnProcess, refuseBugReport, runLedgerlineInProcess } from '../support/cli.js';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageMappingsDir } from '../../src/config/index.js';
import type { JournalEntry } from '../../src/rules/index.js';
import type { RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import type { RunningXeroFake } from '../../sandbox/xero/fake.js';
import { appendEntries, openLedgerBooks } from '../pipeline/post-books.js';
import { Writable } from 'node:stream';
import { runCli as runCliInProcess } from '../../src/cli/run-cli.js';

/** The built CLI (`npm run build`; npm test runs it first), for runs where the process is the subject. */
export const CLI = resolve(import.meta.dirname, '../../dist/src/cli/main.js');

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" before these tests`);
}

export const SECRETS = {
  XERO_CLIENT_ID: 'xero-cli-client-id',
  XERO_CLIENT_SECRET: 'xero-cli-client-secret-value',
  QBO_CLIENT_ID: 'qbo-cli-client-id',
  QBO_CLIENT_SECRET: 'qbo-cli-client-secret-value',
  QBO_REFRESH_TOKEN: 'qbo-cli-first-refresh-token',
} as const;

/** A ledgerline.yaml in `dir` reaching the fakes through the apiUrl/tokenUrl overrides, secrets read from the environment; its ledger ./data/ledger.sqlite or `ledgerUrl`. */
export function writeConfig(
  dir: string,
  fakes: { xero?: RunningXeroFake; quickbooks?: RunningQuickBooksFake },
  extra = '',
  ledgerUrl?: string,
): string {
  const lines = [`ledger: ${ledgerUrl ?? './data/ledger.sqlite'}`, 'timezone: UTC', 'currency: USD', 'destinations:'];
  if (fakes.xero) {
    lines.push(
      '  xero:',
      `    tenantId: "${fakes.xero.fake.tenantId}"`,
      '    clientId: ${XERO_CLIENT_ID}',
      '    clientSecret: ${XERO_CLIENT_SECRET}',
      `    apiUrl: ${fakes.xero.apiUrl}`,
      `    tokenUrl: ${fakes.xero.tokenUrl}`,
    );
  }
  if (fakes.quickbooks) {
    lines.push(
      '  quickbooks:',
      `    realmId: "${fakes.quickbooks.fake.realmId}"`,
      '    clientId: ${QBO_CLIENT_ID}',
      '    clientSecret: ${QBO_CLIENT_SECRET}',
      '    refreshToken: ${QBO_REFRESH_TOKEN}',
      '    environment: sandbox',
      `    apiUrl: ${fakes.quickbooks.apiUrl}`,
      `    tokenUrl: ${fakes.quickbooks.tokenUrl}`,
    );
  }
  const path = join(dir, 'ledgerline.yaml');
  writeFileSync(path, `${lines.join('\n')}\n${extra}`);
  return path;
}

/** Appends to the ledger writeConfig gave `dir` (the same `ledgerUrl`, if any). */
export async function bookEntries(dir: string, entries: readonly JournalEntry[], ledgerUrl?: string): Promise<void> {
  const books = await openLedgerBooks(join(dir, 'data'), ledgerUrl);
  try {
    await appendEntries(books, entries);
  } finally {
    await books.close();
  }
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  cwd: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Runs the built CLI as a subprocess and shows it here (to kill it); without it the CLI runs in this process. */
  onSpawn?: (child: ChildProcess) => void;
  /** Shown the run's stderr so far as it starts, in process: a test waits on a line rather than a time. */
  watchStderr?: (soFar: () => string) => void;
}

/** Runs the CLI in this process (runCli of src/cli/run-cli.ts), or as a subprocess where `onSpawn` asks for the process; bounded at `timeoutMs`. */
export async function runCli(args: readonly string[], options: RunCliOptions): Promise<CliRun> {
  const env = { PATH: process.env.PATH ?? '', ...SECRETS, ...options.env };
  if (options.onSpawn === undefined && !needsOwnProcess(options.env)) {
    const watch = options.watchStderr === undefined ? {} : { watchStderr: options.watchStderr };
    return {
      ...(await runLedgerlineInProcess(args, {
        cwd: options.cwd,
        env,
        timeoutMs: options.timeoutMs ?? 20_000,
        ...watch,
      })),
      signal: null,
    };
  }
  return runCliProcess(args, options);
}

function runCliProcess(args: readonly string[], options: RunCliOptions): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...SECRETS, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        refuseBugReport(args, { stdout, stderr });
        resolvePromise({ code, signal, stdout, stderr });
      } catch (error) {
        reject(error);
      }
    });
    options.onSpawn?.(child);
  });
}

/**
 * A `ledgerline worker` on the configuration, in this process (runCli of src/cli/run-cli.ts; a bug report fails the
 * test): its stderr so far, read as it is written, and `stop`, which raises its stop signal as SIGTERM does and
 * expects exit 0. The files using it test the queue, the posts and what is printed, not the worker's process.
 */
export function startPostWorker(
  dir: string,
  config: string,
  env: Record<string, string> = {},
): { stderr: () => string; stop: () => Promise<void> } {
  let stderr = '';
  const output = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        append(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        done();
      },
    });
  const stopSignal = new AbortController();
  const args = ['worker', '--config', config];
  const ended = runCliInProcess(args, {
    env: { PATH: process.env.PATH ?? '', ...SECRETS, ...env },
    cwd: dir,
    stdout: output(() => undefined),
    stderr: output((text) => (stderr += text)),
    stopSignal: stopSignal.signal,
  });
  return {
    stderr: () => stderr,
    stop: async () => {
      stopSignal.abort();
      let timer: NodeJS.Timeout | undefined;
      const overdue = new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(
            () => reject(new Error(`the worker did not end within 20 s of its stop signal: ${stderr.slice(-2000)}`)),
            20_000,
          )),
      );
      const code = await Promise.race([ended, overdue]).finally(() => clearTimeout(timer));
      refuseBugReport(args, { stderr });
      if (code !== 0) throw new Error(`the worker exited ${code}: ${stderr.slice(-2000)}`);
    },
  };
}

/**
 * A GBP ledger in `dir` posting to the UK organisation `xero`, with copies of the shipped mappings: xero.yaml ends
 * with `xeroTax`, and the chart (default.yaml) with `chartTax` when one is given.
 */
export function ukXeroWorkspace(
  dir: string,
  xero: RunningXeroFake,
  { xeroTax, chartTax }: { xeroTax: string; chartTax?: string },
): { config: string; xeroYaml: string } {
  const mappings = join(dir, 'mappings');
  mkdirSync(mappings, { recursive: true });
  copyFileSync(join(packageMappingsDir(), 'default.yaml'), join(mappings, 'default.yaml'));
  if (chartTax !== undefined) appendFileSync(join(mappings, 'default.yaml'), `\n${chartTax}`);
  const xeroYaml = join(mappings, 'xero.yaml');
  copyFileSync(join(packageMappingsDir(), 'xero.yaml'), xeroYaml);
  appendFileSync(xeroYaml, `\n${xeroTax}`);
  const config = join(dir, 'ledgerline.yaml');
  writeFileSync(
    config,
    [
      'ledger: ./data/ledger.sqlite',
      'timezone: UTC',
      'currency: GBP',
      'mappings: ./mappings/default.yaml',
      'destinations:',
      '  xero:',
      `    tenantId: "${xero.fake.tenantId}"`,
      '    clientId: ${XERO_CLIENT_ID}',
      '    clientSecret: ${XERO_CLIENT_SECRET}',
      `    apiUrl: ${xero.apiUrl}`,
      `    tokenUrl: ${xero.tokenUrl}`,
      '    region: UK',
      '    baseCurrency: GBP',
      '',
    ].join('\n'),
  );
  return { config, xeroYaml };
}
