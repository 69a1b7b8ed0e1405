import { describe, expect, it } from 'vitest';
import { chartFileEvents } from '../../src/config/chart-vocabulary.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';
import { files } from './source-tree.js';

/**
 * A kind's words stay in the kind (issue 85 item 4): the built-in kinds declare their events, their payouts and
 * top-ups and their reversals in their own vocabularies, as plug-ins do, and the core reads the registered kinds'
 * union. No file of the core vocabulary names a registered kind's event, and no panel rule is named outside the panel.
 */

const builtInEvents = chartFileEvents(configKinds().sources).kinds;
const panelRules = builtInEvents.filter((kind) => kind.startsWith('panel_'));
const named = (code: string, word: string) => new RegExp(`\\b${word}\\b`).test(code);

/** The registered kinds' events a file's text names. */
const eventsNamedIn = (text: string) => builtInEvents.filter((kind) => named(text, kind));

/** The files of `tree` outside src/kinds/panel/ whose text names a panel rule. */
const panelRulesOutside = (tree: readonly { path: string; text: string }[]) =>
  tree
    .filter((file) => !file.path.startsWith('kinds/panel/'))
    .filter((file) => panelRules.some((rule) => named(file.text, rule)))
    .map((file) => file.path);

describe("the built-in kinds' events are their own", () => {
  it('src/rules/vocabulary.ts names no event of a registered kind', () => {
    const vocabulary = files.find((file) => file.path === 'rules/vocabulary.ts')!;
    expect(eventsNamedIn(vocabulary.text)).toEqual([]);
  });

  it('no panel rule (panel_…) is named outside src/kinds/panel/', () => {
    expect(panelRules).toContain('panel_opening_balance');
    expect(panelRulesOutside(files)).toEqual([]);
  });

  it('catches a planted event in the core vocabulary and a planted panel rule outside the panel', () => {
    expect(eventsNamedIn("export const REVERSED = { order_refund: 'order_charge' };")).toEqual([
      'order_charge',
      'order_refund',
    ]);
    const planted = [
      { path: 'cli/commands/planted.ts', text: "const example = 'finding:smm-panel:panel_topup:2026-04-01';" },
      { path: 'kinds/panel/planted.ts', text: "const kind = 'panel_topup';" },
    ];
    expect(panelRulesOutside(planted)).toEqual(['cli/commands/planted.ts']);
  });
});
