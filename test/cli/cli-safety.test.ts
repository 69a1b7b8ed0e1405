import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commandTable } from '../../src/cli/commands/index.js';
import { optionSpecsOf } from '../../src/cli/flags.js';
import { runCli } from '../../src/cli/run-cli.js';
import { exampleConfigText } from '../../src/config/example-config.js';
import { addDays, dateInTimeZone } from '../../src/calendar/index.js';
import { yesterdayIn } from '../../src/app/books-days.js';
import { createDestinationFakes, SANDBOX_ENVIRONMENT } from '../../sandbox/destination-fakes.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import { BUG_REPORT, CLI, runLedgerline, type CliRun } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

const COMMANDS = commandTable();

/**
 * Ordinary mistakes a new user makes, each driven through the built CLI: none may damage the ledger
 * or be reported as a bug, and each says what to do in one line.
 */
const tempDir = useTempDir('ledgerline-safety-');
const running: RunningSandbox[] = [];
afterEach(async () => {
  for (const sandbox of running.splice(0)) await sandbox.close();
});

interface Project {
  dir: string;
  env: Record<string, string>;
  ledgerPath: string;
  sandbox: RunningSandbox;
  run(args: readonly string[], env?: Record<string, string>): Promise<CliRun>;
}

/**
 * The folder `init` makes, made once for the file (init contacts no sandbox): each project copies it, its
 * configuration pointed at the project's sandbox. Twenty inits cost ~2 CPU-s; the copies a fiftieth of that.
 */
const INIT_URL = 'http://127.0.0.1:9';
const ENV: Record<string, string> = { ...SANDBOX_ENVIRONMENT, NO_COLOR: '1' };
let initialized: string;
beforeAll(async () => {
  initialized = tempDir();
  const init = await runLedgerline(['init', '--sandbox-url', INIT_URL], { cwd: initialized, env: ENV });
  expect(init.code, init.stderr).toBe(0);
});

/** A folder made by `init` against a sandbox on its own port, the sandbox on `today`. */
async function project(today = '2026-03-01'): Promise<Project> {
  const fakes = createDestinationFakes();
  const sandbox = await startSandbox({ port: 0, today, extraMounts: [fakes.xero, fakes.quickbooks] });
  running.push(sandbox);
  const dir = tempDir();
  const env = { ...ENV };
  const run = (args: readonly string[], extra: Record<string, string> = {}) =>
    runLedgerline(args, { cwd: dir, env: { ...env, ...extra } });
  cpSync(initialized, dir, { recursive: true });
  const p = { dir, env, ledgerPath: join(dir, 'data', 'ledger.sqlite'), sandbox, run };
  setConfig(p, (yaml) => yaml.replaceAll(INIT_URL, sandbox.baseUrl));
  return p;
}

async function freshOrders(p: Project): Promise<void> {
  writeFileSync(join(p.dir, 'orders.csv'), await (await fetch(`${p.sandbox.adminUrl}/orders.csv`)).text());
}

function setConfig(p: Project, edit: (yaml: string) => string): void {
  const path = join(p.dir, 'ledgerline.yaml');
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
}

/** One line on stderr, naming what it must. */
function oneLineError(run: CliRun, ...mentions: string[]): void {
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  for (const mention of mentions) expect(lines[0]).toContain(mention);
}

