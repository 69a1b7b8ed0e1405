import { describe, expect, it } from 'vitest';
import { ConfigError, LedgerIntegrityError, UsageError } from '../../../src/errors.js';
import type { RenderedEntry } from '../../../src/rules/index.js';
import {
  QUICKBOOKS_DOC_NUMBER_MAX_LENGTH,
  journalNumberClash,
  quickbooksBatch,
  quickbooksDocNumber,
  quickbooksJournalEntry,
  quickbooksRequestId,
} from '../../../src/destinations/quickbooks/quickbooks-payload.js';
import { panelRoundingDay, payout, publisherEarnings, quickbooksMapping } from '../csv/sample-entries.js';

describe('quickbooksJournalEntry', () => {
  it('the rounding day becomes a journal entry with positive amounts, posting sides, class and the entry id in the note', () => {
    expect(quickbooksJournalEntry(panelRoundingDay, quickbooksMapping)).toEqual({
      DocNumber: 'LL-20260302-3aq070xnj',
      TxnDate: '2026-03-02',
      PrivateNote: 'SMM panel orders 2026-03-02 [je:smm-panel:2026-03-02]',
      CurrencyRef: { value: 'USD' },
      Line: [
        {
          Description: 'SMM panel orders 2026-03-02',
          Amount: 1.57,
          DetailType: 'JournalEntryLineDetail',
          JournalEntryLineDetail: {
            PostingType: 'Debit',
            AccountRef: { value: '301', name: 'Advertising:SMM services' },
            ClassRef: { value: '5000000000000012345', name: 'Marketing' },
          },
        },
        {
          Description: 'SMM panel orders 2026-03-02',
          Amount: 1.56,
          DetailType: 'JournalEntryLineDetail',
          JournalEntryLineDetail: { PostingType: 'Credit', AccountRef: { value: '102', name: 'Prepaid:SMM panel' } },
        },
        {
          Description: 'Cent rounding',
          Amount: 0.01,
          DetailType: 'JournalEntryLineDetail',
          JournalEntryLineDetail: { PostingType: 'Credit', AccountRef: { value: '401', name: 'Rounding' } },
        },
      ],
    });
  });

  it('serialises to exactly this request body, with a location as DepartmentRef', () => {
    expect(JSON.stringify(quickbooksJournalEntry(publisherEarnings, quickbooksMapping))).toBe(
      '{"DocNumber":"LL-20260301-v8hxv9znb","TxnDate":"2026-03-01","PrivateNote":"Publisher earnings 2026-03-01 [je:ads-publisher:2026-03-01]",' +
        '"CurrencyRef":{"value":"USD"},"Line":[' +
        '{"Description":"Publisher earnings 2026-03-01","Amount":12.34,"DetailType":"JournalEntryLineDetail",' +
        '"JournalEntryLineDetail":{"PostingType":"Debit","AccountRef":{"value":"101","name":"Receivables:Payelancer"}}},' +
        '{"Description":"Publisher earnings 2026-03-01","Amount":12.34,"DetailType":"JournalEntryLineDetail",' +
        '"JournalEntryLineDetail":{"PostingType":"Credit","AccountRef":{"value":"201","name":"Ad revenue"},"DepartmentRef":{"value":"3","name":"Online"}}}]}',
    );
  });

  it('refuses a class left by name only (one the company did not have when post looked it up), since the API needs its id', () => {
    const byName = {
      ...quickbooksMapping,
      smm_services_expense: { id: '301', name: 'Advertising:SMM services', class: 'Marketing' },
    };
    expect(() => quickbooksJournalEntry(panelRoundingDay, byName)).toThrow(ConfigError);
    expect(() => quickbooksJournalEntry(panelRoundingDay, byName)).toThrow(
      'QuickBooks account mapping at smm_services_expense.class: names class "Marketing", which was not found in QuickBooks; run "ledgerline doctor --to quickbooks"',
    );
  });

  it('names the customer of a receivable line as its Entity', () => {
    const withCustomer = {
      ...quickbooksMapping,
      payelancer_receivable: {
        ...quickbooksMapping.payelancer_receivable!,
        customer: { id: '58', name: 'Payelancer' },
      },
    };
    const line = quickbooksJournalEntry(publisherEarnings, withCustomer).Line[0]!;
    expect(line.JournalEntryLineDetail).toEqual({
      PostingType: 'Debit',
      AccountRef: { value: '101', name: 'Receivables:Payelancer' },
      Entity: { Type: 'Customer', EntityRef: { value: '58', name: 'Payelancer' } },
    });
  });

  it('refuses an unbalanced, an empty or a two-currency entry, and an unmapped account, naming the entry', () => {
    expect(() =>
      quickbooksJournalEntry(
        { ...payout, lines: [payout.lines[0]!, { ...payout.lines[1]!, cents: -4999n }] },
        quickbooksMapping,
      ),
    ).toThrow(
      new LedgerIntegrityError(
        'entry je:ads-publisher:2026-03-31:payout does not balance: its USD cents sum to 0.01; refusing to deliver it',
      ),
    );
    expect(() => quickbooksJournalEntry({ ...payout, lines: [] }, quickbooksMapping)).toThrow(
      'entry je:ads-publisher:2026-03-31:payout has no lines to post to QuickBooks',
    );
    const twoCurrencies: RenderedEntry = {
      ...publisherEarnings,
      lines: [
        ...publisherEarnings.lines,
        { account: 'payelancer_receivable', currency: 'CAD', cents: 5n },
        { account: 'ad_revenue', currency: 'CAD', cents: -5n },
      ],
    };
    expect(() => quickbooksJournalEntry(twoCurrencies, quickbooksMapping)).toThrow(
      new UsageError(
        'QuickBooks: entry je:ads-publisher:2026-03-01 has lines in USD and CAD; a QuickBooks journal carries exactly one currency',
      ),
    );
    const { rounding: _dropped, ...unmapped } = quickbooksMapping;
    expect(() => quickbooksJournalEntry(panelRoundingDay, unmapped)).toThrow(
      'ledger account "rounding" has no QuickBooks mapping, but entry je:smm-panel:2026-03-02 posts to it',
    );
  });
});

