import { copyFileSync, existsSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LedgerFileError, LedgerStorageError, UsageError } from '../errors.js';
import { Books } from './books.js';

/** The backup a restore reads from: a copy of the file given, so nothing (not even a migration) ever writes that file. */
export interface StagedBackup {
  /** The copy: beside a SQLite ledger (renamed over it when restored), in a folder of its own for a PostgreSQL one. */
  readonly file: string;
  /** Removes the copy (and its journal files) when it was not put in the ledger's place. */
  remove(): void;
}

/**
 * Checks the paths a restore needs before it takes anything: `--from` a file that is not the ledger (links resolved),
 * and a SQLite ledger's folder there. A restore makes no folder: a ledger path in a missing folder is a typo in the
 * configuration, and a backup put there would be books nothing else reads.
 */
export function checkRestorePaths(ledger: { engine: 'sqlite' | 'postgres'; location: string }, from: string): void {
  if (!existsSync(from) || !statSync(from).isFile())
    throw new UsageError(`--from ${from}: no such file (the backup to put back)`);
  if (ledger.engine === 'postgres') return;
  const folder = dirname(ledger.location);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new LedgerFileError(
      `the ledger's folder ${folder} does not exist: check the "ledger" path in the configuration ` +
        "(a restore puts the backup in the ledger's place and makes no folder); nothing was changed",
    );
  if (existsSync(ledger.location) && realpathSync(from) === realpathSync(ledger.location))
    throw new UsageError(`--from ${from} is the ledger itself, not a backup of it`);
}

/** Copies the file given to where the restore reads and migrates it: the file given is only ever read. */
export function stageBackup(ledger: { engine: 'sqlite' | 'postgres'; location: string }, from: string): StagedBackup {
  if (ledger.engine === 'postgres') {
    const folder = mkdtempSync(join(tmpdir(), 'ledgerline-restore-'));
    const staged = {
      file: join(folder, 'backup.sqlite'),
      remove: () => rmSync(folder, { recursive: true, force: true }),
    };
    return copiedTo(from, staged);
  }
  const file = `${ledger.location}.restoring`;
  const remove = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
  };
  remove();
  return copiedTo(from, { file, remove });
}

/** `from` copied to the staged file, or the failure named (a full disk exit 3, anything else of the paths exit 2). */
function copiedTo(from: string, staged: StagedBackup): StagedBackup {
  try {
    copyFileSync(from, staged.file);
    return staged;
  } catch (error) {
    staged.remove();
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const said = `cannot copy --from ${from} to ${staged.file} to read it (${code}); nothing was changed`;
    throw ['ENOSPC', 'EDQUOT', 'EIO'].includes(code) ? new LedgerStorageError(said) : new LedgerFileError(said);
  }
}

/**
 * Refuses a backup that is not a ledger of these books (issue 84), saying what it is: an empty file, not SQLite, a
 * SQLite database of other tables, or another ledger's (its identity is not this one's), unless `otherLedger` names
 * that ledger's identity: then it is meant. Example: a 0-byte file a failed backup job left → `is empty (0 bytes),
 * not a ledger`; without this check it emptied the books.
 */
export function refuseWhatIsNotThisLedger(
  from: string,
  staged: string,
  ours: { id: string; createdAt: string } | undefined,
  otherLedger: string | undefined,
): void {
  const found = Books.backupFileKind(staged);
  const unchanged = 'nothing was changed';
  if (found.kind === 'empty') throw new UsageError(`--from ${from} is empty (0 bytes), not a ledger: ${unchanged}`);
  if (found.kind === 'not-sqlite')
    throw new UsageError(`--from ${from} is not a SQLite database, not a ledger: ${unchanged}`);
  if (found.kind === 'foreign') {
    const tables = found.tables.length === 0 ? 'none' : found.tables.slice(0, 5).join(', ');
    throw new UsageError(
      `--from ${from} is a SQLite database but not a ledgerline ledger (its tables: ${tables}${found.tables.length > 5 ? ', …' : ''}): ${unchanged}`,
    );
  }
  if (ours === undefined) return;
  const theirs = found.identity?.id ?? 'none';
  if (theirs === ours.id || otherLedger === theirs) return;
  const created = found.identity === undefined ? 'older than identities' : `created ${found.identity.createdAt}`;
  throw new UsageError(
    `--from ${from} is another ledger's: its identity is ${theirs} (${created}), this ledger's is ${ours.id} ` +
      `(created ${ours.createdAt}): ${unchanged}; if those books are meant to replace these, run again with --other-ledger ${theirs}`,
  );
}
