import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest files, in seconds, as measured on the 2-core machine (`.ci/run` prints its 15 slowest files; these
 * from a fresh clone's `npm test` on 2026-11-25, load 2.6 to 5.5).
 * On a fresh clone vitest has no timings of its own and starts the largest files first, so the post crash
 * rounds (24-line files, a minute each) came last and ran alone at the end of the run. A file missing here
 * only starts later.
 */
const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  'test/scenarios/sync-crash-safety.test.ts': 56,
  'test/bench/benches-run.test.ts': 44,
  'test/pipeline/post-crash-twins.test.ts': 36,
  'test/cli/schedule-queue.test.ts': 25,
  'test/readme.test.ts': 21,
  'test/scenarios/ordinary-situations.test.ts': 19,
  'test/cli/worker-config-cli.test.ts': 18,
  'test/scenarios/queued-sync-postgres.test.ts': 18,
  'test/scenarios/interrupted-panel-close.test.ts': 16,
  'test/cli/worker-cli.test.ts': 15,
  'test/pipeline/post-crash-xero.test.ts': 15,
  'test/scenarios/late-explanations.test.ts': 14,
  'test/scenarios/replay-start-state.test.ts': 13,
  'test/pipeline/post-crash-quickbooks.test.ts': 12,
  'test/scenarios/panel-proxy-crash.test.ts': 10,
  'test/scenarios/rerun-identity.test.ts': 10,
  'test/cli/cli-safety.test.ts': 10,
  'test/cli/post-queue-cli.test.ts': 9,
  'test/cli/schedule-process.test.ts': 9,
};

/**
 * Longest first across the three tiers (they share one queue of `maxWorkers` files): the last files to
 * start are short, so no minute-long file runs alone at the end. vitest's own timings from an earlier run on
 * this machine win over the table; files with neither keep vitest's order after the timed ones.
 */
export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const baseOrder = await super.sort(files);
    const position = new Map(baseOrder.map((spec, index) => [spec, index]));
    const root = this.ctx.config.root;
    const expectedSeconds = (spec: TestSpecification): number => {
      const file = relative(root, spec.moduleId);
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`)?.duration;
      return cached !== undefined ? cached / 1000 : (MEASURED_SECONDS[file] ?? 0);
    };
    return [...baseOrder].sort((a, b) => expectedSeconds(b) - expectedSeconds(a) || position.get(a)! - position.get(b)!);
  }
}
