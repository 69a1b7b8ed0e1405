import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { assertBuilt } from '../cli/post-cli-harness.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { soakOr } from '../support/soak.js';
import { useTempDir } from '../support/temp-dir.js';
import { expectEveryMomentHit, quickbooksCrashScenario, runCrashRounds } from './post-crash-harness.js';

const tempDir = useTempDir('ledgerline-crash-quickbooks-');
const engines = useLedgerEngines();
/**
 * Every kind of kill moment comes once in the first 5 kills (KILL_CYCLE): npm test kills 5 times on each engine (a
 * moment that fired nothing, a delay from spawn after a short post, say, is drawn again after them), a run left
 * alone completing after the 4th; the soak 20 times on SQLite and 10 on PostgreSQL, whose store the SQLite rounds
 * do not reach, completing after every 10th.
 */
const KILLS = soakOr({ sqlite: 5, postgres: 5 }, { sqlite: 20, postgres: 10 });
const COMPLETE_EVERY = soakOr(4, 10);

beforeAll(assertBuilt);

describe.each(LEDGER_ENGINES)('post --to quickbooks survives kill -9 at any moment (the built CLI against a fake in this process, %s ledger)', (engine) => {
  it(`killed at ${KILLS[engine]} seeded moments and run again, QuickBooks holds every entry exactly once and the ledger marks all posted`, { timeout: 180_000 }, async () => {
    const scenario = await quickbooksCrashScenario(tempDir(), await engines.fresh(engine));
    onTestFinished(() => scenario.watched.close());

    const outcome = await runCrashRounds(scenario, { seed: 20240302, kills: KILLS[engine], completeEvery: COMPLETE_EVERY });

    expectEveryMomentHit(outcome, KILLS[engine]);
    expect(scenario.journals()).toBe(outcome.booked);
  });
});
