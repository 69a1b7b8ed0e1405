import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runLedgerline, runLedgerlineProcess, type CliRun } from '../support/cli.js';
import { LEDGER_ENGINES, rowCountsAndChainHead, useLedgerEngines } from '../support/ledger-engines.js';
import { queryTables } from '../support/ledger-tables.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Issue 84 item 1: `restore --from` puts back only what is a backup of this ledger, knowingly. The file given is
 * read and never changed (its SHA-256 the same after); an empty file, a file that is not SQLite, a SQLite file of
 * other tables and another ledger's file are refused (exit 2, saying what the file is) with the books unchanged,
 * table by table; `--dry-run` lists what a restore would remove and changes nothing. What a restore accepts, and its
 * refusals on PostgreSQL, run in process (runLedgerline); how it tells its failures apart, locks between processes
 * among them, through the built CLI.
 */

const tempDir = useTempDir('ledgerline-restore-backup-');
const engines = useLedgerEngines();
const CONFIG = 'ledger: data/ledger.sqlite\ntimezone: UTC\ncurrency: USD\nsources: []\n';
const FIRST = 'je:adjustment:2026-03-10:1';
const SECOND = 'je:adjustment:2026-03-11:2';

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Each table of the SQLite ledger with the SHA-256 of its rows in rowid order: equal before and after = books unchanged. */
function tableFingerprints(ledger: string): Record<string, string> {
  const sqlite = new Database(ledger, { readonly: true, fileMustExist: true });
  try {
    sqlite.defaultSafeIntegers(true);
    const tables = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[];
    return Object.fromEntries(
      tables.map(({ name }) => {
        const rows = sqlite.prepare(`SELECT * FROM "${name}"`).all();
        const text = JSON.stringify(rows, (_key, value: unknown) =>
          typeof value === 'bigint' ? value.toString() : value instanceof Buffer ? value.toString('hex') : value,
        );
        return [name, createHash('sha256').update(text).digest('hex')];
      }),
    );
  } finally {
    sqlite.close();
  }
}

function identityOf(ledger: string): string {
  const sqlite = new Database(ledger, { readonly: true, fileMustExist: true });
  try {
    return (sqlite.prepare('SELECT id FROM ledger_identity').get() as { id: string }).id;
  } finally {
    sqlite.close();
  }
}

/**
 * A folder with a ledger of one adjusting entry (dated 03-10); `more` books a second (03-11) after `backup` is taken.
 * Built in process: the restores after it are the subject, not the runs that make the books (three node starts each).
 */
