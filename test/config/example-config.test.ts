import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { exampleConfigText, loadConfig, loadMappings } from '../../src/config/index.js';
import { quickbooksMapping, xeroMapping } from '../../src/destinations/index.js';
import { tempFolder } from './temp-folder.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';
import { asPanelSource, isPanelSource } from '../../src/kinds/panel/panel-config.js';
import { asPayelancerSource } from '../../src/kinds/payelancer/payelancer-config.js';
import { quickbooksSectionOf } from '../../src/destinations/index.js';

/** The ledgerline.yaml that init writes for the sandbox on its default port. */
const EXAMPLE_CONFIG = exampleConfigText();

/** The environment variables the example configuration reads, by the command that needs them. */
const EXAMPLE_CONFIG_VARIABLES = {
  sync: ['PAYELANCER_KEY', 'PANEL_KEY'],
  postToXero: ['XERO_TENANT_ID', 'XERO_CLIENT_ID', 'XERO_CLIENT_SECRET'],
  postToQuickBooks: ['QBO_REALM_ID', 'QBO_CLIENT_ID', 'QBO_CLIENT_SECRET', 'QBO_REFRESH_TOKEN'],
  webhooks: ['LEDGERLINE_WEBHOOK_SECRET'],
} as const;

/** Every variable the example reads, set as a demo would set them for the sandbox. */
const SANDBOX_ENV = Object.fromEntries(
  Object.values(EXAMPLE_CONFIG_VARIABLES)
    .flat()
    .map((name) => [name, `sandbox-${name.toLowerCase().replaceAll('_', '-')}`]),
);

const EVERYTHING = {
  sources: 'all',
  destinations: ['xero', 'quickbooks'],
  webhooks: true,
  alerts: true,
  schedule: true,
} as const;

describe('the example ledgerline.yaml that init writes', () => {
  test('parses with the sandbox variables set, for every command, pointing at the sandbox', () => {
    const folder = tempFolder();
    folder.write('ledgerline.yaml', EXAMPLE_CONFIG);
    const config = loadConfig({ kinds: configKinds(), env: SANDBOX_ENV, cwd: folder.dir, need: EVERYTHING });
    expect(config.unresolved).toEqual([]);
    expect(config.ledger).toBe(join(folder.dir, 'data/ledger.sqlite'));
    expect(config.sources).toEqual([
      {
        id: 'ads-publisher',
        kind: 'payelancer',
        baseUrl: 'http://127.0.0.1:8787/payelancer',
        apiKey: 'sandbox-payelancer-key',
        payouts: { minimumMicros: 50_000_000n, method: 'paypal', schedule: { kind: 'month-end' } },
        // What a bank writes on a payout's line, its kind's default.
        bankWords: 'PAYPAL|PAYELANCER',
      },
      {
        id: 'smm-panel',
        kind: 'panel',
        url: 'http://127.0.0.1:8787/panel/api/v2',
        apiKey: 'sandbox-panel-key',
        unknownOrderRetentionDays: 7,
        stuckAfterDays: 30,
        // The proxy's spool sits beside the ledger unless configured.
        proxySpool: join(folder.dir, 'data/smm-panel.proxy-spool.jsonl'),
        // A card line names the panel, or its host as the merchant.
        bankWords: 'SMMPANEL|127\\.0\\.0\\.1',
      },
    ]);
    expect(config.destinations).toEqual({
      xero: {
        tenantId: 'sandbox-xero-tenant-id',
        clientId: 'sandbox-xero-client-id',
        clientSecret: 'sandbox-xero-client-secret',
        apiUrl: 'http://127.0.0.1:8787/xero/api.xro/2.0',
        tokenUrl: 'http://127.0.0.1:8787/xero/connect/token',
        authorizeUrl: 'http://127.0.0.1:8787/xero/identity/connect/authorize',
        revokeUrl: 'http://127.0.0.1:8787/xero/connect/revocation',
        connectionsUrl: 'http://127.0.0.1:8787/xero/connections',
        status: 'POSTED',
        region: 'US',
      },
      quickbooks: {
        realmId: 'sandbox-qbo-realm-id',
        clientId: 'sandbox-qbo-client-id',
        clientSecret: 'sandbox-qbo-client-secret',
        refreshToken: 'sandbox-qbo-refresh-token',
        environment: 'production',
        apiUrl: 'http://127.0.0.1:8787/quickbooks',
        tokenUrl: 'http://127.0.0.1:8787/quickbooks/oauth2/v1/tokens/bearer',
        authorizeUrl: 'http://127.0.0.1:8787/quickbooks/connect/oauth2',
        revokeUrl: 'http://127.0.0.1:8787/quickbooks/v2/oauth2/tokens/revoke',
      },
    });
    expect(config.webhooks).toEqual({
      port: 8788,
      secret: 'sandbox-ledgerline-webhook-secret',
      mode: 'path-token',
      maxBodyBytes: 65536,
    });
    expect(config.schedule).toEqual({ cron: '30 2 * * *', timezone: 'UTC', post: [] });
    expect(
      loadMappings({ chartPath: config.mappings, destinations: [xeroMapping, quickbooksMapping] }).chart.file,
    ).toBe(config.mappings);
  });

  test('loads for export with no variable set', () => {
    const folder = tempFolder();
    folder.write('ledgerline.yaml', EXAMPLE_CONFIG);
    expect(
      loadConfig({ kinds: configKinds(), env: {}, cwd: folder.dir }).unresolved.map(
        (reference) => reference.variables[0],
      ),
    ).toEqual(Object.values(EXAMPLE_CONFIG_VARIABLES).flat());
  });

  test('can point at a sandbox on another port', () => {
    const folder = tempFolder();
    folder.write('ledgerline.yaml', exampleConfigText('http://127.0.0.1:40123'));
    const config = loadConfig({ kinds: configKinds(), env: SANDBOX_ENV, cwd: folder.dir, need: EVERYTHING });
    expect(
      config.sources.map((source) =>
        isPanelSource(source) ? asPanelSource(source).url : asPayelancerSource(source).baseUrl,
      ),
    ).toEqual(['http://127.0.0.1:40123/payelancer', 'http://127.0.0.1:40123/panel/api/v2']);
    expect(quickbooksSectionOf(config)?.apiUrl).toBe('http://127.0.0.1:40123/quickbooks');
  });
});
