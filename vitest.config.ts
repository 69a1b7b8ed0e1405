import { configDefaults, defineConfig } from 'vitest/config';
import { SlowestFirstSequencer, WHOLE_RUN } from './test/support/slowest-first-sequencer.js';
import {
  withoutExtraCaCertificates,
  withPrivateStateHome,
  withTemporaryFolderInMemory,
} from './test/support/test-process-env.js';

withoutExtraCaCertificates();
withTemporaryFolderInMemory();
withPrivateStateHome();

/**
 * Three tiers, as vitest projects when a run names one (`--project`, `npm run test:fast`: the first two); a run that
 * names none (`npm test`, a file given by its path) runs them as one project of forks (TIER_ASKED below).
 *
 * - unit: the pure core and files that touch nothing but a SQLite file, a temporary folder or a server on
 *   127.0.0.1 they start themselves. Worker threads without isolation: no file here mocks a module, stubs a
 *   global or changes the process (a newcomer adding one moves it to `integration`).
 * - integration: the CLI in process, the sandbox and the vendor fakes, PostgreSQL (one cluster for the run,
 *   test/support/postgres-global-setup.ts). Every file not named by another tier lands here.
 * - e2e: files where the process is the subject: the built CLI as a subprocess killed (-9, SIGTERM) or
 *   watched, `unshare`, Chromium, hledger and bean-check, the README's command.
 * The benches at their tiny size (test/bench/) run in `npm run soak`, which `.ci/run` runs after `npm test`:
 * a bench that stops running still fails CI, without its 50 CPU-seconds in every local `npm test`.
 * Forked files share their worker in `integration` and `e2e` as well (no file changes process.env, the working
 * folder or the global dispatcher), so `src/` is imported once per worker instead of once per file.
 *
 * Membership is by folder for the unit tier and by name for e2e, so a moved or new file falls into
 * `integration` (runs, perhaps slower) rather than out of the suite.
 * The kill -9 files run here with a few seeded kills; their long randomized rounds are `npm run soak`
 * (vitest.soak.config.ts, test/support/soak.ts).
 */
const UNIT = [
  'test/architecture/**/*.test.ts',
  'test/alerts/**/*.test.ts',
  'test/calendar/**/*.test.ts',
  'test/config/**/*.test.ts',
  'test/destinations/consent/**/*.test.ts',
  'test/destinations/csv/**/*.test.ts',
  'test/destinations/plain-text/**/*.test.ts',
  'test/destinations/*.test.ts',
  'test/destinations/*/*-payload.test.ts',
  'test/http/**/*.test.ts',
  'test/ledger/**/*.test.ts',
  'test/log/**/*.test.ts',
  'test/money/**/*.test.ts',
  'test/rules/**/*.test.ts',
  'test/kinds/payelancer/*.test.ts',
  'test/kinds/payelancer/rules/*.test.ts',
  'test/scheduler/**/*.test.ts',
  // The exception queue's pure read (issue 55).
  'test/reads/exception-queue.test.ts',
  'test/pipeline/adjustments/acknowledge-item.test.ts',
  // Use cases over in-memory port doubles (test/support/*-double.ts): no ledger file.
  'test/pipeline/runs/recorded-result.test.ts',
  'test/pipeline/nightly/nightly-run.test.ts',
  'test/pipeline/landing/stored-webhooks.test.ts',
  'test/pipeline/backfill/correct-day.test.ts',
  'test/pipeline/backfill/replay-source.test.ts',
  'test/pipeline/post/call-budget.test.ts',
  'test/pipeline/post/evidence-hashes.test.ts',
  'test/pipeline/post/evidence-attachments.test.ts',
  // The panel kind's pure rules and its clients (its closes, on the books, stay in `integration`).
  'test/kinds/panel/rules/**/*.test.ts',
  'test/kinds/panel/orders-file.test.ts',
  'test/kinds/panel/panel-client.test.ts',
  'test/kinds/panel/panel-error-message.test.ts',
  'test/kinds/panel/panel-wire-fuzz.test.ts',
  'test/kinds/panel/proxy/panel-proxy.test.ts',
  'test/sources/webhooks/*.test.ts',
  // The SQLite store by name: the PostgreSQL files beside them belong to `integration`.
  'test/store/close-log-migration.test.ts',
  'test/store/daily-movements.test.ts',
  'test/store/ledger-store.test.ts',
  'test/store/legacy-journal-numbers-migration.test.ts',
  'test/store/panel-orders.test.ts',
  'test/store/sync-books-store.test.ts',
];