/** Runs a shell command in a private user and mount namespace (root there, nobody's outside). */
function inNamespace(script: string, env: Record<string, string>, cwd: string): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('unshare', ['-rm', 'sh', '-c', script], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      expect(`${stdout}${stderr}`).not.toContain(BUG_REPORT);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

const cli = `"${process.execPath}" "${CLI}"`;

describe('a day is synced only once it has ended', () => {
  it('refuses a future --as-of, today, and a window reaching today, before anything is contacted; the ledger stays byte-identical', async () => {
    const p = await project();
    const before = readFileSync(p.ledgerPath);
    const today = dateInTimeZone('UTC')(new Date());
    for (const args of [
      ['--as-of', '2027-12-31'],
      ['--as-of', today],
      ['--from', '2026-03-01', '--to', today],
    ]) {
      const run = await p.run(['sync', ...args]);
      expect(run.code, run.stderr).toBe(2);
      oneLineError(
        run,
        'has not ended yet in UTC',
        `the latest day that can be closed is ${yesterdayIn('UTC', new Date())}`,
      );
    }
    expect(readFileSync(p.ledgerPath).equals(before)).toBe(true);
    expect(p.sandbox.requestLog().length).toBe(0);
  });

  it('accepts a day exactly when it has ended in the configured timezone (UTC, Pacific/Kiritimati, America/Los_Angeles)', async () => {
    const p = await project();
    // The rule of real services: without sandboxClock, no sandbox day caps the close (a trial is refused past it).
    setConfig(p, (yaml) => yaml.replace(/^sandboxClock: .*\n/m, ''));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('UTC', 'Pacific/Kiritimati', 'America/Los_Angeles'),
        fc.integer({ min: -2, max: 2 }),
        async (timezone, offset) => {
          setConfig(p, (yaml) => yaml.replace(/^timezone: \S+/m, `timezone: ${timezone}`));
          const day = addDays(dateInTimeZone('UTC')(new Date()), offset);
          const before = readFileSync(p.ledgerPath);
          const endedBefore = day <= yesterdayIn(timezone, new Date());
          const run = await p.run(['sync', '--as-of', day, '--dry-run']);
          // A day that ends while the command runs cannot be judged either way.
          if (endedBefore !== day <= yesterdayIn(timezone, new Date())) return;
          // A day before yesterday is one the panel and the ad network cannot vouch for: refused on this new ledger.
          if (endedBefore && day === yesterdayIn(timezone, new Date())) expect([0, 1], run.stderr).toContain(run.code);
          else if (endedBefore) {
            expect(run.code, run.stderr).toBe(2);
            expect(run.stderr).toContain(`cannot take its first close as of ${day}`);
          } else {
            expect(run.code, run.stderr).toBe(2);
            expect(readFileSync(p.ledgerPath).equals(before)).toBe(true);
          }
        },
      ),
      { numRuns: 12 },
    );
    // Twelve CLI runs: on a loaded 2-core machine that passes 30 s without anything being wrong.
  }, 90_000);

  it('status and reconcile flag a close dated after today, made by an older version, and say what to do', async () => {
    const p = await project();
    const db = new Database(p.ledgerPath);
    db.prepare(
      "INSERT INTO source_closes (source_id, date, metric, value_micros, currency, taken_at) VALUES ('smm-panel', '2099-12-31', 'balance', 0, 'USD', '2026-01-01T00:00:00Z')",
    ).run();
    db.close();
    const status = await p.run(['status']);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('smm-panel has a close dated 2099-12-31, after today');
    expect(status.stdout).toContain('restore the ledger from a backup');
    const reconcile = await p.run(['reconcile', '--json']);
    expect(reconcile.code).toBe(1);
    expect(JSON.parse(reconcile.stdout)).toMatchObject({
      items: [{ kind: 'close_after_today', source: 'smm-panel', date: '2099-12-31' }],
    });
  });
});

describe('a sandbox trial follows the sandbox calendar', () => {
  it("a plain sync and `--as-of yesterday` take the sandbox's day, not the machine's", async () => {
    const p = await project('2026-03-01');
    await freshOrders(p);
    const plain = await p.run(['sync', '--orders-file', 'orders.csv']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^sync as of 2026-03-01\n/);
    p.sandbox.advanceDays(1);
    await freshOrders(p);
    const named = await p.run(['sync', '--as-of', 'yesterday', '--orders-file', 'orders.csv']);
    expect(named.stdout).toMatch(/^sync as of 2026-03-02\n/);
    // A fresh orders file each day: the day's new orders explain the balance, nothing is booked to suspense.
    expect(named.code, named.stdout).toBe(0);
  });

  it('schedule --once closes the sandbox day too', async () => {
    const p = await project('2026-03-02');
    setConfig(p, (yaml) =>
      yaml.replace(/^schedule:\n(?: .*\n)*/m, 'schedule:\n  cron: "30 2 * * *"\n  timezone: UTC\n'),
    );
    const run = await p.run(['schedule', '--once']);
    expect(run.code, run.stderr).toBe(0);
    const db = new Database(p.ledgerPath, { readonly: true });
    expect(db.prepare("SELECT as_of FROM runs WHERE command = 'schedule'").all()).toEqual([{ as_of: '2026-03-02' }]);
    db.close();
  });
});

