import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDestinationFakes, startSandbox } from '../../sandbox/index.js';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import { createWorkspace, runLedgerline, setSandboxDay, type Workspace } from '../scenarios/scenario-harness.js';
import { useTempDir } from '../support/temp-dir.js';
import { PLAIN_TEXT_TOOL_ENV } from '../support/plain-text-tools.js';
import { registeredDestinations } from '../support/registered-destinations.js';

/**
 * The traps of issue 28, each through the built CLI on a sandbox trial, each showing the old behaviour gone.
 * A publisher earning 10.00 by 03-30 and 15.00 by 03-31: the month-end payout of 03-31 owes 5.00, below the
 * minimum of 50.00, so it is carried forward: a finding for the record, nothing for a person.
 */
const CARRIED_PAYOUT: WorldScript = {
  start: '2026-03-30',
  panel: { openingBalance: '10.00', orders: [] },
  payelancer: {
    publisher: { earnings: { '2026-03-30': '10.00', '2026-03-31': '15.00' } },
    advertiser: { spent: { '2026-03-30': '0.00' } },
  },
};

const hasTool = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

describe('a CLI with no traps, on a sandbox trial', { timeout: 120_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  let night: Awaited<ReturnType<Workspace['run']>>;

  beforeAll(async () => {
    const fakes = createDestinationFakes();
    sandbox = await startSandbox({ port: 0, script: CARRIED_PAYOUT, extraMounts: [fakes.xero, fakes.quickbooks] });
    workspace = await createWorkspace(sandbox, 'traps');
    expect((await workspace.run(['sync', '--as-of', '2026-03-30'])).code).toBe(0);
    await setSandboxDay(sandbox, '2026-03-31');
    night = await workspace.run(['sync', '--as-of', '2026-03-31', '--json']);
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('a night whose only new finding is for the record exits 0 (it was 1), and reconcile calls it clean', async () => {
    const findings = (JSON.parse(night.stdout) as { findings: { kind: string }[] }).findings.map((found) => found.kind);
    expect(findings).toEqual(['payout_carried_forward']);
    expect(night.code, night.stderr).toBe(0);
    const reconcile = await workspace.run(['reconcile']);
    expect(reconcile.code).toBe(0);
    expect(reconcile.stdout).toContain('clean, no action item waiting (1 item(s) for the record)');
  });

  it('a run refused because another held the ledger shows in status as refused, naming who held it, not "failed … RunInProgressError"', async () => {
    const db = new Database(workspace.ledgerPath);
    const since = new Date().toISOString();
    db.prepare(
      "INSERT INTO runs (id, command, started_at, as_of) VALUES ('run:held', 'schedule', ?, '2026-03-31')",
    ).run(since);
    db.prepare(
      "INSERT INTO run_lock (name, run_id, pid, host, acquired_at, heartbeat_at) VALUES ('ledger', 'run:held', ?, ?, ?, ?)",
    ).run(process.ppid, hostname(), since, since);
    db.close();
    try {
      const refused = await workspace.run(['sync', '--as-of', '2026-03-31']);
      expect(refused.code).toBe(75);
      const status = await workspace.run(['status']);
      expect(status.stdout).toMatch(
        new RegExp(
          `sync +refused \\(as of 2026-03-31\\): another ledgerline run \\(run:held, pid ${process.ppid} on ${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, since [^,]+, running "ledgerline schedule"\\) is using this ledger`,
        ),
      );
      expect(status.stdout).not.toContain('RunInProgressError');
      const runs = (
        JSON.parse((await workspace.run(['status', '--json'])).stdout) as {
          runs: { command: string; outcome: string }[];
        }
      ).runs;
      expect(runs.find((run) => run.command === 'sync')?.outcome).toBe('refused');
    } finally {
      const cleanup = new Database(workspace.ledgerPath);
      cleanup.prepare("DELETE FROM run_lock WHERE run_id = 'run:held'").run();
      cleanup.prepare("UPDATE runs SET finished_at = started_at, outcome = 'ok' WHERE id = 'run:held'").run();
      cleanup.close();
    }
  });

  it('post spells its window --from/--to: "post --to xero --from D --to D" means Xero over D..D (it failed with "post needs --to"), with a note', async () => {
    const old = await workspace.run([
      'post',
      '--to',
      'xero',
      '--from',
      '2026-03-31',
      '--to',
      '2026-03-31',
      '--dry-run',
    ]);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stdout).toContain('window: 2026-03-31 to 2026-03-31');
    expect(old.stderr).toContain('note: "post --to xero" is the older spelling of "post xero"');
    expect(old.stderr).not.toContain('post needs --to');

    const spelled = await workspace.run(['post', 'xero', '--from', '2026-03-30', '--to', '2026-03-31', '--dry-run']);
    expect(spelled.code, spelled.stderr).toBe(0);
    expect(spelled.stdout).toContain('window: 2026-03-30 to 2026-03-31');
    expect(spelled.stderr).not.toContain('note:');

    const until = await workspace.run(['post', 'xero', '--until', '2026-03-31', '--dry-run']);
    expect(until.code, until.stderr).toBe(0);
    expect(until.stderr).toContain('note: --until is the older spelling of --to DATE');
  });

  it('a refused flag value says what was expected and the command likely meant', async () => {
    const typo = await workspace.run(['post', 'xeor', '--dry-run']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      `error: post takes ${registeredDestinations.posts}, not "xeor"; did you mean "ledgerline post xero --dry-run"?\n`,
    );
    const format = await workspace.run(['export', '--format', 'hleger']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain(
      `error: --format takes ${registeredDestinations.formats}, not "hleger"; did you mean "ledgerline export --format hledger"?`,
    );
    const by = await workspace.run(['balances', '--by', 'monht']);
    expect(by.stderr).toContain('did you mean "ledgerline balances --by month"?');
  });

  it("sync --as-of a day ahead of the sandbox is refused naming the sandbox's day, and the real day is still taken after", async () => {
    const ahead = await workspace.run(['sync', '--as-of', '2026-04-02']);
    expect(ahead.code).toBe(2);
    expect(ahead.stderr).toContain("--as-of 2026-04-02 is later than the sandbox's day, 2026-03-31");
    await setSandboxDay(sandbox, '2026-04-01');
    const real = await workspace.run(['sync', '--as-of', '2026-04-01']);
    expect(real.code, real.stderr).toBe(0);
  });

  it("reconcile and transit date themselves by the books' day and report by the sandbox's clock, not the machine's", async () => {
    await setSandboxDay(sandbox, '2026-04-01');
    const reconcile = JSON.parse((await workspace.run(['reconcile', '--json'])).stdout) as { asOf: string };
    // The books' day of adjust (the day after the sandbox's, as a day's close is of the day that ended): one day for every reading.
    expect(reconcile.asOf).toBe('2026-04-02');
    expect((JSON.parse((await workspace.run(['transit', '--json'])).stdout) as { asOf: string }).asOf).toBe(
      '2026-04-02',
    );
    const report = await workspace.run(['report', '--from', 'yesterday', '--to', 'yesterday', '--out', 'night.html']);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain('2026-04-01 to 2026-04-01');
  });

  it.skipIf(!hasTool('hledger'))(
    'the hledger export passes hledger check --strict (it failed on undeclared accounts)',
    async () => {
      expect((await workspace.run(['export', '--format', 'hledger', '--out', 'books.journal'])).code).toBe(0);
      const checked = spawnSync('hledger', ['-f', join(workspace.dir, 'books.journal'), 'check', '--strict'], {
        encoding: 'utf8',
        env: PLAIN_TEXT_TOOL_ENV,
      });
      expect(checked.stderr).toBe('');
      expect(checked.status).toBe(0);
    },
  );

  it.skipIf(!hasTool('bean-check'))('the Beancount export passes bean-check', async () => {
    expect((await workspace.run(['export', '--format', 'beancount', '--out', 'books.beancount'])).code).toBe(0);
    const checked = spawnSync('bean-check', [join(workspace.dir, 'books.beancount')], {
      encoding: 'utf8',
      env: PLAIN_TEXT_TOOL_ENV,
    });
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  });

  it('the Xero CSV names the no-tax rate of the organisation\'s region ("No VAT" in the UK), and the shipped mapping rounds to an ordinary account', async () => {
    expect(readFileSync(join(workspace.dir, 'mappings', 'xero.yaml'), 'utf8')).toMatch(
      /^ {2}rounding: +\{ code: "429", taxType: NONE \}$/m,
    );
    const us = await workspace.run(['export', '--format', 'xero']);
    expect(us.code).toBe(0);
    expect(taxRates(us.stdout)).toEqual(new Set(['Tax Exempt']));

    const configPath = join(workspace.dir, 'ledgerline.yaml');
    const document = parseDocument(readFileSync(configPath, 'utf8'));
    document.setIn(['destinations', 'xero', 'region'], 'UK');
    writeFileSync(configPath, document.toString());
    const uk = await workspace.run(['export', '--format', 'xero']);
    expect(uk.code, uk.stderr).toBe(0);
    expect(taxRates(uk.stdout)).toEqual(new Set(['No VAT']));

    document.deleteIn(['destinations', 'xero', 'region']);
    writeFileSync(configPath, document.toString());
    const unset = await workspace.run(['export', '--format', 'xero']);
    expect(taxRates(unset.stdout)).toEqual(new Set(['Tax Exempt']));
    expect(unset.stderr).toContain('destinations.xero.region is not set');
  });
});

describe('a scheduled night whose only finding is for the record', { timeout: 120_000 }, () => {
  let sandbox: RunningSandbox | undefined;
  let workspace: Workspace | undefined;
  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('exits 0 (it was 1) and is recorded as ok, not attention', async () => {
    sandbox = await startSandbox({ port: 0, script: CARRIED_PAYOUT });
    workspace = await createWorkspace(sandbox, 'traps-schedule');
    const configPath = join(workspace.dir, 'ledgerline.yaml');
    const document = parseDocument(readFileSync(configPath, 'utf8'));
    document.setIn(['schedule'], document.createNode({ cron: '30 2 * * *', timezone: 'UTC', post: [] }));
    writeFileSync(configPath, document.toString());
    expect((await workspace.run(['sync', '--as-of', '2026-03-30'])).code).toBe(0);
    await setSandboxDay(sandbox, '2026-03-31');

    const night = await workspace.run(['schedule', '--once']);
    expect(night.code, night.stderr).toBe(0);
    const runs = (
      JSON.parse((await workspace.run(['status', '--json'])).stdout) as {
        runs: { command: string; outcome: string; asOf: string }[];
      }
    ).runs;
    expect(runs.find((run) => run.command === 'schedule')).toMatchObject({ outcome: 'ok', asOf: '2026-03-31' });
    expect((await workspace.run(['reconcile', '--json'])).code).toBe(0);
  });
});

/** The *TaxRate column of a Xero manual journal CSV. */
function taxRates(csv: string): Set<string> {
  const rows = csv.trim().split('\r\n').slice(1);
  expect(rows.length).toBeGreaterThan(0);
  return new Set(rows.map((row) => row.split(',')[4]!));
}

describe('init mends what it wrote', { timeout: 60_000 }, () => {
  const tempDir = useTempDir();
  const run = (dir: string, args: readonly string[]) =>
    runLedgerline(dir, args, { PATH: process.env.PATH, HOME: process.env.HOME });

  it('a sandbox URL without a scheme is refused before anything is written (it wrote a config that failed to load), with the command meant', async () => {
    const dir = tempDir();
    const refused = await run(dir, ['init', '--sandbox-url', '127.0.0.1:19101']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'did you mean "ledgerline init --sandbox-url http://127.0.0.1:19101"? Nothing was written',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('init over a configuration that does not load says so and rewrites it, keeping a backup; init --force rewrites a good one', async () => {
    const dir = tempDir();
    expect((await run(dir, ['init', '--sandbox-url', 'http://127.0.0.1:19101'])).code).toBe(0);
    const configPath = join(dir, 'ledgerline.yaml');
    // What the old init wrote for `--sandbox-url 127.0.0.1:19101`: URLs without a scheme, which do not load.
    const broken = readFileSync(configPath, 'utf8').replaceAll('http://127.0.0.1:19101', '127.0.0.1:19101');
    writeFileSync(configPath, broken);
    expect((await run(dir, ['status'])).code).toBe(2);

    const mended = await run(dir, ['init', '--sandbox-url', 'http://127.0.0.1:19102']);
    expect(mended.code, mended.stderr).toBe(0);
    expect(mended.stderr).toContain(`${configPath} does not load`);
    expect(mended.stdout).toContain('wrote ledgerline.yaml');
    expect(mended.stdout).not.toContain('kept ledgerline.yaml');
    const backups = readdirSync(dir).filter((name) => name.startsWith('ledgerline.yaml.bak-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(dir, backups[0]!), 'utf8')).toBe(broken);
    expect(readFileSync(configPath, 'utf8')).toContain('http://127.0.0.1:19102/__admin/day');

    const again = await run(dir, ['init']);
    expect(again.stdout).toContain(
      'kept ledgerline.yaml (already exists; not overwritten; `ledgerline init --force` rewrites it, keeping a backup)',
    );
    const forced = await run(dir, ['init', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readdirSync(dir).filter((name) => name.startsWith('ledgerline.yaml.bak-'))).toHaveLength(2);
    expect(readFileSync(configPath, 'utf8')).toContain('http://127.0.0.1:8787/__admin/day');
    expect(existsSync(join(dir, 'data', 'ledger.sqlite'))).toBe(true);
  });
});
