import { createQuickBooksFake, type QuickBooksFake } from './quickbooks/fake.js';
import { createXeroFake, type XeroFake } from './xero/fake.js';

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

/** The environment a configuration written by `ledgerline init` needs to talk to the sandbox. */
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
  LEDGERLINE_WEBHOOK_SECRET: 'sandbox-webhook-secret-0123456789',
} as const;

export interface DestinationFakes {
  xero: XeroFake;
  quickbooks: QuickBooksFake;
}

/** Both fakes with the sandbox credentials, ready to mount beside the source simulators. */
export function createDestinationFakes(now?: () => number): DestinationFakes {
  return {
    xero: createXeroFake({ ...SANDBOX_DESTINATION_CREDENTIALS.xero, ...(now ? { now } : {}) }),
    quickbooks: createQuickBooksFake({ ...SANDBOX_DESTINATION_CREDENTIALS.quickbooks, ...(now ? { now } : {}) }),
  };
}
