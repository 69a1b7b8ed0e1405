import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ITEM_KINDS, itemTitle } from '../../src/reads/item-titles.js';
import { FINDING_KINDS } from '../../src/rules/index.js';

const SRC = resolve(import.meta.dirname, '../../src');
/** The files that make reconcile's items besides the rules' findings: each kind they write must have a title. */
const ITEM_MAKERS = [
  'reads/reconcile-report.ts',
  'reads/destination-tie-out.ts',
  'kinds/panel/proxy/unanswered-adds.ts',
];

describe('item titles', () => {
  it('give every finding kind of the vocabulary and every check reconcile makes a human title and a next step', () => {
    const made = ITEM_MAKERS.flatMap((file) =>
      [...readFileSync(resolve(SRC, file), 'utf8').matchAll(/kind: '([a-z_]+)'/g)].map((match) => match[1]!),
    );
    expect(made.length).toBeGreaterThan(5);
    for (const kind of new Set([...FINDING_KINDS, ...made])) {
      expect(ITEM_KINDS, `${kind} has no title in src/reads/item-titles.ts`).toContain(kind);
      const { title, nextStep } = itemTitle(kind);
      expect(title, kind).toMatch(/^[A-Z][^_]+$/);
      expect(nextStep, kind).toMatch(/^[A-Z].+\.$/);
    }
  });
});
