import { afterAll, beforeAll, describe } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { builtWorld } from '../support/built-worlds.js';
import { MONTH_END, MONTH_END_WORLD } from './month-end-world.js';
import { itKeepsEveryStartState, startStateReader, type ComparedStartState } from './replay-start-states.js';
import { startScenarioSandbox, type Workspace } from './scenario-harness.js';

/**
 * A replay of the day after each close starts from what the store kept after that close (migration 0010);
 * folding every close from the first, with today's reader and the books' net charges, is the check that
 * what was kept is right. The month-end world, synced day by day through the CLI, compared after every
 * close: on SQLite here, from the month end synced once per test run (test/support/built-worlds.ts), which
 * keeps each close's ledger; on PostgreSQL in month-end-postgres.test.ts, as its closes are synced (the 38
 * closes were synced into PostgreSQL twice, once per file).
 */
describe('the state a replay starts from, kept after each close of the month end (sqlite)', () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  const compared: ComparedStartState[] = [];

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(MONTH_END_WORLD);
    const world = await builtWorld(MONTH_END);
    workspace = world.copyFor(sandbox, 'replay-start-sqlite');
    const startStates = startStateReader(workspace);
    for (const night of world.nights) {
      if (night.code !== 0 && night.code !== 1)
        throw new Error(`sync of ${night.day} exited ${night.code}: ${night.stderr}`);
      compared.push(await startStates(world.ledgerAfter(night.day), night.day));
    }
  }, 900_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  itKeepsEveryStartState(compared);
});
