import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import {
  createWorkspace,
  setSandboxDay,
  startScenarioSandbox,
  type Workspace,
  PUBLISHER_SOURCE,
} from './scenario-harness.js';
import { readBooks } from '../support/ledger-engines.js';

/**
 * A publisher paid on `schedule: 31`: the 31st, or the last day of a shorter
 * month. Synced on a few nights only, so two closes cross a payout date:
 *   01-31  baseline: lifetime earnings 10.00, no entry (DESIGN: a first snapshot books nothing)
 *   02-27  earnings +60.00 (70.00)
 *   03-01  crosses 02-28: 60.00 owed ≥ 50.00 → payout 60.00 dated 02-28
 *   03-31  earnings +5.00 (75.00); 5.00 owed on the 31st < 50.00 → carried (for the record: exit 0)
 *   04-29  earnings +65.00 (140.00)
 *   05-01  crosses 04-30: 5.00 + 65.00 = 70.00 owed → payout 70.00 dated 04-30
 *   05-31  earnings +60.00 (200.00); payout 60.00 dated 05-31, the day of the close
 * The rule used to build 2026-02-31 and 2026-04-31 and threw on them.
 */
const PAYOUT_DAY_31: WorldScript = {
  start: '2026-01-31',
  panel: { openingBalance: '10.00', orders: [] },
  payelancer: {
    publisher: {
      earnings: {
        '2026-01-31': '10.00',
        '2026-02-27': '70.00',
        '2026-03-31': '75.00',
        '2026-04-29': '140.00',
        '2026-05-31': '200.00',
      },
    },
    advertiser: { spent: { '2026-01-31': '0.00' } },
  },
};
const NIGHTS = ['2026-01-31', '2026-02-27', '2026-03-01', '2026-03-31', '2026-04-29', '2026-05-01', '2026-05-31'];

describe('a publisher on payouts.schedule: 31', { timeout: 60_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  const exits: (number | null)[] = [];

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(PAYOUT_DAY_31);
    workspace = await createWorkspace(sandbox, 'payout-31');
    const configPath = join(workspace.dir, 'ledgerline.yaml');
    writeFileSync(
      configPath,
      readFileSync(configPath, 'utf8').replace(/^  schedule: month-end\b.*$/m, '  schedule: 31'),
    );
    expect(readFileSync(configPath, 'utf8')).toMatch(/^  schedule: 31$/m);
    for (const night of NIGHTS) {
      await setSandboxDay(sandbox, night);
      const run = await workspace.run(['sync', '--as-of', night, '--source', PUBLISHER_SOURCE]);
      exits.push(run.code);
    }
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('pays on 02-28, 04-30 and 05-31 and carries 03-31 below the minimum, every night exiting as it should', async () => {
    const payouts = await readBooks(workspace.ledgerPath, async (ledger) =>
      ((await ledger.rows('source_events', 'date, id')) as { kind: string; date: string; amount_micros: bigint }[])
        .filter((event) => event.kind.startsWith('payout_'))
        .map((event) => [event.date, event.amount_micros]),
    );
    expect(payouts).toEqual([
      ['2026-02-28', 60_000_000n],
      ['2026-04-30', 70_000_000n],
      ['2026-05-31', 60_000_000n],
    ]);
    // The payout carried on 03-31 is for the record (information), not an action item: that night exits 0 too.
    expect(exits).toEqual([0, 0, 0, 0, 0, 0, 0]);
    const findings = await readBooks(workspace.ledgerPath, async (ledger) =>
      (
        (await ledger.rows('discrepancies', 'date, id')) as {
          kind: string;
          date: string;
          amount_micros: bigint | null;
        }[]
      ).map((found) => [found.kind, found.date, found.amount_micros]),
    );
    expect(findings).toEqual([['payout_carried_forward', '2026-03-31', 5_000_000n]]);
    expect(await readBooks(workspace.ledgerPath, (ledger) => ledger.balanceMicros('payelancer_receivable'))).toBe(0n);
  });
});
