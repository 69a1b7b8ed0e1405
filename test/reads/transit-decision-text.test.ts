import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/pipeline/transit/index.js';
import { acceptanceLines, decisionJson, decisionLine } from '../../src/reads/transit-decision-text.js';

/** A decision on payout P-1 whose standing is `state`, with `line` (operating:L-8) matched or none. */
function decision(state: 'matched' | 'differs' | 'late', line: string | null, more: Partial<Decision> = {}): Decision {
  const match = line === null ? null : { line: { account: 'operating', lineId: line }, differenceMicros: 0n };
  return { recorded: true, standing: { state, match }, bankLegsBooked: 0, ...more } as unknown as Decision;
}

describe("what transit match and unmatch say they did (the CLI's line and --json, the console's bank-lines page)", () => {
  it('a match names the line and what followed from it; said again, nothing is recorded', () => {
    // Issue 83: P-1 takes a differing line; the line it let go settles P-2, whose leg is booked. P-1's own leg is
    // not: it waits for transit accept (it said "what the line moved left clearing for the bank").
    const matched = decision('differs', 'L-8', {
      bankLegsBooked: 1,
      bankLegIds: ['je:bank-leg:P-2'],
      bankLegReversed: 'bank-leg-reversal:P-1',
    });
    expect(decisionLine('match', 'P-1', matched)).toBe(
      'matched by hand: P-1 takes operating:L-8 (differs); the bank leg of its earlier line reversed by ' +
        'bank-leg-reversal:P-1; the bank leg of another item that took a line booked: je:bank-leg:P-2; its bank leg ' +
        'is not booked: it and the difference wait for you ("ledgerline transit accept P-1")',
    );
    expect(decisionLine('match', 'P-1', { ...matched, recorded: false })).toBe(
      'P-1 takes operating:L-8 already; nothing recorded',
    );
    expect(decisionJson('P-1', matched)).toEqual({
      item: 'P-1',
      recorded: true,
      state: 'differs',
      bankLine: 'operating:L-8',
      bankLegsBooked: 1,
      bankLegs: ['je:bank-leg:P-2'],
      bankLegReversed: 'bank-leg-reversal:P-1',
      lateDifferences: [],
    });
  });

  it('a match of the exact amount names its own bank leg, booked', () => {
    const matched = decision('matched', 'L-8', { bankLegsBooked: 1, bankLegIds: ['je:bank-leg-again:2:P-1'] });
    expect(decisionLine('match', 'P-1', matched)).toBe(
      "matched by hand: P-1 takes operating:L-8 (matched); its bank leg booked, the line's amount out of clearing " +
        'to the bank: je:bank-leg-again:2:P-1',
    );
  });

  it('an unmatch says the state the item is left in, and the differences booked late, a line each', () => {
    const unmatched = decision('late', null, { lateDifferences: ['booked ADJ-1'] });
    expect(decisionLine('unmatch', 'P-1', unmatched)).toBe('unmatched: P-1 is late now\nbooked ADJ-1');
    expect(decisionLine('unmatch', 'P-1', { ...unmatched, recorded: false })).toBe(
      'P-1 holds no bank line; nothing recorded',
    );
    expect(decisionJson('P-1', unmatched)).toMatchObject({ bankLine: null, bankLegReversed: null });
  });
});

describe('what transit accept says it did', () => {
  it('accepted already, a match acknowledged with its note, or a difference booked with its lines, bank leg and approval', () => {
    expect(acceptanceLines('P-1', null, { accepted: 'already' })).toEqual([
      'P-1 was accepted already; nothing more is booked',
    ]);
    expect(acceptanceLines('P-1', 'fee kept by the bank', { accepted: 'match' })).toEqual([
      'accepted: P-1 (fee kept by the bank); it closes once a bank line has settled it',
    ]);
    const entry = {
      date: '2026-04-10',
      lines: [
        { account: 'bank_fees', amountMicros: 1_500_000n, currency: 'USD' },
        { account: 'clearing', amountMicros: -1_500_000n, currency: 'USD' },
      ],
    };
    const difference = {
      accepted: 'difference',
      booked: { entryId: 'ADJ-7', needsApproval: true, entry },
      bankLegsBooked: 1,
    } as unknown as Parameters<typeof acceptanceLines>[2];
    expect(acceptanceLines('P-1', null, difference)).toEqual([
      'accepted: P-1, its difference booked as ADJ-7 dated 2026-04-10: Dr bank_fees 1.50 USD, Cr clearing 1.50 USD',
      'what its bank line moved left clearing for the bank: je:bank-leg:P-1',
      "it waits for a second person's approval before it is posted: ledgerline adjust approve ADJ-7",
    ]);
  });
});
