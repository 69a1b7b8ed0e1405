import { describe, expect, it } from 'vitest';
import { clearingResidues } from '../../../src/pipeline/transit/clearing-residues.js';
import type { ItemBankLegs } from '../../../src/pipeline/transit/books/transit-books.js';
import type { TransitStanding } from '../../../src/rules/index.js';

/** The 03-31 payout of 76.04, its line +73.54 of 04-03 (2.50 short), in a state. */
function payout(state: TransitStanding['state']): TransitStanding {
  return {
    item: {
      id: 'P',
      kind: 'payout',
      eventKind: 'payout_paypal',
      sourceId: 'ads-publisher',
      amountMicros: 76_040_000n,
      currency: 'USD',
      reportedOn: '2026-03-31',
      cleared: true,
    },
    state,
    ageDays: 3,
    match: {
      line: {
        account: 'main-bank',
        lineId: 'SBK20260403-001',
        bookedOn: '2026-04-03',
        amountMicros: 73_540_000n,
        currency: 'USD',
        reference: 'PAYPAL TRANSFER PAYELANCER 6998',
        description: '',
        statementSha256: 'ab',
      },
      differenceMicros: -2_500_000n,
    },
  };
}

const LEG: ItemBankLegs = {
  legs: 1,
  reversals: 0,
  standing: { n: 1, entryId: 'je:bank-leg:P', date: '2026-04-03', amountMicros: 73_540_000n },
};
const books = (legs: Map<string, ItemBankLegs>, differences: Set<string>) => ({
  bankLegsByItem: async () => legs,
  differenceItems: async () => differences,
});

describe('clearingResidues: a clearing account holds nothing of an item the bank settled', () => {
  it('names a closed payout whose leg stands and whose 2.50 difference is booked nowhere', async () => {
    const residues = await clearingResidues(books(new Map([['P', LEG]]), new Set()), [payout('closed')]);
    expect(residues.map((residue) => [residue.id, residue.amount, residue.currency])).toEqual([['P', '2.50', 'USD']]);
    expect(residues[0]!.message).toContain(
      'payout P of 76.04 USD is closed by line main-bank:SBK20260403-001 of 73.54, its bank leg je:bank-leg:P moved 73.54: 2.50 USD stays in its clearing account',
    );
  });

  it('finds nothing once the difference is booked, nor for an item whose leg is not booked or one still differing', async () => {
    expect(await clearingResidues(books(new Map([['P', LEG]]), new Set(['P'])), [payout('closed')])).toEqual([]);
    expect(await clearingResidues(books(new Map(), new Set()), [payout('closed')])).toEqual([]);
    expect(await clearingResidues(books(new Map([['P', LEG]]), new Set()), [payout('differs')])).toEqual([]);
  });
});
