import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/calendar/index.js';
import {
  transitStandings,
  type LandedBankLine,
  type TransitItem,
  type TransitStanding,
  type TransitTerms,
} from '../../../src/rules/index.js';
import { businessDaysBetween } from '../../../src/rules/transit/business-days.js';
import { crowdedWorld } from '../../support/crowded-transit-world.js';

/**
 * The indexed matching (src/rules/transit/unsettled-lines.ts) gives what the plain reading of the rule gives:
 * each item, in order, looks at the lines nobody took yet, in its currency, direction and window, within the
 * tolerance of its amount, that are recognised (they name it, or carry its source's words, or, its source's
 * words unknown, have its exact amount) and not recognised as a later item's (that item's words, within its
 * tolerance, fewer business days from its day: issue 83); it takes one on time (within `alertDays` business days)
 * before any later, then the one nearest its amount, then the earliest, then one naming it, and several equally
 * good make it ambiguous (it takes none).
 */
const TERMS: TransitTerms = { alertDays: () => 5, windowDays: 10, toleranceMicros: 25_000_000n, eventKinds: new Map() };

/** The rule read plainly: every unused line filtered for every item. A match is its line id, an ambiguity "?", none null. */
function plainMatches(
  items: readonly TransitItem[],
  lines: readonly LandedBankLine[],
  asOf: string,
  terms: TransitTerms = TERMS,
): (string | null)[] {
  const used = new Set<LandedBankLine>();
  /** bestOf(item, false) while `used` stays as it is: anotherLater asks it again for every line of every item. */
  const unclaimedBest = new Map<TransitItem, LandedBankLine[]>();
  const ordered = lines.filter((line) => line.bookedOn <= asOf);
  const text = (line: LandedBankLine) => `${line.reference}\n${line.description}`;
  const expectedOf = (item: TransitItem) => (item.kind === 'payout' ? item.amountMicros : -item.amountMicros);
  const offOf = (item: TransitItem, line: LandedBankLine) => {
    const expected = expectedOf(item);
    return line.amountMicros > expected ? line.amountMicros - expected : expected - line.amountMicros;
  };
  const named = (item: TransitItem, line: LandedBankLine) => text(line).toLowerCase().includes(item.id.toLowerCase());
  /** An item's equally best lines among those no one took, `claims` false: without asking later items (one level). */
  const bestOf = (item: TransitItem, claims: boolean): LandedBankLine[] => {
    const expected = expectedOf(item);
    const last = addDays(item.reportedOn, terms.windowDays);
    const words = terms.bankWords?.(item.sourceId);
    // Another item's id as a word of the line's text (words joined by colons, as ids are): that item's line.
    const namesAnother = (line: LandedBankLine) =>
      (
        text(line)
          .toLowerCase()
          .match(/[^\s:/,;]+(?::[^\s:/,;]+){2,}/g) ?? []
      ).some((word) => items.some((other) => other !== item && other.id.toLowerCase() === word));
    // A fee in a bank's words, or a line under half the item's amount, is no item's (issue 83, the mirror case).
    const size = (micros: bigint) => (micros < 0n ? -micros : micros);
    const feeOrFraction = (line: LandedBankLine) =>
      /\b(?:FEES?|COMMISSION)\b/i.test(text(line)) ||
      (line.amountMicros !== expected && size(line.amountMicros) * 2n < size(expected));
    const recognised = (line: LandedBankLine) =>
      named(item, line) ||
      (!namesAnother(line) &&
        !feeOrFraction(line) &&
        (words === undefined ? line.amountMicros === expected : words.test(text(line))));
    // A later item recognising the line within its tolerance, fewer business days from its day than from this
    // item's, with the line among its own best: that item's line (issue 83).
    const anotherLater = (line: LandedBankLine) =>
      items.some((other) => {
        if (other.reportedOn <= item.reportedOn || other.reportedOn > line.bookedOn) return false;
        if (other.currency !== line.currency || offOf(other, line) > terms.toleranceMicros) return false;
        const theirWords = terms.bankWords?.(other.sourceId);
        const theyRecognise =
          named(other, line) ||
          (theirWords === undefined ? line.amountMicros === expectedOf(other) : theirWords.test(text(line)));
        return (
          theyRecognise &&
          businessDaysBetween(other.reportedOn, line.bookedOn) < businessDaysBetween(item.reportedOn, line.bookedOn) &&
          unclaimedBestOf(other).includes(line)
        );
      });
    const candidates = ordered.filter(
      (line) =>
        !used.has(line) &&
        line.currency === item.currency &&
        line.bookedOn >= item.reportedOn &&
        line.bookedOn <= last &&
        line.amountMicros > 0n === expected > 0n &&
        offOf(item, line) <= terms.toleranceMicros &&
        recognised(line) &&
        (!claims || !anotherLater(line)),
    );
    const late = (line: LandedBankLine) =>
      businessDaysBetween(item.reportedOn, line.bookedOn) > terms.alertDays(item.sourceId) ? 1 : 0;
    const rank = (line: LandedBankLine) =>
      [late(line), offOf(item, line), line.bookedOn, named(item, line) ? 0 : 1] as const;
    const compare = (a: LandedBankLine, b: LandedBankLine) => {
      const [x, y] = [rank(a), rank(b)];
      if (x[0] !== y[0]) return x[0] - y[0];
      return x[1] !== y[1] ? (x[1] < y[1] ? -1 : 1) : x[2].localeCompare(y[2]) || x[3] - y[3];
    };
    const sorted = candidates.toSorted(compare);
    return sorted.filter((line) => compare(line, sorted[0]!) === 0);
  };
  const unclaimedBestOf = (item: TransitItem): LandedBankLine[] => {
    const known = unclaimedBest.get(item);
    if (known !== undefined) return known;
    const best = bestOf(item, false);
    unclaimedBest.set(item, best);
    return best;
  };
  return items
    .filter((item) => item.reportedOn <= asOf)
    .toSorted((a, b) => a.reportedOn.localeCompare(b.reportedOn) || a.id.localeCompare(b.id))
    .map((item) => {
      const best = bestOf(item, true);
      if (best.length === 0) return null;
      if (best.length > 1) return '?';
      used.add(best[0]!);
      unclaimedBest.clear();
      return best[0]!.lineId;
    });
}

