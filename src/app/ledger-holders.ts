import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { isPostgresUrl } from '../config/index.js';
import { RunInProgressError } from '../errors.js';
import { processLiveness } from '../runtime/process-liveness.js';

/**
 * A command that keeps a SQLite ledger open (panel-proxy, webhooks, serve, worker, schedule, sync), and every one that
 * writes the books while it has them open (holdLedgerToWrite), registers itself in `<ledger>.holders/` while it runs,
 * so `migrate --to` and `restore` can refuse to move or replace the file from under it and name it; they register there
 * too while they work, and each of the others refuses to start meanwhile. A holder that crashed leaves its file behind:
 * its pid, no longer alive on this host (gone, a zombie, or a later process's: `pidStarted` is when the holder's pid
 * started), shows it stale, and the file is removed when next read.
 */
const holderSchema = z.object({
  pid: z.number().int(),
  pidStarted: z.string().optional(),
  host: z.string(),
  command: z.string(),
  startedAt: z.string(),
});
type LedgerHolder = z.infer<typeof holderSchema> & { file: string };

function holdersFolder(ledger: string): string {
  return `${ledger}.holders`;
}

/** How `migrate --to` names itself among the holders while it copies, seals and carries the file. */
export const LEDGER_MOVE_HOLDER = 'migrate --to';
/** How `restore` names itself among the holders while it puts a backup in the ledger's place (app/restore-lock.ts). */
export const LEDGER_RESTORE_HOLDER = 'restore --from';

/** A process's registration among the ledger's holders: renamed once it knows more (a proxy's URL), released when it ends. */
export interface LedgerHold {
  /** The holder's file, or undefined when none could be written (an unwritable folder: the ledger then says why itself). */
  readonly file: string | undefined;
  rename(command: string): void;
  release(): void;
}

/**
 * Registers this process as a holder of the SQLite ledger (`command` names it to `migrate --to`), then looks
 * whether `migrate --to` is moving the file or `restore` replacing it: if so, the registration is withdrawn and the command refused
 * as one already running refuses it (exit 75), before it reads or writes anything. Registering before looking
 * (and `migrate --to` doing the same) means two that start together cannot both miss the other.
 */
export function holdLedger(context: { now(): Date }, ledger: string, command: string): LedgerHold {
  // A folder that is not there holds no ledger to move or replace, and nothing is made there (issue 85: `webhooks`
  // on a mistyped path made the folder before its books refused the ledger that was not there).
  if (isPostgresUrl(ledger) || !existsSync(dirname(ledger)))
    return { file: undefined, rename: () => undefined, release: () => undefined };
  const folder = holdersFolder(ledger);
  const file = join(folder, `${process.pid}-${randomBytes(4).toString('hex')}.json`);
  const startedAt = context.now().toISOString();
  const pidStarted = processLiveness.startTicks(process.pid);
  // Written whole under another name, then renamed: a reader never sees half a holder (and drops it as torn).
  const write = (name: string) => {
    writeFileSync(
      `${file}.tmp`,
      `${JSON.stringify({ pid: process.pid, pidStarted, host: hostname(), command: name, startedAt })}\n`,
      { mode: 0o600 },
    );
    renameSync(`${file}.tmp`, file);
  };
  let written: string | undefined;
  try {
    mkdirSync(folder, { recursive: true });
    write(command);
    written = file;
  } catch {
    // A folder this process cannot write to (or a full disk): opening the ledger for writing names the problem itself.
    rmSync(`${file}.tmp`, { force: true });
  }
  const hold: LedgerHold = {
    file: written,
    rename: (name) => {
      if (written !== undefined) write(name);
    },
    release: () => {
      if (written !== undefined) rmSync(file, { force: true });
    },
  };
  const others = ledgerHolders(ledger).filter((holder) => holder.file !== file);
  const restore = command.startsWith(`${LEDGER_RESTORE_HOLDER} `)
    ? undefined
    : others.find((holder) => holder.command.startsWith(`${LEDGER_RESTORE_HOLDER} `));
  if (restore !== undefined) {
    hold.release();
    throw new RunInProgressError(
      `${ledger} is being restored (${restore.command}, pid ${restore.pid} on ${restore.host}, since ${restore.startedAt}): ` +
        `${command} was not started and nothing was done; start it again once the restore has finished`,
    );
  }
  const move = others.find((holder) => holder.command.startsWith(`${LEDGER_MOVE_HOLDER} `));
  if (move === undefined) return hold;
  hold.release();
  throw new RunInProgressError(
    `${ledger} is being moved to PostgreSQL (${move.command}, pid ${move.pid} on ${move.host}, ` +
      `since ${move.startedAt}): ${command} was not started and nothing was done; ` +
      'once the move has finished, set "ledger:" to the URL it printed and start it again',
  );
}

/** Runs `work` registered as a holder of the ledger (see holdLedger): a sync or a schedule that `migrate --to` waits for and that waits for it. */
export async function whileHoldingLedger<T>(
  context: { now(): Date },
  ledger: string,
  command: string,
  work: () => Promise<T>,
): Promise<T> {
  const hold = holdLedger(context, ledger, command);
  try {
    return await work();
  } finally {
    hold.release();
  }
}

/**
 * Registers a command that writes the books for as long as they are open (configured-books' withBooksFor), so that a
 * restore does not put a backup in the ledger's place under a write (which would land in the replaced file and be lost,
 * issue 84) and the command does not start while a restore does (exit 75). A process that holds the ledger already (a
 * sync, schedule, serve, worker, `migrate --to` or the restore itself) is not registered twice.
 */
export function holdLedgerToWrite(context: { now(): Date }, ledger: string, command: string): LedgerHold {
  const none = { file: undefined, rename: () => undefined, release: () => undefined };
  // A folder that is not there holds no ledger a restore could replace (it refuses one), and nothing is made there (issue 72).
  if (isPostgresUrl(ledger) || !existsSync(dirname(ledger))) return none;
  const held = ledgerHolders(ledger).some((holder) => holder.pid === process.pid && holder.host === hostname());
  return held ? none : holdLedger(context, ledger, command);
}

/** The processes holding the ledger now; stale entries (a dead pid on this host, an unreadable file) are removed. */
export function ledgerHolders(ledger: string): LedgerHolder[] {
  const folder = holdersFolder(ledger);
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names.flatMap((name): LedgerHolder[] => {
    const file = join(folder, name);
    const holder = readHolder(file);
    if (holder !== undefined && (holder.host !== hostname() || processLiveness.isAlive(holder.pid, holder.pidStarted)))
      return [{ ...holder, file }];
    rmSync(file, { force: true });
    return [];
  });
}

/**
 * Whether a panel proxy for this source may be running on the ledger: one holds the SQLite file, or, on
 * PostgreSQL (where none registers), it cannot be told.
 */
export function panelProxyMayRun(ledger: string, sourceId: string): boolean {
  if (isPostgresUrl(ledger)) return true;
  const named = panelProxyHolder(sourceId);
  return ledgerHolders(ledger).some((holder) => holder.command === named || holder.command.startsWith(`${named} `));
}

/** How a panel proxy names itself among the ledger's holders, before " on URL". */
export function panelProxyHolder(sourceId: string): string {
  return `panel-proxy --source ${sourceId}`;
}

function readHolder(file: string): z.infer<typeof holderSchema> | undefined {
  try {
    const read = holderSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return read.success ? read.data : undefined;
  } catch {
    return undefined;
  }
}
