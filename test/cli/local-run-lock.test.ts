import { describe, expect, it } from 'vitest';
import { locks } from '../support/ledger-tables.js';
import { usePostgresNight } from '../scenarios/postgres-night.js';
import { PANEL_SOURCE } from '../scenarios/scenario-harness.js';

/** A local sync on a PostgreSQL ledger takes the close locks that `ledgerline worker`s take, source by source. */
describe('a local sync on a PostgreSQL ledger beside workers', { timeout: 60_000 }, () => {
  const night = usePostgresNight('local-run-lock');
  const { day } = night;
  const countRows = async (table: string): Promise<number> =>
    Number((await night.rows(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

  it('refuses with exit 75, naming the source, while a worker closes one of its sources, and books nothing', async () => {
    const worker = await locks.holdSources(night.url, [PANEL_SOURCE], { waitMs: 1000 });
    let refused;
    try {
      // A second's wait, not the default 5 s: the refusal is the subject, its length is not.
      refused = await night.workspace.run(['sync', '--as-of', day, '--lock-wait', '1']);
    } finally {
      await worker.release();
    }
    expect(refused.code).toBe(75);
    expect(refused.stderr).toContain(`source ${PANEL_SOURCE} is being closed by another run`);
    expect(refused.stderr).toContain('(waited 1000 ms)');
    expect(refused.stderr).not.toContain('pw-');
    expect(await countRows('journal_entries')).toBe(0);
    expect(await countRows('raw_observations')).toBe(0);
  });

  it('closes the day once the worker has let the source go, and lets every source go when it ends', async () => {
    const synced = await night.workspace.run(['sync', '--as-of', day]);
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout).toContain(`sync as of ${day}`);
    expect(await countRows('journal_entries')).toBeGreaterThan(0);
    // Released at the end of the run: a worker can take every source again.
    const worker = await locks.holdSources(night.url, [PANEL_SOURCE, 'ads-publisher', 'ads-advertiser'], {
      waitMs: 1000,
    });
    await worker.release();
  });
});
