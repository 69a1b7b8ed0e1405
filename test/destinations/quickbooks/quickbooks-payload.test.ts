import { describe, expect, it } from 'vitest';
import { ConfigError, LedgerIntegrityError, UsageError } from '../../../src/errors.js';
import type { RenderedEntry } from '../../../src/rules/index.js';
import {
  QUICKBOOKS_DOC_NUMBER_MAX_LENGTH,
  chunkForQuickbooks,
  quickbooksBatch,
  quickbooksDocNumber,
  quickbooksJournalEntry,
  quickbooksRequestId,
} from '../../../src/destinations/quickbooks/quickbooks-payload.js';
import { panelRoundingDay, payout, publisherEarnings, quickbooksMapping } from '../csv/sample-entries.js';

describe('quickbooksJournalEntry', () => {
  it('the rounding day becomes a journal entry with positive amounts, posting sides, class and the entry id in the note', () => {
    expect(quickbooksJournalEntry(panelRoundingDay, quickbooksMapping)).toEqual({
      DocNumber: 'LL-2-1aae03',
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
      '{"DocNumber":"LL-1-da23dd","TxnDate":"2026-03-01","PrivateNote":"Publisher earnings 2026-03-01 [je:ads-publisher:2026-03-01]",' +
        '"CurrencyRef":{"value":"USD"},"Line":[' +
        '{"Description":"Publisher earnings 2026-03-01","Amount":12.34,"DetailType":"JournalEntryLineDetail",' +
        '"JournalEntryLineDetail":{"PostingType":"Debit","AccountRef":{"value":"101","name":"Receivables:Payelancer"}}},' +
        '{"Description":"Publisher earnings 2026-03-01","Amount":12.34,"DetailType":"JournalEntryLineDetail",' +
        '"JournalEntryLineDetail":{"PostingType":"Credit","AccountRef":{"value":"201","name":"Ad revenue"},"DepartmentRef":{"value":"3","name":"Online"}}}]}',
    );
  });

  it('refuses a class left by name only (one the company did not have when post looked it up), since the API needs its id', () => {
    const byName = { ...quickbooksMapping, smm_services_expense: { id: '301', name: 'Advertising:SMM services', class: 'Marketing' } };
    expect(() => quickbooksJournalEntry(panelRoundingDay, byName)).toThrow(ConfigError);
    expect(() => quickbooksJournalEntry(panelRoundingDay, byName)).toThrow(
      'QuickBooks account mapping at smm_services_expense.class: names class "Marketing", which was not found in QuickBooks; run "ledgerline doctor --to quickbooks"',
    );
  });

  it('names the customer of a receivable line as its Entity', () => {
    const withCustomer = { ...quickbooksMapping, payelancer_receivable: { ...quickbooksMapping.payelancer_receivable!, customer: { id: '58', name: 'Payelancer' } } };
    const line = quickbooksJournalEntry(publisherEarnings, withCustomer).Line[0]!;
    expect(line.JournalEntryLineDetail).toEqual({
      PostingType: 'Debit',
      AccountRef: { value: '101', name: 'Receivables:Payelancer' },
      Entity: { Type: 'Customer', EntityRef: { value: '58', name: 'Payelancer' } },
    });
  });

  it('refuses an unbalanced, an empty or a two-currency entry, and an unmapped account, naming the entry', () => {
    expect(() => quickbooksJournalEntry({ ...payout, lines: [payout.lines[0]!, { ...payout.lines[1]!, cents: -4999n }] }, quickbooksMapping)).toThrow(
      new LedgerIntegrityError('entry je:ads-publisher:2026-03-31:payout does not balance: its USD cents sum to 0.01; refusing to deliver it'),
    );
    expect(() => quickbooksJournalEntry({ ...payout, lines: [] }, quickbooksMapping)).toThrow(
      'entry je:ads-publisher:2026-03-31:payout has no lines to post to QuickBooks',
    );
    const twoCurrencies: RenderedEntry = {
      ...publisherEarnings,
      lines: [...publisherEarnings.lines, { account: 'payelancer_receivable', currency: 'CAD', cents: 5n }, { account: 'ad_revenue', currency: 'CAD', cents: -5n }],
    };
    expect(() => quickbooksJournalEntry(twoCurrencies, quickbooksMapping)).toThrow(
      new UsageError('QuickBooks: entry je:ads-publisher:2026-03-01 has lines in USD and CAD; a QuickBooks journal carries exactly one currency'),
    );
    const { rounding: _dropped, ...unmapped } = quickbooksMapping;
    expect(() => quickbooksJournalEntry(panelRoundingDay, unmapped)).toThrow(
      'ledger account "rounding" has no QuickBooks mapping, but entry je:smm-panel:2026-03-02 posts to it',
    );
  });
});

describe('quickbooksDocNumber', () => {
  it('is LL-, the ledger position and six hex digits of the id hash, within 21 characters', () => {
    expect(quickbooksDocNumber({ id: 'je:smm-panel:2026-03-02', seq: 2 })).toBe('LL-2-1aae03');
    const largest = quickbooksDocNumber({ id: 'je:smm-panel:2026-03-02', seq: 99_999_999_999 });
    expect(largest).toBe('LL-99999999999-1aae03');
    expect(largest.length).toBe(QUICKBOOKS_DOC_NUMBER_MAX_LENGTH);
  });

  it('differs for another entry at the same position, and refuses a position that does not fit', () => {
    expect(quickbooksDocNumber({ id: 'je:smm-panel:2026-03-03', seq: 2 })).not.toBe('LL-2-1aae03');
    expect(() => quickbooksDocNumber({ id: 'je:x', seq: 100_000_000_000 })).toThrow(
      'entry je:x: ledger position 100000000000 does not fit a 21-character journal number',
    );
  });
});

describe('quickbooksRequestId', () => {
  it('is 32 hex digits, the same for the same entries in any order', () => {
    expect(quickbooksRequestId(['je:smm-panel:2026-03-02'], { batch: false })).toBe('ff6ae1a248b5fab58d8f7d9e5e4fa7d1');
    expect(quickbooksRequestId(['je:smm-panel:2026-03-02', 'je:ads-publisher:2026-03-01'], { batch: true })).toBe('d4630a3d1b929efcb2b0ca3f715664ba');
    expect(quickbooksRequestId(['je:ads-publisher:2026-03-01', 'je:smm-panel:2026-03-02'], { batch: true })).toBe('d4630a3d1b929efcb2b0ca3f715664ba');
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
  it('creates one journal entry per item, each named by its ledger position', () => {
    expect(quickbooksBatch([publisherEarnings, panelRoundingDay], quickbooksMapping)).toEqual({
      BatchItemRequest: [
        { bId: '1', operation: 'create', JournalEntry: quickbooksJournalEntry(publisherEarnings, quickbooksMapping) },
        { bId: '2', operation: 'create', JournalEntry: quickbooksJournalEntry(panelRoundingDay, quickbooksMapping) },
      ],
    });
  });

  it('refuses more than 30 items, no items, or one entry twice', () => {
    const many = Array.from({ length: 31 }, (_, index): RenderedEntry => ({ ...publisherEarnings, id: `je:${index}`, seq: index + 1 }));
    expect(quickbooksBatch(many.slice(0, 30), quickbooksMapping).BatchItemRequest).toHaveLength(30);
    expect(() => quickbooksBatch(many, quickbooksMapping)).toThrow('a QuickBooks batch holds 1 to 30 items, got 31');
    expect(() => quickbooksBatch([], quickbooksMapping)).toThrow('a QuickBooks batch holds 1 to 30 items, got 0');
    expect(() => quickbooksBatch([payout, payout], quickbooksMapping)).toThrow('entry je:ads-publisher:2026-03-31:payout appears twice in one batch (bId 3)');
  });
});

describe('chunkForQuickbooks', () => {
  it('cuts 70 entries into batches of 30, 30 and 10, in order', () => {
    const ids = Array.from({ length: 70 }, (_, index) => index);
    const chunks = chunkForQuickbooks(ids);
    expect(chunks.map((chunk) => chunk.length)).toEqual([30, 30, 10]);
    expect(chunks.flat()).toEqual(ids);
    expect(() => chunkForQuickbooks(ids, 31)).toThrow('chunk size must be a whole number from 1 to 30, got 31');
  });
});
