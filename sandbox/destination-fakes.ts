import { createQuickBooksFake, type QuickBooksFake } from './quickbooks/fake.js';
import { QUICKBOOKS_ACCOUNTS_WITHOUT_BANK_FEES, QUICKBOOKS_DEFAULT_ACCOUNTS } from './quickbooks/settings.js';
import { createXeroFake, type XeroFake } from './xero/fake.js';
import { XERO_ACCOUNTS_WITHOUT_BANK_FEES, XERO_DEFAULT_ACCOUNTS } from './xero/settings.js';
import { SANDBOX_REGION_SETTINGS, type SandboxRegion } from './sandbox-region.js';

/**
 * The credentials `ledgerline sandbox` gives its Xero and QuickBooks fakes.
 * Fixed and printed at start-up, like the source keys, so a configuration can
 * be tried end to end; they open nothing real.
 */
export const SANDBOX_DESTINATION_CREDENTIALS = {
  xero: {
    tenantId: 'a3b9c1d2-0000-4000-8000-5a4db0c5e7a1',
    clientId: 'sandbox-xero-client-id',
    clientSecret: 'sandbox-xero-client-secret',
  },
  quickbooks: {
    realmId: '9130350000000001',
    clientId: 'sandbox-qbo-client-id',
    clientSecret: 'sandbox-qbo-client-secret',
    refreshToken: 'sandbox-qbo-refresh-token',
  },
} as const;

/**
 * The second organisation each fake serves beside the first (issue 55 item 7): the `south` entity of the fleet
 * sandbox's configuration books into it, `north` into the first. Each entity holds a grant of its own (a consent
 * each, as two token stores need): the refresh tokens below, accepted by the fakes as if given before they started.
 */
export const SANDBOX_SECOND_ORGANISATION = {
  xero: { tenantId: 'b7e2d4f1-0000-4000-8000-50074b0c5e7a', name: 'Ledgerline Sandbox South Ltd' },
  quickbooks: { realmId: '9130350000000002', companyName: 'Ledgerline Sandbox South Company' },
} as const;

const SANDBOX_ENTITY_GRANTS = {
  xeroNorth: 'sandbox-xero-refresh-token-north',
  xeroSouth: 'sandbox-xero-refresh-token-south',
  quickbooksSouth: 'sandbox-qbo-refresh-token-south',
} as const;

/** The environment a configuration written by `ledgerline init` (or the fleet sandbox, with its two entities) needs to talk to the sandbox. */
export const SANDBOX_ENVIRONMENT = {
  PAYELANCER_KEY: 'sandbox-publisher-key',
  PANEL_KEY: 'sandbox-panel-key',
  XERO_TENANT_ID: SANDBOX_DESTINATION_CREDENTIALS.xero.tenantId,
  XERO_CLIENT_ID: SANDBOX_DESTINATION_CREDENTIALS.xero.clientId,
  XERO_CLIENT_SECRET: SANDBOX_DESTINATION_CREDENTIALS.xero.clientSecret,
  QBO_REALM_ID: SANDBOX_DESTINATION_CREDENTIALS.quickbooks.realmId,
  QBO_CLIENT_ID: SANDBOX_DESTINATION_CREDENTIALS.quickbooks.clientId,
  QBO_CLIENT_SECRET: SANDBOX_DESTINATION_CREDENTIALS.quickbooks.clientSecret,
  QBO_REFRESH_TOKEN: SANDBOX_DESTINATION_CREDENTIALS.quickbooks.refreshToken,
  XERO_NORTH_REFRESH_TOKEN: SANDBOX_ENTITY_GRANTS.xeroNorth,
  XERO_SOUTH_TENANT_ID: SANDBOX_SECOND_ORGANISATION.xero.tenantId,
  XERO_SOUTH_REFRESH_TOKEN: SANDBOX_ENTITY_GRANTS.xeroSouth,
  QBO_SOUTH_REALM_ID: SANDBOX_SECOND_ORGANISATION.quickbooks.realmId,
  QBO_SOUTH_REFRESH_TOKEN: SANDBOX_ENTITY_GRANTS.quickbooksSouth,
  LEDGERLINE_WEBHOOK_SECRET: 'sandbox-webhook-secret-0123456789',
} as const;

