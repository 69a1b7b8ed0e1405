import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { exportCsv } from '../../../src/destinations/csv/index.js';
import type { RenderedEntry, TaxChart } from '../../../src/rules/index.js';
import { DEFAULT_CHART, DEFAULT_TAXABLE } from '../../rules/default-chart.js';
import { chart, panelRoundingDay, publisherEarnings, quickbooksMapping, xeroMapping } from './sample-entries.js';

/** Issue 70: every income and expense line of a UK export carries a code, clawbacks at their earnings' code. */
const taxChart: TaxChart = {
  events: DEFAULT_CHART,
  profitAndLoss: new Set(['ad_revenue', 'smm_services_expense', 'rounding']),
  taxable: DEFAULT_TAXABLE,
};
const clawback: RenderedEntry = {
  ...publisherEarnings,
  id: 'je:ads-publisher:2026-03-03',
  date: '2026-03-03',
  lines: [
    { account: 'ad_revenue', currency: 'USD', cents: 65n },
    { account: 'payelancer_receivable', currency: 'USD', cents: -65n },
  ],
};
const entries = [publisherEarnings, panelRoundingDay, clawback];

async function rows(options: Omit<Parameters<typeof exportCsv>[0], 'out' | 'entries' | 'mappings'>) {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString('utf8');
      callback();
    },
  });
  await exportCsv({ ...options, entries, out, mappings: { chart, xero: xeroMapping, quickbooks: quickbooksMapping } });
  return parse(text) as string[][];
}

describe('the CSV exports code every income and expense line', () => {
  it("QuickBooks: a clawback at its earnings' code, rounding and the other lines at untaxedCode", async () => {
    const csv = await rows({
      format: 'quickbooks',
      tax: { flows: { publisher_earnings: [{ code: '0.0% Z' }] }, chart: taxChart, untaxedCode: 'No VAT' },
    });
    // Journal No, account, Debits, Credits … Tax Code (last).
    expect(csv.slice(1).map((row) => [row[2], row[3] || `-${row[4]}`, row.at(-1)])).toEqual([
      ['Receivables:Payelancer', '12.34', ''],
      ['Ad revenue', '-12.34', '0.0% Z'],
      ['Advertising:SMM services', '1.57', 'No VAT'],
      ['Prepaid:SMM panel', '-1.56', ''],
      ['Rounding', '-0.01', 'No VAT'],
      ['Ad revenue', '0.65', '0.0% Z'],
      ['Receivables:Payelancer', '-0.65', ''],
    ]);
  });

  it("Xero: the clawback at the earnings' rate name, every other line at the region's no-VAT rate", async () => {
    const csv = await rows({
      format: 'xero',
      xeroRegion: 'UK',
      xeroTax: {
        file: 'xero.yaml',
        flows: { publisher_earnings: [{ code: 'ZERORATEDOUTPUT', name: 'Zero Rated Income' }] },
        chart: taxChart,
      },
    });
    expect(csv.slice(1).map((row) => [row[3], row[5], row[4]])).toEqual([
      ['610', '12.34', 'No VAT'],
      ['200', '-12.34', 'Zero Rated Income'],
      ['420', '1.57', 'Tax on Purchases'], // the account's own taxRate in xero.yaml,
      ['620', '-1.56', 'No VAT'],
      ['860', '-0.01', 'No VAT'],
      ['200', '0.65', 'Zero Rated Income'],
      ['610', '-0.65', 'No VAT'],
    ]);
  });
});
