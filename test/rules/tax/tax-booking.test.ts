import { describe, expect, it } from 'vitest';
import { JournalDraft, ledgerLineTaxes, type JournalEntry, type TaxBook } from '../../../src/rules/index.js';
import { bookTax, treatmentsOfBooked } from '../../../src/rules/tax/tax-booking.js';
import { foldTaxLines } from '../../../src/rules/tax/vat-lines.js';
import { DEFAULT_CHART, DEFAULT_TAXABLE } from '../default-chart.js';

const book: TaxBook = {
  flows: {
    publisher_earnings: [{ code: 'OUTPUT2', rate: '20' }],
    advertiser_spend: [{ code: 'INPUT2', rate: '20' }],
    order_charge: [
      { code: 'INPUT2', rate: '20' },
      { code: 'REVERSECHARGES', rate: '20', reverseCharge: true, from: '2026-03-15' },
    ],
  },
  chart: {
    events: DEFAULT_CHART,
    profitAndLoss: new Set(['ad_revenue', 'advertising_expense', 'smm_services_expense', 'rounding', 'bank_fees']),
    taxable: DEFAULT_TAXABLE,
  },
  revenue: new Set(['ad_revenue']),
};

const micros = (text: string): bigint => BigInt(Math.round(Number(text) * 1e6));

function entry(date: string, debit: string, credit: string, amount: string): JournalEntry {
  return {
    id: `je:test:${date}`,
    date,
    sourceId: 'test',
    description: 'test',
    eventIds: [],
    lines: [
      { account: debit, currency: 'GBP', amountMicros: micros(amount) },
      { account: credit, currency: 'GBP', amountMicros: -micros(amount) },
    ],
  };
}

const shown = (booked: JournalEntry) => booked.lines.map((line) => [line.account, Number(line.amountMicros) / 1e6]);

describe('bookTax: the ledger books the tax (issue 70)', () => {
  it('76.79 of ad revenue at OUTPUT2 20 %: 76.79 × 20 / 120 = 12.798… → 12.80 of VAT on sales, 63.99 net', () => {
    const booked = bookTax(entry('2026-03-10', 'payelancer_receivable', 'ad_revenue', '76.79'), book);
    expect(shown(booked)).toEqual([
      ['payelancer_receivable', 76.79],
      ['ad_revenue', -63.99],
      ['vat_output', -12.8],
    ]);
  });

  it('12.28 of advertising at INPUT2 20 %: 2.046… → 2.05 reclaimable, 10.23 net (what Xero leaves on the account)', () => {
    const booked = bookTax(entry('2026-03-10', 'advertising_expense', 'payelancer_prepaid', '12.28'), book);
    expect(shown(booked)).toEqual([
      ['advertising_expense', 10.23],
      ['vat_input', 2.05],
      ['payelancer_prepaid', -12.28],
    ]);
  });

  it('a sub-cent line is taxed on its cents, as the destination sees them: 15.556789 → 15.56 → 2.59; net keeps the rest', () => {
    const booked = bookTax(entry('2026-03-10', 'smm_services_expense', 'panel_prepaid', '15.556789'), book);
    expect(booked.lines.map((line) => line.amountMicros)).toEqual([12_966_789n, 2_590_000n, -15_556_789n]);
  });

  it("a clawback takes its earnings' rule: 10.35 back at OUTPUT2 20 % → 10.35 × 20 / 120 = 1.725 → 1.72 less VAT on sales", () => {
    const booked = bookTax(entry('2026-03-20', 'ad_revenue', 'payelancer_receivable', '10.35'), book);
    expect(shown(booked)).toEqual([
      ['ad_revenue', 8.63],
      ['vat_output', 1.72],
      ['payelancer_receivable', -10.35],
    ]);
  });

  it('a refund of a reverse-charged order is reverse-charged back: 50.00 at 20 % → both legs of 10.00 the other way', () => {
    const booked = bookTax(entry('2026-03-20', 'panel_prepaid', 'smm_services_expense', '50'), book);
    expect(shown(booked)).toEqual([
      ['panel_prepaid', 50],
      ['smm_services_expense', -50],
      ['vat_input', -10],
      ['vat_output', 10],
    ]);
  });

  it('a reverse charge keeps the line whole and books both legs, which cancel: 100.00 at 20 % → Dr 20.00, Cr 20.00', () => {
    const booked = bookTax(entry('2026-03-15', 'smm_services_expense', 'panel_prepaid', '100'), book);
    expect(shown(booked)).toEqual([
      ['smm_services_expense', 100],
      ['vat_input', 20],
      ['vat_output', -20],
      ['panel_prepaid', -100],
    ]);
  });

  it('a flow with no rule books its lines as before, each kept as taxed by none; a chart with no tax book keeps none', () => {
    const payout = entry('2026-03-10', 'payout_clearing_wire', 'payelancer_receivable', '50');
    expect(bookTax(payout, book)).toEqual({ ...payout, lines: payout.lines.map((line) => ({ ...line, tax: null })) });
    const spend = entry('2026-03-10', 'advertising_expense', 'payelancer_prepaid', '12.28');
    expect(bookTax(spend, undefined)).toEqual(spend);
  });

  it('each line keeps how it was taxed (issue 82): flow, code, rate, side, reverse charge and the base; VAT lines none', () => {
    const charged = bookTax(entry('2026-03-15', 'smm_services_expense', 'panel_prepaid', '100'), book);
    expect(charged.lines.map((line) => line.tax)).toEqual([
      {
        flow: 'order_charge',
        code: 'REVERSECHARGES',
        rate: '20',
        side: 'purchases',
        reverseCharge: true,
        baseMicros: 100_000_000n,
      },
      null,
      null,
      null,
    ]);
    // 76.79 of earnings at OUTPUT2: the net line (63.99) keeps the 76.79 it was worked on, on the sales side.
    const earned = bookTax(entry('2026-03-10', 'payelancer_receivable', 'ad_revenue', '76.79'), book);
    expect(earned.lines[1]!.tax).toEqual({
      flow: 'publisher_earnings',
      code: 'OUTPUT2',
      rate: '20',
      side: 'sales',
      reverseCharge: false,
      baseMicros: -76_790_000n,
    });
    // A clawback without a rule of its own keeps the flow whose rule it took.
    const clawed = bookTax(entry('2026-03-20', 'ad_revenue', 'payelancer_receivable', '10.35'), book);
    expect(clawed.lines[0]!.tax).toMatchObject({ flow: 'publisher_clawback', reverses: 'publisher_earnings' });
  });

  it('a booked entry is read as booked, whatever the chart says now: a re-map codes it no differently', () => {
    const booked = bookTax(entry('2026-03-15', 'smm_services_expense', 'panel_prepaid', '100'), book);
    const lines = foldTaxLines(
      booked.lines.map((line) => ({
        account: line.account,
        currency: line.currency,
        cents: line.amountMicros / 10_000n,
        ...(line.tax === undefined ? {} : { tax: line.tax }),
      })),
    ).lines;
    const remapped = { ...book.chart, profitAndLoss: new Set(['ad_revenue', 'smm_order_costs']) };
    expect(ledgerLineTaxes({ ...booked, lines }, remapped, {})).toEqual([
      { line: 0, account: 'smm_services_expense', code: 'REVERSECHARGES', cents: 10_000n, taxCents: 0n },
    ]);
  });

  it("journalizing with the chart's tax book splits each daily entry, balanced to the micro-unit", () => {
    const draft = new JournalDraft(DEFAULT_CHART, 'day', book);
    for (const [id, amount] of [
      ['e1', 40_000_000n],
      ['e2', 36_790_000n],
    ] as const)
      draft.add({
        id,
        sourceId: 'ads',
        kind: 'publisher_earnings',
        date: '2026-03-10',
        currency: 'GBP',
        amountMicros: amount,
        ref: id,
        detail: {},
      });
    const [booked] = draft.entries(new Set());
    expect(shown(booked!)).toEqual([
      ['payelancer_receivable', 76.79],
      ['ad_revenue', -63.99],
      ['vat_output', -12.8],
    ]);
  });
});

