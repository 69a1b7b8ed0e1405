import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { FIVE_DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from '../scenarios/five-days-across-month-end.js';
import { createWorkspace, setSandboxDay, startScenarioSandbox, type Workspace } from '../scenarios/scenario-harness.js';

/**
 * Issue 83: an April report listed March's findings. Through the built CLI in the sandbox's five days across the
 * March month end: `report --from 2026-04-01` lists only the findings dated from 04-01, and says how many dated
 * before still need a person, so none is lost from sight; a report of the whole ledger lists them all.
 */
let sandbox: RunningSandbox;
let workspace: Workspace;
let items: { id: string; date: string; class: string; acknowledged: unknown }[];

beforeAll(async () => {
  sandbox = await startScenarioSandbox(script);
  workspace = await createWorkspace(sandbox, 'report-findings-window');
  for (const day of FIVE_DAYS) {
    await setSandboxDay(sandbox, day);
    const run = await workspace.syncDay(day);
    expect([0, 1], run.stderr).toContain(run.code);
  }
  items = (JSON.parse((await workspace.run(['reconcile', '--json'])).stdout) as { items: typeof items }).items;
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  workspace?.remove();
});

/** The ids of the findings a report page lists. */
const listed = (html: string) =>
  [...html.matchAll(/<li class="[a-z-]+" data-item="([^"]+)">/g)].map((found) => found[1]!);

describe("a report's findings are its window's", { timeout: 120_000 }, () => {
  it("April's report lists April's findings and counts March's still needing a person; the whole ledger's lists both", async () => {
    const march = items.filter((item) => item.date < '2026-04-01');
    const april = items.filter((item) => item.date >= '2026-04-01');
    expect(march.length).toBeGreaterThan(0);
    const run = await workspace.run(['report', '--from', '2026-04-01', '--to', '2026-04-30', '--out', 'april.html']);
    expect(run.code, run.stderr).toBe(0);
    const html = readFileSync(join(workspace.dir, 'april.html'), 'utf8');
    expect(listed(html).sort()).toEqual(april.map((item) => item.id).sort());
    const open = march.filter((item) => item.class === 'action' && item.acknowledged === null).length;
    if (open > 0)
      expect(html).toContain(`${open} finding${open === 1 ? '' : 's'} dated before 2026-04-01 still need a person`);
    else expect(html).not.toContain('dated before 2026-04-01 still need');
    const whole = await workspace.run(['report', '--out', 'all.html']);
    expect(whole.code, whole.stderr).toBe(0);
    expect(listed(readFileSync(join(workspace.dir, 'all.html'), 'utf8')).sort()).toEqual(
      items.map((item) => item.id).sort(),
    );
  });
});
