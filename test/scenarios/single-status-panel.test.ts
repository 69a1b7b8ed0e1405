import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { FIVE_DAYS as DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import { builtWorld } from '../support/built-worlds.js';
import { createWorkspace, setSandboxDay, startScenarioSandbox, type Workspace } from './scenario-harness.js';

/**
 * A panel whose PHP script has no batch status (multiStatus answers a bare
 * null, status&orders "Order not found."): the same five nights synced
 * against it and against a seed panel give the same books, byte for byte.
 * Before, the sync failed every night with exit 3.
 */
describe('a panel with no batch status', { timeout: 90_000 }, () => {
  const runs: { sandbox: RunningSandbox; workspace: Workspace; exits: (number | null)[]; exported: string }[] = [];

  beforeAll(async () => {
    // The seed panel's nights are the run's synced world (built-worlds.ts): the same script, nights and syncs.
    const seed = await builtWorld({ name: 'synced', script, days: DAYS });
    const seedSandbox = await startScenarioSandbox(script);
    await setSandboxDay(seedSandbox, DAYS.at(-1)!);
    const seedWorkspace = seed.copyFor(seedSandbox, 'single-status-seed');
    runs.push({
      sandbox: seedSandbox,
      workspace: seedWorkspace,
      exits: seed.nights.map((night) => night.code),
      exported: await seedWorkspace.exportGeneric(),
    });
    const sandbox = await startScenarioSandbox(script);
    sandbox.changePanelBehaviour({ batchStatus: 'none' });
    const workspace = await createWorkspace(sandbox, 'single-status-none');
    const exits: (number | null)[] = [];
    for (const day of DAYS) {
      await setSandboxDay(sandbox, day);
      exits.push((await workspace.syncDay(day)).code);
    }
    runs.push({ sandbox, workspace, exits, exported: await workspace.exportGeneric() });
  }, 90_000);

  afterAll(async () => {
    for (const run of runs) {
      await run.sandbox.close();
      run.workspace.remove();
    }
  });

  it('syncs every night and books exactly what the batch panel books', () => {
    const [batch, single] = runs;
    expect(single!.exits).toEqual(batch!.exits);
    expect(single!.exits.every((code) => code === 0 || code === 1)).toBe(true);
    expect(single!.exported).toBe(batch!.exported);
    expect(single!.exported.split('\n').length).toBeGreaterThan(5);
  });

  it('tries the batch forms once, then polls one order at a time on every later night', () => {
    const single = runs[1]!;
    const statusRequests = single.sandbox
      .requestLog('panel')
      .filter((entry) => entry.action === 'multiStatus' || entry.action === 'status');
    expect(statusRequests.filter((entry) => entry.action === 'multiStatus')).toHaveLength(1);
    expect(statusRequests.length).toBeGreaterThan(DAYS.length);
  });
});
