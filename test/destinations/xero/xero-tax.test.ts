import { ObjectSerializer } from 'xero-node';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { xeroManualJournal } from '../../../src/destinations/xero/xero-payload.js';
import {
  assertTaxFlows,
  xeroLineTax,
  xeroLineTaxTypes,
  xeroTaxDifferences,
  type XeroTaxSetup,
} from '../../../src/destinations/xero/xero-tax.js';
import { DEFAULT_CHART, DEFAULT_TAXABLE } from '../../rules/default-chart.js';
import { xeroRows, xeroTaxRateNames } from '../../../src/destinations/csv/xero-rows.js';
import { panelRoundingDay, publisherEarnings, xeroMapping } from '../csv/sample-entries.js';

const chart = {
  events: DEFAULT_CHART,
  profitAndLoss: new Set(['ad_revenue', 'advertising_expense', 'smm_services_expense', 'rounding', 'bank_fees']),
  taxable: DEFAULT_TAXABLE,
};
const tax: XeroTaxSetup = {
  chart,
  flows: {
    publisher_earnings: [{ code: 'ZERORATEDOUTPUT' }],
    order_charge: [{ code: 'REVERSECHARGES' }, { code: 'INPUT2', from: '2026-03-02' }],
  },
};

describe('xero.yaml tax flows on a manual journal', () => {
  it('no tax section: the very request of today, byte for byte', () => {
    const serialize = (journal: unknown) =>
      JSON.stringify(ObjectSerializer.serialize({ manualJournals: [journal] }, 'ManualJournals'));
    for (const entry of [panelRoundingDay, publisherEarnings]) {
      expect(
        serialize(
          xeroManualJournal(entry, xeroMapping, { status: 'POSTED', taxTypes: xeroLineTaxTypes(entry, undefined) }),
        ),
      ).toBe(serialize(xeroManualJournal(entry, xeroMapping, { status: 'POSTED' })));
    }
  });

  it('a coded flow makes the journal Inclusive with a TaxType on every line: its code on its line, NONE on the others', () => {
    const journal = xeroManualJournal(publisherEarnings, xeroMapping, {
      status: 'POSTED',
      taxTypes: xeroLineTaxTypes(publisherEarnings, tax),
    });
    expect(journal.lineAmountTypes).toBe('Inclusive');
    expect(journal.journalLines.map((line) => [line.accountCode, line.taxType])).toEqual([
      ['610', 'NONE'],
      ['200', 'ZERORATEDOUTPUT'],
    ]);
    expect(JSON.stringify(ObjectSerializer.serialize({ manualJournals: [journal] }, 'ManualJournals'))).toContain(
      '"AccountCode":"200","Description":"Publisher earnings 2026-03-01","TaxType":"ZERORATEDOUTPUT"',
    );
  });

  it('a dated rule gives the day on or after its date the new code (the order charges of 2026-03-02: INPUT2); the rounding line none', () => {
    const journal = xeroManualJournal(panelRoundingDay, xeroMapping, {
      status: 'POSTED',
      taxTypes: xeroLineTaxTypes(panelRoundingDay, tax),
    });
    expect(journal.journalLines.map((line) => line.taxType)).toEqual(['INPUT2', 'NONE', 'NONE']);
    const dayBefore = { ...panelRoundingDay, date: '2026-03-01' };
    expect(
      xeroManualJournal(dayBefore, xeroMapping, {
        status: 'POSTED',
        taxTypes: xeroLineTaxTypes(dayBefore, tax),
      }).journalLines.map((line) => line.taxType),
    ).toEqual(['REVERSECHARGES', 'NONE', 'NONE']);
  });

  it('a flow that books to no revenue or expense is refused naming the file and the key', () => {
    const bad: XeroTaxSetup = { chart, flows: { payout_wire: [{ code: 'NONE' }] } };
    expect(() => assertTaxFlows(bad, '/books/mappings/xero.yaml')).toThrow(ConfigError);
    expect(() => assertTaxFlows(bad, '/books/mappings/xero.yaml')).toThrow(
      '/books/mappings/xero.yaml at tax.payout_wire: payout_wire books to no revenue or expense account',
    );
  });
});

