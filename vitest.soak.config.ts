import { configDefaults, defineConfig } from 'vitest/config';
import { SlowestFirstSequencer } from './test/support/slowest-first-sequencer.js';
import {
  withoutExtraCaCertificates,
  withPrivateStateHome,
  withTemporaryFolderInMemory,
} from './test/support/test-process-env.js';

withoutExtraCaCertificates();
withTemporaryFolderInMemory();
withPrivateStateHome();

/**
 * `npm run soak`: the kill -9 files again, with their long randomized rounds (test/support/soak.ts): many
 * seeded kills and nights instead of the few that `npm test` keeps, and ordinary-situations' full disk at every
 * 8 KB of free space instead of every 20, and six pairs of racing first runs in ordinary-situations-cli instead of two;
 * the two-process decision pairs (check-then-act, transit accept) at 20 rounds instead of 5, and two `vat file` at once
 * (vat-file-race-cli) at 20 pairs of each kind instead of 4;
 * the property tests of money, exact JSON and stored state at all their runs instead of a fifth (propertyRuns), and
 * the webhook receiver's fuzz at 1,200 requests instead of 300;
 * the PostgreSQL halves that repeat a SQLite half, the engine not their subject (soak.ts postgresInSoak: late
 * explanations, the failed day rerun, QuickBooks' kill rounds, the re-runs, the bank month end, the transit month,
 * the killed syncs; docs/testing.md says what keeps PostgreSQL's side in npm test), and the PostgreSQL half of the
 * post rules whose subject is not the store (soak.ts runsOn: Xero's and QuickBooks' posters, the post command);
 * QuickBooks' twin-copies round (post-crash-twins); and, in this run only, every bench at its tiny size
 * (test/bench/) and the fleet's queued night over two entities at 30 + 10 (vitest.config.ts SOAK_ONLY).
 * `.ci/run` runs it after `npm test`.
 */
export const SOAK_FILES = [
  'test/bench/**/*.test.ts',
  'test/cli/bank-import-crash.test.ts',
  'test/cli/check-then-act-cli.test.ts',
  'test/cli/fleet-night-entities.test.ts',
  'test/cli/ordinary-situations-cli.test.ts',
  'test/cli/post-cli.test.ts',
  'test/cli/transit-accept-pair-cli.test.ts',
  'test/cli/vat-file-race-cli.test.ts',
  'test/money/exact-json.test.ts',
  'test/money/money.test.ts',
  'test/pipeline/post-crash-quickbooks.test.ts',
  'test/pipeline/post-crash-twins.test.ts',
  'test/pipeline/post-crash-xero.test.ts',
  'test/pipeline/post/post.test.ts',
  'test/pipeline/post/post-quickbooks.test.ts',
  'test/rules/stored-state.test.ts',
  'test/scenarios/late-explanations.test.ts',
  'test/scenarios/month-end-bank.test.ts',
  'test/scenarios/ordinary-situations.test.ts',
  'test/scenarios/panel-proxy-crash.test.ts',
  'test/scenarios/rerun-identity.test.ts',
  'test/scenarios/rerun-idempotence.test.ts',
  'test/scenarios/sync-crash-safety.test.ts',
  'test/scenarios/transit-month.test.ts',
  'test/scenarios/worker-crash-trials.test.ts',
  'test/sources/webhooks/webhook-receiver-fuzz.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/support/postgres-global-setup.ts'],
    maxWorkers: 3,
    sequence: { sequencer: SlowestFirstSequencer },
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'soak',
          include: SOAK_FILES,
          exclude: configDefaults.exclude,
          pool: 'forks',
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // test/bench/benches-run.test.ts, the one file of concurrent tests, runs two benches at once beside the
          // other files (three at once were starved past their timeout at load 25).
          maxConcurrency: 2,
          provide: { soak: true },
        },
      },
    ],
  },
});
