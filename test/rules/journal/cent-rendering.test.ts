import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCents, renderedTotals, runningTotalKey, type RunningTotalKey } from '../../../src/rules/index.js';

const line = (account: string, amountMicros: bigint) => ({ account, currency: 'USD', amountMicros });

describe('the cents all the lines of a running total rendered to', () => {
  it('are its half-even cents, and the rounding account balances each source and currency', () => {
    // expense 0.005 → 0.00 and fees 0.005 → 0.00 (half-even), prepaid −0.010 → −0.01: rounding takes +0.01.
    expect(
      renderedTotals([
        { sourceId: 'smm-panel', account: 'smm_fees', currency: 'USD', exactMicros: 5_000n },
        { sourceId: 'smm-panel', account: 'smm_services_expense', currency: 'USD', exactMicros: 5_000n },
        { sourceId: 'smm-panel', account: 'panel_prepaid', currency: 'USD', exactMicros: -10_000n },
      ]),
    ).toEqual([
      { sourceId: 'smm-panel', account: 'smm_fees', currency: 'USD', exactMicros: 5_000n, cents: 0n },
      { sourceId: 'smm-panel', account: 'smm_services_expense', currency: 'USD', exactMicros: 5_000n, cents: 0n },
      { sourceId: 'smm-panel', account: 'panel_prepaid', currency: 'USD', exactMicros: -10_000n, cents: -1n },
      { sourceId: 'smm-panel', account: 'rounding', currency: 'USD', exactMicros: 0n, cents: 1n },
    ]);
  });

  it('equal the cents its entries rendered one by one, whatever the entries', () => {
    const accounts = ['smm_services_expense', 'smm_fees', 'panel_prepaid', 'rounding'] as const;
    const entries = fc.array(
      fc.record({ sourceId: fc.constantFrom('smm-panel', 'ads-publisher'), amounts: fc.array(fc.bigInt({ min: -99_999n, max: 99_999n }), { minLength: 1, maxLength: 3 }) }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(entries, (drawn) => {
        const totals = new Map<RunningTotalKey, bigint>();
        const named = new Map<RunningTotalKey, { sourceId: string; account: string; currency: string }>();
        const renderedSum = new Map<string, bigint>();
        for (const { sourceId, amounts } of drawn) {
          const lines = amounts.map((micros, index) => line(accounts[index % 3]!, micros));
          lines.push(line(accounts[3], -amounts.reduce((sum, micros) => sum + micros, 0n)));
          for (const { account, currency } of lines) named.set(runningTotalKey(sourceId, account, currency), { sourceId, account, currency });
          for (const rendered of renderCents(sourceId, lines, totals)) {
            const key = runningTotalKey(sourceId, rendered.account, rendered.currency);
            renderedSum.set(key, (renderedSum.get(key) ?? 0n) + rendered.cents);
          }
        }
        const stored = [...totals].map(([key, exactMicros]) => ({ ...named.get(key)!, exactMicros }));
        const derived = new Map(renderedTotals(stored).map((total) => [runningTotalKey(total.sourceId, total.account, total.currency), total.cents]));
        const nonZero = (sums: Map<string, bigint>) => [...sums].filter(([, cents]) => cents !== 0n).sort(([a], [b]) => a.localeCompare(b));
        expect(nonZero(derived)).toEqual(nonZero(renderedSum));
      }),
      { numRuns: 200 },
    );
  });
});

describe('a running total key', () => {
  it('is one per source, account and currency, however their names split', () => {
    const names = fc.array(fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), fc.constantFrom('USD', 'EUR')), { maxLength: 30 });
    fc.assert(
      fc.property(names, (drawn) => {
        const distinct = new Set(drawn.map((triple) => JSON.stringify(triple)));
        expect(new Set(drawn.map(([sourceId, account, currency]) => runningTotalKey(sourceId, account, currency))).size).toBe(distinct.size);
      }),
    );
    expect(runningTotalKey('ab', 'c', 'USD')).not.toBe(runningTotalKey('a', 'bc', 'USD'));
  });
});
