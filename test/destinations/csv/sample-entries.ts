import type { RenderedEntry } from '../../../src/rules/index.js';
import type { ChartAccount } from '../../../src/destinations/csv/index.js';
import type { QuickbooksAccount } from '../../../src/destinations/quickbooks/quickbooks-payload.js';
import type { XeroAccount } from '../../../src/destinations/xero/xero-payload.js';

/**
 * A small fixed ledger, as destinations receive it (cents, balanced, zero
 * lines dropped). Shared by the CSV goldens and the payload tests.
 */
export const publisherEarnings: RenderedEntry = {
  id: 'je:ads-publisher:2026-03-01',
  date: '2026-03-01',
  sourceId: 'ads-publisher',
  description: 'Publisher earnings 2026-03-01',
  eventIds: ['payelancer:ads-publisher:earnings:2026-03-01'],
  lines: [
    { account: 'payelancer_receivable', currency: 'USD', cents: 1234n },
    { account: 'ad_revenue', currency: 'USD', cents: -1234n },
  ],
};

/**
 * The rounding day. Three orders charged 0.27819 + 1.23456 + 0.05555 = 1.56830
 * (5 decimals, as the panel reports). Rendered cumulatively, half-even:
 * smm_services_expense runs 10.00400 → 11.57230, i.e. 10.00 → 11.57, so +1.57;
 * panel_prepaid runs 40.00495 → 38.43665, i.e. 40.00 → 38.44, so −1.56.
 * The 0.01 residue is credited to `rounding`: 1.57 − 1.56 − 0.01 = 0.
 */
export const panelRoundingDay: RenderedEntry = {
  id: 'je:smm-panel:2026-03-02',
  date: '2026-03-02',
  sourceId: 'smm-panel',
  description: 'SMM panel orders 2026-03-02',
  eventIds: [
    'panel:smm-panel:order:23501:charge:2026-03-02',
    'panel:smm-panel:order:23502:charge:2026-03-02',
    'panel:smm-panel:order:23503:charge:2026-03-02',
  ],
  lines: [
    { account: 'smm_services_expense', currency: 'USD', cents: 157n },
    { account: 'panel_prepaid', currency: 'USD', cents: -156n },
    { account: 'rounding', currency: 'USD', cents: -1n, description: 'Cent rounding' },
  ],
};

/** A description with a comma and quotes, which CSV must quote. */
export const payout: RenderedEntry = {
  id: 'je:ads-publisher:2026-03-31:payout',
  date: '2026-03-31',
  sourceId: 'ads-publisher',
  description: 'Payout of 50.00 via paypal, "March"',
  eventIds: ['payelancer:ads-publisher:payout:paypal:2026-03-31'],
  lines: [
    { account: 'payout_clearing_paypal', currency: 'USD', cents: 5000n },
    { account: 'payelancer_receivable', currency: 'USD', cents: -5000n },
  ],
};

/** Every line rounded to 0.00: nothing to deliver, so no rows. */
export const roundedAway: RenderedEntry = {
  id: 'je:smm-panel:2026-03-03',
  date: '2026-03-03',
  sourceId: 'smm-panel',
  description: 'SMM panel orders 2026-03-03',
  eventIds: ['panel:smm-panel:order:23504:charge:2026-03-03'],
  lines: [],
};

/** A daily refund summary of twelve events: source_ref shows the first and a count. */
export const refundsWithManyEvents: RenderedEntry = {
  id: 'je:smm-panel:2026-03-04',
  date: '2026-03-04',
  sourceId: 'smm-panel',
  description: 'SMM panel refunds 2026-03-04',
  eventIds: Array.from({ length: 12 }, (_, index) => `panel:smm-panel:order:${23510 + index}:refund:2026-03-04`),
  lines: [
    { account: 'panel_prepaid', currency: 'USD', cents: 4207n, description: 'Refunds, 12 orders' },
    { account: 'smm_services_expense', currency: 'USD', cents: -4207n },
  ],
};

export const sampleEntries: readonly RenderedEntry[] = [
  publisherEarnings,
  panelRoundingDay,
  payout,
  roundedAway,
  refundsWithManyEvents,
];

export const chart: Readonly<Record<string, ChartAccount>> = {
  payelancer_receivable: { name: 'Payelancer receivable' },
  ad_revenue: { name: 'Ad revenue' },
  smm_services_expense: { name: 'SMM services expense' },
  panel_prepaid: { name: 'Panel prepaid' },
  payout_clearing_paypal: { name: 'Payout clearing (PayPal)' },
  rounding: { name: 'Rounding' },
};

export const xeroMapping: Readonly<Record<string, XeroAccount>> = {
  payelancer_receivable: { code: '610' },
  ad_revenue: { code: '200', tracking: [{ name: 'Region', option: 'North America' }] },
  smm_services_expense: {
    code: '420',
    taxRate: 'Tax on Purchases',
    tracking: [
      { name: 'Channel', option: 'SMM' },
      { name: 'Region', option: 'Global' },
    ],
  },
  panel_prepaid: { code: '620' },
  payout_clearing_paypal: { code: '611' },
  rounding: { code: '860' },
};

export const quickbooksMapping: Readonly<Record<string, QuickbooksAccount>> = {
  payelancer_receivable: { id: '101', name: 'Receivables:Payelancer' },
  ad_revenue: { id: '201', name: 'Ad revenue', location: { id: '3', name: 'Online' } },
  smm_services_expense: {
    id: '301',
    name: 'Advertising:SMM services',
    class: { id: '5000000000000012345', name: 'Marketing' },
  },
  panel_prepaid: { id: '102', name: 'Prepaid:SMM panel' },
  payout_clearing_paypal: { id: '103', name: 'Clearing:PayPal' },
  rounding: { id: '401', name: 'Rounding' },
};
