import { appendFileSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDestinationFakes, startSandbox, type DestinationFakes } from '../../../sandbox/index.js';
import type { RunningSandbox } from '../../../sandbox/sandbox-server.js';
import { openSqliteFile } from '../../support/sqlite-file.js';
import { FIVE_DAYS_ACROSS_MONTH_END as script } from '../../scenarios/five-days-across-month-end.js';
import { assertBuilt, createWorkspace, type Workspace } from '../../scenarios/scenario-harness.js';
import { syncedNight } from './witnessed-flow.js';

/** Copies the SQLite ledger (closed by the CLI, so whole in its main file) to `to`. */
function copyLedger(from: string, to: string): void {
  for (const suffix of ['-wal', '-shm']) rmSync(`${to}${suffix}`, { force: true });
  copyFileSync(from, to);
}

/**
 * Issue 73, the carry: the ledger copied after the nights of 03-29 and 03-30, then posted to the Xero fake
 * (those nights' entries delivered after the copy was taken), the night of 03-31 synced and posted, and the copy put
 * back with `restore`. The copy holds the entries of 03-29 and 03-30 but not their deliveries: the restore carries
 * them in, so the next post sends nothing; the night of 03-31 booked again finds its journals where the restore
 * listed them (the post had stopped, taking them for another copy's) and records them posted, sending nothing.
 */
describe('restore carries the deliveries posted after the backup: nothing is sent twice', { timeout: 120_000 }, () => {
  let sandbox: RunningSandbox;
  let fakes: DestinationFakes;
  let workspace: Workspace;
  let backup: string;
  /** The deliveries before the restore: what the restored books must show again. */
  let postedBefore: Map<string, string>;

  /** How many journals the fake holds for each ledger entry, by the entry id closing each narration. */
  const journalsByEntry = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const journal of fakes.xero.journals()) {
      const entryId = /\[(je:[^\]]+)\]$/.exec(journal.narration)?.[1] ?? journal.narration;
      counts.set(entryId, (counts.get(entryId) ?? 0) + 1);
    }
    return counts;
  };

  /** The ledger's Xero deliveries in place, entry id → state and journal id. */
  const deliveries = (): Map<string, string> => {
    const sqlite = openSqliteFile(workspace.ledgerPath);
    try {
      const rows = sqlite
        .prepare("SELECT entry_id, state, remote_id FROM deliveries WHERE destination = 'xero'")
        .all() as { entry_id: string; state: string; remote_id: string | null }[];
      return new Map(rows.map((row) => [row.entry_id, `${row.state} ${row.remote_id ?? ''}`]));
    } finally {
      sqlite.close();
    }
  };

  const night = (day: string): Promise<void> => syncedNight(sandbox, workspace, day);

  async function post(): Promise<void> {
    const posted = await workspace.run(['post', 'xero']);
    expect(posted.code, posted.stderr + posted.stdout).toBe(0);
  }

  beforeAll(async () => {
    assertBuilt();
    fakes = createDestinationFakes();
    sandbox = await startSandbox({ port: 0, script, extraMounts: [fakes.xero] });
    workspace = await createWorkspace(sandbox, 'ledgerline-restore-carry-');
    appendFileSync(join(workspace.dir, 'ledgerline.yaml'), '\nwitness:\n  file: witness/heads.jsonl\n');
    for (const day of ['2026-03-29', '2026-03-30']) await night(day);
    backup = join(workspace.dir, 'ledger-2026-03-30.sqlite');
    copyLedger(workspace.ledgerPath, backup);
    await post();
    await night('2026-03-31');
    await post();
  });

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('carries the deliveries of the entries the copy holds, and the next post sends nothing again', async () => {
    const before = journalsByEntry();
    postedBefore = deliveries();
    expect([...before.values()].every((count) => count === 1)).toBe(true);
    const backupEntries = [...postedBefore.keys()].filter((id) => !id.includes('2026-03-31'));
    expect(backupEntries.length).toBeGreaterThan(0);

    const restored = await workspace.run([
      'restore',
      '--from',
      backup,
      '--reason',
      'the copy of 03-30 is the last good one',
    ]);
    expect(restored.code, restored.stderr).toBe(0);
    for (const id of backupEntries)
      expect(restored.stdout).toMatch(
        `delivery of ${id} to xero as ${postedBefore.get(id)!.split(' ')[1]}: carried into the restored books`,
      );
    const carried = deliveries();
    for (const id of backupEntries) expect(carried.get(id)).toBe(postedBefore.get(id));
    const verified = await workspace.run(['verify']);
    expect(verified.code, verified.stdout).toBe(0);

    await post();
    expect(journalsByEntry()).toEqual(before);
  });

  it('the night of 03-31 booked again is confirmed under the journal the restore listed, not posted a second time', async () => {
    const before = journalsByEntry();
    await night('2026-03-31');
    const posted = await workspace.run(['post', 'xero']);
    expect(journalsByEntry()).toEqual(before);
    expect(posted.code, posted.stderr + posted.stdout).toBe(0);
    const rebooked = [...postedBefore.keys()].filter((id) => id.includes('2026-03-31'));
    expect(rebooked.length).toBeGreaterThan(0);
    for (const id of rebooked) expect(deliveries().get(id)).toBe(postedBefore.get(id));
    expect((await workspace.run(['verify'])).code).toBe(0);
  });
});
