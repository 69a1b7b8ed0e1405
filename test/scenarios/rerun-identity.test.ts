import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { usePostgresServer } from '../support/postgres-server.js';
import { postgresInSoak } from '../support/soak.js';
import {
  MONTH_END_ATTENTION_CLOSES,
  MONTH_END_CLOSES,
  MONTH_END_FIXTURES,
  MONTH_END_WORLD,
} from './month-end-world.js';
import {
  createWorkspace,
  injectFaults,
  setSandboxDay,
  startScenarioSandbox,
  type CliResult,
  type Workspace,
} from './scenario-harness.js';

const { freshDatabase } = usePostgresServer();

/**
 * Closes where one source fails (its first reply unreadable) and the day is synced again once it answers:
 * the rerun appends the failed source's entry after the entries the other sources booked that day, where an
 * uninterrupted run appended it among them. On 03-11 the panel fails (D-1 charged; the advertiser books after
 * it in config order); on 03-12 the publisher fails (+12.50, booked before the panel's 0.04551, which renders
 * to cents cumulatively).
 */
const FAILING: Record<string, { service: 'panel' | 'payelancer'; source: string }> = {
  '2026-03-11': { service: 'panel', source: 'smm-panel' },
  '2026-03-12': { service: 'payelancer', source: 'ads-publisher' },
};

const OUTPUTS: Record<string, string[]> = {
  'export-generic.csv': ['export', '--format', 'generic'],
  'export-xero.csv': ['export', '--format', 'xero'],
  'export-quickbooks.csv': ['export', '--format', 'quickbooks'],
};

/**
 * SQLite in npm test, PostgreSQL in the soak: the rerun's order is the pipeline's; that a PostgreSQL ledger books
 * the month end byte for byte as SQLite does is month-end-postgres.test.ts's, in npm test.
 */
describe.each(postgresInSoak(['sqlite', 'postgres'] as const))(
  'the month end with a failed day rerun, on %s',
  { timeout: 60_000 },
  (engine) => {
    let sandbox: RunningSandbox;
    let workspace: Workspace;
    const codes: Record<string, number | null> = {};
    const failedRuns = new Map<string, CliResult>();
    const problems: string[] = [];

    beforeAll(async () => {
      sandbox = await startScenarioSandbox(MONTH_END_WORLD);
      workspace = await createWorkspace(sandbox, `rerun-identity-${engine}`);
      if (engine === 'postgres') {
        const configPath = join(workspace.dir, 'ledgerline.yaml');
        writeFileSync(
          configPath,
          readFileSync(configPath, 'utf8').replace(/^ledger: .*$/m, `ledger: ${await freshDatabase()}`),
        );
      }
      for (const day of MONTH_END_CLOSES) {
        await setSandboxDay(sandbox, day);
        const failing = FAILING[day];
        if (failing) {
          await injectFaults(sandbox, {
            service: failing.service,
            clear: true,
            malformed: { count: 1, shape: 'truncatedJson' },
          });
          failedRuns.set(day, await workspace.syncDay(day));
          await injectFaults(sandbox, { service: failing.service, clear: true });
        }
        const result = await workspace.syncDay(day);
        codes[day] = result.code;
        if (result.code !== 0 && result.code !== 1) problems.push(`${day}: exit ${result.code}: ${result.stderr}`);
      }
    }, 600_000);

    afterAll(async () => {
      await sandbox?.close();
      workspace?.remove();
    });

    it('fails exactly the chosen source on each chosen day, and every close then ends as in the uninterrupted run', () => {
      for (const [day, { source }] of Object.entries(FAILING)) {
        const failed = failedRuns.get(day)!;
        expect(failed.stdout, day).toMatch(new RegExp(`${source}: FAILED: ${source}: unreadable reply`));
        expect(failed.stdout.match(/FAILED/g), day).toHaveLength(1);
      }
      expect(problems).toEqual([]);
      expect(codes).toEqual(
        Object.fromEntries(MONTH_END_CLOSES.map((day) => [day, day in MONTH_END_ATTENTION_CLOSES ? 1 : 0])),
      );
    });

    it("reconciles as the uninterrupted run, besides the two failed runs' unreadable replies left in quarantine for a person", async () => {
      const result = await workspace.run(['reconcile', '--as-of', '2026-04-30', '--json']);
      expect(result.stderr).not.toMatch(/error/i);
      const report = JSON.parse(result.stdout) as {
        asOf: string;
        items: { kind: string; source: string; date: string }[];
      };
      const uninterrupted = JSON.parse(
        readFileSync(join(MONTH_END_FIXTURES, 'reconcile.json'), 'utf8'),
      ) as typeof report;
      const quarantined = report.items.filter((item) => item.kind === 'quarantined_reply');
      expect(quarantined.map((item) => [item.source, item.date])).toEqual(
        Object.entries(FAILING).map(([day, { source }]) => [source, day]),
      );
      expect(report.items.filter((item) => item.kind !== 'quarantined_reply')).toEqual(uninterrupted.items);
      expect(report.asOf).toBe(uninterrupted.asOf);
    });

    it.each(Object.keys(OUTPUTS))('gives the bytes of the uninterrupted SQLite run for %s', async (name) => {
      const result = await workspace.run(OUTPUTS[name]!);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(readFileSync(join(MONTH_END_FIXTURES, name), 'utf8'));
    });
  },
);
