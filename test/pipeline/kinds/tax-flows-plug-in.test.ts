import { appendFileSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXeroFake, XERO_UK_TAX_RATES } from '../../../sandbox/xero/fake.js';
import { loadMappings, packageMappingsDir } from '../../../src/config/index.js';
import { ConfigError } from '../../../src/errors.js';
import { registerSourceKind } from '../../../src/pipeline/kinds/index.js';
import { runLedgerline } from '../../support/cli.js';
import { startListingApiFake, type ListingApiFake } from '../../support/plug-ins/listing-api-fake.js';
import { marketSourceKind } from '../../support/plug-ins/market-source.js';
import { useTempDir } from '../../support/temp-dir.js';
import { runCli, SECRETS, ukXeroWorkspace } from '../../cli/post-cli-harness.js';

/**
 * Issue 82 item 8: a plug-in kind declares its own tax flows. `kind: market` (test/support/plug-ins/market-source.ts)
 * names its sale, fee and refund as taxable flows and the refund as the sale's reversal; the chart codes the sale
 * OUTPUT2 at 20 % until 2026-10-02 and ZERORATEDOUTPUT from 2026-10-03, the fee INPUT2 at 20 %. By hand:
 *   10-01 a sale of 120.00: Cr market_revenue 100.00, Cr vat_output 20.00 (120.00 × 20/120);
 *         a fee of 12.00: Dr market_fees 10.00, Dr vat_input 2.00.
 *   10-04 a sale of 50.00, zero-rated: Cr market_revenue 50.00;
 *         a refund of 60.00 of the 10-01 sale, at the sale's code on the sale's day (OUTPUT2, not 10-04's zero rate):
 *         Dr market_revenue 50.00, Dr vat_output 10.00 (60.00 × 20/120).
 * So at 10-04: market_revenue 100.00 credit (100.00 + 50.00 − 50.00), vat_output 10.00 credit, vat_input 2.00 debit,
 * market_fees 10.00, market_receivable 98.00 (120.00 − 12.00 + 50.00 − 60.00). Taken at its own day's zero rate the
 * refund would leave market_revenue at 90.00 and vat_output at 20.00.
 */
const KEY = 'market-key-82';
const CHART_TAX = [
  'tax:',
  '  market_sale:',
  '    - { code: OUTPUT2, rate: 20 }',
  '    - { code: ZERORATEDOUTPUT, rate: 0, from: 2026-10-03 }',
  '  market_fee: [{ code: INPUT2, rate: 20 }]',
  '',
].join('\n');

let unregister: (() => void) | undefined;
let market: ListingApiFake;
beforeAll(async () => {
  unregister = registerSourceKind(marketSourceKind);
  market = await startListingApiFake(KEY);
  market.add(
    { id: 's1', postedAt: '2026-10-01T09:00:00Z', amount: '120.00', type: 'sale' },
    { id: 'f1', postedAt: '2026-10-01T09:05:00Z', amount: '-12.00', type: 'fee' },
    { id: 's2', postedAt: '2026-10-04T10:00:00Z', amount: '50.00', type: 'sale' },
    { id: 'r1', postedAt: '2026-10-04T11:00:00Z', amount: '-60.00', type: 'refund', saleDate: '2026-10-01' },
  );
});
afterAll(async () => {
  unregister?.();
  await market.close();
});
const tempDir = useTempDir('ledgerline-market-tax-');

/** A USD ledger reading the market, with a copy of the shipped chart ending in `tax`. */
function marketWorkspace(tax: string): { dir: string; chart: string } {
  const dir = tempDir();
  mkdirSync(join(dir, 'mappings'));
  const chart = join(dir, 'mappings', 'default.yaml');
  copyFileSync(join(packageMappingsDir(), 'default.yaml'), chart);
  appendFileSync(chart, `\n${tax}`);
  writeFileSync(
    join(dir, 'ledgerline.yaml'),
    [
      'ledger: data/ledger.sqlite',
      'timezone: UTC',
      'currency: USD',
      'mappings: ./mappings/default.yaml',
      'sources:',
      `  - { id: shop, kind: market, url: "${market.url}", apiKey: "\${MARKET_KEY}" }`,
      '',
    ].join('\n'),
  );
  return { dir, chart };
}
const ledgerline = (dir: string, ...args: string[]) => runLedgerline(args, { cwd: dir, env: { MARKET_KEY: KEY } });

