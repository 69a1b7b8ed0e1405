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

/**
 * A test of a file run on both engines, by what it pins: `store` where what the store does is its subject (an
 * outbox row recorded, put back or looked up on each engine): both engines in npm test, not again in the soak;
 * `rule` where it is the same rule over the books on either engine: SQLite in npm test, PostgreSQL in the soak.
 * docs/testing.md names each file that sorts its tests so.
 */
export function runsOn(engine: string, subject: 'store' | 'rule'): boolean {
  return subject === 'store' ? !SOAK : (engine === 'postgres') === SOAK;
}

/** The engines a file sorted by runsOn has a test on in this run (vitest refuses a describe block left empty). */
export function enginesWithTests<E extends string>(engines: readonly E[]): E[] {
  return engines.filter((engine) => runsOn(engine, 'store') || runsOn(engine, 'rule'));
}
