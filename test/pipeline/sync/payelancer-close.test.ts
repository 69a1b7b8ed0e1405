import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/sandbox-server.js';
import { FIVE_DAYS_ACROSS_MONTH_END as script } from '../../scenarios/five-days-across-month-end.js';
import {
  booksAt,
  createWorkspace,
  setSandboxDay,
  startScenarioSandbox,
  type Workspace,
} from '../../scenarios/scenario-harness.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../support/ledger-engines.js';

/**
 * The ad network's `--dry-run` is its reads and its pure close, and nothing written, on either engine. Ground
 * truth (five-days-across-month-end.ts): the publisher's counter reads 40.00 at the close of March 30th and
 * 70.00 at March 31st, a month-end payout date with a 50.00 minimum, so March 31st books 30.00 of earnings
 * and pays out the 70.00 owed; the rehearsal plans that day's entry, and every table stays as it was.
 */
const engines = useLedgerEngines();
/** Besides the books, what a close writes: its replies, its state, its close log and its run. */
const CLOSE_TABLES = { raw_observations: 'id', source_state: 'source_id, key', close_log: 'id', runs: 'id' };

interface SyncJson {
  sources: { sourceId: string; events: number; entries: string[] }[];
}

describe.each(LEDGER_ENGINES)('the ad network rehearsed with --dry-run (%s ledger)', { timeout: 120_000 }, (engine) => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(script);
    workspace = await createWorkspace(sandbox, `dry-ad-network-${engine}`, { ledger: () => engines.fresh(engine) });
    for (const day of ['2026-03-29', '2026-03-30']) {
      await setSandboxDay(sandbox, day);
      expect((await workspace.syncDay(day)).code).toBe(0);
    }
    await setSandboxDay(sandbox, '2026-03-31');
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('writes nothing on a payout day, and plans the earnings and the payout the real close then books', async () => {
    const before = await booksAt(workspace.ledger, CLOSE_TABLES);
    const dry = await workspace.syncDay('2026-03-31', ['--dry-run', '--json']);
    expect(await booksAt(workspace.ledger, CLOSE_TABLES)).toEqual(before);
    const planned = (JSON.parse(dry.stdout) as SyncJson).sources.find((source) => source.sourceId === 'ads-publisher');
    expect(planned).toMatchObject({ events: 2, entries: ['je:ads-publisher:2026-03-31'] });

    const real = JSON.parse((await workspace.syncDay('2026-03-31', ['--json'])).stdout) as SyncJson;
    expect(real.sources.find((source) => source.sourceId === 'ads-publisher')).toEqual(planned);
  });
});