interface BalanceRow {
  account: string;
  net: string;
}

/** The market kind's vocabulary as the configuration hands it to the chart. */
function marketVocabulary() {
  return { kind: 'market', ...marketSourceKind.vocabulary! };
}

/** The problems loading the shipped chart with `vocabulary` gives, as "path: message". */
function problemsOf(vocabulary: ReturnType<typeof marketVocabulary>): string[] {
  try {
    loadMappings({ chartPath: join(packageMappingsDir(), 'default.yaml'), vocabularies: [vocabulary] });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
    throw error;
  }
  return [];
}

describe("a plug-in kind's own tax flows (issue 82 item 8)", () => {
  it("the chart's tax: codes its sale and fee, and its refund takes the sale's code on the sale's day", async () => {
    const { dir } = marketWorkspace(CHART_TAX);
    const synced = await ledgerline(dir, 'sync', '--from', '2026-10-01', '--to', '2026-10-04');
    expect(synced.code, synced.stderr).toBe(0);
    const balances = await ledgerline(dir, 'balances', '--as-of', '2026-10-04', '--json');
    expect(balances.code, balances.stderr).toBe(0);
    const rows = (JSON.parse(balances.stdout) as { rows: BalanceRow[] }).rows;
    expect(Object.fromEntries(rows.map((row) => [row.account, row.net]))).toEqual({
      market_receivable: '98.00',
      market_revenue: '-100.00',
      market_fees: '10.00',
      vat_output: '-10.00',
      vat_input: '2.00',
    });
    const exported = await ledgerline(
      dir,
      'export',
      '--format',
      'generic',
      '--from',
      '2026-10-04',
      '--to',
      '2026-10-04',
    );
    const refundLines = exported.stdout.split(/\r?\n/).filter((row) => row.includes('(original of 2026-10-01)'));
    expect(refundLines.map((row) => row.split(',').slice(2, 7).join(','))).toEqual([
      'market_revenue,50.00,,USD,Marketplace refunds (original of 2026-10-01)',
      'vat_output,10.00,,USD,VAT: Marketplace refunds (original of 2026-10-01)',
    ]);
  });

  it("doctor checks their codes at the organisation and says the refund takes the sale's code, as for a built-in reversal", async () => {
    const xero = await startXeroFake({
      clientId: SECRETS.XERO_CLIENT_ID,
      clientSecret: SECRETS.XERO_CLIENT_SECRET,
      countryCode: 'GB',
      baseCurrency: 'GBP',
      organisationName: 'Ledgerline UK Ltd',
      taxRates: XERO_UK_TAX_RATES,
    });
    try {
      const dir = tempDir();
      const { config } = ukXeroWorkspace(dir, xero, { xeroTax: '', chartTax: CHART_TAX });
      appendFileSync(
        config,
        `sources:\n  - { id: shop, kind: market, url: "${market.url}", apiKey: "\${MARKET_KEY}" }\n`,
      );
      const doctor = await runCli(['doctor', '--to', 'xero', '--config', config], {
        cwd: dir,
        env: { MARKET_KEY: KEY },
      });
      expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
      expect(doctor.stdout).toContain(
        '✓ tax type OUTPUT2 of market_sale on account 200 (market_revenue): "20% (VAT on Income)", active, can be used on it\n',
      );
      expect(doctor.stdout).toContain(
        '✓ tax type INPUT2 of market_fee on account 429 (market_fees): "20% (VAT on Expenses)", active, can be used on it\n',
      );
      expect(doctor.stdout).toContain(
        "✓ the reversal market_refund of market_sale: takes the code of tax.market_sale in force on the original's date (it books back to market_revenue)\n",
      );
    } finally {
      await xero.close();
    }
  });
});

describe("a kind's declared tax flows are checked with the chart", () => {
  const refusal = (flows: Record<string, { reverses?: string }>) =>
    problemsOf({ ...marketVocabulary(), taxFlows: flows });
  it('a flow that is not one of its own events, or a reversal of one that is not, is refused naming the kind', () => {
    expect(refusal({ order_charge: {}, market_refund: { reverses: 'market_payout' } })).toEqual([
      'taxFlows.order_charge: is not an event kind "market" declares: a taxable flow is one of its own events (declared by source kind "market")',
      'taxFlows.market_refund: reverses "market_payout", which is not another event kind "market" declares (declared by source kind "market")',
    ]);
  });
});
