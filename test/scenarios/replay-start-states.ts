import { join } from 'node:path';
import { expect, it } from 'vitest';
import { addDays } from '../../src/calendar/index.js';
import { loadConfig, loadMappings } from '../../src/config/index.js';
import { foldedStartState, keptStartState, type ReplayStartState } from '../../src/kinds/panel/replay-panel.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';
import { toStoredJson } from '../../src/rules/index.js';
import { asPanelSource } from '../../src/kinds/panel/panel-config.js';
import { MONTH_END_CLOSES } from './month-end-world.js';
import { PANEL_SOURCE, type Workspace } from './scenario-harness.js';
import { openBooks } from '../support/books.js';
import { backfillBooks } from '../../src/pipeline/backfill/index.js';

/** After one close: the start state the store kept for the next day's replay, and the one folded from the first close. */
export interface ComparedStartState {
  day: string;
  kept: string | undefined;
  folded: string;
  orders: number;
}

/** A start state as comparable text: every figure and every order's state as the store writes it, orders by id. */
function comparable(start: ReplayStartState): string {
  const states = [...start.states].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return toStoredJson({
    closesSeen: start.closesSeen,
    balance: start.balance ?? null,
    prepaidMicros: start.prepaidMicros,
    states,
  });
}

/**
 * Reads, from the ledger at a location as a close of `day` left it, the start state a replay of the next day
 * would take (kept by the store, migration 0010) and the one folded from every close since the first, with
 * today's reader and the books' net charges: the panel source and chart of `workspace`'s configuration.
 */
export function startStateReader(
  workspace: Workspace,
): (ledgerLocation: string, day: string) => Promise<ComparedStartState> {
  const config = loadConfig({
    kinds: configKinds(),
    path: join(workspace.dir, 'ledgerline.yaml'),
    env: workspace.env,
    cwd: workspace.dir,
  });
  const source = asPanelSource(config.sources.find((candidate) => candidate.id === PANEL_SOURCE)!);
  const chart = loadMappings({ chartPath: config.mappings }).chart.events;
  return async (ledgerLocation, day) => {
    const ledgerBooks = await openBooks(ledgerLocation);
    const ledger = ledgerBooks.ledger;
    try {
      const next = addDays(day, 1);
      const kept = await keptStartState({ books: ledgerBooks.of(backfillBooks), ledger }, source, next);
      const folded = await foldedStartState({ books: ledgerBooks.of(backfillBooks), ledger }, source, chart, next);
      return { day, kept: kept && comparable(kept), folded: comparable(folded), orders: folded.states.size };
    } finally {
      await ledger.close();
    }
  };
}

/** The three checks of the start states compared after every close of the month end (filled by a beforeAll). */
export function itKeepsEveryStartState(compared: readonly ComparedStartState[]): void {
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
}