describe('foldTaxLines: what a destination is sent', () => {
  it('each VAT line folds into the line before it; a reverse charge folds to the whole line', () => {
    const lines = [
      { account: 'smm_services_expense', cents: 10_000n },
      { account: 'vat_input', cents: 2_000n },
      { account: 'vat_output', cents: -2_000n },
      { account: 'advertising_expense', cents: 1_023n },
      { account: 'vat_input', cents: 205n },
      { account: 'panel_prepaid', cents: -13_228n },
    ];
    expect(foldTaxLines(lines)).toEqual({
      folded: true,
      lines: [
        { account: 'smm_services_expense', cents: 10_000n },
        { account: 'advertising_expense', cents: 1_228n },
        { account: 'panel_prepaid', cents: -13_228n },
      ],
    });
  });

  it("the ledger's own tax on a booked entry is read from the folded line: 63.99 + 12.80 → OUTPUT2 76.79, 12.80", () => {
    const rendered = {
      id: 'je:ads:2026-03-10',
      date: '2026-03-10',
      sourceId: 'ads',
      description: '',
      eventIds: [],
      lines: [
        { account: 'payelancer_receivable', currency: 'GBP', cents: 7_679n },
        { account: 'ad_revenue', currency: 'GBP', cents: -6_399n },
        { account: 'vat_output', currency: 'GBP', cents: -1_280n },
      ],
    };
    expect(ledgerLineTaxes(rendered, book.chart, book.flows)).toEqual([
      { line: 1, account: 'ad_revenue', code: 'OUTPUT2', cents: -7_679n, taxCents: -1_280n },
    ]);
  });
});

describe('treatmentsOfBooked: an entry booked before lines kept their treatment (0039) is given theirs once (issue 82)', () => {
  const cases: [string, JournalEntry][] = [
    [
      '76.79 of ad revenue at OUTPUT2: base −76.79 (63.99 net and 12.80 of VAT)',
      entry('2026-03-10', 'payelancer_receivable', 'ad_revenue', '76.79'),
    ],
    [
      '12.28 of advertising at INPUT2: base 12.28 (10.23 and 2.05)',
      entry('2026-03-10', 'advertising_expense', 'payelancer_prepaid', '12.28'),
    ],
    [
      'an order charge before the dated rule (INPUT2)',
      entry('2026-03-14', 'smm_services_expense', 'panel_prepaid', '15.00'),
    ],
    [
      'an order charge from 03-15 (REVERSECHARGES): base 100.00, the line kept whole',
      entry('2026-03-30', 'smm_services_expense', 'panel_prepaid', '100.00'),
    ],
  ];
  it.each(cases)('%s: as bookTax would have kept it', (_, unbooked) => {
    const booked = bookTax(unbooked, book);
    const before0039 = booked.lines.map(({ tax: _tax, ...line }) => line);
    expect(treatmentsOfBooked({ ...booked, lines: before0039 }, book)).toEqual(booked.lines.map((line) => line.tax));
  });
});
