import { describe, expect, it } from 'vitest';
import {
  bankLegEntry,
  bankLegReversal,
  cancelledBankLegs,
  isBankSideEntry,
  numberedBankLeg,
  type TransitStanding,
} from '../../../src/rules/index.js';

const ACCOUNTS = { clearing: 'payout_clearing_paypal', bank: 'bank' };

function standing(
  kind: 'payout' | 'topup',
  amountMicros: bigint,
  lineMicros: bigint,
  state: TransitStanding['state'],
): TransitStanding {
  const id = kind === 'payout' ? 'payelancer:pub:payout:2026-04-10' : 'panel:smm:topup:2026-04-08';
  return {
    item: {
      id,
      kind,
      eventKind: kind === 'payout' ? 'payout_paypal' : 'panel_topup',
      sourceId: 'pub',
      amountMicros,
      currency: 'USD',
      reportedOn: '2026-04-10',
      cleared: true,
    },
    state,
    ageDays: 5,
    match: {
      line: {
        account: 'operating',
        lineId: 'L-7',
        bookedOn: '2026-04-12',
        amountMicros: lineMicros,
        currency: 'USD',
        reference: id,
        description: '',
        statementSha256: 'ab',
      },
      differenceMicros: 0n,
    },
  };
}

describe('bankLegEntry: the move out of clearing once a bank line settled an item', () => {
  it("books a matched payout of 312.40 as Dr bank / Cr its clearing account, on the line's day, keyed by the item", () => {
    expect(bankLegEntry(standing('payout', 312_400_000n, 312_400_000n, 'matched'), ACCOUNTS)).toEqual({
      id: 'je:bank-leg:payelancer:pub:payout:2026-04-10',
      date: '2026-04-12',
      sourceId: 'operating',
      description:
        'Payout payelancer:pub:payout:2026-04-10 at the bank: line operating:L-7 of 312.40 USD on 2026-04-12',
      eventIds: [],
      lines: [
        { account: 'bank', currency: 'USD', amountMicros: 312_400_000n },
        { account: 'payout_clearing_paypal', currency: 'USD', amountMicros: -312_400_000n },
      ],
    });
  });

  it('books a top-up paid by a card line of −40.00 the other way: Dr topup_clearing, Cr bank', () => {
    expect(
      bankLegEntry(standing('topup', 40_000_000n, -40_000_000n, 'matched'), {
        clearing: 'topup_clearing',
        bank: 'card',
      })?.lines,
    ).toEqual([
      { account: 'topup_clearing', currency: 'USD', amountMicros: 40_000_000n },
      { account: 'card', currency: 'USD', amountMicros: -40_000_000n },
    ]);
  });

  it("books an accepted short payout (95.00 arrived as 92.50) at the line's 92.50: the 2.50 is the acceptance's own entry", () => {
    const lines = bankLegEntry(
      {
        ...standing('payout', 95_000_000n, 92_500_000n, 'closed'),
        match: { ...standing('payout', 95_000_000n, 92_500_000n, 'closed').match!, differenceMicros: -2_500_000n },
      },
      ACCOUNTS,
    )?.lines;
    expect(lines?.map((line) => line.amountMicros)).toEqual([92_500_000n, -92_500_000n]);
  });

  it('books nothing for an item not settled by a line (differing and not accepted, late, matched by a document at the destination) or not in clearing yet', () => {
    expect(bankLegEntry(standing('payout', 95_000_000n, 92_500_000n, 'differs'), ACCOUNTS)).toBeNull();
    expect(bankLegEntry({ ...standing('payout', 95_000_000n, 0n, 'late'), match: null }, ACCOUNTS)).toBeNull();
    expect(
      bankLegEntry({ ...standing('payout', 95_000_000n, 0n, 'matched'), match: null, document: 'BT-1' }, ACCOUNTS),
    ).toBeNull();
    const uncleared = standing('payout', 95_000_000n, 95_000_000n, 'matched');
    expect(bankLegEntry({ ...uncleared, item: { ...uncleared.item, cleared: false } }, ACCOUNTS)).toBeNull();
  });

  it('tells a bank leg by its id, and an entry of two lines one of them on a bank account where the bank accounts are named', () => {
    const lines = (...accounts: string[]) => accounts.map((account) => ({ account }));
    expect(
      isBankSideEntry({
        id: 'je:bank-leg:payelancer:pub:payout:2026-04-10',
        lines: lines('bank', 'payout_clearing_paypal'),
      }),
    ).toBe(true);
    const rent = { id: 'je:adjustment:2026-04-12:1', lines: lines('suspense', 'bank') };
    expect([isBankSideEntry(rent), isBankSideEntry(rent, new Set(['bank']))]).toEqual([false, true]);
    expect(
      isBankSideEntry(
        { id: 'je:adjustment:2026-04-12:2', lines: lines('bank_fees', 'suspense', 'bank') },
        new Set(['bank']),
      ),
    ).toBe(false);
    expect(
      isBankSideEntry(
        { id: 'je:adjustment:2026-04-12:3', lines: lines('bank_fees', 'payout_clearing_paypal') },
        new Set(['bank']),
      ),
    ).toBe(false);
  });
});

