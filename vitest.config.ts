import { configDefaults, defineConfig } from 'vitest/config';

/**
 * test/readme.test.ts runs the README's `npm test` again inside a copy of the
 * repository. That inner run sets LEDGERLINE_README_CHECK and leaves out the
 * README test itself (no recursion) and the subprocess suites (scenarios, crash
 * trials, every test/cli file) the outer run already covers, so checking the quick start does not double the
 * suite's time.
 */
const insideReadmeCheck = process.env.LEDGERLINE_README_CHECK === '1';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      ...(insideReadmeCheck ? ['test/readme.test.ts', 'test/scenarios/**', 'test/pipeline/post-crash-*.test.ts', 'test/cli/**'] : []),
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
