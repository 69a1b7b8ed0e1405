import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { isPostgresUrl } from '../config/index.js';
import { LedgerFileError, RunInProgressError } from '../errors.js';
import { processLiveness } from '../runtime/process-liveness.js';
import { holdLedger, LEDGER_RESTORE_HOLDER, ledgerHolders } from './ledger-holders.js';

const lockSchema = z.object({
  pid: z.number().int(),
  pidStarted: z.string().optional(),
  host: z.string(),
  startedAt: z.string(),
});

/** A restore's hold on the SQLite ledger, let go when the restore ends. */
export interface RestoreHold {
  release(): void;
}

/**
 * One restore of a SQLite ledger at a time, and none under a run that holds the file open (issue 84): two restores
 * at once copied the backup over each other's staging file and removed each other's journal files, so the one that
 * lost said the disk failed (exit 3). The lock is `<ledger>.holders/restore.lock`, made with link(2), so of two
 * restores exactly one makes it; the other, and any restore while a sync, serve, worker or a command writing the
 * books holds the ledger, is refused as a lost race (exit 75) naming the holder, before anything is read or written. A lock whose process is
 * gone (killed) is taken over. A PostgreSQL ledger's restore is one transaction under the database's own locks.
 */
export function holdRestore(context: { now(): Date }, ledger: string, from: string): RestoreHold {
  if (isPostgresUrl(ledger)) return { release: () => undefined };
  const folder = `${ledger}.holders`;
  const lock = join(folder, 'restore.lock');
  try {
    mkdirSync(folder, { recursive: true });
    takeLock(lock, context.now());
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof RunInProgressError || code === undefined) throw error;
    throw new LedgerFileError(
      `cannot write ${folder} (${code}): a restore replaces the ledger, so it needs the ledger's folder writable; nothing was changed`,
    );
  }
  let registered: ReturnType<typeof holdLedger> | undefined;
  try {
    registered = holdLedger(context, ledger, `${LEDGER_RESTORE_HOLDER} ${from}`);
    const others = ledgerHolders(ledger).filter((holder) => holder.file !== registered?.file);
    if (others.length > 0) {
      const holder = others[0]!;
      throw new RunInProgressError(
        `the ledger ${ledger} is held by ${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}): ` +
          'a restore replaces the file from under it, so nothing was done; stop it and run the restore again',
      );
    }
  } catch (error) {
    registered?.release();
    rmSync(lock, { force: true });
    throw error;
  }
  return {
    release: () => {
      registered?.release();
      rmSync(lock, { force: true });
    },
  };
}

/**
 * Makes the lock file whole (written under a name of its own, then linked to the lock's: link fails if the lock is
 * there, so a reader never sees half a lock), or refuses naming the restore that holds it; a dead holder's lock is
 * removed and made again once.
 */
function takeLock(lock: string, now: Date): void {
  const record = {
    pid: process.pid,
    pidStarted: processLiveness.startTicks(process.pid),
    host: hostname(),
    startedAt: now.toISOString(),
  };
  const mine = `${lock}.${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(mine, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        linkSync(mine, lock);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readLock(lock);
      if (holder === 'gone') continue;
      if (
        holder !== 'unreadable' &&
        (holder.host !== hostname() || processLiveness.isAlive(holder.pid, holder.pidStarted))
      )
        throw new RunInProgressError(
          `another restore (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}) holds the ledger ` +
            `(${lock}): this one did nothing; run it again when that one has finished`,
        );
      rmSync(lock, { force: true });
    }
    throw new RunInProgressError(`another restore holds the ledger (${lock}): this one did nothing; run it again`);
  } finally {
    rmSync(mine, { force: true });
  }
}

function readLock(lock: string): z.infer<typeof lockSchema> | 'unreadable' | 'gone' {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8');
  } catch {
    return 'gone';
  }
  try {
    const read = lockSchema.safeParse(JSON.parse(text));
    return read.success ? read.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}
