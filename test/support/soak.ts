import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** True in `npm run soak` (vitest.soak.config.ts); absent in `npm test`. */
    soak: boolean;
  }
}

/**
 * The kill-9 files run twice over the same code: in `npm test` with a few seeded kills that still reach every
 * kind of kill point, and in `npm run soak` with the long randomized rounds (many kills, many nights), which
 * take minutes a developer's loop cannot spare. The soak config provides the flag; no environment is read.
 */
export const SOAK = inject('soak') === true;

/** `quick` in `npm test`, `soak` in `npm run soak`. */
export function soakOr<T>(quick: T, soak: T): T {
  return SOAK ? soak : quick;
}

/**
 * A property test's runs: a fifth in `npm test` (at least 100), all of them in `npm run soak`. The thousands of
 * random values a property was written with are for the soak; a developer's loop keeps enough to catch a rule
 * broken outright.
 */
export function propertyRuns(soakRuns: number): number {
  return soakOr(Math.max(100, Math.ceil(soakRuns / 5)), soakRuns);
}

/**
 * The engines of a file whose PostgreSQL half pins again what its SQLite half pins, the engine not its subject
 * (docs/testing.md names each such file and the test that keeps PostgreSQL's side in npm test): SQLite in npm test,
 * PostgreSQL in the soak, or both there with `soakKeepsSqlite` (a file the soak runs anyway for its long rounds).
 */
export function postgresInSoak<E extends string>(engines: readonly E[], soakKeepsSqlite = false): E[] {
  return engines.filter((engine) => (engine === 'postgres' ? SOAK : !SOAK || soakKeepsSqlite));
}
