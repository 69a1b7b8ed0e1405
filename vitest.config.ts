import { configDefaults, defineConfig } from 'vitest/config';

/**
 * test/readme.test.ts runs the README's `npm test` again inside a copy of the
 * repository. That inner run sets LEDGERLINE_README_CHECK and leaves out the
 * README test itself (no recursion) and the subprocess suites (scenarios, crash
 * trials, every test/cli file) the outer run already covers, so checking the quick start does not double the
 * suite's time. For the same reason it runs the in-process suites on SQLite
 * alone (LEDGERLINE_TEST_ENGINES, read by test/support/ledger-engines.ts) and
 * leaves out the PostgreSQL store's own tests: the outer run covers them on the
 * same code, and each PostgreSQL file starts a cluster of its own.
 */
const insideReadmeCheck = process.env.LEDGERLINE_README_CHECK === '1';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      ...(insideReadmeCheck ? ['test/readme.test.ts', 'test/scenarios/**', 'test/pipeline/post-crash-*.test.ts', 'test/cli/**', 'test/store/postgres/**'] : []),
    ],
    env: insideReadmeCheck ? { LEDGERLINE_TEST_ENGINES: 'sqlite' } : {},
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
