import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDestinationFakes, startSandbox, type DestinationFakes } from '../../../sandbox/index.js';
import type { RunningSandbox } from '../../../sandbox/sandbox-server.js';
import { LEDGER_ENGINES, rawTransaction } from '../../support/ledger-engines.js';
import { queryTables } from '../../support/ledger-tables.js';
import { usePostgresServer } from '../../support/postgres-server.js';
import { FIVE_DAYS_ACROSS_MONTH_END as script } from '../../scenarios/five-days-across-month-end.js';
import { assertBuilt, copyWorkspace, createWorkspace, type Workspace } from '../../scenarios/scenario-harness.js';
import { HAND_BOOKED_ADJUSTMENT, syncedNight } from './witnessed-flow.js';

const ADJUSTMENT = 'je:adjustment:2026-04-02:1';
const postgres = LEDGER_ENGINES.includes('postgres') ? usePostgresServer() : undefined;

/**
 * Both stories begin with the same three nights on SQLite, witnessed in a file: synced once, a copy for each. The
 * sandbox carries the Xero fake the second story posts to; the first never posts.
 */
let sandbox: RunningSandbox;
let fakes: DestinationFakes;
let threeNights: Workspace;

const night = (workspace: Workspace, day: string): Promise<void> => syncedNight(sandbox, workspace, day);

beforeAll(async () => {
  if (postgres === undefined) return;
  assertBuilt();
  fakes = createDestinationFakes();
  sandbox = await startSandbox({ port: 0, script, extraMounts: [fakes.xero] });
  threeNights = await createWorkspace(sandbox, 'ledgerline-restore-pg-nights-');
  appendFileSync(join(threeNights.dir, 'ledgerline.yaml'), '\nwitness:\n  file: witness/heads.jsonl\n');
  for (const day of ['2026-03-29', '2026-03-30', '2026-03-31']) await night(threeNights, day);
}, 180_000);

afterAll(async () => {
  await sandbox?.close();
  threeNights?.remove();
});

/**
 * Issue 73 on PostgreSQL: the ledger moved there by `migrate --to` after three nights (the SQLite file it leaves
 * sealed is the backup a PostgreSQL user has), two more nights and an adjusting entry of 7.00 on PostgreSQL, then
 * `restore --from` that file: the database's ledger tables replaced by the file's in one transaction, the restore
 * witnessed, the adjusting entry listed to book again, and verify passing.
 */
