import { ObjectSerializer } from 'xero-node';
import { describe, expect, it } from 'vitest';
import { ConfigError, LedgerIntegrityError, UsageError } from '../../../src/errors.js';
import type { RenderedEntry } from '../../../src/rules/index.js';
import {
  XERO_IDEMPOTENCY_KEY_MAX_LENGTH,
  xeroIdempotencyKey,
  xeroManualJournal,
} from '../../../src/destinations/xero/xero-payload.js';
import { panelRoundingDay, payout, publisherEarnings, xeroMapping } from '../csv/sample-entries.js';

describe('xeroManualJournal', () => {
  it('the rounding day becomes a posted NoTax journal with signed amounts, tracking and the entry id in the narration', () => {
    expect(xeroManualJournal(panelRoundingDay, xeroMapping, { status: 'POSTED' })).toEqual({
      narration: 'SMM panel orders 2026-03-02 [je:smm-panel:2026-03-02]',
      date: '2026-03-02',
      status: 'POSTED',
      lineAmountTypes: 'NoTax',
      journalLines: [
        {
          lineAmount: 1.57,
          accountCode: '420',
          description: 'SMM panel orders 2026-03-02',
          tracking: [
            { name: 'Channel', option: 'SMM' },
            { name: 'Region', option: 'Global' },
          ],
        },
        { lineAmount: -1.56, accountCode: '620', description: 'SMM panel orders 2026-03-02' },
        { lineAmount: -0.01, accountCode: '860', description: 'Cent rounding' },
      ],
    });
  });

  it("xero-node's serializer turns it into exactly this request body", () => {
    const journal = xeroManualJournal(panelRoundingDay, xeroMapping, { status: 'POSTED' });
    expect(JSON.stringify(ObjectSerializer.serialize({ manualJournals: [journal] }, 'ManualJournals'))).toBe(
      '{"ManualJournals":[{"Narration":"SMM panel orders 2026-03-02 [je:smm-panel:2026-03-02]","JournalLines":[' +
        '{"LineAmount":1.57,"AccountCode":"420","Description":"SMM panel orders 2026-03-02","Tracking":[{"Name":"Channel","Option":"SMM"},{"Name":"Region","Option":"Global"}]},' +
        '{"LineAmount":-1.56,"AccountCode":"620","Description":"SMM panel orders 2026-03-02"},' +
        '{"LineAmount":-0.01,"AccountCode":"860","Description":"Cent rounding"}],' +
        '"Date":"2026-03-02","LineAmountTypes":"NoTax","Status":"POSTED"}]}',
    );
  });

  it('a draft keeps whole amounts exact (50.00 is sent as 50)', () => {
    expect(xeroManualJournal(payout, xeroMapping, { status: 'DRAFT' })).toEqual({
      narration: 'Payout of 50.00 via paypal, "March" [je:ads-publisher:2026-03-31:payout]',
      date: '2026-03-31',
      status: 'DRAFT',
      lineAmountTypes: 'NoTax',
      journalLines: [
        { lineAmount: 50, accountCode: '611', description: 'Payout of 50.00 via paypal, "March"' },
        { lineAmount: -50, accountCode: '610', description: 'Payout of 50.00 via paypal, "March"' },
      ],
    });
  });

  it('a mapping of NONE everywhere (the loader default) is still a NoTax journal without tax types', () => {
    const none = Object.fromEntries(
      Object.entries(xeroMapping).map(([key, account]) => [key, { ...account, taxType: 'NONE' }]),
    );
    expect(xeroManualJournal(panelRoundingDay, none, { status: 'POSTED' })).toEqual(
      xeroManualJournal(panelRoundingDay, xeroMapping, { status: 'POSTED' }),
    );
  });

  it('a mapped tax type makes the journal tax-inclusive and pins the other lines to no tax', () => {
    const taxed = { ...xeroMapping, payelancer_receivable: { code: '610', taxType: 'OUTPUT2' } };
    expect(xeroManualJournal(publisherEarnings, taxed, { status: 'POSTED' })).toEqual({
      narration: 'Publisher earnings 2026-03-01 [je:ads-publisher:2026-03-01]',
      date: '2026-03-01',
      status: 'POSTED',
      lineAmountTypes: 'Inclusive',
      journalLines: [
        { lineAmount: 12.34, accountCode: '610', description: 'Publisher earnings 2026-03-01', taxType: 'OUTPUT2' },
        {
          lineAmount: -12.34,
          accountCode: '200',
          description: 'Publisher earnings 2026-03-01',
          taxType: 'NONE',
          tracking: [{ name: 'Region', option: 'North America' }],
        },
      ],
    });
  });

  it('large amounts stay exact, and one a double cannot hold exactly is refused', () => {
    const withCents = (cents: bigint): RenderedEntry => ({
      ...publisherEarnings,
      lines: [
        { account: 'payelancer_receivable', currency: 'USD', cents },
        { account: 'ad_revenue', currency: 'USD', cents: -cents },
      ],
    });
    expect(
      xeroManualJournal(withCents(12_345_678_901_234n), xeroMapping, { status: 'POSTED' }).journalLines.map(
        (line) => line.lineAmount,
      ),
    ).toEqual([123_456_789_012.34, -123_456_789_012.34]);
    expect(() => xeroManualJournal(withCents(1_234_567_890_123_456n), xeroMapping, { status: 'POSTED' })).toThrow(
      'more than 15 significant digits',
    );
  });

  it('refuses an unbalanced, an empty or a two-currency entry, and an unmapped account, naming the entry', () => {
    expect(() =>
      xeroManualJournal({ ...panelRoundingDay, lines: panelRoundingDay.lines.slice(0, 2) }, xeroMapping, {
        status: 'POSTED',
      }),
    ).toThrow(
      new LedgerIntegrityError(
        'entry je:smm-panel:2026-03-02 does not balance: its USD cents sum to 0.01; refusing to deliver it',
      ),
    );
    expect(() => xeroManualJournal({ ...panelRoundingDay, lines: [] }, xeroMapping, { status: 'POSTED' })).toThrow(
      'entry je:smm-panel:2026-03-02 has no lines to post to Xero',
    );
    const twoCurrencies: RenderedEntry = {
      ...publisherEarnings,
      lines: [
        ...publisherEarnings.lines,
        { account: 'payelancer_receivable', currency: 'EUR', cents: 5n },
        { account: 'ad_revenue', currency: 'EUR', cents: -5n },
      ],
    };
    expect(() => xeroManualJournal(twoCurrencies, xeroMapping, { status: 'POSTED' })).toThrow(
      new UsageError(
        'Xero: entry je:ads-publisher:2026-03-01 has lines in USD and EUR; a Xero journal carries exactly one currency',
      ),
    );
    const { ad_revenue: _dropped, ...unmapped } = xeroMapping;
    expect(() => xeroManualJournal(publisherEarnings, unmapped, { status: 'POSTED' })).toThrow(ConfigError);
    expect(() => xeroManualJournal(publisherEarnings, unmapped, { status: 'POSTED' })).toThrow(
      'ledger account "ad_revenue" has no Xero mapping, but entry je:ads-publisher:2026-03-01 posts to it',
    );
  });

  it('refuses a mapping with more than two tracking categories', () => {
    const tracking = [
      { name: 'A', option: '1' },
      { name: 'B', option: '2' },
      { name: 'C', option: '3' },
    ];
    expect(() =>
      xeroManualJournal(
        publisherEarnings,
        { ...xeroMapping, ad_revenue: { code: '200', tracking } },
        { status: 'POSTED' },
      ),
    ).toThrow(
      'Xero account mapping at ad_revenue.tracking: has 3 tracking categories; a Xero journal line takes at most 2',
    );
  });
});

