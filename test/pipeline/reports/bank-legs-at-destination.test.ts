import { describe, expect, it } from 'vitest';
import { undocumentedBankLegs } from '../../../src/pipeline/reports/bank-legs-at-destination.js';
import type { RenderedEntry } from '../../../src/rules/index.js';

const XERO = { kind: 'xero', name: 'Xero' };
const leg = (itemId: string, date: string, cents: bigint): RenderedEntry => ({
  id: `je:bank-leg:${itemId}`,
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
  it('names the leg whose item has no document recorded there, with its day and amount; one with its document is settled there', async () => {
    const asked: string[] = [];
    const reads = {
      bankSideDocuments: async (destination: string) => {
        asked.push(destination);
        return new Set(['po-1']);
      },
    };
    expect(await undocumentedBankLegs(reads, XERO, [leg('po-1', '2026-04-05', 12_000n), leg('po-2', '2026-04-17', 8_000n)])).toEqual([
      {
        kind: 'bank_leg_without_document',
        source: 'xero',
        date: '2026-04-17',
        amount: '80.00',
        currency: 'USD',
        ref: 'je:bank-leg:po-2',
        message: 'Xero holds no bank-side document for po-2, whose bank line of 80.00 USD on 2026-04-17 moved it out of clearing in the ledger (je:bank-leg:po-2, never sent there, as its document would carry it): clearing there still holds it',
      },
    ]);
    expect(asked).toEqual(['xero']);
  });

  it('reads nothing when no leg was skipped', async () => {
    expect(await undocumentedBankLegs({ bankSideDocuments: async () => { throw new Error('read'); } }, XERO, [])).toEqual([]);
  });
});
