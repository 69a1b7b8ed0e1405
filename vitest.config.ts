import { configDefaults, defineConfig } from 'vitest/config';

/**
 * test/readme.test.ts runs the README's `npm test` again inside a copy of the
 * repository, with LEDGERLINE_README_CHECK set. That inner run proves the
 * command works on tracked files alone (install, type-check, lint, build, the
 * test runner) through the architecture rules and the pure core; it no longer
 * repeats the ~100 in-process suite files the outer run has just run on the same
 * code, which made it the slowest file of the suite. Every test on a clean
 * clone is `.ci/run`'s job.
 */
const insideReadmeCheck = process.env.LEDGERLINE_README_CHECK === '1';

export default defineConfig({
  test: {
    include: insideReadmeCheck ? ['test/architecture.test.ts', 'test/money/**/*.test.ts', 'test/rules/**/*.test.ts'] : ['test/**/*.test.ts'],
    exclude: configDefaults.exclude,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // vitest's default on a 2-core machine is one file at a time; most suites wait on subprocesses, servers and
    // PostgreSQL rather than the CPU, so two at once nearly halves the wall time.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
