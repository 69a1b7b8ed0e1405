import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/calendar/index.js';
import { transitStandings, type LandedBankLine, type TransitItem, type TransitTerms } from '../../../src/rules/index.js';
import { crowdedWorld } from '../../support/crowded-transit-world.js';

/**
 * The indexed matching (src/rules/transit/unsettled-lines.ts) gives what the plain reading of the rule gives:
 * each item, in order, takes from the lines nobody took yet, in its currency, direction and window, a line of its
 * exact amount (one naming it first, else the earliest), else the earliest naming it within the tolerance.
 */
const TERMS: TransitTerms = { alertDays: () => 5, windowDays: 10, toleranceMicros: 25_000_000n };

/** The rule read plainly, as it was written before the index: every unused line filtered for every item. */
function plainMatches(items: readonly TransitItem[], lines: readonly LandedBankLine[], asOf: string): (string | null)[] {
  const used = new Set<LandedBankLine>();
  const ordered = lines.filter((line) => line.bookedOn <= asOf).toSorted((a, b) => a.bookedOn.localeCompare(b.bookedOn) || a.lineId.localeCompare(b.lineId));
  const names = (line: LandedBankLine, item: TransitItem) => `${line.reference}\n${line.description}`.toLowerCase().includes(item.id.toLowerCase());
  return items
    .filter((item) => item.reportedOn <= asOf)
    .toSorted((a, b) => a.reportedOn.localeCompare(b.reportedOn) || a.id.localeCompare(b.id))
    .map((item) => {
      const expected = item.kind === 'payout' ? item.amountMicros : -item.amountMicros;
      const last = addDays(item.reportedOn, TERMS.windowDays);
      const candidates = ordered.filter((line) => !used.has(line) && line.currency === item.currency && line.bookedOn >= item.reportedOn && line.bookedOn <= last && line.amountMicros > 0n === expected > 0n);
      const exact = candidates.filter((line) => line.amountMicros === expected);
      const off = (line: LandedBankLine) => (line.amountMicros > expected ? line.amountMicros - expected : expected - line.amountMicros);
      const line = exact.find((candidate) => names(candidate, item)) ?? exact[0] ?? candidates.find((candidate) => names(candidate, item) && off(candidate) <= TERMS.toleranceMicros);
      if (line === undefined) return null;
      used.add(line);
      return line.lineId;
    });
}

describe('matching payouts and top-ups to bank lines through the index', () => {
  it.for([1, 2, 3, 4, 5])('gives the plain rule\'s match for every item (seeded world %i)', (seed) => {
    const { items, lines } = crowdedWorld(seed);
    const standings = transitStandings({ items, lines, asOf: '2026-11-30', terms: TERMS, accepted: new Set(), atDestination: new Set() });
    const matches = standings.map((standing) => standing.match?.line.lineId ?? null);
    expect(matches).toEqual(plainMatches(items, lines, '2026-11-30'));
    // The world crowds lines on items: both kinds of match and items left without one all occur.
    expect(standings.filter((standing) => standing.state === 'matched').length).toBeGreaterThan(20);
    expect(standings.filter((standing) => standing.state === 'differs').length).toBeGreaterThan(0);
    expect(matches.filter((match) => match === null).length).toBeGreaterThan(0);
  });
});
