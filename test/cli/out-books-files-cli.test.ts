import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runLedgerline, type CliRun } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Issue 84 item 2: no `--out` writes over what the books depend on. `export --out` and `report --out` refused the
 * ledger and the configuration, but wrote over the witness file (verify then said "witness not read" and exited 0),
 * the live ledger's -wal, a close certificate, the token store and mappings/default.yaml. Each is refused now,
 * exit 2 naming what the path is, the file unchanged, however the path is spelt (`..`, a link). The CLI in process
 * (runLedgerline): what a path reaches is the subject, not the process; its 31 runs were 31 node starts.
 */
const tempDir = useTempDir('ledgerline-out-books-files-');
const REPO = resolve(import.meta.dirname, '../..');
const ENV = { PANEL_KEY: 'panel-key-value-1234' };

const CONFIG = [
  'ledger: data/ledger.sqlite',
  'timezone: UTC',
  'currency: USD',
  'mappings: mappings/default.yaml',
  'sources:',
  '  - id: smm-panel',
  '    kind: panel',
  '    url: http://127.0.0.1:9/api/v2',
  '    apiKey: ${PANEL_KEY}',
  'witness:',
  '  file: witness/heads.jsonl',
  '',
].join('\n');

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('--out never writes over what the books depend on', { timeout: 120_000 }, () => {
  let dir: string;
  const run = (args: readonly string[]): Promise<CliRun> =>
    runLedgerline(args, { cwd: dir, env: { ...ENV, XDG_STATE_HOME: join(dir, 'state') }, timeoutMs: 60_000 });

  /** Each protected file, relative to the folder, with what the refusal calls it. */
  const PROTECTED: [string, string][] = [
    ['data/ledger.sqlite', "this configuration's ledger"],
    ['data/ledger.sqlite-wal', "the ledger's -wal file"],
    ['data/ledger.sqlite-shm', "the ledger's -shm file"],
    ['data/ledger.sqlite-journal', "the ledger's -journal file"],
    ['ledgerline.yaml', 'this configuration'],
    ['mappings/default.yaml', 'the chart (mappings)'],
    ['mappings/xero.yaml', "Xero's mapping"],
    ['data/.ledgerline-tokens.json', 'the token store'],
    ['witness/heads.jsonl', 'the witness file'],
    ['data/certificates/2026-03.json', 'in the close certificates folder'],
    ['data/smm-panel.proxy-spool.jsonl', "the panel proxy's spool of smm-panel"],
  ];

  beforeAll(async () => {
    dir = tempDir();
    for (const folder of ['data/certificates', 'mappings', 'witness', 'out'])
      mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG);
    for (const file of ['default.yaml', 'xero.yaml'])
      copyFileSync(join(REPO, 'mappings', file), join(dir, 'mappings', file));
    const migrated = await run(['migrate']);
    expect(migrated.code, migrated.stderr).toBe(0);
    // The ledger's journal files are left absent (a planted one would be read by SQLite): their paths are refused all the same.
    for (const [file] of PROTECTED)
      if (!existsSync(join(dir, file)) && !/-(wal|shm|journal)$/.test(file))
        writeFileSync(join(dir, file), `{"kept":"${file}"}\n`);
    symlinkSync(join(dir, 'witness', 'heads.jsonl'), join(dir, 'out', 'link-to-witness.jsonl'));
  });

  /** What is at `file` now: its SHA-256, or that nothing is there. */
  const contentOf = (file: string): string => (existsSync(join(dir, file)) ? sha256(join(dir, file)) : 'absent');

  /** `command --out path` refused (exit 2) naming `what`; the file the path reaches unchanged (or still absent). */
  async function refused(command: string[], path: string, file: string, what: string): Promise<void> {
    const before = contentOf(file);
    const ran = await run([...command, '--out', path]);
    expect(ran.code, ran.stdout + ran.stderr).toBe(2);
    expect(ran.stderr).toContain(`--out ${resolve(dir, path)} is ${what}`);
    expect(contentOf(file)).toBe(before);
  }

  it.each(PROTECTED)('export --out %s is refused as %s, the file unchanged', async (file, what) => {
    await refused(['export', '--format', 'generic', '--from', '2026-03-01', '--to', '2026-03-31'], file, file, what);
  });

  it.each(PROTECTED)('report --out %s is refused as %s, the file unchanged', async (file, what) => {
    await refused(['report', '--from', '2026-03-01', '--to', '2026-03-31'], file, file, what);
  });

  it('however the path is spelt: through .., and through a link', async () => {
    await refused(
      ['export', '--format', 'generic'],
      'out/../witness/heads.jsonl',
      'witness/heads.jsonl',
      'the witness file',
    );
    await refused(['report'], 'out/link-to-witness.jsonl', 'witness/heads.jsonl', 'the witness file');
    await refused(
      ['export', '--format', 'generic'],
      'out/../data/certificates/2026-04.json',
      'data/certificates/2026-04.json',
      'in the close certificates folder',
    );
  });

  it('evidence --out … --force is refused at the witness file and a certificate, the files unchanged', async () => {
    const adjusted = await run([
      'adjust',
      '--date',
      '2026-03-10',
      '--debit',
      'bank_fees=1.25',
      '--credit',
      'suspense=1.25',
      '--reason',
      'fee',
    ]);
    expect(adjusted.code, adjusted.stderr).toBe(0);
    const evidence = ['evidence', 'je:adjustment:2026-03-10:1', '--force'];
    await refused(evidence, 'witness/heads.jsonl', 'witness/heads.jsonl', 'the witness file');
    await refused(
      evidence,
      'data/certificates/2026-03.json',
      'data/certificates/2026-03.json',
      'in the close certificates folder',
    );
  });

  it('a file of its own is still written', async () => {
    const ran = await run([
      'export',
      '--format',
      'generic',
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-31',
      '--out',
      'out/march.csv',
    ]);
    expect(ran.code, ran.stderr).toBe(0);
    const report = await run(['report', '--from', '2026-03-01', '--to', '2026-03-31', '--out', 'out/march.html']);
    expect(report.code, report.stderr).toBe(0);
  });
});