/**
 * In `npm run soak` only (vitest.soak.config.ts). The fleet's queued night over two entities is issue 55's must-show
 * at 30 + 10 sources; each of its facts at a small size is another npm test file's (docs/testing.md, 2026-11-27).
 */
export const SOAK_ONLY = ['test/bench/**/*.test.ts', 'test/cli/fleet-night-entities.test.ts'];

const E2E = [
  'test/readme.test.ts',
  'test/cli/bank-import-crash.test.ts',
  'test/cli/cli-safety.test.ts',
  'test/cli/cli-traps.test.ts',
  'test/cli/connect-browser.test.ts',
  'test/cli/connect-cli.test.ts',
  'test/cli/export-windowed-plain-text.test.ts',
  'test/cli/going-live-readme.test.ts',
  'test/cli/post-stop-cli.test.ts',
  'test/cli/quick-start.test.ts',
  'test/cli/schedule-process.test.ts',
  'test/cli/schedule-queue.test.ts',
  'test/cli/webhooks-cli.test.ts',
  'test/cli/worker-cli.test.ts',
  'test/cli/worker-config-cli.test.ts',
  'test/cli/worker-death-cli.test.ts',
  'test/pipeline/post-crash-quickbooks.test.ts',
  'test/pipeline/post-crash-twins.test.ts',
  'test/pipeline/post-crash-xero.test.ts',
  'test/scenarios/interrupted-panel-close.test.ts',
  'test/scenarios/late-explanations.test.ts',
  'test/scenarios/ordinary-situations.test.ts',
  'test/scenarios/panel-proxy-crash.test.ts',
  'test/scenarios/panel-proxy.test.ts',
  'test/scenarios/plain-text-ledger.test.ts',
  'test/scenarios/practice-fleet-postgres.test.ts',
  'test/scenarios/queued-sync-postgres.test.ts',
  'test/scenarios/report.test.ts',
  'test/scenarios/serve.test.ts',
  'test/scenarios/sync-cli.test.ts',
  'test/scenarios/sync-crash-safety.test.ts',
  'test/scenarios/worker-crash-trials.test.ts',
  'test/store/full-disk.test.ts',
];

/**
 * Bounds, not waits: a test returns as soon as what it waits on happens. Two minutes, because on a loaded 2-core
 * machine (load 13-30: nine people's builds and tests, or two CPU-bound processes beside the suite) a file of
 * subprocesses takes four to six times as long as on an idle one, and a bound met idle failed there.
 */
const timeouts = { testTimeout: 120_000, hookTimeout: 120_000 };

/**
 * A whole run (`npm test`, or files named without a tier) puts the three tiers in one project of forks that share
 * their worker: each vitest project transforms src/ in a Vite server of its own, and a worker slot moving to another
 * project starts a process (or a thread) that imports src/ again. Four files of integration and e2e took 17.7 and
 * 17.5 CPU-s as two projects, 13.5 and 13.7 as one; eight of unit and integration 14.8 and 15.4 as two, 13.1 and
 * 11.4 as one (docs/testing.md, 2026-11-27). Asking for a tier by name (`--project e2e`, `npm run test:fast`) gets
 * the three tiers, `unit` in threads.
 */
const TIER_ASKED = process.argv.some((arg) => arg === '--project' || arg.startsWith('--project='));
const INTEGRATION = ['test/**/*.test.ts'];

/** A tier of forked files that share their worker (isolate: false). */
function forked(name: string, include: string[], leftOut: string[]) {
  return {
    test: {
      ...timeouts,
      name,
      include,
      exclude: [...configDefaults.exclude, ...leftOut, ...SOAK_ONLY],
      pool: 'forks' as const,
      isolate: false,
    },
  };
}

export default defineConfig({
  test: {
    ...timeouts,
    // One PostgreSQL cluster for the whole run (started only when `integration` or `e2e` runs).
    globalSetup: ['test/support/postgres-global-setup.ts'],
    // Two cores: most `integration` and `e2e` files wait on servers, PostgreSQL and subprocesses rather than the
    // CPU, so a third file at once fills those waits.
    maxWorkers: 3,
    sequence: { sequencer: SlowestFirstSequencer },
    reporters: ['default'],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
    },
    projects: TIER_ASKED
      ? [
          {
            test: {
              ...timeouts,
              name: 'unit',
              include: UNIT,
              exclude: [...configDefaults.exclude, ...E2E, ...SOAK_ONLY],
              pool: 'threads',
              isolate: false,
            },
          },
          forked('integration', INTEGRATION, [...UNIT, ...E2E]),
          forked('e2e', E2E, []),
        ]
      : [forked(WHOLE_RUN, INTEGRATION, [])],
  },
});
