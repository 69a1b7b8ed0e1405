import { describe, expect, it } from 'vitest';
import type { JournalRule } from '../../../src/config/index.js';
import { differenceBooking } from '../../../src/pipeline/transit/index.js';
import type { TransitStanding } from '../../../src/rules/index.js';

const EVENTS = {
  payout_paypal: {
    debit: [{ account: 'payout_clearing_paypal', share: 1 }],
    credit: [{ account: 'payelancer_receivable', share: 1 }],
  },
  panel_topup: { debit: [{ account: 'panel_prepaid', share: 1 }], credit: [{ account: 'topup_clearing', share: 1 }] },
} as unknown as Readonly<Record<string, JournalRule>>;

function standing(
  kind: 'payout' | 'topup',
  amountMicros: bigint,
  lineMicros: bigint,
  state: TransitStanding['state'] = 'differs',
): TransitStanding {
  const id = kind === 'payout' ? 'payelancer:pub:payout:2026-04-10' : 'panel:smm:topup:2026-04-08';
  const expected = kind === 'payout' ? amountMicros : -amountMicros;
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
    ageDays: 20,
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
      differenceMicros: kind === 'payout' ? lineMicros - expected : expected - lineMicros,
    },
  };
}

describe('differenceBooking: what accepting a differing payout or top-up books', () => {
  it("books a payout of 95.00 that arrived as 92.50: Dr bank_fees 2.50, Cr its clearing account, on the line's day, naming the item and the line", () => {
    expect(differenceBooking(standing('payout', 95_000_000n, 92_500_000n), EVENTS, 'fee per the network')).toEqual({
      date: '2026-04-12',
      currency: 'USD',
      reason:
        'transit payelancer:pub:payout:2026-04-10 accepted: bank line operating:L-7 of 92.50 on 2026-04-12 against 95.00 USD; fee per the network',
      lines: [
        { side: 'debit', text: 'bank_fees=2.50' },
        { side: 'credit', text: 'payout_clearing_paypal=2.50' },
      ],
    });
  });

  it('books a top-up of 40.50 paid by a card line of −42.00 as a fee of 1.50 against topup_clearing', () => {
    expect(differenceBooking(standing('topup', 40_500_000n, -42_000_000n), EVENTS, null)?.lines).toEqual([
      { side: 'debit', text: 'bank_fees=1.50' },
      { side: 'credit', text: 'topup_clearing=1.50' },
    ]);
  });

  it('books a payout that arrived 1.00 over the other way: Dr the clearing account, Cr bank_fees', () => {
    expect(differenceBooking(standing('payout', 95_000_000n, 96_000_000n), EVENTS, null)?.lines).toEqual([
      { side: 'debit', text: 'payout_clearing_paypal=1.00' },
      { side: 'credit', text: 'bank_fees=1.00' },
    ]);
  });

  it('books nothing for a matched item', () => {
    expect(differenceBooking(standing('payout', 95_000_000n, 95_000_000n, 'matched'), EVENTS, null)).toBeNull();
  });
});
