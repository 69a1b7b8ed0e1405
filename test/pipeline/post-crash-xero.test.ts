import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { assertBuilt } from '../cli/post-cli-harness.js';
import { useTempDir } from '../support/temp-dir.js';
import { expectEveryMomentHit, xeroCrashScenario, runCrashRounds } from './post-crash-harness.js';

const tempDir = useTempDir('ledgerline-crash-xero-');
const KILLS = 20;

beforeAll(assertBuilt);

describe('post --to xero survives kill -9 at any moment (the built CLI against a fake in this process)', () => {
  it('killed at 20 seeded moments and run again, Xero holds every entry exactly once and the ledger marks all posted', { timeout: 180_000 }, async () => {
    const scenario = await xeroCrashScenario(tempDir());
    onTestFinished(() => scenario.watched.close());

    const outcome = await runCrashRounds(scenario, { seed: 20240301, kills: KILLS, completeEvery: 10 });

    expectEveryMomentHit(outcome, KILLS);
    expect(scenario.journals()).toBe(outcome.booked);
  });
});
