import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { assertBuilt } from '../cli/post-cli-harness.js';
import { useTempDir } from '../support/temp-dir.js';
import { expectEveryMomentHit, quickbooksCrashScenario, runCrashRounds } from './post-crash-harness.js';

const tempDir = useTempDir('ledgerline-crash-quickbooks-');
const KILLS = 20;

beforeAll(assertBuilt);

describe('post --to quickbooks survives kill -9 at any moment (the built CLI against a fake in this process)', () => {
  it('killed at 20 seeded moments and run again, QuickBooks holds every entry exactly once and the ledger marks all posted', { timeout: 180_000 }, async () => {
    const scenario = await quickbooksCrashScenario(tempDir());
    onTestFinished(() => scenario.watched.close());

    const outcome = await runCrashRounds(scenario, { seed: 20240302, kills: KILLS, completeEvery: 10 });

    expectEveryMomentHit(outcome, KILLS);
    expect(scenario.journals()).toBe(outcome.booked);
  });
});