async function ledgerFolder(dir: string, backup?: string, run = cliIn(dir, runLedgerline)): Promise<string> {
  writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG);
  expect((await run(['migrate'])).code).toBe(0);
  const first = await run([
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
  expect(first.code, first.stderr).toBe(0);
  if (backup !== undefined) copyFileSync(join(dir, 'data', 'ledger.sqlite'), backup);
  const second = await run([
    'adjust',
    '--date',
    '2026-03-11',
    '--debit',
    'bank_fees=2.00',
    '--credit',
    'suspense=2.00',
    '--reason',
    'fee two',
  ]);
  expect(second.code, second.stderr).toBe(0);
  return join(dir, 'data', 'ledger.sqlite');
}

function cliIn(dir: string, launch = runLedgerlineProcess): (args: readonly string[]) => Promise<CliRun> {
  return (args) => launch(args, { cwd: dir, env: { XDG_STATE_HOME: join(dir, 'state') }, timeoutMs: 60_000 });
}

describe(
  'restore --from puts back only a backup of this ledger, knowingly (SQLite, in process)',
  { timeout: 120_000 },
  () => {
    let dir: string;
    let ledger: string;
    let backup: string;
    let otherLedger: string;
    let run: (args: readonly string[]) => Promise<CliRun>;

    beforeAll(async () => {
      dir = tempDir();
      backup = join(dir, 'backup-2026-03-10.sqlite');
      run = cliIn(dir, runLedgerline);
      ledger = await ledgerFolder(dir, backup);
      const other = join(dir, 'other');
      mkdirSync(other);
      otherLedger = await ledgerFolder(other);
      writeFileSync(join(dir, 'empty.sqlite'), '');
      writeFileSync(join(dir, 'notes.sqlite'), 'date,amount\n2026-03-10,1.25\n');
      const foreign = new Database(join(dir, 'photos.sqlite'));
      foreign.exec(
        "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos (name) VALUES ('beach')",
      );
      foreign.close();
    });

    /** Runs `restore --from file`, expecting a refusal: exit 2, the books and the file given unchanged. */
    async function refused(file: string, ...more: string[]): Promise<CliRun> {
      const before = { books: tableFingerprints(ledger), file: sha256(file), size: statSync(file).size };
      const restored = await run(['restore', '--from', file, '--reason', 'the nightly backup', ...more]);
      expect(restored.code, restored.stdout + restored.stderr).toBe(2);
      expect(restored.stdout).toBe('');
      expect(tableFingerprints(ledger)).toEqual(before.books);
      expect({ file: sha256(file), size: statSync(file).size }).toEqual({ file: before.file, size: before.size });
      expect(existsSync(`${ledger}.restoring`)).toBe(false);
      return restored;
    }

    it('refuses an empty file (what a failed backup job leaves), saying it is empty', async () => {
      const restored = await refused(join(dir, 'empty.sqlite'));
      expect(restored.stderr).toContain(`--from ${join(dir, 'empty.sqlite')} is empty (0 bytes), not a ledger`);
      expect(restored.stderr).toContain('nothing was changed');
    });

    it('refuses a file that is not SQLite, saying so', async () => {
      const restored = await refused(join(dir, 'notes.sqlite'));
      expect(restored.stderr).toContain(`--from ${join(dir, 'notes.sqlite')} is not a SQLite database, not a ledger`);
    });

    it('refuses a SQLite file of other tables, naming them', async () => {
      const restored = await refused(join(dir, 'photos.sqlite'));
      expect(restored.stderr).toContain(
        `--from ${join(dir, 'photos.sqlite')} is a SQLite database but not a ledgerline ledger (its tables: photos)`,
      );
    });

    it("refuses another ledger's file naming both identities, and restores it only when --other-ledger names it", async () => {
      const theirs = identityOf(otherLedger);
      const ours = identityOf(ledger);
      const restored = await refused(otherLedger);
      expect(restored.stderr).toContain(`--from ${otherLedger} is another ledger's: its identity is ${theirs}`);
      expect(restored.stderr).toContain(`this ledger's is ${ours}`);
      expect(restored.stderr).toContain(`--other-ledger ${theirs}`);
      const wrongName = await refused(otherLedger, '--other-ledger', ours);
      expect(wrongName.stderr).toContain(`its identity is ${theirs}`);
    });

    it('--dry-run lists what the restore would remove and changes nothing', async () => {
      const before = { books: tableFingerprints(ledger), backup: sha256(backup) };
      const dry = await run(['restore', '--from', backup, '--reason', 'the disk of 03-11', '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain(`would restore the ledger from ${backup}: nothing was changed (--dry-run)`);
      expect(dry.stdout).toContain('would remove 1 entries, 0 deliveries, 0 acknowledgements');
      expect(dry.stdout).toContain(`  entry ${SECOND} (dated 2026-03-11, source adjustments)`);
      expect(tableFingerprints(ledger)).toEqual(before.books);
      expect(sha256(backup)).toBe(before.backup);
      expect(existsSync(`${ledger}.restoring`)).toBe(false);
    });

    it('restores the backup of this ledger, the file given unchanged', async () => {
      const before = sha256(backup);
      const restored = await run(['restore', '--from', backup, '--reason', 'the disk of 03-11']);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toContain(`restored the ledger from ${backup}`);
      expect(restored.stdout).toContain(`  entry ${SECOND} (dated 2026-03-11, source adjustments)`);
      expect(sha256(backup)).toBe(before);
      expect(tableFingerprints(ledger)).not.toHaveProperty('photos');
      const sqlite = new Database(ledger, { readonly: true });
      expect(sqlite.prepare('SELECT id FROM journal_entries ORDER BY seq').all()).toEqual([{ id: FIRST }]);
      sqlite.close();
    });

    it("restores another ledger's file when --other-ledger names its identity", async () => {
      const theirs = identityOf(otherLedger);
      const restored = await run([
        'restore',
        '--from',
        otherLedger,
        '--reason',
        'the books moved',
        '--other-ledger',
        theirs,
      ]);
      expect(restored.code, restored.stderr).toBe(0);
      expect(identityOf(ledger)).toBe(theirs);
    });
  },
);

/**
 * The built CLI where another process holds the ledger: a holder planted with this process's pid would be an
 * in-process run's own. A missing folder, and one the lock cannot be written in, are told apart in process.
 */
describe('restore tells its failures apart (the built CLI)', { timeout: 120_000 }, () => {
  it('refuses a ledger path whose folder does not exist, naming it (exit 2), and makes nothing', async () => {
    const dir = tempDir();
    const backup = join(dir, 'backup.sqlite');
    await ledgerFolder(dir, backup);
    writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG.replace('data/ledger.sqlite', 'gone/ledger.sqlite'));
    const restored = await cliIn(dir, runLedgerline)(['restore', '--from', backup, '--reason', 'the disk of 03-11']);
    expect(restored.code, restored.stderr).toBe(2);
    expect(restored.stderr).toContain(`the ledger's folder ${join(dir, 'gone')} does not exist`);
    expect(existsSync(join(dir, 'gone'))).toBe(false);
  });

  it("a ledger's folder the restore cannot write its lock in: exit 2 naming it, nothing changed", async () => {
    const dir = tempDir();
    const backup = join(dir, 'backup.sqlite');
    const ledger = await ledgerFolder(dir, backup);
    // The adjusts that made the ledger held it, and left their (empty) holders folder: a file takes its place.
    rmSync(`${ledger}.holders`, { recursive: true, force: true });
    writeFileSync(`${ledger}.holders`, 'a file where the holders folder goes');
    const before = tableFingerprints(ledger);
    const restored = await cliIn(dir, runLedgerline)(['restore', '--from', backup, '--reason', 'the disk of 03-11']);
    expect(restored.code, restored.stderr).toBe(2);
    expect(restored.stderr).toContain(`cannot write ${ledger}.holders (`);
    expect(tableFingerprints(ledger)).toEqual(before);
  });

  it('a restore while a sync holds the ledger, and a sync while a restore does: each exits 75 naming the other', async () => {
    const dir = tempDir();
    const backup = join(dir, 'backup.sqlite');
    const ledger = await ledgerFolder(dir, backup);
    const run = cliIn(dir);
    const holders = `${ledger}.holders`;
    mkdirSync(holders, { recursive: true });
    const plant = (name: string, command: string) =>
      writeFileSync(
        join(holders, `${name}.json`),
        JSON.stringify({ pid: process.pid, host: hostname(), command, startedAt: '2026-03-12T02:00:00.000Z' }),
      );
    plant('sync', 'sync');
    const before = tableFingerprints(ledger);
    const restored = await run(['restore', '--from', backup, '--reason', 'the disk of 03-11']);
    expect(restored.code, restored.stderr).toBe(75);
    expect(restored.stderr).toContain(`the ledger ${ledger} is held by sync (pid ${process.pid} on ${hostname()}`);
    expect(tableFingerprints(ledger)).toEqual(before);
    rmSync(join(holders, 'sync.json'));
    plant('restore', `restore --from ${backup}`);
    const synced = await run(['sync']);
    expect(synced.code, synced.stderr).toBe(75);
    expect(synced.stderr).toContain(`${ledger} is being restored (restore --from ${backup}, pid ${process.pid}`);
    expect(tableFingerprints(ledger)).toEqual(before);
  });

  it('two restores at once: one restores, the other exits 75 naming the run that holds the ledger, never 3 or 70', async () => {
    const dir = tempDir();
    const backup = join(dir, 'backup.sqlite');
    const ledger = await ledgerFolder(dir, backup);
    const run = cliIn(dir);
    const codes: (number | null)[] = [];
    for (let pair = 0; pair < 6; pair += 1) {
      const both = await Promise.all([
        run(['restore', '--from', backup, '--reason', `pair ${pair} a`]),
        run(['restore', '--from', backup, '--reason', `pair ${pair} b`]),
      ]);
      for (const one of both) {
        expect([0, 75], one.stdout + one.stderr).toContain(one.code);
        if (one.code === 75) expect(one.stderr).toMatch(/another restore \(pid \d+/);
      }
      expect(both.some((one) => one.code === 0)).toBe(true);
      codes.push(...both.map((one) => one.code));
    }
    const sqlite = new Database(ledger, { readonly: true });
    expect(sqlite.prepare('SELECT id FROM journal_entries ORDER BY seq').all()).toEqual([{ id: FIRST }]);
    sqlite.close();
    rmSync(backup);
    expect(codes).toContain(75);
  });
});

/**
 * The same refusals on a PostgreSQL ledger, whose backup is the SQLite file `migrate --to` left: an empty file, one
 * that is not SQLite, a SQLite file of other tables and another ledger's file refused (exit 2), the database's rows,
 * chain head and identity unchanged; `--dry-run` lists what the file lacks; the file is never changed. In process, as
 * the SQLite refusals are: the engine is the subject here, not the process (six node starts, before).
 */
describe.skipIf(!LEDGER_ENGINES.includes('postgres'))(
  'restore --from on a PostgreSQL ledger: only a backup of this ledger (in process)',
  { timeout: 180_000 },
  () => {
    let dir: string;
    let url: string;
    let sealedFile: string;
    let otherLedger: string;
    let run: (args: readonly string[]) => Promise<CliRun>;
    const identityIn = async (ledger: string) =>
      (await queryTables(ledger, (db) => db.selectFrom('ledger_identity').select('id')))[0]!.id;

    beforeAll(async () => {
      dir = tempDir();
      sealedFile = await ledgerFolder(dir);
      run = cliIn(dir, runLedgerline);
      url = (await engines.fresh('postgres'))!;
      const moved = await run(['migrate', '--to', url]);
      expect(moved.code, moved.stderr).toBe(0);
      writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG.replace('data/ledger.sqlite', url));
      const third = await run([
        'adjust',
        '--date',
        '2026-03-12',
        '--debit',
        'bank_fees=3.00',
        '--credit',
        'suspense=3.00',
        '--reason',
        'fee three',
      ]);
      expect(third.code, third.stderr).toBe(0);
      const other = join(dir, 'other');
      mkdirSync(other);
      otherLedger = await ledgerFolder(other);
      writeFileSync(join(dir, 'empty.sqlite'), '');
      writeFileSync(join(dir, 'notes.sqlite'), 'date,amount\n2026-03-10,1.25\n');
      const foreign = new Database(join(dir, 'photos.sqlite'));
      foreign.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)');
      foreign.close();
    });

    it.each([
      ['empty.sqlite', 'is empty (0 bytes), not a ledger'],
      ['notes.sqlite', 'is not a SQLite database, not a ledger'],
      ['photos.sqlite', 'is a SQLite database but not a ledgerline ledger (its tables: photos)'],
      ['other/data/ledger.sqlite', "is another ledger's: its identity is"],
    ])('refuses %s (%s), the database unchanged', async (file, said) => {
      const path = join(dir, file);
      const before = { books: await rowCountsAndChainHead(url), identity: await identityIn(url), file: sha256(path) };
      const restored = await run(['restore', '--from', path, '--reason', 'the nightly backup']);
      expect(restored.code, restored.stdout + restored.stderr).toBe(2);
      expect(restored.stderr).toContain(`--from ${path} ${said}`);
      expect({ books: await rowCountsAndChainHead(url), identity: await identityIn(url), file: sha256(path) }).toEqual(
        before,
      );
    });

    it('--dry-run lists what the file lacks, and the restore puts it back; the file unchanged throughout', async () => {
      const before = { books: await rowCountsAndChainHead(url), file: sha256(sealedFile) };
      const dry = await run(['restore', '--from', sealedFile, '--reason', 'a bad upgrade', '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('would remove 1 entries, 0 deliveries, 0 acknowledgements');
      expect(dry.stdout).toContain('  entry je:adjustment:2026-03-12:3 (dated 2026-03-12, source adjustments)');
      expect({ books: await rowCountsAndChainHead(url), file: sha256(sealedFile) }).toEqual(before);
      const restored = await run(['restore', '--from', sealedFile, '--reason', 'a bad upgrade']);
      expect(restored.code, restored.stderr).toBe(0);
      expect(sha256(sealedFile)).toBe(before.file);
      const entries = await queryTables(url, (db) => db.selectFrom('journal_entries').select('id').orderBy('seq'));
      expect(entries.map((entry) => entry.id)).toEqual([FIRST, SECOND]);
      expect(await identityIn(url)).toBe(identityOf(sealedFile));
      expect(identityOf(otherLedger)).not.toBe(identityOf(sealedFile));
    });
  },
);