describe.skipIf(postgres === undefined)(
  'restore of a PostgreSQL ledger from the SQLite file migrate --to left',
  { timeout: 180_000 },
  () => {
    let workspace: Workspace;
    let url: string;
    let backup: string;

    const syncNight = (day: string): Promise<void> => night(workspace, day);

    beforeAll(async () => {
      workspace = copyWorkspace(sandbox, threeNights, 'ledgerline-restore-pg-', undefined);
      url = await postgres!.emptyDatabase();
      const moved = await workspace.run(['migrate', '--to', url]);
      expect(moved.code, moved.stderr).toBe(0);
      backup = workspace.ledgerPath;
      const config = join(workspace.dir, 'ledgerline.yaml');
      writeFileSync(config, readFileSync(config, 'utf8').replace(/^ledger: .*$/m, `ledger: ${url}`));
      for (const day of ['2026-04-01', '2026-04-02']) await syncNight(day);
      const adjusted = await workspace.run(HAND_BOOKED_ADJUSTMENT);
      expect(adjusted.code, adjusted.stderr).toBe(0);
    });

    afterAll(() => workspace?.remove());

    it('puts the file back in the database, witnesses the restore, lists the adjusting entry; verify passes and the next night books again', async () => {
      const before = await workspace.run(['verify']);
      expect(before.code, before.stdout).toBe(0);
      const entriesBefore = Number(/chain of (\d+) entries/.exec(before.stdout)?.[1]);
      const restored = await workspace.run([
        'restore',
        '--from',
        backup,
        '--reason',
        'a bad upgrade on 04-02; the file migrate --to left is the last good copy',
      ]);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toContain(`restored the ledger from ${backup}`);
      expect(restored.stdout).toMatch(new RegExp(`  entry ${ADJUSTMENT} \\(dated 2026-04-02`));
      expect(restored.stdout).toContain(`book again: ${ADJUSTMENT} (dated 2026-04-02, "panel charge booked by hand"`);
      const records = readFileSync(join(workspace.dir, 'witness', 'heads.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { kind: string; reason?: string });
      expect(records.at(-1)).toMatchObject({ kind: 'restore', reason: expect.stringContaining('a bad upgrade') });

      const verified = await workspace.run(['verify']);
      expect(verified.code, verified.stdout).toBe(0);
      const entriesAfter = Number(/chain of (\d+) entries/.exec(verified.stdout)?.[1]);
      expect(entriesAfter).toBeLessThan(entriesBefore);
      const balances = await workspace.run(['balances', '--json']);
      expect(balances.code, balances.stderr).toBe(0);

      await syncNight('2026-04-01');
      expect((await workspace.run(['verify'])).code).toBe(0);
    });

    it('refuses a backup that is not a ledger file, naming it, and changes nothing', async () => {
      const verified = await workspace.run(['verify']);
      const notALedger = join(workspace.dir, 'ledgerline.yaml');
      const refused = await workspace.run(['restore', '--from', notALedger, '--reason', 'wrong file']);
      expect(refused.code).not.toBe(0);
      expect(refused.code).not.toBe(70);
      expect(refused.stderr).toContain(notALedger);
      expect((await workspace.run(['verify'])).stdout).toBe(verified.stdout);
    });
  },
);

/**
 * The must-show of issue 73 on PostgreSQL: three nights on SQLite, moved by `migrate --to` (the file left is the
 * backup), posted to the Xero fake, the database copied; two more nights and an adjusting entry of 7.00; then the
 * copy put back behind ledgerline's back (the configuration pointed at it, as a DBA's restore of an older dump would
 * leave the books). verify exits 1 naming the witnessed head it misses, the next sync refuses, `restore` from the
 * file makes verify pass and lists the adjusting entry to book again, and nothing is delivered twice.
 */
describe.skipIf(postgres === undefined)(
  'the books put back from an older copy on PostgreSQL, named through the witness, then restored',
  { timeout: 180_000 },
  () => {
    let workspace: Workspace;
    let config: string;

    const journalsByEntry = (): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const journal of fakes.xero.journals()) {
        const entryId = /\[(je:[^\]]+)\]$/.exec(journal.narration)?.[1] ?? journal.narration;
        counts.set(entryId, (counts.get(entryId) ?? 0) + 1);
      }
      return counts;
    };
    const ledgerAt = (url: string): void =>
      writeFileSync(config, readFileSync(config, 'utf8').replace(/^ledger: .*$/m, `ledger: ${url}`));

    const syncNight = (day: string): Promise<void> => night(workspace, day);

    beforeAll(async () => {
      workspace = copyWorkspace(sandbox, threeNights, 'ledgerline-rollback-pg-', undefined);
      config = join(workspace.dir, 'ledgerline.yaml');
      const url = await postgres!.emptyDatabase();
      expect((await workspace.run(['migrate', '--to', url])).code).toBe(0);
      ledgerAt(url);
      const posted = await workspace.run(['post', 'xero']);
      expect(posted.code, posted.stderr + posted.stdout).toBe(0);
      const copy = await postgres!.copyDatabase(url);
      // A DBA's dump keeps the ledger's identity; the test cluster's copy draws its own (postgres-server.ts): given back.
      const [identity] = await queryTables(url, (db) => db.selectFrom('ledger_identity').select(['id', 'created_at']));
      await rawTransaction(copy, [
        `UPDATE ledger_identity SET id = '${identity!.id}', created_at = '${identity!.created_at}'`,
      ]);
      for (const day of ['2026-04-01', '2026-04-02']) await syncNight(day);
      const adjusted = await workspace.run(HAND_BOOKED_ADJUSTMENT);
      expect(adjusted.code, adjusted.stderr).toBe(0);
      ledgerAt(copy);
    });

    afterAll(() => workspace?.remove());

    it('verify exits 1 naming the missing head; sync refuses; restore makes verify pass, lists the adjusting entry; nothing is delivered twice', async () => {
      const verified = await workspace.run(['verify']);
      expect(verified.code, verified.stdout).toBe(1);
      expect(verified.stdout).toMatch(
        new RegExp(
          `! ledger_older_than_witnessed: the books are older than what was witnessed on \\S+ at position \\d+ \\(entry ${ADJUSTMENT}, sha256:[0-9a-f]{64}`,
        ),
      );
      const synced = await workspace.syncDay('2026-04-02');
      expect(synced.code).toBe(1);
      expect(synced.stderr).toContain('nothing was booked: the books are older than what was witnessed');

      const before = journalsByEntry();
      const restored = await workspace.run([
        'restore',
        '--from',
        workspace.ledgerPath,
        '--reason',
        'the database was put back from an old dump; the file migrate --to left is what we trust',
      ]);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toContain(`book again: ${ADJUSTMENT} (an adjusting entry a person booked`);
      expect(restored.stdout).toMatch(/delivery of \S+ to xero as \S+: carried into the restored books/);
      expect((await workspace.run(['verify'])).code).toBe(0);

      for (const day of ['2026-04-01', '2026-04-02']) await syncNight(day);
      const posted = await workspace.run(['post', 'xero']);
      expect(posted.code, posted.stderr + posted.stdout).toBe(0);
      const after = journalsByEntry();
      expect([...after.values()].every((count) => count === 1)).toBe(true);
      for (const [entryId, count] of before) expect(after.get(entryId)).toBe(count);
      expect(after.size).toBeGreaterThan(before.size);
      expect((await workspace.run(['verify'])).code).toBe(0);
    });
  },
);
