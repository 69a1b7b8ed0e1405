import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceKinds } from '../../src/pipeline/kinds/index.js';
import { CORE_ITEM_KINDS, itemTitle } from '../../src/reads/item-titles.js';

const SRC = resolve(import.meta.dirname, '../../src');
/** The files that make reconcile's items besides the findings of the kinds of source: each kind they write must have a title. */
const ITEM_MAKERS = ['reads/reconcile-report.ts', 'reads/destination-tie-out.ts'];

describe('item titles', () => {
  it('give every finding kind a registered kind declares and every check reconcile makes a human title and a next step', () => {
    const made = ITEM_MAKERS.flatMap((file) =>
      [...readFileSync(resolve(SRC, file), 'utf8').matchAll(/kind: '([a-z_]+)'/g)].map((match) => match[1]!),
    );
    expect(made.length).toBeGreaterThan(5);
    const declared = sourceKinds.findingWords();
    expect(Object.keys(declared)).toEqual(expect.arrayContaining(['unknown_order', 'counter_vs_conversions']));
    for (const kind of new Set([...made, ...Object.keys(declared)])) {
      expect([...CORE_ITEM_KINDS, ...Object.keys(declared)], `${kind} has no title`).toContain(kind);
      const { title, nextStep } = itemTitle(kind, declared);
      expect(title, kind).toMatch(/^[A-Z][^_]+$/);
      expect(nextStep, kind).toMatch(/^[A-Z].+\.$/);
    }
  });

  it('read a kind no registered kind declares as its key, so a stored finding of a removed plug-in is still listed', () => {
    expect(itemTitle('tip_unmatched', {})).toEqual({
      title: 'tip unmatched',
      nextStep: 'Read the message, then acknowledge it with a note (ledgerline reconcile ack ID --note "…").',
    });
    expect(itemTitle('tip_unmatched', { tip_unmatched: { title: 'A tip', nextStep: 'Match it.' } }).title).toBe(
      'A tip',
    );
  });
});