describe('quickbooksDocNumber', () => {
  it("is LL-, the entry's date and nine base-32 digits of its id's SHA-256: exactly 21 characters", () => {
    const number = quickbooksDocNumber({ id: 'je:smm-panel:2026-03-02', date: '2026-03-02' });
    // sha256("je:smm-panel:2026-03-02") begins 1aae03…: its first 45 bits in Crockford base 32 are 3aq070xnj.
    expect(number).toBe('LL-20260302-3aq070xnj');
    expect(number.length).toBe(QUICKBOOKS_DOC_NUMBER_MAX_LENGTH);
    expect(quickbooksDocNumber({ id: 'je:smm-panel:2026-03-03', date: '2026-03-03' })).toBe('LL-20260303-9twqdq1yz');
  });

  it('comes from the entry alone: the same entry gives the same number however it was appended', () => {
    const entry = { id: 'je:smm-panel:2026-03-02', date: '2026-03-02' };
    expect(quickbooksDocNumber({ ...entry })).toBe(quickbooksDocNumber(entry));
    expect(quickbooksDocNumber({ ...entry, id: 'je:smm-panel:2026-03-02:2' })).not.toBe(quickbooksDocNumber(entry));
  });

  it('keeps the number an entry booked before numbers came from the books was posted with: LL-, its position, six hex digits', () => {
    expect(quickbooksDocNumber({ id: 'je:smm-panel:2026-03-02', date: '2026-03-02', legacyPosition: 2 })).toBe(
      'LL-2-1aae03',
    );
  });
});

/** Two ids whose SHA-256 share their first 45 bits (found by a search over je:clash:0 … je:clash:14000000): on one date they share a journal number. */
const CLASHING_IDS = ['je:clash:10052836', 'je:clash:11399223'] as const;
const CLASHING_NUMBER = 'LL-20260302-rpf814pxd';

describe('journalNumberClash', () => {
  it('names the earlier entry of the same date holding a number; other dates and the same entry again are no clash', () => {
    expect(CLASHING_IDS.map((id) => quickbooksDocNumber({ id, date: '2026-03-02' }))).toEqual([
      CLASHING_NUMBER,
      CLASHING_NUMBER,
    ]);
    const clash = journalNumberClash();
    expect(clash({ id: CLASHING_IDS[0], date: '2026-03-02' })).toBeUndefined();
    expect(clash({ id: CLASHING_IDS[0], date: '2026-03-02' })).toBeUndefined();
    expect(clash({ id: CLASHING_IDS[1], date: '2026-03-02' })).toEqual({
      number: CLASHING_NUMBER,
      heldBy: CLASHING_IDS[0],
    });
    expect(clash({ id: CLASHING_IDS[1], date: '2026-03-03' })).toBeUndefined();
  });
});

describe('quickbooksRequestId', () => {
  it('is 32 hex digits, the same for the same entries in any order', () => {
    expect(quickbooksRequestId(['je:smm-panel:2026-03-02'], { batch: false })).toBe('ff6ae1a248b5fab58d8f7d9e5e4fa7d1');
    expect(quickbooksRequestId(['je:smm-panel:2026-03-02', 'je:ads-publisher:2026-03-01'], { batch: true })).toBe(
      'd4630a3d1b929efcb2b0ca3f715664ba',
    );
    expect(quickbooksRequestId(['je:ads-publisher:2026-03-01', 'je:smm-panel:2026-03-02'], { batch: true })).toBe(
      'd4630a3d1b929efcb2b0ca3f715664ba',
    );
  });

  it('differs between a single call and a batch of the same entry, and between attempts', () => {
    const ids = new Set([
      quickbooksRequestId(['je:a'], { batch: false }),
      quickbooksRequestId(['je:a'], { batch: true }),
      quickbooksRequestId(['je:a'], { batch: false, attempt: 1 }),
    ]);
    expect(ids.size).toBe(3);
    expect(() => quickbooksRequestId([], { batch: true })).toThrow('a requestid needs at least one entry id');
  });
});

describe('quickbooksBatch', () => {
  it('creates one journal entry per item, each named by its place in the batch', () => {
    expect(quickbooksBatch([publisherEarnings, panelRoundingDay], quickbooksMapping)).toEqual({
      BatchItemRequest: [
        { bId: '1', operation: 'create', JournalEntry: quickbooksJournalEntry(publisherEarnings, quickbooksMapping) },
        { bId: '2', operation: 'create', JournalEntry: quickbooksJournalEntry(panelRoundingDay, quickbooksMapping) },
      ],
    });
  });

  it('refuses more than 30 items, no items, or one entry twice', () => {
    const many = Array.from({ length: 31 }, (_, index): RenderedEntry => ({ ...publisherEarnings, id: `je:${index}` }));
    expect(quickbooksBatch(many.slice(0, 30), quickbooksMapping).BatchItemRequest).toHaveLength(30);
    expect(() => quickbooksBatch(many, quickbooksMapping)).toThrow('a QuickBooks batch holds 1 to 30 items, got 31');
    expect(() => quickbooksBatch([], quickbooksMapping)).toThrow('a QuickBooks batch holds 1 to 30 items, got 0');
    expect(() => quickbooksBatch([payout, payout], quickbooksMapping)).toThrow(
      'entry je:ads-publisher:2026-03-31:payout appears twice in one batch',
    );
  });
});
