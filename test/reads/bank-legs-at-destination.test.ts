import { describe, expect, it } from 'vitest';
import { clearingMoves, undocumentedBankLegs } from '../../src/reads/bank-legs-at-destination.js';
import type { RenderedEntry } from '../../src/rules/index.js';

const XERO = { kind: 'xero', name: 'Xero' };
const leg = (itemId: string, date: string, cents: bigint, id = `je:bank-leg:${itemId}`): RenderedEntry => ({
  id,
  date,
  sourceId: 'operating',
  description: '',
  eventIds: [],
  lines: [
    { account: 'bank', currency: 'USD', cents },
    { account: 'payout_clearing_paypal', currency: 'USD', cents: -cents },
  ],
});

describe('undocumentedBankLegs: the bank legs a destination skipped, compared through its bank-side documents', () => {
  it('names the leg whose item has no document recorded there, with its day and amount; one with its document is settled there', () => {
    expect(
      undocumentedBankLegs(new Set(['po-1']), XERO, [
        leg('po-1', '2026-04-05', 12_000n),
        leg('po-2', '2026-04-17', 8_000n),
      ]),
    ).toEqual([
      {
        kind: 'bank_leg_without_document',
        source: 'xero',
        date: '2026-04-17',
        amount: '80.00',
        currency: 'USD',
        ref: 'je:bank-leg:po-2',
        message:
          'Xero holds no bank-side document for po-2, whose bank line of 80.00 USD on 2026-04-17 moved it out of clearing in the ledger (je:bank-leg:po-2, never sent there, as its document would carry it): clearing there still holds it',
      },
    ]);
  });
});

describe('undocumentedBankLegs: an item unmatched and matched again by hand (issue 82)', () => {
  const T = 'panel:smm-panel:topup:2026-04-03';
  const swapped = [
    leg(T, '2026-04-06', -5_000n),
    leg(T, '2026-04-06', 5_000n, `je:bank-leg-reversal:1:${T}`),
    leg(T, '2026-04-06', -5_150n, `je:bank-leg-again:2:${T}`),
  ];

  it("reads a later leg and a reversal back as the item's: with its document recorded, nothing is listed", () => {
    expect(undocumentedBankLegs(new Set([T]), XERO, swapped)).toEqual([]);
  });

  it('without the document, names the leg that stands alone: the wrong leg and its reversal moved nothing', () => {
    expect(undocumentedBankLegs(new Set(), XERO, swapped)).toEqual([
      expect.objectContaining({ ref: `je:bank-leg-again:2:${T}`, amount: '51.50' }),
    ]);
  });
});

describe('clearingMoves: what the bank-side documents moved in the clearing accounts at the destination, for its trial balance', () => {
  const document = (itemId: string, kind: 'payout' | 'topup', amount: bigint, date: string) => ({
    itemId,
    kind,
    amount,
    currency: 'USD',
    date,
    clearingAccount: kind === 'payout' ? 'payout_clearing_paypal' : 'topup_clearing',
    bankAccount: '090',
  });
  const mapped = {
    clearingMove: (request: { kind: 'payout' | 'topup'; amount: bigint; clearingAccount: string }) => ({
      account: request.clearingAccount === 'topup_clearing' ? '632' : '631',
      cents: (request.kind === 'payout' ? -request.amount : request.amount) / 10_000n,
    }),
  };

  it('a payout leaves its clearing account and a top-up enters it, each only once dated on or before the day asked', () => {
    const documents = [
      document('po-1', 'payout', 312_400_000n, '2026-10-14'),
      document('tu-1', 'topup', 40_000_000n, '2026-10-20'),
      document('po-2', 'payout', 120_000_000n, '2026-10-30'),
    ];
    expect(clearingMoves(mapped, documents, '2026-10-29')).toEqual([
      { account: '631', cents: -31_240n },
      { account: '632', cents: 4_000n },
    ]);
  });

  it('a destination that creates no documents moves nothing', () => {
    expect(clearingMoves({}, [document('po-1', 'payout', 312_400_000n, '2026-10-14')], '2026-10-31')).toEqual([]);
  });
});