describe('xeroIdempotencyKey', () => {
  it('is the readable ids while they fit, in sorted order', () => {
    expect(xeroIdempotencyKey(['je:smm-panel:2026-03-03', 'je:smm-panel:2026-03-02'])).toBe(
      'll:je:smm-panel:2026-03-02 je:smm-panel:2026-03-03',
    );
    expect(xeroIdempotencyKey(['je:smm-panel:2026-03-02', 'je:smm-panel:2026-03-03'])).toBe(
      'll:je:smm-panel:2026-03-02 je:smm-panel:2026-03-03',
    );
  });

  it('is a SHA-256 of the ids when they are long or not header-safe, within 128 characters', () => {
    const fifty = Array.from(
      { length: 50 },
      (_, index) => `je:panel:smm-panel:order:${23500 + index}:refund:2026-03-02`,
    );
    const long = xeroIdempotencyKey(fifty);
    expect(long).toMatch(/^ll-sha256:[0-9a-f]{64}$/);
    expect(long.length).toBeLessThanOrEqual(XERO_IDEMPOTENCY_KEY_MAX_LENGTH);
    expect(xeroIdempotencyKey([...fifty].reverse())).toBe(long);
    expect(xeroIdempotencyKey(fifty.slice(1))).not.toBe(long);
    expect(xeroIdempotencyKey(['je:panel:commandes-été:1'])).toMatch(/^ll-sha256:[0-9a-f]{64}$/);
    expect(xeroIdempotencyKey(['je:with space'])).toMatch(/^ll-sha256:[0-9a-f]{64}$/);
  });

  it('changes with the attempt number, for a resend after a definite refusal', () => {
    expect(xeroIdempotencyKey(['je:a'], { attempt: 0 })).toBe('ll:je:a');
    expect(xeroIdempotencyKey(['je:a'], { attempt: 1 })).toBe('ll:je:a #1');
    expect(() => xeroIdempotencyKey([])).toThrow('an idempotency key needs at least one entry id');
  });
});
