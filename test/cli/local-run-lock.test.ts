import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { lockSources } from '../../src/store/index.js';
import { usePostgresServer } from '../support/postgres-server.js';
import { MONTH_END_CLOSES, MONTH_END_WORLD } from '../scenarios/month-end-world.js';
import { pointAtPostgres } from '../scenarios/queued-workers.js';
import { PANEL_SOURCE, createWorkspace, setSandboxDay, startScenarioSandbox, writeOrdersFile, type Workspace } from '../scenarios/scenario-harness.js';

const { freshDatabase } = usePostgresServer();

/** A local sync on a PostgreSQL ledger takes the close locks that `ledgerline worker`s take, source by source. */
describe('a local sync on a PostgreSQL ledger beside workers', { timeout: 60_000 }, () => {
  const day = MONTH_END_CLOSES[0]!;
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  let url: string;

  const countRows = async (table: string): Promise<number> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(MONTH_END_WORLD);
    workspace = await createWorkspace(sandbox, 'local-run-lock');
    url = await freshDatabase();
    pointAtPostgres(workspace, url);
    await setSandboxDay(sandbox, day);
    await writeOrdersFile(sandbox, workspace.dir, day);
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('refuses with exit 75, naming the source, while a worker closes one of its sources, and books nothing', async () => {
    const worker = await lockSources(url, [PANEL_SOURCE], { waitMs: 1000 });
    let refused;
    try {
      refused = await workspace.run(['sync', '--as-of', day]);
    } finally {
      await worker.release();
    }
    expect(refused.code).toBe(75);
    expect(refused.stderr).toContain(`source ${PANEL_SOURCE} is being closed by another run`);
    expect(refused.stderr).not.toContain('pw-');
    expect(await countRows('journal_entries')).toBe(0);
    expect(await countRows('raw_observations')).toBe(0);
  });

  it('closes the day once the worker has let the source go, and lets every source go when it ends', async () => {
    const synced = await workspace.run(['sync', '--as-of', day]);
    expect([0, 1]).toContain(synced.code);
    expect(synced.stdout).toContain(`sync as of ${day}`);
    expect(await countRows('journal_entries')).toBeGreaterThan(0);
    // Released at the end of the run: a worker can take every source again.
    const worker = await lockSources(url, [PANEL_SOURCE, 'ads-publisher', 'ads-advertiser'], { waitMs: 1000 });
    await worker.release();
  });
});
