import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLedgerline, runLedgerlineProcess } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const SECRET_KEY = 'pk_live_7f3a9c2e5d1b8f4a6c0e';

describe('the ledgerline binary', () => {
  it('prints help and its version, exit 0', async () => {
    const cwd = tempDir();
    const help = await runLedgerline(['--help'], { cwd });
    expect(help.code).toBe(0);
    for (const command of ['init', 'migrate', 'sync', 'export', 'reconcile', 'status', 'webhooks', 'sandbox', 'demo']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    const version = await runLedgerline(['--version'], { cwd });
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version,
    );
  });

  it('answers -v only where it is the flag: adjust --reason -v is refused as a reason written wrong, never the version', async () => {
    const cwd = tempDir();
    const version = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version;
    const runs = await Promise.all(
      [
        ['-v'],
        ['status', '--version'],
        ['status', '--json', '-v'],
        ['adjust', '--date', '2026-03-31', '--reason', '-v'],
      ].map((args) => runLedgerlineProcess(args, { cwd })),
    );
    expect(runs.slice(0, 3).map((run) => [run.code, run.stdout])).toEqual(
      [0, 0, 0].map((code) => [code, `${version}\n`]),
    );
    const [, , , reason] = runs;
    expect([reason!.code, reason!.stdout]).toEqual([2, '']);
    expect(reason!.stderr).toBe(
      'error: adjust: --reason needs a value (TEXT); a value beginning with "-" is written --reason=VALUE (see "ledgerline help adjust")\n',
    );
  });

  it('answers -h only where it is the flag: adjust --reason -h is refused as a reason written wrong, never the help', async () => {
    const cwd = tempDir();
    const [help, reason] = await Promise.all(
      [
        ['adjust', '-h'],
        ['adjust', '--date', '2026-03-31', '--reason', '-h'],
      ].map((args) => runLedgerline(args, { cwd })),
    );
    expect([help!.code, help!.stdout]).toEqual([0, expect.stringContaining('ledgerline adjust')]);
    expect([reason!.code, reason!.stdout]).toEqual([2, '']);
    expect(reason!.stderr).toContain(
      '--reason needs a value (TEXT); a value beginning with "-" is written --reason=VALUE',
    );
  });

  it('init writes the example config and mappings, creates the ledger, and never overwrites', async () => {
    const cwd = tempDir();
    const first = await runLedgerline(['init'], { cwd });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('wrote ledgerline.yaml');
    for (const file of [
      'ledgerline.yaml',
      'mappings/default.yaml',
      'mappings/xero.yaml',
      'mappings/quickbooks.yaml',
      'data/ledger.sqlite',
    ]) {
      expect(existsSync(join(cwd, file)), file).toBe(true);
    }
    writeFileSync(join(cwd, 'ledgerline.yaml'), readFileSync(join(cwd, 'ledgerline.yaml'), 'utf8') + '# my edit\n');
    const second = await runLedgerline(['init'], { cwd });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(
      'kept ledgerline.yaml (already exists; not overwritten; `ledgerline init --force` rewrites it, keeping a backup)',
    );
    expect(readFileSync(join(cwd, 'ledgerline.yaml'), 'utf8')).toContain('# my edit');
  });

  it('migrate and status work on a fresh ledger; status --json is data', async () => {
    const cwd = tempDir();
    await runLedgerline(['init'], { cwd });
    const migrate = await runLedgerline(['migrate'], { cwd });
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toContain('is up to date');
    const status = await runLedgerline(['status', '--json'], { cwd });
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report).toMatchObject({ entries: 0, runs: [], quarantined: 0, discrepancies: [] });
    expect(report.unposted).toEqual([
      { destination: 'xero', entries: 0, refused: 0 },
      { destination: 'quickbooks', entries: 0, refused: 0 },
    ]);
  });

  it('a migrated ledger file is created where the config says, relative to the config file', async () => {
    const cwd = tempDir();
    const config = join(cwd, 'conf', 'ledgerline.yaml');
    const init = await runLedgerline(['init', '--config', config], { cwd });
    expect(init.code).toBe(0);
    expect(statSync(join(cwd, 'conf', 'data', 'ledger.sqlite')).isFile()).toBe(true);
  });

  it('a bad configuration exits 2 naming the file and key, before anything is contacted', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'ledgerline.yaml'),
      'ledger: ./l.sqlite\ntimezone: Mars/Olympus\ncurrency: usd\nsources: []\n',
    );
    const run = await runLedgerline(['status'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ledgerline.yaml');
    expect(run.stderr).toMatch(/timezone/);
    expect(run.stderr).toMatch(/currency/);
    expect(run.stdout).toBe('');
  });

  it('a missing variable names the variable; the secret of a set one never shows', async () => {
    const cwd = tempDir();
    await runLedgerline(['init'], { cwd });
    const missing = await runLedgerline(['sync', '--as-of', '2026-03-02'], {
      cwd,
      env: { PAYELANCER_KEY: SECRET_KEY },
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('PANEL_KEY');
    for (const output of [missing.stdout, missing.stderr]) expect(output).not.toContain(SECRET_KEY);
    const json = await runLedgerline(['status', '--json'], {
      cwd,
      env: { PAYELANCER_KEY: SECRET_KEY, PANEL_KEY: SECRET_KEY },
    });
    expect(json.code).toBe(0);
    expect(json.stdout + json.stderr).not.toContain(SECRET_KEY);
  });

  it('an unknown command or flag is a usage error, exit 2', async () => {
    const cwd = tempDir();
    expect((await runLedgerline(['frobnicate'], { cwd })).code).toBe(2);
    const badFlag = await runLedgerline(['status', '--colour'], { cwd });
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('--colour');
    const badDate = await runLedgerline(['init'], { cwd }).then(() =>
      runLedgerline(['reconcile', '--as-of', '2026-02-30'], { cwd }),
    );
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--as-of must be a calendar date');
  });
});
