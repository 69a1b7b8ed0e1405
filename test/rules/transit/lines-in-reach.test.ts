import { describe, expect, it } from 'vitest';
import {
  linesInReach,
  transitStandings,
  type LandedBankLine,
  type LineReach,
  type TransitItem,
  type TransitTerms,
} from '../../../src/rules/index.js';
import { crowdedWorld } from '../../support/crowded-transit-world.js';

const TERMS: TransitTerms = { alertDays: () => 5, windowDays: 10, toleranceMicros: 25_000_000n, eventKinds: new Map() };

const item = (id: string, kind: TransitItem['kind'], amountMicros: bigint, reportedOn: string): TransitItem => ({
  id,
  kind,
  eventKind: kind === 'payout' ? 'payout_wire' : 'panel_topup',
  sourceId: 'src',
  amountMicros,
  currency: 'EUR',
  reportedOn,
  cleared: true,
});

/** What the store's SQL keeps (store/transit-items landedBankLines), read plainly. */
const withinSome = (reaches: readonly LineReach[]) => (line: LandedBankLine) =>
  reaches.some(
    (reach) =>
      line.currency === reach.currency &&
      line.amountMicros > 0n === reach.moneyIn &&
      line.amountMicros >= reach.lowestMicros &&
      line.amountMicros <= reach.highestMicros &&
      line.bookedOn >= reach.from &&
      line.bookedOn <= reach.to,
  );

/** As withinSome, with a narrowed reach's lines of no exact amount kept only when their text holds a colon. */
const withinSomeNarrowed = (reaches: readonly LineReach[]) => (line: LandedBankLine) =>
  reaches.some(
    (reach) =>
      withinSome([reach])(line) &&
      (reach.exactMicros === undefined ||
        reach.exactMicros.includes(line.amountMicros) ||
        `${line.reference}${line.description}`.includes(':')),
  );

describe('the bank lines some payout or top-up could take', () => {
  it('spans each currency and direction: amounts give or take the tolerance, days from the first item to the last window end or the day judged', () => {
    const items = [
      item('a', 'payout', 100_000_000n, '2026-11-14'),
      item('b', 'payout', 300_000_000n, '2026-12-28'),
      item('c', 'topup', 40_000_000n, '2026-11-20'),
      item('d', 'payout', 1_000_000n, '2027-01-02'),
    ];
    expect(linesInReach(items, '2026-12-31', TERMS)).toEqual([
      {
        currency: 'EUR',
        moneyIn: true,
        lowestMicros: 75_000_000n,
        highestMicros: 325_000_000n,
        from: '2026-11-14',
        to: '2026-12-31',
      },
      {
        currency: 'EUR',
        moneyIn: false,
        lowestMicros: -65_000_000n,
        highestMicros: -15_000_000n,
        from: '2026-11-20',
        to: '2026-11-30',
      },
    ]);
  });

  it.for([
    { asOf: '2026-11-30', terms: TERMS, as: 'a window of 10 days, 25.00 either way' },
    { asOf: '2026-11-12', terms: TERMS, as: 'a window of 10 days, 25.00 either way' },
    {
      asOf: '2026-11-30',
      terms: { ...TERMS, windowDays: 2, toleranceMicros: 0n },
      as: 'a window of 2 days, exact amounts',
    },
  ])('leaves out only lines no item takes (as of $asOf, $as)', ({ asOf, terms }) => {
    for (const seed of [1, 2, 3]) {
      const { items, lines } = crowdedWorld(seed);
      const inReach = lines.filter(withinSome(linesInReach(items, asOf, terms)));
      const matches = (landed: readonly LandedBankLine[]) =>
        [...transitStandings({ items, lines: landed, asOf, terms, accepted: new Set(), atDestination: new Set() })].map(
          (standing) => [standing.state, standing.match?.line.lineId],
        );
      expect(matches(inReach)).toEqual(matches(lines));
      // Not vacuous: some lines are out of every reach.
      expect(inReach.length).toBeLessThan(lines.length);
    }
  });

  it.for([
    { asOf: '2026-11-30', terms: TERMS, as: 'a window of 10 days, 25.00 either way' },
    {
      asOf: '2026-11-30',
      terms: { ...TERMS, windowDays: 2, toleranceMicros: 0n },
      as: 'a window of 2 days, exact amounts',
    },
  ])(
    'narrowed to exact amounts and lines naming an item when no source has bank words (as of $asOf, $as)',
    ({ asOf, terms }) => {
      for (const seed of [1, 2, 3]) {
        const { items, lines } = crowdedWorld(seed);
        const reaches = linesInReach(items, asOf, terms);
        expect(reaches.every((reach) => reach.exactMicros !== undefined)).toBe(true);
        const inReach = lines.filter(withinSome(reaches));
        const narrowed = lines.filter(withinSomeNarrowed(reaches));
        const matches = (landed: readonly LandedBankLine[]) =>
          [
            ...transitStandings({ items, lines: landed, asOf, terms, accepted: new Set(), atDestination: new Set() }),
          ].map((standing) => [
            standing.state,
            standing.match?.line.lineId,
            standing.candidates?.map((line) => line.lineId),
          ]);
        expect(matches(narrowed)).toEqual(matches(lines));
        // Not vacuous: the narrowing leaves out lines the reaches hold.
        expect(narrowed.length).toBeLessThan(inReach.length);
      }
    },
  );

  it("narrows a reach to its items' exact amounts however many there are (issue 72: 100,000 payouts)", () => {
    const payouts = Array.from({ length: 100_000 }, (_, n) =>
      item(`src:payout:${n}`, 'payout', 100_000_000n + BigInt(n) * 10_000n, '2026-11-14'),
    );
    const [reach] = linesInReach(payouts, '2026-12-31', TERMS);
    expect(reach?.exactMicros).toHaveLength(100_000);
    expect(reach?.exactMicros?.at(-1)).toBe(100_000_000n + 99_999n * 10_000n);
  });

  it('reads a reach whole when one of its items has bank words for its source or an id without a colon', () => {
    const payout = item('src:payout:1', 'payout', 100_000_000n, '2026-11-14');
    const words = { ...TERMS, bankWords: (sourceId: string) => (sourceId === 'paypal' ? /PAYPAL/i : undefined) };
    expect(linesInReach([payout], '2026-12-31', words).map((reach) => reach.exactMicros)).toEqual([[100_000_000n]]);
    for (const other of [
      { ...payout, id: 'src:payout:2', sourceId: 'paypal' },
      { ...payout, id: 'po-2' },
    ])
      expect(linesInReach([payout, other], '2026-12-31', words).map((reach) => reach.exactMicros)).toEqual([undefined]);
  });
});
