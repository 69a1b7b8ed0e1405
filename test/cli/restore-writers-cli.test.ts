import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import { shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';
import { CLI, refuseBugReport, runLedgerline, runLedgerlineProcess, type CliRun } from '../support/cli.js';
import { bookEntries, runCli, SECRETS, writeConfig } from './post-cli-harness.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Issue 84: a restore puts a backup in the SQLite ledger's place, so a write that started on the old file just before
 * would land in the replaced file and be lost (exit 0). Every command that writes the books holds the ledger while its
 * books are open (configured-books' withBooksFor): it refuses to start while a restore holds the ledger (exit 75,
 * naming the restore and who runs it), and a restore refuses to start while a writer holds it (exit 75, naming the
 * command and its pid). On SQLite (a PostgreSQL restore is one transaction under its locks): through the built CLI where
 * two run at once, in process where a holder's record (of a live process, or of one gone) stands for the other.
 */

const tempDir = useTempDir('ledgerline-restore-writers-');
const CONFIG =
  'ledger: data/ledger.sqlite\ntimezone: UTC\ncurrency: USD\nsources:\n  - { id: main-bank, kind: bank-statement }\n';
const STATEMENT = 'date,amount,description\n2026-03-11,-3.10,card fee\n';
const ADJUST = ['adjust', '--date', '2026-03-10', '--debit', 'bank_fees=1.25', '--credit', 'suspense=1.25'];
const FIRST = 'je:adjustment:2026-03-10:1';

function cliIn(dir: string): (args: readonly string[]) => Promise<CliRun> {
  return (args) =>
    runLedgerlineProcess(args, { cwd: dir, env: { XDG_STATE_HOME: join(dir, 'state') }, timeoutMs: 60_000 });
}

/**
 * A folder with a ledger of one adjusting entry, and a backup of it taken then. Built in process: the runs between
 * processes after it are the subject, not the two that make the books.
 */
async function ledgerFolder(dir: string): Promise<{ ledger: string; backup: string }> {
  writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG);
  writeFileSync(join(dir, 'statement.csv'), STATEMENT);
  const build = (args: readonly string[]) =>
    runLedgerline(args, { cwd: dir, env: { XDG_STATE_HOME: join(dir, 'state') }, timeoutMs: 60_000 });
  expect((await build(['migrate'])).code).toBe(0);
  const booked = await build([...ADJUST, '--reason', 'fee']);
  expect(booked.code, booked.stderr).toBe(0);
  const ledger = join(dir, 'data', 'ledger.sqlite');
  const backup = join(dir, 'backup.sqlite');
  copyFileSync(ledger, backup);
  return { ledger, backup };
}

function entryIds(ledger: string): string[] {
  const sqlite = new Database(ledger, { readonly: true });
  try {
    return (sqlite.prepare('SELECT id FROM journal_entries ORDER BY seq').all() as { id: string }[]).map(
      (row) => row.id,
    );
  } finally {
    sqlite.close();
  }
}

/** Each table's rows as text: equal before and after = nothing written. */
function tablesText(ledger: string): string {
  const sqlite = new Database(ledger, { readonly: true });
  try {
    const tables = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[];
    return JSON.stringify(tables.map(({ name }) => [name, sqlite.prepare(`SELECT * FROM "${name}"`).all()]));
  } finally {
    sqlite.close();
  }
}

/** A restore holding the ledger as `restore` does (app/restore-lock.ts): its lock and its registration, as process `pid`. */
function holdRestore(ledger: string, backup: string, pid: number): void {
  const holders = `${ledger}.holders`;
  mkdirSync(holders, { recursive: true });
  const record = { pid, host: hostname(), startedAt: '2026-03-12T02:00:00.000Z' };
  writeFileSync(join(holders, 'restore.lock'), JSON.stringify(record));
  writeFileSync(
    join(holders, `${pid}-restore.json`),
    JSON.stringify({ ...record, command: `restore --from ${backup}` }),
  );
}

/**
 * A live process that stands for the restore holding the ledger (a sleep, not a node start), so the commands it holds
 * off can run in this process: the hold is read from the ledger's holders folder, whoever reads it.
 */