describe('ordinary environment problems are exit 2 with one line naming the path or port', () => {
  it('sandbox on a port in use', async () => {
    const p = await project();
    const port = new URL(p.sandbox.baseUrl).port;
    const run = await p.run(['sandbox', '--port', port]);
    expect(run.code).toBe(2);
    oneLineError(run, `port ${port}`, 'already in use');
  });

  it('export --out into a missing folder or onto a folder; a reversed window', async () => {
    const p = await project();
    const missing = await p.run(['export', '--format', 'generic', '--out', 'nowhere/out.csv']);
    expect(missing.code).toBe(2);
    oneLineError(missing, join(p.dir, 'nowhere'), 'does not exist');
    const folder = await p.run(['export', '--format', 'generic', '--out', 'data']);
    expect(folder.code).toBe(2);
    oneLineError(folder, join(p.dir, 'data'), 'is a folder');
    const reversed = await p.run(['export', '--format', 'generic', '--from', '2026-03-31', '--to', '2026-03-01']);
    expect(reversed.code).toBe(2);
    oneLineError(reversed, '--from 2026-03-31 is after --to 2026-03-01');
    expect(reversed.stdout).toBe('');
  });

  it('a ledger path that is a folder, or a file that is not a database', async () => {
    const p = await project();
    setConfig(p, (yaml) => yaml.replace(/^ledger: .*$/m, 'ledger: ./data'));
    const folder = await p.run(['export', '--format', 'generic']);
    expect(folder.code).toBe(2);
    oneLineError(folder, join(p.dir, 'data'), 'is a folder');
    writeFileSync(join(p.dir, 'notes.txt'), 'these are my notes, not a ledger\n'.repeat(200));
    setConfig(p, (yaml) => yaml.replace(/^ledger: .*$/m, 'ledger: ./notes.txt'));
    const text = await p.run(['status']);
    expect(text.code).toBe(2);
    oneLineError(text, join(p.dir, 'notes.txt'), 'is not a ledgerline ledger');
  });

  it('demo --dir on a folder that holds files refuses and overwrites nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'orders.csv'), 'order_id,service\n42,1\n');
    const run = await runLedgerline(['demo', '--dir', dir], { cwd: dir });
    expect(run.code).toBe(2);
    oneLineError(run, dir, 'is not empty');
    expect(readFileSync(join(dir, 'orders.csv'), 'utf8')).toBe('order_id,service\n42,1\n');
  });
});

describe('a damaged, read-only or full ledger is said in one line, never "a bug"', () => {
  it('a damaged page: exit 3 naming the file, from export and from status', async () => {
    const p = await project();
    await freshOrders(p);
    expect((await p.run(['sync', '--as-of', '2026-03-01', '--orders-file', 'orders.csv'])).code).toBe(0);
    const size = statSync(p.ledgerPath).size;
    const bytes = readFileSync(p.ledgerPath);
    // Pages 2 onwards overwritten: the header still says SQLite, the tables do not read.
    bytes.fill(0xa5, 4096, size);
    writeFileSync(p.ledgerPath, bytes);
    for (const command of [['export', '--format', 'generic'], ['status']]) {
      const run = await p.run(command);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/^error: the ledger .*ledger\.sqlite is damaged/m);
    }
  });

  it('a truncated ledger: exit 3 naming the file', async () => {
    const p = await project();
    await freshOrders(p);
    expect((await p.run(['sync', '--as-of', '2026-03-01', '--orders-file', 'orders.csv'])).code).toBe(0);
    truncateSync(p.ledgerPath, Math.floor(statSync(p.ledgerPath).size / 2));
    const run = await p.run(['export', '--format', 'generic']);
    expect(run.code, run.stderr).toBe(3);
    oneLineError(run, p.ledgerPath, 'damaged');
  });

  it('a ledger in a read-only folder: export, reconcile and status work; sync is refused with exit 2', async () => {
    const p = await project();
    await freshOrders(p);
    expect((await p.run(['sync', '--as-of', '2026-03-01', '--orders-file', 'orders.csv'])).code).toBe(0);
    const data = join(p.dir, 'data');
    const readOnly = (command: string) =>
      inNamespace(
        `mount --bind "${data}" "${data}" && mount -o remount,bind,ro "${data}" && ${cli} ${command}`,
        p.env,
        p.dir,
      );
    const exported = await readOnly('export --format generic');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('journal_id,date,account');
    expect((await readOnly('reconcile')).code).toBe(0);
    const status = await readOnly('status --json');
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ integrity: 'ok' });
    const sync = await readOnly('sync --as-of 2026-03-01');
    expect(sync.code).toBe(2);
    oneLineError(sync, p.ledgerPath, 'is read-only');
  });

  it('a full disk mid-sync: exit 3, nothing half-written, and the next sync on a roomier disk books the day', async () => {
    const p = await project();
    await freshOrders(p);
    const disk = join(p.dir, 'disk');
    mkdirSync(disk);
    const size = statSync(p.ledgerPath).size;
    const kib = Math.ceil(size / 1024) + 24;
    // The ledger and the config on a small disk: the day's raw replies and entries do not fit.
    const script = [
      `mount -t tmpfs -o size=${kib}k tmpfs "${disk}"`,
      `cp "${p.ledgerPath}" "${disk}/ledger.sqlite"`,
      `sed 's#^ledger: .*#ledger: ${disk}/ledger.sqlite#' ledgerline.yaml > full-disk.yaml`,
      `dd if=/dev/zero of="${disk}/filler" bs=1k count=$(( $(df -k "${disk}" | awk 'NR==2 {print $4}') - 4 )) 2>/dev/null`,
      `${cli} --config full-disk.yaml sync --as-of 2026-03-01 --orders-file "${p.dir}/orders.csv"; code=$?`,
      `rm "${disk}/filler"`,
      `echo "exit $code" >&2`,
      `cp "${disk}/ledger.sqlite" "${p.dir}/after-full.sqlite"`,
      `exit $code`,
    ].join('\n');
    const full = await inNamespace(script, p.env, p.dir);
    expect(full.code, full.stderr).toBe(3);
    expect(full.stderr).toMatch(/disk holding .*ledger\.sqlite is full|is full/);
    const after = new Database(join(p.dir, 'after-full.sqlite'), { readonly: true });
    expect(after.pragma('quick_check', { simple: true })).toBe('ok');
    expect(after.prepare('SELECT COUNT(*) AS n FROM journal_entries').get()).toEqual({ n: 0 });
    after.close();
  });
});

