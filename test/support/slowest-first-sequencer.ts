import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest files, in seconds, each file's whole time from its first hook to its last (a beforeAll that builds a
 * world or waits for one included, which vitest's own file durations leave out): issue 85's whole run at rest of
 * 2026-11-29 06:30-06:37 UTC (three workers, docs/testing.md), every file of 6.5 s or more. On a fresh clone
 * without vitest's cache (node_modules/.vite) vitest has no timings of its own; a file missing here starts after the
 * timed ones of its tier, so a long one missing runs alone at the end (demo-fleet, 32 s of a failing panel's
 * backoff, did until this table named it).
 */
const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  // A lead to the whole minute its night is due at, 0 to 55 s and 25 s on average since 1c0f2f0f (cronDue): fastsuite6's
  // 13 s came before, with a lead of 3 s on average; round 86's whole run took 62.5 s.
  'test/cli/schedule-queue.test.ts': 66,
  'test/readme.test.ts': 30,
  'test/scenarios/month-end-postgres.test.ts': 23,
  'test/pipeline/operations/side-tables-proof.test.ts': 21,
  'test/scenarios/interrupted-panel-close.test.ts': 21,
  'test/cli/queue-entities.test.ts': 21,
  'test/scenarios/ordinary-situations.test.ts': 16,
  'test/scenarios/practice-fleet-postgres.test.ts': 14,
  'test/scenarios/bank-words-month.test.ts': 14,
  'test/pipeline/post-crash-quickbooks.test.ts': 14,
  'test/scenarios/booked-tax-after-remap.test.ts': 13,
  'test/pipeline/witness/restore-postgres.test.ts': 13,
  'test/pipeline/post-crash-xero.test.ts': 13,
  'test/scenarios/sync-crash-safety.test.ts': 13,
  'test/kinds/bank-statement/import-statement.test.ts': 12,
  'test/pipeline/post/post.test.ts': 12,
  'test/scenarios/closed-month-at-destinations.test.ts': 12,
  'test/cli/restore-backup-cli.test.ts': 11,
  'test/scenarios/swapped-topups-at-destinations.test.ts': 11,
  'test/cli/post-queue-cli.test.ts': 11,
  'test/scenarios/worker-crash-trials.test.ts': 11,
  'test/scenarios/rerun-identity.test.ts': 11,
  'test/cli/going-live-readme.test.ts': 11,
  'test/cli/checked-cache.test.ts': 11,
  'test/cli/worker-config-cli.test.ts': 10,
  'test/cli/transit-accept-pair-cli.test.ts': 10,
  'test/scenarios/queued-sync-postgres.test.ts': 10,
  'test/scenarios/serve.test.ts': 9,
  'test/cli/check-then-act-cli.test.ts': 9,
  'test/cli/schedule-process.test.ts': 9,
  'test/cli/cli-safety.test.ts': 9,
  'test/cli/command-start.test.ts': 9,
  'test/scenarios/month-end-bank.test.ts': 9,
  'test/scenarios/swapped-topups.test.ts': 8,
  'test/scenarios/vat-filed-period.test.ts': 8,
  'test/cli/post-stop-cli.test.ts': 8,
  'test/kinds/panel/panel-wire-fuzz.test.ts': 8,
  'test/pipeline/witness/witnessed-books.test.ts': 8,
  'test/cli/doctor-cli.test.ts': 7,
  'test/cli/restore-writers-cli.test.ts': 7,
  'test/cli/export-windowed-plain-text.test.ts': 7,
  'test/scenarios/late-explanations.test.ts': 7,
  'test/cli/schedule.test.ts': 7,
  'test/pipeline/transit/bank-opening.test.ts': 7,
  'test/cli/worker-death-cli.test.ts': 7,
  'test/pipeline/post-crash-twins.test.ts': 7,
  'test/cli/worker-cli.test.ts': 7,
  'test/cli/silent-sources.test.ts': 7,
  'test/cli/quick-start.test.ts': 7,
  'test/kinds/bank-statement/camt053-scanner.test.ts': 7,
  'test/cli/sync-first-close-past-day.test.ts': 7,
  'test/cli/practice-fleet.test.ts': 7,
  'test/scenarios/sync-cli.test.ts': 7,
  'test/cli/connect-cli.test.ts': 7,
  'test/pipeline/post/post-quickbooks.test.ts': 7,
  // `npm run soak` only: its benches at their tiny size (2026-11-25); the fleet's queued night at 30 + 10 sources,
  // the soak's longest file (583 s at load 22, docs/testing.md 2026-11-27), so that it starts first.
  'test/bench/benches-run.test.ts': 44,
  'test/cli/fleet-night-entities.test.ts': 120,
};

/**
 * The tiers in turn, e2e first, each longest first. vitest keeps a worker for the next file only when the file
 * at the head of its queue is of the same project (its pool's `isEqualRunner`); otherwise it stops the worker and
 * starts another, which imports src/ again (about 4 CPU-s a forked worker: 11 files of test/pipeline/reports (now test/reads) took
 * 22.8 CPU-s on 3 workers, 15.0 on one). Sorted longest first across tiers, the queue changed tier at nearly
 * every file; by tier, each of the three slots starts a worker about once a tier. e2e comes first because its
 * files are the longest and wait most on processes and servers, and `unit`'s short files fill the end, so no
 * minute-long file runs alone at the end. Within a tier the larger of vitest's own timing from an earlier run on
 * this machine and the table's wins: vitest's leaves out the file's hooks, so month-end-postgres (38 closes in its
 * beforeAll, 44 s) counts as 1.4 s there. Files with neither keep vitest's order after the timed ones.
 */
/** The three tiers as one project, in a run that names none (vitest.config.ts): its files longest first. */
export const WHOLE_RUN = 'all tiers';
const TIER_ORDER = ['e2e', 'soak', WHOLE_RUN, 'integration', 'unit'];

export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const baseOrder = await super.sort(files);
    const position = new Map(baseOrder.map((spec, index) => [spec, index]));
    const root = this.ctx.config.root;
    const expectedSeconds = (spec: TestSpecification): number => {
      const file = relative(root, spec.moduleId);
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`)?.duration;
      return Math.max((cached ?? 0) / 1000, MEASURED_SECONDS[file] ?? 0);
    };
    const tier = (spec: TestSpecification): number => {
      const rank = TIER_ORDER.indexOf(spec.project.name);
      return rank === -1 ? TIER_ORDER.length : rank;
    };
    return [...baseOrder].sort(
      (a, b) => tier(a) - tier(b) || expectedSeconds(b) - expectedSeconds(a) || position.get(a)! - position.get(b)!,
    );
  }
}