export interface DestinationFakes {
  xero: XeroFake;
  quickbooks: QuickBooksFake;
}

/**
 * The charts the fakes can hold: `full` has an account for every key of the shipped chart; `without-bank-fees` is an
 * organisation and a company set up before the chart had `bank_fees` (no Xero 404, no QuickBooks 15 "Bank Charges").
 */
export const DESTINATION_CHARTS = ['full', 'without-bank-fees'] as const;
export type DestinationChart = (typeof DESTINATION_CHARTS)[number];

/**
 * Both fakes with the sandbox credentials and two organisations each (both connected), ready to mount beside the
 * source simulators; with a `region`, each plays an organisation of it (sandbox-region.ts), else the US defaults.
 */
export function createDestinationFakes(
  now?: () => number,
  chart: DestinationChart = 'full',
  region?: SandboxRegion,
): DestinationFakes {
  const full = chart === 'full';
  const played = region === undefined ? undefined : SANDBOX_REGION_SETTINGS[region];
  return {
    xero: createXeroFake({
      ...SANDBOX_DESTINATION_CREDENTIALS.xero,
      ...played?.xero,
      otherOrganisations: [{ ...SANDBOX_SECOND_ORGANISATION.xero, connected: true }],
      refreshTokens: [SANDBOX_ENTITY_GRANTS.xeroNorth, SANDBOX_ENTITY_GRANTS.xeroSouth],
      accounts: full ? XERO_DEFAULT_ACCOUNTS : XERO_ACCOUNTS_WITHOUT_BANK_FEES,
      ...(now ? { now } : {}),
    }),
    quickbooks: createQuickBooksFake({
      ...SANDBOX_DESTINATION_CREDENTIALS.quickbooks,
      ...played?.quickbooks,
      otherCompanies: [
        { ...SANDBOX_SECOND_ORGANISATION.quickbooks, refreshToken: SANDBOX_ENTITY_GRANTS.quickbooksSouth },
      ],
      accounts: full ? QUICKBOOKS_DEFAULT_ACCOUNTS : QUICKBOOKS_ACCOUNTS_WITHOUT_BANK_FEES,
      ...(now ? { now } : {}),
    }),
  };
}

/**
 * What `ledgerline sandbox` prints after the sources' banner: where the Xero and QuickBooks fakes answer, the
 * region they play if any, and the environment a configuration written by `ledgerline init` reads.
 */
export function destinationFakesBanner(
  baseUrl: string,
  region: SandboxRegion | undefined,
  supplierCurrency?: string | undefined,
): string {
  const panel = supplierCurrency === undefined ? '' : `, the panel in ${supplierCurrency}`;
  const initFlags = supplierCurrency === undefined ? '' : ` --supplier-currency ${supplierCurrency}`;
  return [
    `  Xero fake          ${baseUrl}/xero/api.xro/2.0 (token ${baseUrl}/xero/connect/token)`,
    `                     tenant ${SANDBOX_DESTINATION_CREDENTIALS.xero.tenantId}`,
    `  QuickBooks fake    ${baseUrl}/quickbooks (token ${baseUrl}/quickbooks/oauth2/v1/tokens/bearer)`,
    `                     realm ${SANDBOX_DESTINATION_CREDENTIALS.quickbooks.realmId}`,
    ...(region === undefined
      ? []
      : [
          `  region             ${region}: both fakes in ${SANDBOX_REGION_SETTINGS[region].quickbooks.country}, ` +
            `${SANDBOX_REGION_SETTINGS[region].currency}, the published default tax rates${panel} ` +
            `(ledgerline init --sandbox-url ${baseUrl} --region ${region}${initFlags} --vat-registered)`,
        ]),
    '',
    'A configuration written by `ledgerline init` talks to this sandbox with:',
    ...Object.entries(SANDBOX_ENVIRONMENT).map(([name, value]) => `  export ${name}=${value}`),
    '',
    'Stop with Ctrl-C.',
    '',
  ].join('\n');
}