function restoreProcess(): number {
  const restore = spawn('sleep', ['600'], { stdio: 'ignore' });
  onTestFinished(() => {
    restore.kill('SIGKILL');
  });
  return restore.pid!;
}

/** Every command line that writes the books (the ids need not exist: the hold comes before anything is read). */
const WRITERS: readonly (readonly string[])[] = [
  [...ADJUST, '--reason', 'a second fee'],
  ['adjust', 'approve', FIRST],
  ['close', '--period', '2026-03'],
  ['vat', 'file', '--period', '2026-03'],
  ['transit', 'accept', 'payout:p-1'],
  ['transit', 'match', 'payout:p-1', 'bank:l-1'],
  ['transit', 'unmatch', 'payout:p-1'],
  ['reconcile', 'ack', 'item-1'],
  ['reconcile', 'unack', 'item-1'],
  ['bank', 'import', 'statement.csv', '--account', 'main-bank'],
];

describe('no write lands in a ledger a restore is replacing (SQLite, the built CLI)', { timeout: 240_000 }, () => {
  it('while a restore holds the ledger, every command that writes the books exits 75 naming it, and writes nothing', async () => {
    const dir = tempDir();
    const { ledger, backup } = await ledgerFolder(dir);
    const restore = restoreProcess();
    holdRestore(ledger, backup, restore);
    const before = tablesText(ledger);
    for (const args of WRITERS) {
      const refused = await runLedgerline(args, { cwd: dir, env: { XDG_STATE_HOME: join(dir, 'state') } });
      expect(refused.code, `${args.join(' ')}: ${refused.stdout}${refused.stderr}`).toBe(75);
      expect(refused.stderr).toContain(
        `${ledger} is being restored (restore --from ${backup}, pid ${restore} on ${hostname()}`,
      );
      expect(refused.stderr).toContain('was not started and nothing was done');
    }
    expect(tablesText(ledger)).toBe(before);
  });

  it('a restore or a writer whose process is gone holds nothing: the other takes over, and the dead registration is removed', async () => {
    const dir = tempDir();
    const { ledger, backup } = await ledgerFolder(dir);
    // A pid whose process has ended (a `true`, not a node start); the writer and the restore that read it run here.
    const gone = spawnSync('true').pid;
    holdRestore(ledger, backup, gone);
    const inProcess = (args: readonly string[]) =>
      runLedgerline(args, { cwd: dir, env: { XDG_STATE_HOME: join(dir, 'state') } });
    const booked = await inProcess([...ADJUST, '--reason', 'a second fee']);
    expect(booked.code, booked.stderr).toBe(0);
    expect(entryIds(ledger)).toHaveLength(2);
    expect(readdirSync(`${ledger}.holders`).filter((name) => name.endsWith('.json'))).toEqual([]);
    // And the other way: a writer killed while it held the ledger does not stop the restore.
    writeFileSync(
      join(`${ledger}.holders`, `${gone}-adjust.json`),
      JSON.stringify({ pid: gone, host: hostname(), command: 'adjust', startedAt: '2026-03-12T02:00:00.000Z' }),
    );
    const restored = await inProcess(['restore', '--from', backup, '--reason', 'the disk of 03-11']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(entryIds(ledger)).toEqual([FIRST]);
  });

  it('a restore while a writer holds the ledger exits 75 naming the command and its pid; the write is kept', async () => {
    const dir = tempDir();
    const { ledger, backup } = await ledgerFolder(dir);
    // The test takes the ledger's write lock, so the writer, once registered, waits in the middle of its run.
    const lock = new Database(ledger);
    lock.exec('BEGIN IMMEDIATE');
    const writer = spawn(process.execPath, [CLI, ...ADJUST, '--reason', 'a second fee'], {
      cwd: dir,
      env: { ...process.env, XDG_STATE_HOME: join(dir, 'state') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    writer.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => writer.on('exit', (code) => done(code)));
    try {
      const holders = `${ledger}.holders`;
      const registered = () =>
        existsSync(holders) &&
        readdirSync(holders).some(
          // A registration is written as `.json.tmp` and renamed: only the renamed file is one.
          (name) =>
            name.startsWith(`${writer.pid}-`) &&
            name.endsWith('.json') &&
            readFileSync(join(holders, name), 'utf8').includes('"adjust"'),
        );
      for (let waited = 0; waited < 200 && !registered(); waited += 1) await new Promise((r) => setTimeout(r, 25));
      expect(registered(), stderr).toBe(true);
      // Paused there: however long the restore takes to start, the writer's wait for the lock does not run out.
      writer.kill('SIGSTOP');
      lock.exec('ROLLBACK');
      const restored = await cliIn(dir)(['restore', '--from', backup, '--reason', 'the disk of 03-11']);
      expect(restored.code, restored.stderr).toBe(75);
      expect(restored.stderr).toContain(`the ledger ${ledger} is held by adjust (pid ${writer.pid} on ${hostname()}`);
      expect(existsSync(join(holders, 'restore.lock'))).toBe(false);
    } finally {
      writer.kill('SIGCONT');
      lock.close();
    }
    expect(await exited, stderr).toBe(0);
    refuseBugReport([...ADJUST, '--reason', 'a second fee'], { stderr });
    expect(entryIds(ledger)).toEqual([FIRST, expect.stringMatching(/^je:adjustment:2026-03-10:/)]);
    const again = await cliIn(dir)(['restore', '--from', backup, '--reason', 'the disk of 03-11']);
    expect(again.code, again.stderr).toBe(0);
    expect(entryIds(ledger)).toEqual([FIRST]);
  });

  it('a restore and an adjust started together: each exits 0 or 75, and an entry booked is in the books or listed as removed', async () => {
    const dir = tempDir();
    const { ledger, backup } = await ledgerFolder(dir);
    const run = cliIn(dir);
    const codes: (number | null)[] = [];
    for (let pair = 0; pair < 6; pair += 1) {
      const [restored, booked] = await Promise.all([
        run(['restore', '--from', backup, '--reason', `pair ${pair}`]),
        run([...ADJUST, '--reason', `pair ${pair}`]),
      ]);
      expect([0, 75], restored.stdout + restored.stderr).toContain(restored.code);
      expect([0, 75], booked.stdout + booked.stderr).toContain(booked.code);
      codes.push(restored.code, booked.code);
      if (booked.code !== 0) continue;
      const id = /booked adjusting entry (\S+)/.exec(booked.stdout)?.[1];
      expect(id, booked.stdout).toBeDefined();
      // Never lost unsaid: booked after the restore (in the books), or before it (its listing names it removed).
      const kept = entryIds(ledger).includes(id!);
      const listed = restored.code === 0 && restored.stdout.includes(`  entry ${id} (`);
      expect(kept || listed, `${id}: ${restored.stdout}`).toBe(true);
    }
    expect(codes).toContain(0);
  });
});

describe(
  'post refuses while a restore holds the ledger (SQLite, in process, the QuickBooks fake)',
  { timeout: 120_000 },
  () => {
    let quickbooks: RunningQuickBooksFake;
    beforeAll(async () => {
      quickbooks = await startQuickBooksFake({
        clientId: SECRETS.QBO_CLIENT_ID,
        clientSecret: SECRETS.QBO_CLIENT_SECRET,
        refreshToken: SECRETS.QBO_REFRESH_TOKEN,
        refreshTokenGraceMs: 0,
        accounts: shippedChartsForFakes().quickbooks,
      });
    });
    afterAll(async () => {
      await quickbooks?.close();
    });

    it('exits 75 naming the restore, delivers nothing and records nothing', async () => {
      const dir = tempDir();
      const config = writeConfig(dir, { quickbooks });
      await bookEntries(dir, [spendEntry(1, '2024-02-01')]);
      const ledger = join(dir, 'data', 'ledger.sqlite');
      const backup = join(dir, 'backup.sqlite');
      copyFileSync(ledger, backup);
      const restore = restoreProcess();
      holdRestore(ledger, backup, restore);
      const before = tablesText(ledger);
      const writes = () => quickbooks.fake.requestLog().filter((request) => request.method !== 'GET').length;
      const sent = writes();
      const posted = await runCli(['post', 'quickbooks', '--config', config], { cwd: dir });
      expect(posted.code, posted.stderr).toBe(75);
      expect(posted.stderr).toContain(`${ledger} is being restored (restore --from ${backup}, pid ${restore}`);
      expect(writes()).toBe(sent);
      expect(tablesText(ledger)).toBe(before);
    });
  },
);
