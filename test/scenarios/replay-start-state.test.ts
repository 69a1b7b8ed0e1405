import { journalBooksOver } from '../../src/store/journal-books-store.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/calendar/index.js';
import { loadConfig, loadMappings } from '../../src/config/index.js';
import { asPanelSource } from '../../src/sources/index.js';
import { Ledger } from '../../src/ledger/index.js';
import { LedgerStore } from '../../src/store/index.js';
import { foldedStartState, keptStartState, type ReplayStartState } from '../../src/pipeline/backfill/replay-panel.js';
import { toStoredJson } from '../../src/rules/index.js';
import { backfillBooksOver } from '../../src/store/backfill-books-store.js';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { builtWorld } from '../support/built-worlds.js';
import { MONTH_END, MONTH_END_CLOSES, MONTH_END_WORLD } from './month-end-world.js';
import { PANEL_SOURCE, createWorkspace, setSandboxDay, startScenarioSandbox, type Workspace } from './scenario-harness.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';

const { fresh } = useLedgerEngines();

/** A start state as comparable text: every figure and every order's state as the store writes it, orders by id. */
function comparable(start: ReplayStartState): string {
  const states = [...start.states].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return toStoredJson({ closesSeen: start.closesSeen, balance: start.balance ?? null, prepaidMicros: start.prepaidMicros, states });
}

/**
 * A replay of the day after each close starts from what the store kept after that close (migration 0010);
 * folding every close from the first, with today's reader and the books' net charges, is the check that
 * what was kept is right. The month-end world, synced day by day through the built CLI, compared after
 * every close, on each engine.
 */
describe.each(LEDGER_ENGINES)('the state a replay starts from, kept after each close of the month end (%s)', (engine) => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  const compared: { day: string; kept: string | undefined; folded: string; orders: number }[] = [];

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(MONTH_END_WORLD);
    // On SQLite the month end synced once per test run (test/support/built-worlds.ts) keeps each close's ledger.
    const world = engine === 'sqlite' ? await builtWorld(MONTH_END) : undefined;
    workspace = world?.copyFor(sandbox, `replay-start-${engine}`) ?? (await createWorkspace(sandbox, `replay-start-${engine}`, { ledger: () => fresh(engine) }));
    const config = loadConfig({ kinds: configKinds(), path: join(workspace.dir, 'ledgerline.yaml'), env: workspace.env, cwd: workspace.dir });
    const source = asPanelSource(config.sources.find((candidate) => candidate.id === PANEL_SOURCE)!);
    const chart = loadMappings({ chartPath: config.mappings }).chart.events;
    const close = async (day: string) => {
      const built = world?.nights.find((night) => night.day === day);
      if (built !== undefined) return built;
      await setSandboxDay(sandbox, day);
      return workspace.syncDay(day);
    };
    for (const day of MONTH_END_CLOSES) {
      const result = await close(day);
      if (result.code !== 0 && result.code !== 1) throw new Error(`sync of ${day} exited ${result.code}: ${result.stderr}`);
      const store = await LedgerStore.openAt(world?.ledgerAfter(day) ?? workspace.ledger);
      const ledger = new Ledger(journalBooksOver(store));
      try {
        const next = addDays(day, 1);
        const kept = await keptStartState({ books: backfillBooksOver(store), ledger }, source, next);
        const folded = await foldedStartState({ books: backfillBooksOver(store), ledger }, source, chart, next);
        compared.push({ day, kept: kept && comparable(kept), folded: comparable(folded), orders: folded.states.size });
      } finally {
        await ledger.close();
      }
    }
  }, 900_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('was kept after every close', () => {
    expect(compared.filter((close) => close.kept === undefined).map((close) => close.day)).toEqual([]);
  });

  it('equals the fold from the first close after every close', () => {
    for (const close of compared) expect(close.kept, close.day).toBe(close.folded);
  });

  it('holds orders to compare (the checks above are not vacuous)', () => {
    expect(compared).toHaveLength(MONTH_END_CLOSES.length);
    expect(compared.at(-1)!.orders).toBeGreaterThanOrEqual(10);
  });
});