describe('xeroLineTax', () => {
  it('Inclusive takes the tax out of the amount, to the cent, signed like the line', () => {
    expect(xeroLineTax(12_000n, '20', 'Inclusive')).toBe(2_000n);
    expect(xeroLineTax(-12_000n, '20', 'Inclusive')).toBe(-2_000n);
    // 100.01 × 20/120 = 16.66833… → 16.67
    expect(xeroLineTax(10_001n, '20', 'Inclusive')).toBe(1_667n);
    // 0.03 × 20/120 = 0.005: half a cent, to even 0.00
    expect(xeroLineTax(3n, '20', 'Inclusive')).toBe(0n);
  });

  it('a reverse charge (EffectiveRate 0) carries no tax; Exclusive adds it on top; NoTax none', () => {
    expect(xeroLineTax(10_000n, '0', 'Inclusive')).toBe(0n);
    expect(xeroLineTax(10_000n, '12.5', 'Exclusive')).toBe(1_250n);
    expect(xeroLineTax(10_000n, '20', 'NoTax')).toBe(0n);
  });
});

describe('xeroTaxDifferences', () => {
  const rates = [
    { taxType: 'INPUT2', effectiveRate: '20' },
    { taxType: 'REVERSECHARGES', effectiveRate: '0' },
    { taxType: 'NONE', effectiveRate: '0' },
  ];
  const reply = (taxAmount: number) => ({
    manualJournals: [
      {
        narration: 'smm-panel 2026-03-16 [je:smm-panel:2026-03-16]',
        lineAmountTypes: 'Inclusive',
        journalLines: [
          { accountCode: '410', taxType: 'INPUT2', lineAmount: 150.56, taxAmount },
          { accountCode: '410', taxType: 'REVERSECHARGES', lineAmount: 50, taxAmount: 0 },
          { accountCode: '621', taxType: 'NONE', lineAmount: -200.56, taxAmount: 0 },
        ],
      },
    ],
  });

  it('finds none when Xero stored the tax the ledger computes (150.56 holds 25.09 of VAT at 20 %)', () => {
    expect(xeroTaxDifferences(reply(25.09), rates)).toEqual([]);
  });

  it('names the journal, the line, the code and both figures when they differ', () => {
    expect(xeroTaxDifferences(reply(25.1), rates)).toEqual([
      'Xero stores 25.10 of INPUT2 tax on line 1 (account 410) of "smm-panel 2026-03-16 [je:smm-panel:2026-03-16]"; the ledger computes 25.09: check the rate of INPUT2 in Xero (Settings → Tax rates) before the return is filed',
    ]);
  });
});

describe('the Xero CSV import with tax flows', () => {
  it("a coded line names its rule's display name in TaxRate; the other lines the account's; no tax section, as before", () => {
    const csvTax = {
      file: 'xero.yaml',
      chart,
      flows: { order_charge: [{ code: 'REVERSECHARGES', name: 'Reverse Charge Expenses (20%)' }] },
    };
    const rates = (names: readonly (string | undefined)[]) =>
      xeroRows(panelRoundingDay, xeroMapping, 'DD/MM/YYYY', 'No VAT', names).map((row) => row[4]);
    expect(rates(xeroTaxRateNames(panelRoundingDay, csvTax))).toEqual([
      'Reverse Charge Expenses (20%)',
      'No VAT',
      'No VAT',
    ]);
    expect(rates(xeroTaxRateNames(panelRoundingDay, undefined))).toEqual(rates([]));
  });

  it('a coded flow without a name is refused, naming the key, rather than written with a rate the import does not know', () => {
    const csvTax = { file: 'xero.yaml', chart, flows: { order_charge: [{ code: 'REVERSECHARGES' }] } };
    expect(() => xeroTaxRateNames(panelRoundingDay, csvTax)).toThrow(
      'xero.yaml at tax.order_charge: REVERSECHARGES has no name',
    );
  });
});
