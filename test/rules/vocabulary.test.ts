import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { payelancerVocabulary } from '../../src/kinds/payelancer/payelancer-vocabulary.js';
import { EXPORT_DATE_FORMATS, GRANULARITIES, PAYOUT_METHODS } from '../../src/rules/vocabulary.js';

const srcDir = resolve(import.meta.dirname, '..', '..', 'src');
const VOCABULARY = 'rules/vocabulary.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** A list written out as code: `'day', 'event'` (quotes and spacing as the formatter writes them). */
function literalList(values: readonly string[]): RegExp {
  return new RegExp(values.map((value) => `'${value.replace(/[/\\]/g, '\\$&')}'`).join(',\\s*'));
}

/**
 * What a second definition of a word looks like in code; a mention in a comment is fine. A word a kind owns (the
 * account it holds a source's money in, issue 71) is defined once in that kind's folder, its `home`, not here.
 */
const SECOND_DEFINITIONS: readonly { word: string; pattern: RegExp; home?: string }[] = [
  {
    word: 'event kinds',
    pattern: literalList(payelancerVocabulary.books!.slice(0, 2)),
    home: 'kinds/payelancer/payelancer-vocabulary.ts',
  },
  { word: 'payout methods', pattern: literalList(PAYOUT_METHODS) },
  { word: 'granularities', pattern: literalList(GRANULARITIES) },
  { word: 'export date formats', pattern: literalList(EXPORT_DATE_FORMATS.slice(0, 2)) },
  { word: 'the payout minimum', pattern: /\b50_000_000n\b/ },
  { word: 'the payout days', pattern: /\(1, 31\)|\.min\(1\)\.max\(31\)|\.max\(28\)/ },
  {
    word: 'the reversal pairs',
    pattern: /publisher_clawback['"]?\s*:\s*'publisher_earnings'/,
    home: 'kinds/payelancer/payelancer-vocabulary.ts',
  },
  { word: 'a well-known account', pattern: /=\s*'rounding'/ },
  { word: "the panel's balance account", pattern: /=\s*'panel_prepaid'/, home: 'kinds/panel/rules/panel-accounts.ts' },
  {
    word: "the ad network's balance account",
    pattern: /=\s*'payelancer_receivable'/,
    home: 'kinds/payelancer/rules/payelancer-accounts.ts',
  },
];

function secondDefinitions(tree: readonly { path: string; text: string }[]): string[] {
  return tree.flatMap((file) =>
    SECOND_DEFINITIONS.filter(({ pattern, home }) => file.path !== (home ?? VOCABULARY) && pattern.test(file.text)).map(
      ({ word }) => `${file.path} defines ${word} again`,
    ),
  );
}

const tree = filesUnder(srcDir).map((path) => ({
  path: relative(srcDir, path),
  text: readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, ''),
}));

describe('the vocabulary is defined once, in src/rules/vocabulary.ts', () => {
  it('no other file in src/ writes out a list or constant the vocabulary holds', () => {
    expect(tree.some((file) => file.path === VOCABULARY)).toBe(true);
    expect(secondDefinitions(tree)).toEqual([]);
  });

  it('catches a planted second definition of each word', () => {
    const planted = [
      {
        path: 'config/planted-kinds.ts',
        text: "z.enum(['publisher_earnings', 'publisher_clawback', 'payout_paypal'])",
      },
      { path: 'config/planted-methods.ts', text: "const METHODS = ['paypal', 'razorpay', 'wire'] as const;" },
      { path: 'cli/planted-granularity.ts', text: "const GRANULARITIES = ['day', 'event'] as const;" },
      {
        path: 'destinations/planted-dates.ts',
        text: "export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY'] as const;",
      },
      { path: 'config/planted-minimum.ts', text: 'export const DEFAULT_PAYOUT_MINIMUM_MICROS = 50_000_000n;' },
      { path: 'config/planted-days.ts', text: 'wholeNumber(1, 31).transform((day) => day)' },
      { path: 'pipeline/planted-account.ts', text: "const PREPAID_ACCOUNT = 'panel_prepaid';" },
      { path: 'rules/tax/planted-pairs.ts', text: "const PAIRS = { publisher_clawback: 'publisher_earnings' };" },
      { path: VOCABULARY, text: "const ROUNDING_ACCOUNT = 'rounding'; 50_000_000n" },
      { path: 'kinds/panel/rules/panel-accounts.ts', text: "export const PANEL_PREPAID_ACCOUNT = 'panel_prepaid';" },
      { path: 'reads/planted-receivable.ts', text: "const RECEIVABLE = 'payelancer_receivable';" },
    ];
    expect(secondDefinitions(planted)).toEqual([
      'config/planted-kinds.ts defines event kinds again',
      'config/planted-methods.ts defines payout methods again',
      'cli/planted-granularity.ts defines granularities again',
      'destinations/planted-dates.ts defines export date formats again',
      'config/planted-minimum.ts defines the payout minimum again',
      'config/planted-days.ts defines the payout days again',
      "pipeline/planted-account.ts defines the panel's balance account again",
      'rules/tax/planted-pairs.ts defines the reversal pairs again',
      "reads/planted-receivable.ts defines the ad network's balance account again",
    ]);
  });
});
