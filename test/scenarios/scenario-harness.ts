import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { refuseBugReport, runLedgerlineInProcess } from '../support/cli.js';
import { SANDBOX_ENVIRONMENT } from '../../sandbox/destination-fakes.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { PanelFlavourName } from '../../sandbox/panel-flavours.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import { microsText, readBooks } from '../support/ledger-engines.js';
import { withoutSandboxBank } from '../support/sandbox-bank.js';

export { microsText };

/**
 * Scenarios drive the command line in this process (runCli, what main.ts calls), and the BUILT command line
 * (`npm run build`) as a subprocess where the process is the subject (spawnLedgerline: kill -9, signals,
 * servers a test stops), against a sandbox started in the test process on 127.0.0.1:0,
 * and read the ledger through readBooks (test/support/ledger-engines.ts). Nothing here computes money:
 * expected amounts are written by hand in the tests.
 */

const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CLI_PATH = join(REPO_ROOT, 'dist/src/cli/main.js');

/** The advertiser key is not in `init`'s example: a scenario adds that source itself. */
export const ADVERTISER_KEY_VARIABLE = 'PAYELANCER_ADVERTISER_KEY';
export const PUBLISHER_SOURCE = 'ads-publisher';
export const ADVERTISER_SOURCE = 'ads-advertiser';
export const PANEL_SOURCE = 'smm-panel';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function assertBuilt(): void {
  if (!existsSync(CLI_PATH))
    throw new Error(
      `${CLI_PATH} is missing: run \`npm run build\` (or \`npx tsc -p tsconfig.build.json\`) before the scenario tests`,
    );
}

/** The environment a workspace's CLI runs with: the sandbox keys, and no configuration path inherited from the caller. */
export function scenarioEnvironment(
  sandbox: RunningSandbox,
  overrides: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  delete inherited.LEDGERLINE_CONFIG;
  return {
    ...inherited,
    ...SANDBOX_ENVIRONMENT,
    [ADVERTISER_KEY_VARIABLE]: sandbox.keys.advertiser,
    NO_COLOR: '1',
    ...overrides,
  };
}