const asMatches = (standings: readonly TransitStanding[]) =>
  standings.map((standing) => (standing.state === 'ambiguous' ? '?' : (standing.match?.line.lineId ?? null)));

describe('matching payouts and top-ups to bank lines through the index', () => {
  it.for([1, 2, 3, 4, 5])("gives the plain rule's match for every item (seeded world %i)", (seed) => {
    const { items, lines } = crowdedWorld(seed);
    const standings = [
      ...transitStandings({
        items,
        lines,
        asOf: '2026-11-30',
        terms: TERMS,
        accepted: new Set(),
        atDestination: new Set(),
      }),
    ];
    const matches = asMatches(standings);
    expect(matches).toEqual(plainMatches(items, lines, '2026-11-30'));
    // The world crowds lines on items: both kinds of match and items left without one all occur.
    expect(standings.filter((standing) => standing.state === 'matched').length).toBeGreaterThan(20);
    expect(standings.filter((standing) => standing.state === 'differs').length).toBeGreaterThan(0);
    expect(matches.filter((match) => match === null).length).toBeGreaterThan(0);
  });

  it.for([1, 2, 3, 4, 5])(
    "gives the plain rule's match when ids hold one another and lines glue them to other words (seeded world %i)",
    (seed) => {
      const { items, lines } = crowdedWorld(seed);
      // Ids of several shapes, one inside another (src:payout:1 in src:payout:12 and in xsrc:payout:1), and a text
      // naming an id inside a longer word, beside another, or after a slash.
      const shapes = ['src:payout:', 'xsrc:payout:', 'panel-7:topup:', 'src:a:b:'];
      const renamed = new Map(items.map((item, n) => [item.id.toUpperCase(), `${shapes[n % 4]}${Math.floor(n / 4)}`]));
      const glued = items.map((item) => ({ ...item, id: renamed.get(item.id.toUpperCase())! }));
      const texts = [
        (id: string) => `ref ${id}`,
        (id: string) => `ref ${id}7`,
        (id: string) => `ref X${id.toUpperCase()}, fee`,
        (id: string) => `for ${id}/${id}0`,
      ];
      const gluedLines = lines.map((line, n) => {
        const named = [...renamed].find(([old]) => `${line.reference} ${line.description}`.toUpperCase().includes(old));
        return named === undefined
          ? line
          : { ...line, reference: texts[n % 4]!(named[1]), description: n % 3 === 0 ? 'x:y' : 'bank' };
      });
      const standings = [
        ...transitStandings({
          items: glued,
          lines: gluedLines,
          asOf: '2026-11-30',
          terms: TERMS,
          accepted: new Set(),
          atDestination: new Set(),
        }),
      ];
      expect(asMatches(standings)).toEqual(plainMatches(glued, gluedLines, '2026-11-30'));
      expect(standings.filter((standing) => standing.state === 'differs').length).toBeGreaterThan(0);
    },
  );

  it.for([1, 2, 3, 4, 5])(
    "gives the plain rule's match when texts are not ASCII or name ids in capitals, the lines in any order within a day (seeded world %i)",
    (seed) => {
      const { items, lines } = crowdedWorld(seed);
      // İ is two characters in lower case: every place after it moves; Ü does not move them; capitals are lowered.
      const texts = [(text: string) => `İ ${text}`, (text: string) => `Überweisung ${text.toUpperCase()}`];
      const written = lines.map((line, n) =>
        n % 3 === 2
          ? line
          : { ...line, reference: texts[n % 3]!(line.reference), description: `${line.description} Ü` },
      );
      const standings = [
        ...transitStandings({
          items,
          lines: written.toReversed(),
          asOf: '2026-11-30',
          terms: TERMS,
          accepted: new Set(),
          atDestination: new Set(),
        }),
      ];
      expect(asMatches(standings)).toEqual(plainMatches(items, written, '2026-11-30'));
      expect(standings.filter((standing) => standing.state === 'matched').length).toBeGreaterThan(20);
      // An ambiguous item's lines in book order (day, then line id as people sort them), whatever order they came in.
      const ambiguous = standings.filter((standing) => standing.candidates !== undefined);
      expect(ambiguous.length).toBeGreaterThan(0);
      for (const { candidates } of ambiguous)
        expect(candidates).toEqual(
          candidates!.toSorted((a, b) => a.bookedOn.localeCompare(b.bookedOn) || a.lineId.localeCompare(b.lineId)),
        );
    },
  );

  it.for([1, 2, 3])(
    "gives the plain rule's match when the source's lines carry the bank's words, not the item's id (seeded world %i)",
    (seed) => {
      const { items, lines } = crowdedWorld(seed);
      // The bank writes its own words on about half the lines and never the item's id.
      const worded = lines.map((line, n) => ({
        ...line,
        reference: n % 2 === 0 ? `PAYPAL TRANSFER PAYELANCER ${4000 + n}` : 'RENT',
        description: '',
      }));
      const terms: TransitTerms = {
        ...TERMS,
        bankWords: (sourceId) => (sourceId === 'src' ? /paypal|payelancer/i : undefined),
      };
      const standings = [
        ...transitStandings({
          items,
          lines: worded,
          asOf: '2026-11-30',
          terms,
          accepted: new Set(),
          atDestination: new Set(),
        }),
      ];
      const matches = asMatches(standings);
      expect(matches).toEqual(plainMatches(items, worded, '2026-11-30', terms));
      // Words alone settle items, exactly and within the tolerance, and equally good lines leave some ambiguous.
      expect(
        ['matched', 'differs', 'ambiguous'].map(
          (state) => standings.filter((standing) => standing.state === state).length > 0,
        ),
      ).toEqual([true, true, true]);
      // No line without the words settles anything.
      expect(
        standings.every((standing) => standing.match === null || standing.match.line.reference.startsWith('PAYPAL')),
      ).toBe(true);
    },
  );
});
