import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import { setSandboxDay, syncedWorld, type SyncedWorld, type Workspace } from './scenario-harness.js';

/**
 * S-1 is placed on 03-01 and stays Pending for ever (as SmartPanel shows an
 * order that failed at its provider); S-2 completes on 03-02. reconcile lists
 * S-1 as order_stuck_open once a close 30 days after it still found it open
 * (03-31), not at the close of 03-30, and never S-2. A ledger not synced since
 * does not make an order stuck: it is judged at the latest close.
 */
const STUCK: WorldScript = {
  start: '2026-03-01',
  panel: {
    openingBalance: '50.00',
    orders: [
      { id: 'S-1', service: '1', quantity: 1000, placedOn: '2026-03-01', timeline: [] },
      {
        id: 'S-2',
        service: '1',
        quantity: 1000,
        placedOn: '2026-03-01',
        timeline: [{ on: '2026-03-02', status: 'Completed' }],
      },
    ],
  },
  payelancer: { publisher: { earnings: { '2026-03-01': '0.00' } }, advertiser: { spent: { '2026-03-01': '0.00' } } },
};

interface Item {
  kind: string;
  ref: string;
  message: string;
}

describe('orders open too long', { timeout: 60_000 }, () => {
  let world: SyncedWorld | undefined;
  let sandbox: RunningSandbox;
  let workspace: Workspace;

  beforeAll(async () => {
    world = await syncedWorld(STUCK, 'stuck-orders', ['2026-03-01', '2026-03-02', '2026-03-30']);
    ({ sandbox, workspace } = world);
  }, 60_000);

  afterAll(() => world?.close());

  const stuckOn = async (day: string): Promise<Item[]> => {
    const run = await workspace.run(['reconcile', '--as-of', day, '--json']);
    return (JSON.parse(run.stdout) as { items: Item[] }).items.filter((item) => item.kind === 'order_stuck_open');
  };

  it('lists a Pending order once a close finds it open 30 days, and a finished one never', async () => {
    expect(await stuckOn('2026-03-30')).toEqual([]);
    expect(await stuckOn('2026-04-30')).toEqual([]);
    await setSandboxDay(sandbox, '2026-03-31');
    expect((await workspace.syncDay('2026-03-31')).code).toBeLessThan(2);
    const stuck = await stuckOn('2026-03-31');
    expect(stuck.map((item) => item.ref)).toEqual(['S-1']);
    expect(stuck[0]!.message).toContain(
      'order S-1 has been open since 2026-03-01 (30 days at the close of 2026-03-31)',
    );
    const run = await workspace.run(['reconcile', '--as-of', '2026-03-31']);
    expect(run.code).toBe(1);
  });

  it('takes the threshold from the source: stuckAfterDays: 5 lists it from 03-06', async () => {
    const configPath = join(workspace.dir, 'ledgerline.yaml');
    writeFileSync(
      configPath,
      readFileSync(configPath, 'utf8').replace(/(  - id: smm-panel\n)/, '$1    stuckAfterDays: 5\n'),
    );
    expect(await stuckOn('2026-03-05')).toEqual([]);
    expect((await stuckOn('2026-03-06')).map((item) => item.ref)).toEqual(['S-1']);
  });
});
