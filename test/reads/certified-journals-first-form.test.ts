import { describe, expect, it } from 'vitest';
import {
  certifiedJournalChanges,
  type CertifiedPeriod,
  type HeldJournals,
  type LedgerSide,
} from '../../src/reads/certified-journals.js';

/**
 * A certificate of the first form ("ledgerline period close/1", before issue 52) kept each journal's gross totals
 * in the ledger's accounts, and its SHA-256 is sealed, so it stays as written. Its refund day (panel_prepaid on both
 * sides: Dr 0.14 refund, Cr 0.04 charge) is certified at 0.18 / 0.18 while the destination holds it netted on one
 * account, 0.10 / 0.10. Read with the ledger's entry netted now (ledgerSide), it is not an edit; an edit still is.
 */
const period = (journals: CertifiedPeriod['journals']): CertifiedPeriod => ({
  period: '2026-03',
  periodStart: '2026-03-01',
  periodEnd: '2026-03-31',
  certificateSha256: 'c0ffee',
  journals,
});
const refundDay = {
  entryId: 'je:smm-panel:2026-03-31',
  date: '2026-03-31',
  journalId: 'j-31',
  totals: [{ currency: 'USD', debit: '0.18', credit: '0.18' }],
};
const xero = { kind: 'xero', name: 'Xero', currency: 'USD' };
const held = (lines: { account: string; cents: bigint }[]): HeldJournals =>
  new Map([['j-31', { state: 'present', lines }]]);
/** The ledger's entry as Xero holds it: 0.14 refunded to prepaid and 0.04 charged from it, netted on account 610. */
const ledgerSide: LedgerSide = (entryId) =>
  entryId === refundDay.entryId
    ? {
        currency: 'USD',
        lines: [
          { account: '610', cents: 10n },
          { account: '500', cents: -10n },
        ],
        gross: [{ currency: 'USD', debit: '0.18', credit: '0.18' }],
      }
    : undefined;

describe('a certificate of the first form (gross totals only) against the journals read back', () => {
  it('does not call a netted refund day edited when the ledger entry, netted now, is what the destination holds', () => {
    const asHeld = held([
      { account: '500', cents: -10n },
      { account: '610', cents: 10n },
    ]);
    expect(certifiedJournalChanges(period([refundDay]), asHeld, xero, { ledgerSide })).toEqual([]);
  });

  it('still names the journal edited at the destination, with the certified totals and what it holds now', () => {
    const edited = held([
      { account: '500', cents: -110n },
      { account: '610', cents: 110n },
    ]);
    expect(
      certifiedJournalChanges(period([refundDay]), edited, xero, { ledgerSide }).map((item) => item.message),
    ).toEqual([
      'closed period 2026-03 (certificate sha256:c0ffee): Xero journal j-31 for entry je:smm-panel:2026-03-31 (2026-03-31) was edited behind the lock: certified debit 0.18 credit 0.18 USD, now debit 1.10 credit 1.10 USD',
    ]);
  });

  it('falls back to the certified totals when the ledger entry no longer has them (the chain check names that entry)', () => {
    const changedLedger: LedgerSide = (entryId) => ({
      ...ledgerSide(entryId)!,
      gross: [{ currency: 'USD', debit: '0.19', credit: '0.19' }],
    });
    const asHeld = held([
      { account: '500', cents: -10n },
      { account: '610', cents: 10n },
    ]);
    expect(certifiedJournalChanges(period([refundDay]), asHeld, xero, { ledgerSide: changedLedger })).toHaveLength(1);
  });

  it('reads a journal of the second form account by account, naming the accounts moved when the totals agree', () => {
    const secondForm = {
      ...refundDay,
      currency: 'USD',
      lines: [
        { account: '500', cents: '-0.10' },
        { account: '610', cents: '0.10' },
      ],
      totals: [{ currency: 'USD', debit: '0.10', credit: '0.10' }],
    };
    expect(
      certifiedJournalChanges(
        period([secondForm]),
        held([
          { account: '610', cents: 10n },
          { account: '500', cents: -10n },
        ]),
        xero,
      ),
    ).toEqual([]);
    const moved = held([
      { account: '620', cents: 10n },
      { account: '500', cents: -10n },
    ]);
    expect(certifiedJournalChanges(period([secondForm]), moved, xero).map((item) => item.message)).toEqual([
      'closed period 2026-03 (certificate sha256:c0ffee): Xero journal j-31 for entry je:smm-panel:2026-03-31 (2026-03-31) was edited behind the lock: certified debit 0.10 credit 0.10 USD, now debit 0.10 credit 0.10 USD (account 610 certified 0.10, now 0.00; account 620 certified 0.00, now 0.10)',
    ]);
  });
});
