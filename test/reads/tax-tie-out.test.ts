import { describe, expect, it } from 'vitest';
import type { DestinationClient } from '../../src/destinations/index.js';
import type { RenderedEntry, TaxChart } from '../../src/rules/index.js';
import { taxTieOut } from '../../src/reads/tax-tie-out.js';
import { DEFAULT_CHART, DEFAULT_TAXABLE } from '../rules/default-chart.js';

const chart: TaxChart = {
  events: DEFAULT_CHART,
  profitAndLoss: new Set(['ad_revenue', 'smm_services_expense']),
  taxable: DEFAULT_TAXABLE,
};

function panelDay(date: string, charged: bigint): RenderedEntry {
  return {
    id: `je:smm-panel:${date}`,
    date,
    sourceId: 'smm-panel',
    description: 'panel',
    eventIds: [],
    lines: [
      { account: 'smm_services_expense', cents: charged, currency: 'GBP' },
      { account: 'panel_prepaid', cents: -charged, currency: 'GBP' },
    ],
  } as RenderedEntry;
}

const client = {
  kind: 'xero',
  name: 'Xero',
  baseCurrency: 'GBP',
  taxSetup: () =>
    Promise.resolve({
      chart,
      flows: {
        order_charge: [
          { code: 'REVERSECHARGES', rate: '0' },
          { code: 'INPUT2', rate: '20', from: '2026-04-01' },
        ],
      },
    }),
} as unknown as DestinationClient;

describe('taxTieOut', () => {
  it('a journal whose stored tax differs from the ledger rate is an item naming the journal, the code and both figures; the rows sum per period and code', async () => {
    const result = await taxTieOut(client, [
      {
        entry: panelDay('2026-03-31', 10_000n),
        remoteId: 'mj-1',
        held: { state: 'present', lines: [], taxes: [{ code: 'REVERSECHARGES', cents: 0n }] },
      },
      {
        entry: panelDay('2026-04-01', 15_056n),
        remoteId: 'mj-2',
        held: {
          state: 'present',
          lines: [],
          taxes: [
            { code: 'INPUT2', cents: 2_510n },
            { code: 'NONE', cents: 0n },
          ],
        },
      },
    ]);
    expect(result?.rows).toEqual([
      { period: '2026-03', code: 'REVERSECHARGES', lines: 1, ledger: '0.00', destination: '0.00' },
      { period: '2026-04', code: 'INPUT2', lines: 1, ledger: '25.09', destination: '25.10' },
    ]);
    expect(result?.items.map((item) => [item.kind, item.ref, item.ledger, item.destination])).toEqual([
      ['tax_differs_at_destination', 'je:smm-panel:2026-04-01', '25.09', '25.10'],
    ]);
    expect(result?.items[0]?.message).toContain(
      'Xero journal mj-2 for entry je:smm-panel:2026-04-01 (2026-04-01) holds 25.10 of INPUT2 tax; the ledger computes 25.09',
    );
  });

  it('issue 82: a reverse charge holds no tax, so its base is compared: a line coded twice at the destination is an item, one netted away per code is not', async () => {
    const held = (bases: [string, bigint][]) => ({
      state: 'present' as const,
      lines: [],
      taxes: bases.map(([code, baseCents]) => ({ code, cents: 0n, baseCents })),
    });
    const clean = await taxTieOut(client, [
      // A reclassification between two accounts both at 410: +3.32 and −3.32 under one code, the ledger's line's 3.32.
      {
        entry: panelDay('2026-03-31', 332n),
        remoteId: 'mj-1',
        held: held([
          ['REVERSECHARGES', 664n],
          ['REVERSECHARGES', -332n],
        ]),
      },
    ]);
    expect(clean?.items).toEqual([]);
    const doubled = await taxTieOut(client, [
      {
        entry: panelDay('2026-03-31', 332n),
        remoteId: 'mj-2',
        held: held([
          ['REVERSECHARGES', 664n],
          ['NONE', -332n],
        ]),
      },
    ]);
    expect(doubled?.items.map((item) => [item.kind, item.ref, item.ledger, item.destination])).toEqual([
      ['tax_differs_at_destination', 'je:smm-panel:2026-03-31', '3.32', '6.64'],
    ]);
    expect(doubled?.items[0]?.message).toContain(
      'Xero journal mj-2 for entry je:smm-panel:2026-03-31 (2026-03-31) holds 6.64 of lines under REVERSECHARGES; the ledger booked 3.32',
    );
    // The tax rows are the tax's, 0.00 both sides: only the item says the base is wrong.
    expect(doubled?.rows).toEqual([
      { period: '2026-03', code: 'REVERSECHARGES', lines: 1, ledger: '0.00', destination: '0.00' },
    ]);
  });

  it("a GBP organisation's tax on USD entries is worked on the journal as converted, not on the USD amount (no false difference)", async () => {
    const usd = (date: string, net: bigint, tax: bigint): RenderedEntry => ({
      id: `je:smm-panel:${date}`,
      date,
      sourceId: 'smm-panel',
      description: 'panel',
      eventIds: [],
      lines: [
        { account: 'smm_services_expense', cents: net, currency: 'USD' },
        { account: 'vat_input', cents: tax, currency: 'USD' },
        { account: 'panel_prepaid', cents: -(net + tax), currency: 'USD' },
      ],
    });
    // The ledger booked 15.56 USD as 12.97 net + 2.59 VAT; sent as one 15.56 line at 0.79 = 12.29 GBP, whose tax at
    // 20 % is 12.29 × 20/120 = 2.048… → 2.05, what Xero stores.
    const result = await taxTieOut(client, [
      {
        entry: usd('2026-04-02', 1_297n, 259n),
        remoteId: 'mj-3',
        held: { state: 'present', lines: [], taxes: [{ code: 'INPUT2', cents: 205n }] },
        conversion: { currency: 'USD', base: 'GBP', rate: '0.79', source: 'fixed' },
      },
    ]);
    expect(result?.items).toEqual([]);
    expect(result?.rows).toEqual([
      { period: '2026-04', code: 'INPUT2', lines: 1, ledger: '2.05', destination: '2.05' },
    ]);
  });

  it('a destination that codes no line has no tax tie-out', async () => {
    const untaxed = { ...client, taxSetup: () => Promise.resolve(undefined) } as DestinationClient;
    expect(await taxTieOut(untaxed, [])).toBeUndefined();
  });
});