describe('help and typos', () => {
  const withoutSecondLetter = (name: string) => `${name[0]}${name.slice(2)}`;

  it.each(COMMANDS.map((entry) => entry.name))(
    '%s: --help lists every flag with its meaning and an example, and `help CMD` says the same',
    async (name) => {
      const dir = tempDir();
      const command = await COMMANDS.find((entry) => entry.name === name)!.load();
      const viaFlag = await runLedgerline([name, '--help'], { cwd: dir });
      const viaHelp = await runLedgerline(['help', name], { cwd: dir });
      expect(viaFlag.code).toBe(0);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
      for (const [flag, spec] of Object.entries(optionSpecsOf(command.flags))) {
        expect(viaFlag.stdout).toMatch(
          new RegExp(`--${flag}\\b.*  ${spec.description.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
        );
      }
      expect(command.examples.length).toBeGreaterThan(0);
      expect(viaFlag.stdout).toContain(`Examples:\n  ledgerline ${name}`);
    },
  );

  it.each(COMMANDS.map((entry) => entry.name))(
    '%s: a mistyped flag and a mistyped command name get "did you mean" and exit 2',
    async (name) => {
      const dir = tempDir();
      const command = await COMMANDS.find((entry) => entry.name === name)!.load();
      const flag = Object.keys(optionSpecsOf(command.flags))[0] ?? 'json';
      const typo = await runLedgerline([name, `--${withoutSecondLetter(flag)}`], { cwd: dir });
      expect(typo.code).toBe(2);
      oneLineError(typo, `did you mean --${flag}?`);
      expect((typo.stderr.match(/'/g) ?? []).length % 2).toBe(0);
      const misnamed = await runLedgerline([withoutSecondLetter(name)], { cwd: dir });
      expect(misnamed.code).toBe(2);
      oneLineError(misnamed, `did you mean "${name}"?`);
    },
  );

  it('a flag written without its dashes is refused with exit 2 before anything runs, not ignored', async () => {
    const dir = tempDir();
    const stray = await runLedgerline(['sync', 'dry-run'], { cwd: dir });
    expect(stray.code).toBe(2);
    oneLineError(stray, 'sync takes no argument "dry-run"', 'did you mean --dry-run?');
  });
});

describe('secrets only from the environment', () => {
  it('a literal API key in ledgerline.yaml is refused, naming the key path and the variable to use, never the value', async () => {
    const p = await project();
    setConfig(p, (yaml) => yaml.replace('apiKey: ${PANEL_KEY}', 'apiKey: pk_live_0123456789abcdef'));
    const run = await p.run(['export', '--format', 'generic']);
    expect(run.code).toBe(2);
    oneLineError(run, 'sources[1].apiKey', '${SMM_PANEL_KEY}');
    expect(run.stderr).not.toContain('pk_live_0123456789abcdef');
  });
});

describe('runs and backfills', () => {
  it('a sync while another run holds the ledger exits 75, and writes nothing', async () => {
    const p = await project();
    const db = new Database(p.ledgerPath);
    const now = new Date().toISOString();
    db.prepare(
      "INSERT INTO run_lock (name, run_id, pid, host, acquired_at, heartbeat_at) VALUES ('ledger', 'other-run', ?, ?, ?, ?)",
    ).run(process.ppid, hostname(), now, now);
    db.close();
    const run = await p.run(['sync', '--as-of', '2026-03-01']);
    expect(run.code).toBe(75);
    expect(run.stderr).toContain('another ledgerline run (other-run');
  });

  it('a sync takes over the lock of a killed sync and records that run as interrupted, as the scheduler does', async () => {
    const p = await project();
    const db = new Database(p.ledgerPath);
    const then = new Date(Date.now() - 60_000).toISOString();
    db.prepare("INSERT INTO runs (id, command, started_at, as_of) VALUES ('run:killed', 'sync', ?, '2026-03-01')").run(
      then,
    );
    db.prepare(
      "INSERT INTO run_lock (name, run_id, pid, host, acquired_at, heartbeat_at) VALUES ('ledger', 'run:killed', 4194304, ?, ?, ?)",
    ).run(hostname(), then, then);
    db.close();
    p.sandbox.setToday('2026-03-01');
    await freshOrders(p);
    const sync = await p.run(['sync', '--as-of', '2026-03-01', '--orders-file', 'orders.csv']);
    expect(sync.code).toBe(0);
    expect(sync.stderr).toContain('took over the ledger from run run:killed (pid 4194304');
    const reopened = new Database(p.ledgerPath, { readonly: true });
    const killed = reopened.prepare("SELECT outcome, error FROM runs WHERE id = 'run:killed'").get() as {
      outcome: string;
      error: string;
    };
    reopened.close();
    expect(killed.outcome).toBe('interrupted');
    expect(killed.error).toContain('ended without releasing the ledger (pid 4194304');
  });

  it('a replay needs no source keys, reports its window in --json, and dry runs show cents (exact figures with --exact)', async () => {
    const p = await project();
    for (const day of ['2026-03-01', '2026-03-02']) {
      p.sandbox.setToday(day);
      await freshOrders(p);
      expect((await p.run(['sync', '--as-of', day, '--orders-file', 'orders.csv'])).code).toBe(0);
    }
    const replay = await runLedgerline(['sync', '--from', '2026-03-01', '--to', '2026-03-02', '--json'], {
      cwd: p.dir,
      env: { NO_COLOR: '1' },
    });
    expect(replay.code, replay.stderr).toBe(0);
    const report = JSON.parse(replay.stdout) as { window?: unknown; asOf?: unknown };
    expect(report.window).toEqual({ from: '2026-03-01', to: '2026-03-02' });
    expect(report.asOf).toBeUndefined();

    p.sandbox.setToday('2026-03-03');
    await freshOrders(p);
    const dry = await p.run(['sync', '--as-of', '2026-03-03', '--orders-file', 'orders.csv', '--dry-run']);
    const amounts = [...dry.stdout.matchAll(/^ +(?:Dr|Cr) +\S+ +(\S+) USD$/gm)].map((match) => match[1]!);
    expect(amounts.length, dry.stdout).toBeGreaterThan(0);
    for (const amount of amounts) expect(amount).toMatch(/^\d+\.\d{2}$/);
    const exact = await p.run(['sync', '--as-of', '2026-03-03', '--orders-file', 'orders.csv', '--dry-run', '--exact']);
    expect(
      [...exact.stdout.matchAll(/^ +(?:Dr|Cr) +\S+ +(\S+) USD$/gm)].some((match) => /\.\d{3,}$/.test(match[1]!)),
    ).toBe(true);
  });

  it('the progress bar is taken off the line before a log line is written (on a terminal)', async () => {
    const p = await project();
    for (const day of ['2026-03-01', '2026-03-02']) {
      p.sandbox.setToday(day);
      await freshOrders(p);
      expect((await p.run(['sync', '--as-of', day, '--orders-file', 'orders.csv'])).code).toBe(0);
    }
    // `script` gives the CLI a real terminal.
    const run = await new Promise<string>((resolvePromise) => {
      const child = spawn(
        'script',
        ['-qec', `${cli} sync --from 2026-03-01 --to 2026-03-02 --log-format text`, '/dev/null'],
        {
          cwd: p.dir,
          env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', TERM: 'dumb' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', () => {
        clearTimeout(timer);
        resolvePromise(output);
      });
    });
    expect(run).toContain('] 4/4');
    // After a bar is drawn (it ends with "erase to end of line"), the next thing written takes it off the line.
    expect(run).not.toMatch(/\] \d+\/\d+ [^\r\n]*\u001b\[K(?!\r)[^\r\n]/);
    expect(run).toContain('re-read');
  });
});

describe('the orders file: one escaped message per bad row, in the summary, exit 1', () => {
  it('a row with an unterminated quote and a row with control bytes are each named, escaped, and the rest is booked', async () => {
    const p = await project();
    await freshOrders(p);
    const good = readFileSync(join(p.dir, 'orders.csv'), 'utf8').trimEnd();
    writeFileSync(join(p.dir, 'orders.csv'), `${good}\n"R-77,1,100\nR-\u001b[31m78,1,100\n`);
    const run = await p.run(['sync', '--as-of', '2026-03-01', '--orders-file', 'orders.csv']);
    expect(run.code, run.stderr).toBe(1);
    const rows = run.stdout.split('\n').filter((line) => line.includes('orders file row skipped'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('a quote is opened and never closed');
    expect(rows[1]).toContain('\\u001b[31m78');
    expect(run.stdout + run.stderr).not.toContain('\u001b');
  });

  it('a binary file is refused in one message with its bytes escaped', async () => {
    const p = await project();
    writeFileSync(
      join(p.dir, 'orders.csv'),
      Buffer.from([0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x07, 0xff, 0xfe, 0x0a, 0x01, 0x02]),
    );
    const run = await p.run(['sync', '--as-of', '2026-03-01', '--orders-file', 'orders.csv']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('orders.csv');
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });
});

describe('messages name the real culprit and say what happened', () => {
  it('a wrong QuickBooks client secret is named as the client secret, not the refresh token', async () => {
    const p = await project();
    await freshOrders(p);
    expect((await p.run(['sync', '--as-of', '2026-03-01', '--orders-file', 'orders.csv'])).code).toBe(0);
    const run = await p.run(['post', 'quickbooks'], { QBO_CLIENT_SECRET: 'not-the-right-secret-123' });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("refused the app's client id or client secret");
    expect(run.stderr).not.toContain('refresh token');
  });

  it("the example configuration's payout schedule comment shows the forms the schema takes", () => {
    const comment = exampleConfigText()
      .split('\n')
      .filter((line) => /schedule: month-end|a list of dates|a day of the month/.test(line));
    expect(comment.join('\n')).not.toContain('dates:');
    expect(comment.join('\n')).toContain('schedule: [2026-03-31, 2026-06-30]');
  });
});

describe('an internal error is the only "bug" report', () => {
  it('is exit 70 and asks for a report: forced here by an output stream that breaks', async () => {
    class Broken extends Writable {
      override _write(_chunk: unknown, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
        done(new TypeError('the output stream broke'));
      }
    }
    let said = '';
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, done) {
        said += chunk.toString();
        done();
      },
    });
    const stdout = new Broken();
    stdout.write = () => {
      throw new TypeError('the output stream broke');
    };
    const code = await runCli(['--version'], { env: {}, cwd: tempDir(), stdout, stderr });
    expect(code).toBe(70);
    expect(said).toContain(BUG_REPORT);
  });

  it('every CLI run in the suite goes through a helper that fails the test on a bug report', () => {
    const root = join(import.meta.dirname, '..');
    const launchers = [
      'support/cli.ts',
      'cli/post-cli-harness.ts',
      'cli/schedule-harness.ts',
      'cli/connect-harness.ts',
      'scenarios/scenario-harness.ts',
      'cli/cli-safety.test.ts',
      'support/serve-in-process.ts',
      'cli/migrate-holders-cli.test.ts',
      'cli/restore-writers-cli.test.ts',
    ];
    for (const file of launchers) expect(readFileSync(join(root, file), 'utf8')).toMatch(/refuseBugReport|BUG_REPORT/);
    const stray = listTests(root).filter(
      (file) =>
        !launchers.includes(file) &&
        /spawn\(process\.execPath, \[CLI|from '.*run-cli\.js'/.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(stray).toEqual([]);
  });
});

function listTests(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTests(root, path);
    return entry.name.endsWith('.ts') ? [path.slice(root.length + 1)] : [];
  });
}
