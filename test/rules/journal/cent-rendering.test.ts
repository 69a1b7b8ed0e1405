import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cumulativeCents } from '../../../src/money/index.js';
import {
  renderCents,
  renderEntryCents,
  renderedLinesOf,
  renderedTotals,
  runningTotalKey,
  type JournalLine,
  type RenderedLine,
  type RunningTotalKey,
} from '../../../src/rules/index.js';

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
      fc.record({
        sourceId: fc.constantFrom('smm-panel', 'ads-publisher'),
        amounts: fc.array(fc.bigInt({ min: -99_999n, max: 99_999n }), { minLength: 1, maxLength: 3 }),
      }),
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
          for (const { account, currency } of lines)
            named.set(runningTotalKey(sourceId, account, currency), { sourceId, account, currency });
          for (const rendered of renderCents(sourceId, lines, totals)) {
            const key = runningTotalKey(sourceId, rendered.account, rendered.currency);
            renderedSum.set(key, (renderedSum.get(key) ?? 0n) + rendered.cents);
          }
        }
        const stored = [...totals].map(([key, exactMicros]) => ({ ...named.get(key)!, exactMicros }));
        const derived = new Map(
          renderedTotals(stored).map((total) => [
            runningTotalKey(total.sourceId, total.account, total.currency),
            total.cents,
          ]),
        );
        const nonZero = (sums: Map<string, bigint>) =>
          [...sums].filter(([, cents]) => cents !== 0n).sort(([a], [b]) => a.localeCompare(b));
        expect(nonZero(derived)).toEqual(nonZero(renderedSum));
      }),
      { numRuns: 200 },
    );
  });
});

describe('a running total key', () => {
  it('is one per source, account and currency, however their names split', () => {
    const names = fc.array(
      fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), fc.constantFrom('USD', 'EUR')),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(names, (drawn) => {
        const distinct = new Set(drawn.map((triple) => JSON.stringify(triple)));
        expect(
          new Set(drawn.map(([sourceId, account, currency]) => runningTotalKey(sourceId, account, currency))).size,
        ).toBe(distinct.size);
      }),
    );
    expect(runningTotalKey('ab', 'c', 'USD')).not.toBe(runningTotalKey('a', 'bc', 'USD'));
  });
});

/**
 * The rule as it was first written, rendered lines built one by one: the oracle for renderEntryCents, which
 * keeps each line's cents apart from the rounding lines after them (the ledger stores the two apart).
 */
function renderedAsFirstWritten(
  sourceId: string,
  lines: readonly JournalLine[],
  totals: Map<RunningTotalKey, bigint>,
): RenderedLine[] {
  const rendered: RenderedLine[] = [];
  const nets = new Map<string, bigint>();
  for (const exact of lines) {
    const key = runningTotalKey(sourceId, exact.account, exact.currency);
    const before = totals.get(key) ?? 0n;
    totals.set(key, before + exact.amountMicros);
    const cents = cumulativeCents(before, exact.amountMicros);
    nets.set(exact.currency, (nets.get(exact.currency) ?? 0n) + cents);
    if (cents !== 0n)
      rendered.push({
        account: exact.account,
        currency: exact.currency,
        cents,
        ...(exact.description === undefined ? {} : { description: exact.description }),
      });
  }
  for (const [currency, net] of nets) {
    if (net === 0n) continue;
    const existing = rendered.findIndex(
      (candidate) => candidate.account === 'rounding' && candidate.currency === currency,
    );
    if (existing === -1) rendered.push({ account: 'rounding', currency, cents: -net, description: 'Cent rounding' });
    else if (rendered[existing]!.cents === net) rendered.splice(existing, 1);
    else rendered[existing] = { ...rendered[existing]!, cents: rendered[existing]!.cents - net };
  }
  return rendered;
}

describe("an entry's cents", () => {
  it('render to the lines of the rule as first written, its own rounding line absorbing the difference when it has one', () => {
    const exactLine = fc.record({
      account: fc.constantFrom('smm_services_expense', 'smm_fees', 'panel_prepaid', 'rounding'),
      currency: fc.constantFrom('USD', 'EUR'),
      amountMicros: fc.bigInt({ min: -29_999n, max: 29_999n }).filter((micros) => micros !== 0n),
      description: fc.option(fc.constantFrom('fee', 'Cent rounding'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(fc.array(exactLine, { minLength: 1, maxLength: 5 }), { maxLength: 30 }), (entries) => {
        const totals = new Map<RunningTotalKey, bigint>();
        const oracleTotals = new Map<RunningTotalKey, bigint>();
        for (const lines of entries) {
          const drawn = lines.map(({ description, ...rest }) =>
            description === undefined ? rest : { ...rest, description },
          );
          const cents = renderEntryCents('smm-panel', drawn, totals);
          expect(cents.lineCents).toHaveLength(drawn.length);
          expect(renderedLinesOf(drawn, cents)).toEqual(renderedAsFirstWritten('smm-panel', drawn, oracleTotals));
        }
        expect(totals).toEqual(oracleTotals);
      }),
      { numRuns: 300 },
    );
  });

  it('keep a line that rounds away at 0 and put the rounding after the lines', () => {
    // expense 0.006 → 0.01, fees 0.006 → 0.01, fees 0.002 more → 0.00 (0.008 still rounds to 0.01), prepaid −0.014 → −0.01:
    // the cents sum to +0.01, so a rounding line of −0.01 follows the lines.
    const lines = [
      line('smm_services_expense', 6_000n),
      line('smm_fees', 6_000n),
      line('smm_fees', 2_000n),
      line('panel_prepaid', -14_000n),
    ];
    const cents = renderEntryCents('smm-panel', lines, new Map());
    expect(cents).toEqual({
      lineCents: [1n, 1n, 0n, -1n],
      roundingLines: [{ account: 'rounding', currency: 'USD', cents: -1n, description: 'Cent rounding' }],
    });
  });
});
