import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest files, in seconds (each file's whole time, its hooks included), as measured on the 2-core machine:
 * the lead's 15 slowest of a nearly idle run with coverage at ca2ac31 (main, 2026-11-26); the three files cut since
 * (readme, queued-sync-postgres, pipeline/post/post) scaled by their CPU-s after / before (docs/testing.md). The rest
 * are the earlier clean-clone run's (2026-11-26 05:57, vitest 150 s before the suite grew). On a fresh clone without
 * vitest's cache (node_modules/.vite) vitest has no timings of its own and starts the largest files first, so the
 * post crash rounds (49-line files, half a minute each) came last and ran alone at the end of their tier. A file
 * missing here only starts later within its tier.
 */
const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  'test/pipeline/post-crash-xero.test.ts': 57,
  'test/readme.test.ts': 41,
  'test/scenarios/sync-crash-safety.test.ts': 33,
  'test/pipeline/post-crash-quickbooks.test.ts': 29,
  'test/scenarios/queued-sync-postgres.test.ts': 25,
  'test/scenarios/ordinary-situations.test.ts': 22,
  'test/cli/schedule-queue.test.ts': 21,
  'test/pipeline/post-crash-twins.test.ts': 17,
  'test/scenarios/worker-crash-trials.test.ts': 16,
  'test/pipeline/operations/side-tables-proof.test.ts': 16,
  'test/cli/cli-safety.test.ts': 15,
  'test/cli/transit-accept-pair-cli.test.ts': 14,
  'test/reads/finance-report/transit-section.test.ts': 12,
  'test/cli/schedule.test.ts': 11,
  'test/cli/check-then-act-cli.test.ts': 11,
  'test/scenarios/month-end-postgres.test.ts': 10,
  'test/scenarios/rerun-identity.test.ts': 10,
  'test/pipeline/post/post.test.ts': 9,
  'test/scenarios/late-explanations.test.ts': 9,
  'test/scenarios/interrupted-panel-close.test.ts': 7,
  'test/cli/worker-death-cli.test.ts': 7,
  'test/scenarios/rerun-idempotence.test.ts': 6,
  'test/cli/local-run-lock.test.ts': 6,
  'test/cli/post-cli.test.ts': 6,
  'test/scenarios/panel-proxy-crash.test.ts': 6,
  'test/pipeline/post/post-quickbooks.test.ts': 5,
  'test/cli/worker-config-cli.test.ts': 5,
  'test/cli/schedule-process.test.ts': 4,
  'test/store/postgres/postgres-database.test.ts': 4,
  'test/scenarios/serve.test.ts': 4,
  'test/cli/going-live-readme.test.ts': 4,
  'test/cli/worker-cli.test.ts': 4,
  'test/store/postgres/source-lock.test.ts': 4,
  'test/cli/quick-start.test.ts': 3,
  'test/cli/post-queue-cli.test.ts': 3,
  'test/scenarios/transit-month.test.ts': 3,
  'test/sources/webhooks/webhook-receiver-fuzz.test.ts': 3,
  'test/store/postgres/postgres-ledger-store.test.ts': 3,
  'test/reads/console/adjusting-entry-form.test.ts': 3,
  // `npm run soak` only (2026-11-25): its benches at their tiny size.
  'test/bench/benches-run.test.ts': 44,
};

/**
 * The tiers in turn, e2e first, each longest first. vitest keeps a worker for the next file only when the file
 * at the head of its queue is of the same project (its pool's `isEqualRunner`); otherwise it stops the worker and
 * starts another, which imports src/ again (about 4 CPU-s a forked worker: 11 files of test/pipeline/reports (now test/reads) took
 * 22.8 CPU-s on 3 workers, 15.0 on one). Sorted longest first across tiers, the queue changed tier at nearly
 * every file; by tier, each of the three slots starts a worker about once a tier. e2e comes first because its
 * files are the longest and wait most on processes and servers, and `unit`'s short files fill the end, so no
 * minute-long file runs alone at the end. Within a tier vitest's own timings from an earlier run on this machine
 * win over the table; files with neither keep vitest's order after the timed ones.
 */
const TIER_ORDER = ['e2e', 'soak', 'integration', 'unit'];

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
    const tier = (spec: TestSpecification): number => {
      const rank = TIER_ORDER.indexOf(spec.project.name);
      return rank === -1 ? TIER_ORDER.length : rank;
    };
    return [...baseOrder].sort(
      (a, b) => tier(a) - tier(b) || expectedSeconds(b) - expectedSeconds(a) || position.get(a)! - position.get(b)!,
    );
  }
}
