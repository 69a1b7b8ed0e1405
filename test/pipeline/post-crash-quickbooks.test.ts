import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { assertBuilt } from '../cli/post-cli-harness.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { postgresInSoak, soakOr } from '../support/soak.js';
import { useTempDir } from '../support/temp-dir.js';
import {
  EVERY_MOMENT,
  expectEveryMomentHit,
  STORE_MOMENTS,
  quickbooksCrashScenario,
  runAttachmentKills,
  runCrashRounds,
} from './post-crash-harness.js';

const tempDir = useTempDir('ledgerline-crash-quickbooks-');
const engines = useLedgerEngines();
/**
 * npm test kills 4 times on SQLite, at the first four moments of the cycle (KILL_CYCLE: a write as it arrives
 * and after its reply, a token request, a read), then once at each kind still missing: a delay from spawn, drawn
 * early (100 to 500 ms) so that it lands, and a payout's bank-side document as its create arrives or once it
 * replied (before its id is recorded): 6 kills, one of each kind, a run left alone completing after the 3rd.
 * (Drawn from the cycle, 300 to 2,500 ms, the delay often outlasts a tiny post, and the post it was drawn for
 * kills nothing.) On PostgreSQL npm test kills twice, at the moments its store must answer for (STORE_MOMENTS: a
 * write whose outcome is not committed, as it arrives, and a bank-side document): a token, a read, a delay from spawn
 * and a write's reply (the same 'sending' row as its arrival) are the same conversation on either engine (PostgreSQL
 * posts 3 times instead of 8; the kill once a write replied is the soak's, 1 CPU-s a file). The soak kills 20
 * times on SQLite and 10 on PostgreSQL, whose store the SQLite rounds do not reach, every kind on both,
 * completing after every 10th. Each round books a payout beside its entries, so every post creates a bank-side
 * document, and each must be held exactly once. (This file's PostgreSQL rounds run in the soak only: ENGINES below.)
 */
const KILLS = soakOr({ sqlite: 4, postgres: 1 }, { sqlite: 20, postgres: 10 });
const MOMENTS = { sqlite: EVERY_MOMENT, postgres: soakOr(STORE_MOMENTS, EVERY_MOMENT) };
const COMPLETE_EVERY = soakOr(3, 10);
/**
 * Evidence uploads: killed as one arrives and once one replied in npm test on SQLite, once one replied on PostgreSQL
 * (before the store records its id: the case the store answers for), six times on both in the soak.
 */
const ATTACHMENT_KILLS = soakOr({ sqlite: 2, postgres: 1 }, { sqlite: 6, postgres: 6 });
const ATTACHMENT_PHASES = {
  sqlite: ['arrival', 'replied'] as const,
  postgres: soakOr(['replied'] as const, ['arrival', 'replied'] as const),
};

beforeAll(assertBuilt);

/**
 * SQLite in npm test; both in the soak. PostgreSQL's kills here are post-crash-xero's again: the outbox and the
 * store that answer for a write whose outcome is not committed are the same for either destination, and
 * post-crash-xero.test.ts kills on PostgreSQL in npm test (a write as it arrives, a bank-side document, an upload).
 */
const ENGINES = postgresInSoak(LEDGER_ENGINES, true);

describe.each(ENGINES)(
  'post --to quickbooks survives kill -9 at any moment (the built CLI against a fake in this process, %s ledger)',
  (engine) => {
    it(
      `killed at ${KILLS[engine]} seeded moments and run again, QuickBooks holds every entry and every payout's Transfer exactly once and the ledger marks all posted`,
      { timeout: 180_000 },
      async () => {
        const scenario = await quickbooksCrashScenario(tempDir(), await engines.fresh(engine));
        onTestFinished(() => scenario.watched.close());

        const outcome = await runCrashRounds(scenario, {
          seed: 20240302,
          kills: KILLS[engine],
          completeEvery: COMPLETE_EVERY,
          moments: MOMENTS[engine],
        });

        expectEveryMomentHit(outcome, KILLS[engine], MOMENTS[engine]);
        expect(scenario.journals()).toBe(outcome.booked);
      },
    );
  },
);

describe.each(ENGINES)(
  'post --to quickbooks with evidence: attach survives kill -9 at an upload (%s ledger)',
  (engine) => {
    it(
      `killed at ${ATTACHMENT_KILLS[engine]} evidence uploads (as one arrives or once one replied) and run again: every journal entry holds its evidence file exactly once`,
      { timeout: 120_000 },
      async () => {
        const scenario = await quickbooksCrashScenario(tempDir(), await engines.fresh(engine), { evidence: true });
        onTestFinished(() => scenario.watched.close());

        const outcome = await runAttachmentKills(scenario, {
          seed: 20241125,
          kills: ATTACHMENT_KILLS[engine],
          entriesPerRound: 3,
          phases: ATTACHMENT_PHASES[engine],
        });

        expect(outcome.kills).toBe(ATTACHMENT_KILLS[engine]);
        expect(scenario.journals()).toBe(outcome.journals);
      },
    );
  },
);
