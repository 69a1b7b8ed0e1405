import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { builtWorld } from '../support/built-worlds.js';
import { FIVE_DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import {
  PANEL_SOURCE,
  setSandboxDay,
  startScenarioSandbox,
  type CliResult,
  type Workspace,
} from './scenario-harness.js';
import { readBooks } from '../support/ledger-engines.js';

/**
 * A panel source configured for EUR whose panel answers in USD: the night is
 * refused for that source (exit 3, naming both currencies), nothing is
 * booked for it, and the ad network's earnings of the same night are booked.
 */
describe('a panel answering in another currency than configured', { timeout: 60_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  let refused: CliResult;
  let entriesBefore: { source_id: string; date: string }[];
  let entriesAfter: { source_id: string; date: string }[];

  beforeAll(async () => {
    // The first night is the run's synced world's (built-worlds.ts), as that night left it.
    const world = await builtWorld({ name: 'synced', script, days: FIVE_DAYS });
    expect(world.nights[0]).toMatchObject({ day: '2026-03-29', code: 0 });
    sandbox = await startScenarioSandbox(script);
    await setSandboxDay(sandbox, '2026-03-29');
    workspace = world.copyFor(sandbox, 'panel-currency', '2026-03-29');
    const configPath = join(workspace.dir, 'ledgerline.yaml');
    const config = readFileSync(configPath, 'utf8');
    const withEuro = config.replace(/(  - id: smm-panel\n)/, '$1    currency: EUR\n');
    expect(withEuro).not.toBe(config);
    writeFileSync(configPath, withEuro);
    const entries = async () =>
      (await readBooks(workspace.ledgerPath, (ledger) => ledger.rows('journal_entries', 'seq'))) as {
        source_id: string;
        date: string;
      }[];
    entriesBefore = await entries();
    await setSandboxDay(sandbox, '2026-03-30');
    refused = await workspace.syncDay('2026-03-30');
    entriesAfter = await entries();
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('exits 3 naming both currencies and the fix', () => {
    expect(refused.code).toBe(3);
    expect(refused.stderr + refused.stdout).toContain(
      `${PANEL_SOURCE}: the panel reports its balance in USD, but ${PANEL_SOURCE} is configured for EUR; nothing was booked for it`,
    );
  });

  it('books nothing for the panel and books the other sources of the night', () => {
    const added = entriesAfter.slice(entriesBefore.length);
    expect(added.filter((entry) => entry.source_id === PANEL_SOURCE)).toEqual([]);
    expect(
      added.filter((entry) => entry.source_id !== PANEL_SOURCE && entry.date === '2026-03-30').length,
    ).toBeGreaterThan(0);
  });
});
