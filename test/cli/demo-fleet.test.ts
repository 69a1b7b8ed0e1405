import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runLedgerline, type CliRun } from '../support/cli.js';
import { fastForwardClock } from '../support/fast-forward-clock.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-demo-fleet-');

/**
 * Issue 55 item 7: `demo --fleet` shows the fleet view. The smallest fleet with every role: panel-03 fails with
 * 502s, panel-02 goes silent on the third day, and five nights are synced into the two entities (north: odd-numbered
 * sources, south: even), then posted, each entity to its own organisation of the Xero fake.
 */
describe('ledgerline demo --fleet', { timeout: 120_000 }, () => {
  let scratch: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let run: CliRun;
  const args = () => ['demo', '--fleet', '--panels', '3', '--publishers', '1', '--dir', dir];

  beforeAll(async () => {
    scratch = tempDir();
    dir = join(scratch, 'fleet');
    // A state folder of its own, where the first demo's witnesses stay when its folder is deleted.
    env = { XDG_STATE_HOME: join(scratch, 'state') };
    run = await runLedgerline(args(), { cwd: scratch, env, timeoutMs: 110_000, clock: fastForwardClock() });
  }, 120_000);

  it('syncs five nights of a fleet into two entities, posts each to its organisation and shows the fleet view and the work list', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('not steady: panel-02 silent, panel-03 failing');
    expect(run.stdout).toContain('2. sync: 5 nights, 2026-03-01 to 2026-03-05, both entities');
    const posted =
      /3\. post xero: north's journals to the fake's first organisation \((\d+)\), south's to its second \((\d+)\)/.exec(
        run.stdout,
      );
    expect(
      posted
        ?.slice(1)
        .map(Number)
        .every((journals) => journals > 0),
    ).toBe(true);
    const view = run.stdout.slice(run.stdout.indexOf('status --fleet:'));
    expect(view.split('\n')[1]).toMatch(/^entity +source +kind +last success/);
    const rows = view
      .split('\n')
      .slice(2, 6)
      .map((line) => line.split(/ +/).slice(0, 2).join(' '));
    expect(rows.sort()).toEqual(['north panel-01', 'north panel-03', 'north publisher-01', 'south panel-02']);
    expect(view).toMatch(/south +panel-02 +panel +2026-03-05 +1d +ok .* 3d since 2026-03-03 /);
    expect(view).toMatch(/north +panel-03 +panel +never +- +failing: panel-03: balance: HTTP 502/);
    expect(view).toContain('4 sources, 1 failing, 1 silent');
    expect(run.stdout).toMatch(
      /status --exceptions: \d+ things need a person \(failing 1, open_item \d+, silent 1\), oldest first/,
    );
    for (const entity of ['north', 'south']) expect(existsSync(join(dir, entity, 'ledger.sqlite'))).toBe(true);
  });

  it('a second demo --fleet in the folder made again after the first was deleted syncs its new books, the witness the first left set aside', async () => {
    expect(run.code, run.stderr).toBe(0);
    rmSync(dir, { recursive: true });
    const second = await runLedgerline(args(), { cwd: scratch, env, timeoutMs: 110_000, clock: fastForwardClock() });
    expect(second.code, second.stderr).toBe(0);
    // Before, every source of the second fleet read "never … not synced" and the fakes held 0 journals.
    expect(second.stdout).toMatch(/north +panel-01 +panel +2026-03-05 +1d +ok /);
    expect(second.stdout).not.toContain('not synced');
    const witnesses = readdirSync(join(scratch, 'state', 'ledgerline', 'witness'));
    expect(witnesses.filter((file) => file.includes('.set-aside-'))).toHaveLength(2);
  });
});
