// Lint only what the type checker cannot: a promise nobody awaits (the store is async; a forgotten await
// would let a write escape its unit of work, or an assertion in a test pass without being awaited).
import tseslint from 'typescript-eslint';

const promiseRules = {
  plugins: { '@typescript-eslint': tseslint.plugin },
  linterOptions: { reportUnusedDisableDirectives: 'off' },
  rules: {
    '@typescript-eslint/no-floating-promises': 'error',
    '@typescript-eslint/no-misused-promises': 'error',
    'require-await': 'off',
  },
};

export default tseslint.config(
  {
    // The shipped code, linted by `npm run lint` (lint:promises; CI's first step): one program from
    // tsconfig.build.json, a quarter less CPU than the project service.
    files: ['src/**/*.ts', 'sandbox/**/*.ts', 'migrations/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.build.json', tsconfigRootDir: import.meta.dirname },
    },
    ...promiseRules,
  },
  {
    // The tests, linted by `npm run soak` (lint:tests), which CI runs after `npm test`: their typed program
    // (33k lines) nearly doubled the lint's CPU in every local `npm test` (44 CPU-s against 23; 2026-11-25).
    files: ['test/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    ...promiseRules,
  },
);