describe('bankLegReversal: an unmatch undoes the leg of the line the item let go', () => {
  it("swaps a top-up's 50.00 leg, dated its day, numbered after it; the next leg is je:bank-leg-again:2", () => {
    const topup = standing('topup', 50_000_000n, -50_000_000n, 'matched');
    const clearing = { clearing: 'topup_clearing', bank: 'bank' };
    const reversal = bankLegReversal(
      topup.item,
      {
        n: 1,
        entryId: `je:bank-leg:${topup.item.id}`,
        date: '2026-04-06',
        amountMicros: 50_000_000n,
        sourceId: 'operating',
      },
      clearing,
    );
    expect([reversal.id, reversal.date, reversal.lines.map((line) => `${line.account} ${line.amountMicros}`)]).toEqual([
      `je:bank-leg-reversal:1:${topup.item.id}`,
      '2026-04-06',
      ['bank 50000000', 'topup_clearing -50000000'],
    ]);
    expect(bankLegEntry(topup, clearing, 2)?.id).toBe(`je:bank-leg-again:2:${topup.item.id}`);
    expect(isBankSideEntry(reversal)).toBe(true);
  });
});

describe('numberedBankLeg and cancelledBankLegs: a leg or reversal read back as its item’s (issue 82)', () => {
  const T = 'panel:smm-panel:topup:2026-04-03';

  it('reads the item, the number and the leg each id is or reverses; any other entry is none', () => {
    expect(
      [`je:bank-leg:${T}`, `je:bank-leg-reversal:1:${T}`, `je:bank-leg-again:2:${T}`, 'je:adjustment:2026-04-01:1'].map(
        numberedBankLeg,
      ),
    ).toEqual([
      { itemId: T, n: 1, reversal: false, legId: `je:bank-leg:${T}` },
      { itemId: T, n: 1, reversal: true, legId: `je:bank-leg:${T}` },
      { itemId: T, n: 2, reversal: false, legId: `je:bank-leg-again:2:${T}` },
      undefined,
    ]);
  });

  it('pairs each reversal with the leg it reverses when both are among the ids; a reversal whose leg is not stays', () => {
    expect(
      cancelledBankLegs([`je:bank-leg:${T}`, `je:bank-leg-reversal:1:${T}`, `je:bank-leg-again:2:${T}`, 'je:x']),
    ).toEqual(new Set([`je:bank-leg:${T}`, `je:bank-leg-reversal:1:${T}`]));
    expect(cancelledBankLegs([`je:bank-leg-reversal:2:${T}`, `je:bank-leg:${T}`])).toEqual(new Set());
  });
});
