import { cpSync, rmSync } from 'node:fs';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import { addBankWordsAccount } from '../support/bank-words-account.js';
import { builtWorld } from '../support/built-worlds.js';
import { createWorkspace, setSandboxDay, type Workspace } from './scenario-harness.js';

/**
 * The month of swapped-topups.test.ts and swapped-topups-at-destinations.test.ts: two top-ups of 50.00, on Friday
 * 04-03 (T1) and Saturday 04-04 (T2), synced on three nights before the statement comes.
 */
export const SWAPPED_TOPUPS_WORLD: WorldScript = {
  start: '2026-04-01',
  panel: {
    openingBalance: '20.00',
    orders: [],
    topUps: [
      { on: '2026-04-03', amount: '50.00' },
      { on: '2026-04-04', amount: '50.00' },
    ],
  },
  payelancer: {
    publisher: { earnings: { '2026-04-01': '0.00' } },
    advertiser: { spent: { '2026-04-01': '0.00' } },
  },
};
const NIGHTS = ['2026-04-01', '2026-04-03', '2026-04-04'];

/**
 * A workspace over `sandbox` configured by `configure`, its ledger after the three nights. On SQLite (no `ledgerUrl`)
 * the ledger is a copy of the nights synced once per run (built-worlds.ts) with the bank-words account and no
 * destination: the bank account books nothing before its statement is imported, and a destination nothing before a
 * post, so both files' configurations book the same rows (compared table by table on 2026-11-29: only run ids, times
 * and the order of sources in a run's summary differ). On PostgreSQL the nights are synced here.
 */
export async function afterTheNights(
  sandbox: RunningSandbox,
  prefix: string,
  ledgerUrl: string | undefined,
  configure: (dir: string) => void,
): Promise<Workspace> {
  const workspace = await createWorkspace(sandbox, prefix, { ledger: async () => ledgerUrl });
  configure(workspace.dir);
  if (ledgerUrl === undefined) {
    const world = await builtWorld({
      name: 'swapped-topups',
      script: SWAPPED_TOPUPS_WORLD,
      days: NIGHTS,
      configure: { key: 'bank words, no destination', apply: (dir) => addBankWordsAccount(dir) },
    });
    const failed = world.nights.find((night) => night.code !== 0 && night.code !== 1);
    if (failed !== undefined) throw new Error(`sync of ${failed.day} exited ${failed.code}: ${failed.stderr}`);
    // init's empty ledger gives way to the nights' (a journal file of its own would be read into theirs).
    for (const journal of ['-wal', '-shm']) rmSync(`${workspace.ledgerPath}${journal}`, { force: true });
    cpSync(world.ledgerAfter(NIGHTS.at(-1)!), workspace.ledgerPath);
    return workspace;
  }
  for (const night of NIGHTS) {
    await setSandboxDay(sandbox, night);
    const synced = await workspace.syncDay(night);
    if (synced.code !== 0 && synced.code !== 1)
      throw new Error(`sync of ${night} exited ${synced.code}: ${synced.stderr}`);
  }
  return workspace;
}
