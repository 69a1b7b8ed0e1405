import { appendFileSync, copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/sandbox-server.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../support/ledger-engines.js';
import { tamperPostgres, tamperSqlite } from '../../support/tampering-world.js';
import { FIVE_DAYS_ACROSS_MONTH_END as script } from '../../scenarios/five-days-across-month-end.js';
import {
  createWorkspace,
  createWorkspaces,
  setSandboxDay,
  startScenarioSandbox,
  type Workspace,
} from '../../scenarios/scenario-harness.js';
import { HAND_BOOKED_ADJUSTMENT, syncedNight } from './witnessed-flow.js';

const ADJUSTMENT = 'je:adjustment:2026-04-02:1';
const engines = useLedgerEngines();

/** Copies the SQLite ledger (closed by the CLI, so whole in its main file) to `to`, or puts `from` back over it. */
function copyLedger(from: string, to: string): void {
  for (const suffix of ['-wal', '-shm']) rmSync(`${to}${suffix}`, { force: true });
  copyFileSync(from, to);
}

/**
 * Issue 73 on the sandbox flow: three nights, the ledger copied, two more nights and an adjusting entry of 7.00,
 * then the copy put back behind ledgerline's back. The witness (a file off the ledger's folder) names it.
 */
describe('the books put back from an older copy, named through the witness (SQLite)', { timeout: 180_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  let witness: string;
  let backup: string;

  const night = (day: string): Promise<void> => syncedNight(sandbox, workspace, day);

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(script);
    workspace = await createWorkspace(sandbox, 'ledgerline-witness-');
    witness = join(workspace.dir, 'witness', 'heads.jsonl');
    appendFileSync(join(workspace.dir, 'ledgerline.yaml'), '\nwitness:\n  file: witness/heads.jsonl\n');
    for (const day of ['2026-03-29', '2026-03-30', '2026-03-31']) await night(day);
    backup = join(workspace.dir, 'ledger-2026-03-31.sqlite');
    copyLedger(workspace.ledgerPath, backup);
    for (const day of ['2026-04-01', '2026-04-02']) await night(day);
    const adjusted = await workspace.run(HAND_BOOKED_ADJUSTMENT);
    expect(adjusted.code, adjusted.stderr).toBe(0);
    copyLedger(backup, workspace.ledgerPath);
  });

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('verify exits 1 naming the witnessed head the copy lacks; the next sync refuses before booking', async () => {
    const verified = await workspace.run(['verify']);
    expect(verified.code, verified.stdout).toBe(1);
    expect(verified.stdout).toMatch(
      new RegExp(
        `! ledger_older_than_witnessed: the books are older than what was witnessed on \\d{4}-\\d\\d-\\d\\d at position \\d+ \\(entry ${ADJUSTMENT}, sha256:[0-9a-f]{64}`,
      ),
    );
    expect(verified.stdout).toMatch(/the ledger ends at position \d+: restored from a copy, or entries removed/);
    const status = await workspace.run(['status']);
    expect(status.code, status.stderr).toBe(1);
    expect(status.stdout).toContain('! ledger_older_than_witnessed: the books are older than what was witnessed');

    const entries = /chain of (\d+) entries/.exec(verified.stdout)?.[1];
    const synced = await workspace.syncDay('2026-04-02');
    expect(synced.code).toBe(1);
    expect(synced.stderr).toContain('nothing was booked: the books are older than what was witnessed');
    expect((await workspace.run(['verify'])).stdout).toContain(`chain of ${entries} entries`);
  });

  it('restore with a reason is recorded once: verify passes again, and the removed adjusting entry is listed to book again', async () => {
    const restored = await workspace.run([
      'restore',
      '--from',
      backup,
      '--reason',
      'the disk of 04-02 was lost; the copy of 03-31 is the last good one',
    ]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(new RegExp(`entry ${ADJUSTMENT} \\(witnessed on \\S+ at position \\d+`));
    expect(restored.stdout).toMatch(`book again: ${ADJUSTMENT} (an adjusting entry a person booked`);
    const records = readFileSync(witness, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; reason?: string });
    expect(records.filter((record) => record.kind === 'restore').map((record) => record.reason)).toEqual([
      'the disk of 04-02 was lost; the copy of 03-31 is the last good one',
    ]);

    const verified = await workspace.run(['verify']);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toContain(`the chain holds every head witnessed in the witness ${witness}`);

    await setSandboxDay(sandbox, '2026-04-01');
    const rebooked = await workspace.syncDay('2026-04-01');
    expect([0, 1], rebooked.stderr).toContain(rebooked.code);
    expect((await workspace.run(['verify'])).code).toBe(0);
  });

  it('with the witness file deleted too, verify says which witnesses it could not read', async () => {
    rmSync(witness);
    const verified = await workspace.run(['verify']);
    expect(verified.stdout).toContain(`witness not read: the witness file: ${witness} does not exist`);
    expect(verified.stdout).toContain("witness not read: the destinations' journals");
    expect(verified.code).toBe(0);
    expect(existsSync(witness)).toBe(false);
  });

  it("refuses a witness file inside the ledger's own folder, naming the key (exit 2), and books nothing", async () => {
    const config = join(workspace.dir, 'ledgerline.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('file: witness/heads.jsonl', 'file: data/heads.jsonl'));
    const synced = await workspace.syncDay('2026-04-01');
    expect(synced.code).toBe(2);
    expect(synced.stderr).toContain(
      `witness.file: ${join(workspace.dir, 'data', 'heads.jsonl')} is inside the ledger's folder ${join(workspace.dir, 'data')}`,
    );
  });
});

