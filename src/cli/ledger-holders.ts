import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { isPostgresUrl } from '../config/index.js';
import { processIsAlive } from '../store/index.js';
import type { CommandProcess } from './command.js';
import { waitForStop } from './wait-for-stop.js';

/**
 * A long-running command that keeps a SQLite ledger open (panel-proxy, webhooks, serve, worker) registers
 * itself in `<ledger>.holders/` while it runs, so `migrate --to` can refuse to move the file from under it
 * and name it. A holder that crashed leaves its file behind: its pid, no longer alive on this host, shows it
 * stale, and the file is removed when next read.
 */
const holderSchema = z.object({ pid: z.number().int(), host: z.string(), command: z.string(), startedAt: z.string() });
export type LedgerHolder = z.infer<typeof holderSchema> & { file: string };

export function holdersFolder(ledger: string): string {
  return `${ledger}.holders`;
}

/** Parks a long-running command until it is asked to stop, registered as a holder of the ledger meanwhile. */
export async function holdLedgerUntilStop(context: CommandProcess, ledger: string, command: string): Promise<void> {
  if (isPostgresUrl(ledger)) return waitForStop(context.stopSignal);
  const folder = holdersFolder(ledger);
  const file = join(folder, `${process.pid}-${randomBytes(4).toString('hex')}.json`);
  mkdirSync(folder, { recursive: true });
  // Written whole under another name, then renamed: a reader never sees half a holder (and drops it as torn).
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ pid: process.pid, host: hostname(), command, startedAt: context.now().toISOString() })}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  try {
    await waitForStop(context.stopSignal);
  } finally {
    rmSync(file, { force: true });
  }
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
    if (holder !== undefined && (holder.host !== hostname() || processIsAlive(holder.pid))) return [{ ...holder, file }];
    rmSync(file, { force: true });
    return [];
  });
}

/** Whether a panel proxy for this source may be running on the ledger: one holds the SQLite file, or, on PostgreSQL (where none registers), it cannot be told. */
export function panelProxyMayRun(ledger: string, sourceId: string): boolean {
  if (isPostgresUrl(ledger)) return true;
  return ledgerHolders(ledger).some((holder) => holder.command.startsWith(`${panelProxyHolder(sourceId)} `));
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
