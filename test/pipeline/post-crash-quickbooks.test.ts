import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { assertBuilt } from '../cli/post-cli-harness.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';
import { expectEveryMomentHit, quickbooksCrashScenario, runCrashRounds } from './post-crash-harness.js';

const tempDir = useTempDir('ledgerline-crash-quickbooks-');
const engines = useLedgerEngines();
/** Every kind of kill moment comes round within 7 kills: PostgreSQL, whose store the SQLite rounds do not reach, gets 10 of them beside SQLite's 20. */
const KILLS = { sqlite: 20, postgres: 10 } as const;

beforeAll(assertBuilt);

describe.each(LEDGER_ENGINES)('post --to quickbooks survives kill -9 at any moment (the built CLI against a fake in this process, %s ledger)', (engine) => {
  it(`killed at ${KILLS[engine]} seeded moments and run again, QuickBooks holds every entry exactly once and the ledger marks all posted`, { timeout: 180_000 }, async () => {
    const scenario = await quickbooksCrashScenario(tempDir(), await engines.fresh(engine));
    onTestFinished(() => scenario.watched.close());

    const outcome = await runCrashRounds(scenario, { seed: 20240302, kills: KILLS[engine], completeEvery: 10 });

    expectEveryMomentHit(outcome, KILLS[engine]);
    expect(scenario.journals()).toBe(outcome.booked);
  });
});