/** Starts `node dist/src/cli/main.js …` in `cwd`; the caller owns the process. */
export function spawnLedgerline(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [CLI_PATH, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Collects a spawned CLI's output until it ends (bounded: a hung CLI is killed after `timeoutMs`). */
export function finished(child: ChildProcess, timeoutMs = 90_000): Promise<CliResult> {
  const args = child.spawnargs.slice(2);
  return new Promise((resolvePromise, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ledgerline did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = {
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      };
      try {
        refuseBugReport(args, result);
        resolvePromise(result);
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** One run of the CLI in this process, bounded at `timeoutMs` (its stop signal is raised, as SIGTERM would). */
export async function runLedgerline(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<CliResult> {
  return { ...(await runLedgerlineInProcess(args, { cwd, env, timeoutMs })), signal: null };
}

/** The same run as a subprocess of the built CLI. */
export function runLedgerlineProcess(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return finished(spawnLedgerline(cwd, args, env));
}

/** A scratch folder outside any test framework hook, removed by `close()` of the workspace that owns it. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `ledgerline-${prefix}-`));
}

export interface Workspace {
  dir: string;
  /** The SQLite file `init` configured, read directly by the SQLite-only scenarios. */
  ledgerPath: string;
  /** Where the ledger is, for readBooks: ledgerPath, or the postgres:// URL the workspace was given. */
  ledger: string;
  env: NodeJS.ProcessEnv;
  run(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** `sync --as-of day --orders-file orders.csv`, with orders.csv fetched from the sandbox's admin API for that day. */
  syncDay(day: string, extraArgs?: readonly string[]): Promise<CliResult>;
  exportGeneric(): Promise<string>;
  remove(): void;
}

/**
 * A folder with the configuration `ledgerline init --sandbox-url` writes, without its sandbox bank (the
 * scenarios' worlds are the two APIs' books; a month-end over the bank adds it: month-end-bank.test.ts),
 * plus an advertiser source beside the example's publisher key.
 */
export async function createWorkspace(
  sandbox: RunningSandbox,
  prefix: string,
  options: WorkspaceOptions = {},
): Promise<Workspace> {
  const [workspace] = await createWorkspaces(sandbox, [prefix], options);
  return workspace!;
}

export interface WorkspaceOptions {
  /** A new ledger for each workspace: a postgres:// URL replaces `init`'s SQLite file; undefined keeps it (useLedgerEngines().fresh). */
  ledger?: () => Promise<string | undefined>;
}

/** Several such folders: `init` runs once, the others are copies of what it wrote (an init saved each). */
export async function createWorkspaces(
  sandbox: RunningSandbox,
  prefixes: readonly string[],
  options: WorkspaceOptions = {},
): Promise<Workspace[]> {
  const env = scenarioEnvironment(sandbox);
  const dirs = prefixes.map((prefix) => scratchDir(prefix));
  const [first, ...rest] = dirs;
  if (first === undefined) return [];
  const init = await runLedgerline(first, ['init', '--sandbox-url', sandbox.baseUrl], env);
  if (init.code !== 0) throw new Error(`ledgerline init failed (${init.code}): ${init.stderr}`);
  withoutSandboxBank(first);
  addAdvertiserSource(join(first, 'ledgerline.yaml'), sandbox.baseUrl);
  for (const dir of rest) cpSync(first, dir, { recursive: true });
  const workspaces: Workspace[] = [];
  for (const dir of dirs) workspaces.push(workspaceIn(sandbox, dir, env, await options.ledger?.()));
  return workspaces;
}

/**
 * The sandbox's March and April (seed 1) closed on few nights: the first, and each panel top-up's night with the night
 * before it (a close may skip days), then the month end: 15 nights, not 61 (sandbox-april-bank's table of top-ups).
 */
export const SANDBOX_APRIL_NIGHTS: readonly string[] = [
  '2026-03-01',
  '2026-03-27',
  '2026-03-28',
  '2026-03-31',
  '2026-04-02',
  '2026-04-03',
  '2026-04-04',
  '2026-04-11',
  '2026-04-12',
  '2026-04-14',
  '2026-04-15',
  '2026-04-17',
  '2026-04-18',
  '2026-04-29',
  '2026-04-30',
];

/** A workspace over a folder that already holds a configuration and its ledger (a copy of a built world, say). */
export function workspaceIn(
  sandbox: RunningSandbox,
  dir: string,
  env: NodeJS.ProcessEnv,
  ledgerUrl: string | undefined,
): Workspace {
  const ledgerPath = join(dir, 'data', 'ledger.sqlite');
  if (ledgerUrl !== undefined) {
    const configPath = join(dir, 'ledgerline.yaml');
    const config = readFileSync(configPath, 'utf8');
    if (!/^ledger: .*$/m.test(config)) throw new Error(`${configPath} names no ledger to replace`);
    writeFileSync(configPath, config.replace(/^ledger: .*$/m, `ledger: ${ledgerUrl}`));
  }
  return {
    dir,
    ledgerPath,
    ledger: ledgerUrl ?? ledgerPath,
    env,
    run: (args, runEnv = env) => runLedgerline(dir, args, runEnv),
    async syncDay(day, extraArgs = []) {
      await writeOrdersFile(sandbox, dir, day);
      return runLedgerline(dir, ['sync', '--as-of', day, '--orders-file', 'orders.csv', ...extraArgs], env);
    },
    async exportGeneric() {
      const result = await runLedgerline(dir, ['export', '--format', 'generic'], env);
      if (result.code !== 0) throw new Error(`export failed (${result.code}): ${result.stderr}`);
      return result.stdout;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A copy of `workspace` as it stands (its folder, its SQLite ledger with it), for tests that each go on from one
 * world built once; `ledgerUrl` is a copy of a PostgreSQL ledger (useLedgerEngines().copy), or undefined.
 */
export function copyWorkspace(
  sandbox: RunningSandbox,
  workspace: Workspace,
  prefix: string,
  ledgerUrl: string | undefined,
): Workspace {
  const dir = scratchDir(prefix);
  cpSync(workspace.dir, dir, { recursive: true });
  return workspaceIn(sandbox, dir, workspace.env, ledgerUrl);
}

/** Adds the advertiser source to a configuration, with any settings of its own (its `advertiser:` opening, say). */
export function addAdvertiserSource(
  configPath: string,
  sandboxUrl: string,
  settings: Record<string, unknown> = {},
): void {
  const document = parseDocument(readFileSync(configPath, 'utf8'));
  const sources = document.get('sources');
  if (sources === null || typeof sources !== 'object' || !('add' in sources))
    throw new Error(`${configPath} has no sources list`);
  (sources as { add(value: unknown): void }).add(
    document.createNode({
      id: ADVERTISER_SOURCE,
      kind: 'payelancer',
      baseUrl: `${sandboxUrl}/payelancer`,
      apiKey: `\${${ADVERTISER_KEY_VARIABLE}}`,
      ...settings,
    }),
  );
  writeFileSync(configPath, document.toString());
}

export async function startScenarioSandbox(
  script: WorldScript,
  panelFlavour?: PanelFlavourName,
): Promise<RunningSandbox> {
  assertBuilt();
  return startSandbox({ script, ...(panelFlavour === undefined ? {} : { panelFlavour }) });
}

export interface SyncedWorld {
  sandbox: RunningSandbox;
  workspace: Workspace;
  /** Stops the sandbox and removes the workspace. */
  close(): Promise<void>;
}

/** A sandbox on `script` and a workspace synced night by night through `days`, each night exiting 0 or 1: for tests that read the books after. */
export async function syncedWorld(script: WorldScript, prefix: string, days: readonly string[]): Promise<SyncedWorld> {
  const sandbox = await startScenarioSandbox(script);
  const workspace = await createWorkspace(sandbox, prefix);
  for (const day of days) {
    await setSandboxDay(sandbox, day);
    const run = await workspace.syncDay(day);
    if (run.code !== 0 && run.code !== 1) throw new Error(`sync of ${day} exited ${run.code}: ${run.stderr}`);
  }
  return worldOf(sandbox, workspace);
}

/** A sandbox and a workspace as one world, closed together. */
export function worldOf(sandbox: RunningSandbox, workspace: Workspace): SyncedWorld {
  return {
    sandbox,
    workspace,
    close: async () => {
      await sandbox.close();
      workspace.remove();
    },
  };
}

async function admin(sandbox: RunningSandbox, path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(`${sandbox.adminUrl}${path}`, { ...init, signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`sandbox admin ${path}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

/** Moves the sandbox's day through its admin API. */
export async function setSandboxDay(sandbox: RunningSandbox, day: string): Promise<void> {
  const reply = (await (
    await admin(sandbox, '/day', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ date: day }),
    })
  ).json()) as {
    date: string;
  };
  if (reply.date !== day) throw new Error(`sandbox moved to ${reply.date}, not ${day}`);
}

export async function injectFaults(sandbox: RunningSandbox, request: Record<string, unknown>): Promise<void> {
  await admin(sandbox, '/faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
}

/**
 * Holds the sandbox's next reply to `action` of `service` (sandbox/reply-holds.ts) until released: an event, not a
 * delay, keeps a request in hand. `held` resolves true once a reply is held (false after the sandbox's 10 s).
 */
export async function holdReply(
  sandbox: RunningSandbox,
  service: 'panel' | 'payelancer',
  action: string,
): Promise<{ held(): Promise<boolean>; release(): Promise<void> }> {
  const json = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ service, action }),
  };
  await admin(sandbox, '/holds', json);
  return {
    held: async () => {
      const response = await fetch(`${sandbox.adminUrl}/holds/held?service=${service}&action=${action}`, {
        signal: AbortSignal.timeout(70_000),
      });
      return ((await response.json()) as { held: boolean }).held;
    },
    release: async () => void (await admin(sandbox, '/holds/release', json)),
  };
}

/** The sandbox's orders.csv of a day, written into the workspace as ./orders.csv. */
export async function writeOrdersFile(sandbox: RunningSandbox, dir: string, day: string): Promise<string> {
  const text = await (await admin(sandbox, `/orders.csv?date=${day}`)).text();
  const path = join(dir, 'orders.csv');
  writeFileSync(path, text);
  return path;
}

/** Every calendar day from `first` to `last`, inclusive (UTC dates). */
export function daysFrom(first: string, last: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${first}T00:00:00Z`); at <= Date.parse(`${last}T00:00:00Z`); at += 86_400_000)
    days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

/** The tables the books are made of, in a stable order; progress tables (orders, source_state, source_closes, runs) may move on a re-run. */
const BOOK_TABLES: Record<string, string> = {
  journal_entries: 'seq',
  journal_lines: 'entry_id, line_no',
  rendered_lines: 'entry_id, line_no',
  running_totals: 'source_id, account, currency',
  source_events: 'id',
  entry_events: 'event_id',
  discrepancies: 'id',
  quarantine: 'id',
  deliveries: 'entry_id, destination',
};

/** Every row of the books, and of any extra table asked for (e.g. orders), to compare before and after a run: the ledger at `location` (a SQLite file or a postgres:// URL). */
export function booksAt(
  location: string,
  extraTables: Record<string, string> = {},
): Promise<Record<string, unknown[]>> {
  const tables = { ...BOOK_TABLES, ...extraTables };
  return readBooks(location, async (ledger) => {
    const read: Record<string, unknown[]> = {};
    for (const [table, order] of Object.entries(tables)) read[table] = await ledger.rows(table, order);
    return read;
  });
}

/** A spawned `panel-proxy`'s URL, from its first line ("panel proxy for smm-panel on http://127.0.0.1:PORT → …"). */
export function proxyListeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let said = '';
    const timer = setTimeout(() => reject(new Error(`panel-proxy did not start: ${said}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      const url = / on (http:\/\/127\.0\.0\.1:\d+) /.exec(said)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        resolvePromise(url);
      }
    });
    child.on('close', () => reject(new Error(`panel-proxy exited: ${said}`)));
  });
}