/**
 * A complete rewrite, made by the product's own code: another ledger synced over the same nights (the panel alone,
 * so every amount, cent and chain hash is ledgerline's own and the chain is whole) put in the ledger's place.
 * `verify` alone passes it; the witness names it.
 */
describe(
  'a ledger rewritten whole, its chain recomputed, named through the witness (SQLite)',
  { timeout: 180_000 },
  () => {
    let sandbox: RunningSandbox;
    let witnessed: Workspace;
    let rewritten: Workspace;

    beforeAll(async () => {
      sandbox = await startScenarioSandbox(script);
      const made = await createWorkspaces(sandbox, ['ledgerline-witnessed-', 'ledgerline-rewritten-']);
      witnessed = made[0]!;
      rewritten = made[1]!;
      appendFileSync(join(witnessed.dir, 'ledgerline.yaml'), '\nwitness:\n  file: witness/heads.jsonl\n');
      for (const day of ['2026-03-29', '2026-03-30', '2026-03-31']) {
        await setSandboxDay(sandbox, day);
        expect([0, 1]).toContain((await witnessed.syncDay(day)).code);
        expect([0, 1]).toContain((await rewritten.syncDay(day, ['--source', 'smm-panel'])).code);
      }
    });

    afterAll(async () => {
      await sandbox?.close();
      witnessed?.remove();
      rewritten?.remove();
    });

    it('verify exits 1 naming the witnessed head the rewritten chain does not contain', async () => {
      const alone = await rewritten.run(['verify']);
      expect(alone.code, alone.stdout).toBe(0);
      copyLedger(rewritten.ledgerPath, witnessed.ledgerPath);
      const verified = await witnessed.run(['verify']);
      expect(verified.code, verified.stdout).toBe(1);
      expect(verified.stdout).toMatch(/^chain of \d+ entries verified, head [0-9a-f]{64}$/m);
      expect(verified.stdout).toMatch(
        /! (witnessed_head_rewritten: the chain does not contain the head witnessed|ledger_older_than_witnessed: the books are older than what was witnessed) on \S+ at position \d+ \(entry je:\S+, sha256:[0-9a-f]{64}, sync\)/,
      );
    });
  },
);

/** The newest night's entries deleted behind the database's back, on each engine: verify names the witnessed head. */
describe.each(LEDGER_ENGINES)(
  'the newest entries deleted, named through the witness (%s)',
  { timeout: 180_000 },
  (engine) => {
    let sandbox: RunningSandbox;
    let workspace: Workspace;

    beforeAll(async () => {
      sandbox = await startScenarioSandbox(script);
      workspace = await createWorkspace(sandbox, `ledgerline-witness-${engine}-`, {
        ledger: () => engines.fresh(engine),
      });
      for (const day of ['2026-03-29', '2026-03-30']) {
        await setSandboxDay(sandbox, day);
        expect([0, 1]).toContain((await workspace.syncDay(day)).code);
      }
    });

    afterAll(async () => {
      await sandbox?.close();
      workspace?.remove();
    });

    it('verify exits 1: the books are older than what was witnessed', async () => {
      expect((await workspace.run(['verify'])).code).toBe(0);
      const deleted = ['journal_lines', 'rendered_lines', 'entry_events']
        .map(
          (table) =>
            `DELETE FROM ${table} WHERE entry_id IN (SELECT id FROM journal_entries WHERE date = '2026-03-30')`,
        )
        .concat(["DELETE FROM journal_entries WHERE date = '2026-03-30'"])
        .join(';\n');
      if (engine === 'postgres') await tamperPostgres(workspace.ledger, deleted);
      else tamperSqlite(workspace.dir, `${deleted};`);
      const verified = await workspace.run(['verify']);
      expect(verified.code, verified.stdout).toBe(1);
      expect(verified.stdout).toMatch(
        /! ledger_older_than_witnessed: the books are older than what was witnessed on \S+ at position \d+ \(entry je:\S+2026-03-30\S*, sha256:[0-9a-f]{64}, sync\): the ledger ends at position \d+/,
      );
    });
  },
);
