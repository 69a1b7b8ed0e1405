import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMappings, packageMappingsDir, type ConfigKinds } from '../../src/config/index.js';
import { chartFileEvents } from '../../src/config/chart-vocabulary.js';
import { ConfigError } from '../../src/errors.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';

type Vocabulary = NonNullable<ConfigKinds['sources'][number]['vocabulary']> & { kind: string };

const chartPath = join(packageMappingsDir(), 'default.yaml');
/** What the registered kinds book by the chart file's own rules, as a configured command passes it. */
const chartEvents = chartFileEvents(configKinds().sources);
const tips: Vocabulary = {
  kind: 'counter',
  events: { counter_earnings: { debit: 'counter_receivable', credit: 'counter_revenue', description: 'Tips' } },
  accounts: {
    counter_receivable: { type: 'asset', name: 'Tips receivable' },
    counter_revenue: { type: 'revenue', name: 'Tips' },
  },
};

function problemsOf(vocabularies: Vocabulary[]): string[] {
  try {
    loadMappings({ chartEvents, chartPath, vocabularies });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
    throw error;
  }
  return [];
}

describe('the chart in force is the chart file plus the configured source kinds’ vocabularies', () => {
  it("a declared event kind and its accounts join the shipped chart's, and the shipped rules stay", () => {
    const { chart } = loadMappings({ chartEvents, chartPath, vocabularies: [tips] });
    expect(chart.events.counter_earnings).toEqual({
      debit: [{ account: 'counter_receivable', share: 1n }],
      credit: [{ account: 'counter_revenue', share: 1n }],
      description: 'Tips',
    });
    expect(chart.accounts.counter_revenue).toEqual({ type: 'revenue', name: 'Tips' });
    expect(chart.events.publisher_earnings?.description).toBe('Ad network earnings');
    expect(loadMappings({ chartEvents, chartPath }).chart.events.counter_earnings).toBeUndefined();
  });

  it('a built-in kind declared again, a rule naming an account nobody defines, and a bad account type are refused naming the declaring kind', () => {
    expect(
      problemsOf([
        {
          kind: 'counter',
          events: {
            publisher_earnings: { debit: 'bank', credit: 'ad_revenue', description: 'again' },
            counter_earnings: { debit: 'counter_recievable', credit: 'counter_revenue', description: 'Tips' },
          },
          accounts: { counter_revenue: { type: 'income' as 'revenue', name: 'Tips' } },
        },
      ]),
    ).toEqual([
      'accounts.counter_revenue.type: Invalid option: expected one of "asset"|"liability"|"equity"|"revenue"|"expense" (declared by source kind "counter")',
      'events.publisher_earnings: is a built-in event kind: a source kind declares only kinds of its own, and books the built-in ones without declaring them (declared by source kind "counter")',
      'events.counter_earnings: unknown account "counter_recievable" (did you mean counter_revenue?) (declared by source kind "counter")',
    ]);
  });
});
