import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageMappingsDir } from '../../src/config/index.js';
import { credit, debit } from '../../src/rules/index.js';
import { fileSystemError } from '../../src/cli/output-file.js';
import { EXIT, LedgerStorageError } from '../../src/errors.js';
import { BANK_STATEMENT_CONFIG } from '../support/bank-statement-workspace.js';
import { runLedgerline, type CliRun } from '../support/cli.js';
import { readBooks } from '../support/ledger-engines.js';
import { openBooks } from '../support/books.js';

const ENTRY = 'je:smm-panel:2026-03-02';

/** Exit 2 with one line naming `named`: never a bug report (exit 70), which runLedgerline refuses outright. */
function refusedNaming(run: CliRun, named: string): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toContain(named);
}

describe('odd paths are refused naming the path, never exit 70', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledgerline-odd-paths-'));
    mkdirSync(join(dir, 'mappings'));
    copyFileSync(join(packageMappingsDir(), 'default.yaml'), join(dir, 'mappings', 'default.yaml'));
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      `ledger: ./ledger.sqlite\ntimezone: UTC\ncurrency: USD\nmappings: ./mappings/default.yaml\n`,
    );
    const ledgerBooks = await openBooks(join(dir, 'ledger.sqlite'));
    await ledgerBooks.ledger.appendEntry(
      {
        id: ENTRY,
        date: '2026-03-02',
        sourceId: 'smm-panel',
        description: 'Panel charges',
        eventIds: [],
        lines: [debit('smm_services_expense', 'USD', 1_000_000n), credit('panel_prepaid', 'USD', 1_000_000n)],
      },
      { now: new Date('2026-03-03T00:00:00Z') },
    );
    await ledgerBooks.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const evidence = (out: string, ...more: string[]) =>
    runLedgerline(['evidence', ENTRY, '--out', out, ...more], { cwd: dir });

  it('evidence --out: a folder, a missing folder, "-" and an existing file are refused; --force replaces a file', async () => {
    mkdirSync(join(dir, 'a-folder'));
    refusedNaming(await evidence('a-folder'), 'a-folder is a folder: name a file in it');
    refusedNaming(await evidence('no-such/e.zip'), 'the folder');
    refusedNaming(await evidence('-'), '--out - : evidence is a zip file, not text for stdout');
    expect(existsSync(join(dir, '-'))).toBe(false);

    expect((await evidence('e.zip')).code).toBe(0);
    writeFileSync(join(dir, 'e.zip'), 'mine');
    refusedNaming(await evidence('e.zip'), 'e.zip exists: add --force to replace it');
    expect(readFileSync(join(dir, 'e.zip'), 'utf8')).toBe('mine');
    expect((await evidence('e.zip', '--force')).code).toBe(0);
    expect(readFileSync(join(dir, 'e.zip')).subarray(0, 2).toString()).toBe('PK');
  });

  it('evidence --out never writes through a symbolic link, with --force or without', async () => {
    writeFileSync(join(dir, 'target.txt'), 'precious');
    symlinkSync(join(dir, 'target.txt'), join(dir, 'link.zip'));
    refusedNaming(await evidence('link.zip'), 'link.zip is a symbolic link: ledgerline never writes through one');
    refusedNaming(await evidence('link.zip', '--force'), 'link.zip is a symbolic link');
    expect(readFileSync(join(dir, 'target.txt'), 'utf8')).toBe('precious');
  });

  it('a full disk is exit 3 naming the path (the errno a full disk gives, mapped)', () => {
    const mapped = fileSystemError(
      Object.assign(new Error('no space'), { code: 'ENOSPC' }),
      '--out',
      '/mnt/full/e.zip',
    );
    expect(mapped).toBeInstanceOf(LedgerStorageError);
    expect((mapped as LedgerStorageError).exitCode).toBe(EXIT.external);
    expect((mapped as Error).message).toBe(
      '--out /mnt/full/e.zip: the disk refused the write (ENOSPC: full, over quota or failing); nothing was kept, free some space and run it again',
    );
  });

  it('bank import of a folder or a FIFO is refused naming it, and reads nothing', async () => {
    const bank = mkdtempSync(join(tmpdir(), 'ledgerline-odd-bank-'));
    try {
      writeFileSync(join(bank, 'ledgerline.yaml'), BANK_STATEMENT_CONFIG);
      mkdirSync(join(bank, 'statements'));
      execFileSync('mkfifo', [join(bank, 'statement.fifo')]);
      refusedNaming(
        await runLedgerline(['bank', 'import', 'statements', '--account', 'operating'], { cwd: bank }),
        'bank import: statements is a folder',
      );
      refusedNaming(
        await runLedgerline(['bank', 'import', 'statement.fifo', '--account', 'operating'], { cwd: bank }),
        'bank import: statement.fifo is not a plain file',
      );
    } finally {
      rmSync(bank, { recursive: true, force: true });
    }
  });

  it("a statement's control characters are replaced where it is read: one U+FFFD each, a tab a space", async () => {
    const bank = mkdtempSync(join(tmpdir(), 'ledgerline-odd-bank-'));
    try {
      writeFileSync(join(bank, 'ledgerline.yaml'), BANK_STATEMENT_CONFIG);
      writeFileSync(
        join(bank, 'april.csv'),
        'Date,Amount,Currency,Reference,Details,Id\n2026-04-02,52.50,USD,"PAYPAL\u001b[31m 4421","CARD\t4411\u0007 \u202eSMMPANEL",L-1\u0007\n',
      );
      const run = await runLedgerline(['bank', 'import', 'april.csv', '--account', 'operating'], { cwd: bank });
      expect(run.code, run.stderr).toBe(0);
      const lines = (await readBooks(join(bank, 'data', 'ledger.sqlite'), (books) =>
        books.rows('bank_lines', 'line_id'),
      )) as { line_id: string; reference: string; description: string }[];
      expect(lines.map((line) => [line.line_id, line.reference, line.description])).toEqual([
        ['L-1\ufffd', 'PAYPAL\ufffd[31m 4421', 'CARD 4411\ufffd \ufffdSMMPANEL'],
      ]);
    } finally {
      rmSync(bank, { recursive: true, force: true });
    }
  });

  it('init --for into a folder this user cannot write is refused naming the path', async () => {
    // As root every folder is writable: /sys refuses a new folder even to root.
    const root = process.getuid?.() === 0;
    const locked = root ? '/sys' : mkdtempSync(join(tmpdir(), 'ledgerline-odd-init-'));
    if (!root) chmodSync(locked, 0o555);
    try {
      const run = await runLedgerline(
        ['init', '--for', 'xero', '--config', join(locked, 'ledgerline-books', 'ledgerline.yaml')],
        { cwd: dir },
      );
      refusedNaming(
        run,
        `init: cannot write ${join(locked, 'ledgerline-books')}: not allowed to write there (${root ? 'EPERM' : 'EACCES'})`,
      );
      expect(existsSync(join(locked, 'ledgerline-books'))).toBe(false);
    } finally {
      if (!root) {
        chmodSync(locked, 0o755);
        rmSync(locked, { recursive: true, force: true });
      }
    }
  });
});
