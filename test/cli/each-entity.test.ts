import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT, startSandboxFleet, type RunningFleet } from '../../sandbox/index.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-each-entity-');
const env = { ...SANDBOX_ENVIRONMENT };

/**
 * `sync --source ID` without --entity, as the exception queue's and the digest's next steps write it ("run `ledgerline
 * sync --source panel-12` once it answers"): the source's own entity syncs it, and an entity without it is not asked
 * for it (north does not refuse south's panel as "no such source" before south is reached).
 */
describe('sync --source over the entities of a practice', { timeout: 120_000 }, () => {
  let fleet: RunningFleet | undefined;
  let dir = '';
  beforeAll(async () => {
    dir = tempDir();
    ({ fleet } = await startSandboxFleet({
      panels: 4,
      publishers: 2,
      port: 0,
      chart: 'full',
      dir,
      today: '2026-03-04',
      twoEntities: true,
    }));
  }, 60_000);
  afterAll(() => fleet?.close());

  it("syncs a source named without --entity in its own entity only, and several named in each one's", async () => {
    const south = await runLedgerline(['sync', '--source', 'panel-02'], { cwd: dir, env });
    expect(south.code, south.stderr).toBe(0);
    expect(south.stderr).toContain('entity south:');
    expect(south.stderr).not.toContain('entity north:');
    expect(south.stdout).toContain('panel-02:');
    // North holds no source of this run: its ledger is not made for it.
    expect(existsSync(join(dir, 'north', 'ledger.sqlite'))).toBe(false);

    const both = await runLedgerline(['sync', '--source', 'panel-01', '--source', 'publisher-02'], { cwd: dir, env });
    expect(both.code, both.stderr).toBe(0);
    expect(both.stderr).toMatch(/entity north:[\s\S]*entity south:/);
    expect(both.stdout).toMatch(/panel-01:[\s\S]*publisher-02:/);
  });

  it("refuses a source no entity has, naming it as the file's check does", async () => {
    const unknown = await runLedgerline(['sync', '--source', 'panel-99', '--source', 'panel-02'], { cwd: dir, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no source has id "panel-99"');
  });
});
