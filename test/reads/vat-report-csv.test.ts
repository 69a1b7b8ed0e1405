import { parse } from 'csv-parse/sync';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gstReturn } from '../../src/reads/gst-return.js';
import { vatReportCsv } from '../../src/reads/vat-report.js';
import { vatReturn } from '../../src/reads/vat-return.js';
import type { RenderedEntry, TaxBook } from '../../src/rules/index.js';
import { DEFAULT_CHART, DEFAULT_TAXABLE } from '../rules/default-chart.js';

/**
 * `vat --format csv`: the boxes, one row each (box, what it is, amount), as the CSV exports write (CRLF, quoted only
 * where a cell needs it). The golden files hold the exact bytes; after an intended change of format, regenerate
 * them and review the diff: UPDATE_GOLDEN=1 npx vitest run test/reads/vat-report-csv.test.ts
 */
const goldenDir = join(import.meta.dirname, 'golden');

async function expectGolden(name: string, actual: string): Promise<void> {
  const path = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    await writeFile(path, actual, 'utf8');
    return;
  }
  expect(actual).toBe(await readFile(path, 'utf8'));
}

const book: TaxBook = {
  flows: {
    publisher_earnings: [{ code: 'OUTPUT2', rate: '20' }],
    order_charge: [{ code: 'REVERSECHARGES', rate: '20', reverseCharge: true }],
  },
  chart: {
    events: DEFAULT_CHART,
    profitAndLoss: new Set(['ad_revenue', 'smm_services_expense']),
    taxable: DEFAULT_TAXABLE,
  },
  revenue: new Set(['ad_revenue']),
};

const line = (account: string, cents: bigint) => ({ account, cents, currency: 'GBP' });

/** A reverse charge of 100.00 (20.00 on each VAT account) and a 76.79 sale at 20 % (12.80 of VAT, 63.99 net). */
const entries: RenderedEntry[] = [
  {
    id: 'je:smm-panel:2026-03-10',
    date: '2026-03-10',
    sourceId: 'smm-panel',
    description: 'orders',
    eventIds: [],
    lines: [
      line('smm_services_expense', 10_000n),
      line('vat_input', 2_000n),
      line('vat_output', -2_000n),
      line('panel_prepaid', -10_000n),
    ],
  },
  {
    id: 'je:ads:2026-03-11',
    date: '2026-03-11',
    sourceId: 'ads',
    description: 'earnings',
    eventIds: [],
    lines: [line('payelancer_receivable', 7_679n), line('ad_revenue', -6_399n), line('vat_output', -1_280n)],
  },
];

const reads = {
  journal: {
    async *renderedEntries() {
      yield* entries;
    },
  },
} as unknown as Parameters<typeof vatReturn>[0];

const period = { period: '2026-Q1', from: '2026-01-01', to: '2026-03-31', currency: 'GBP' };

describe('vat --format csv: the boxes as CSV', () => {
  it('UK: nine rows, box 1 32.80 (20.00 + 12.80), box 5 12.80, box 6 163.99 (100.00 + 63.99), box 7 100.00', async () => {
    const csv = vatReportCsv(await vatReturn(reads, book, period));
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parse(csv) as string[][];
    expect(rows[0]).toEqual(['box', 'what it is', 'amount']);
    expect(rows.slice(1).map(([box, , amount]) => [box, amount])).toEqual([
      ['1', '32.80'],
      ['2', '0.00'],
      ['3', '32.80'],
      ['4', '20.00'],
      ['5', '12.80'],
      ['6', '163.99'],
      ['7', '100.00'],
      ['8', '0.00'],
      ['9', '0.00'],
    ]);
    await expectGolden('vat-uk-2026-q1.csv', csv);
  });

  it("AU: the BAS's boxes by their names on the form, G1 76.79 with its GST, 1A − 1B 12.80", async () => {
    const csv = vatReportCsv(await gstReturn(reads, book, { ...period, region: 'AU' }));
    const rows = parse(csv) as string[][];
    expect(rows.map(([box]) => box)).toEqual(['box', 'G1', '1A', '1B', '1A-1B']);
    await expectGolden('vat-au-2026-q1.csv', csv);
  });
});
