import { describe, expect, test } from 'vitest';
import { createRedactor, loadConfig, redactSecrets, SECRET_FIELDS } from '../../src/config/index.js';
import { formatKeyPath } from '../../src/config/key-path.js';
import { secretSites } from '../../src/config/secret-fields.js';
import { tempFolder } from './temp-folder.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';

const FULL_CONFIG = `
ledger: ./l.sqlite
timezone: UTC
currency: USD
payouts: { method: paypal }
sources:
  - { id: ads, kind: payelancer, baseUrl: "http://127.0.0.1:9", apiKey: "\${PAYELANCER_KEY}" }
  - { id: panel, kind: panel, url: "http://127.0.0.1:9/api/v2", apiKey: "\${PANEL_KEY}" }
destinations:
  xero: { tenantId: t-1, clientId: c-1, clientSecret: "\${XERO_CLIENT_SECRET}", refreshToken: "\${XERO_REFRESH_TOKEN}" }
  quickbooks: { realmId: "123", clientId: c-2, clientSecret: "\${QBO_CLIENT_SECRET}", refreshToken: "\${QBO_REFRESH_TOKEN}" }
alerts: { webhookUrl: "\${ALERT_WEBHOOK_URL}" }
webhooks: { secret: "\${WEBHOOK_SECRET}" }
monitor: { ping: "\${PING_URL}" }
witness: { url: "\${WITNESS_URL}" }
`;

const SECRETS = {
  PAYELANCER_KEY: 'payelancer key/with+symbols&more',
  PANEL_KEY: 'panel-key-7f3a91',
  XERO_CLIENT_SECRET: 'xero-secret-2b8c',
  XERO_REFRESH_TOKEN: 'xero-refresh-5d1e',
  QBO_CLIENT_SECRET: 'qbo-secret-9a4f',
  QBO_REFRESH_TOKEN: 'qbo-refresh-3c7b',
  ALERT_WEBHOOK_URL: 'https://hooks.example.test/services/T000/B000/XXXXSECRET',
  WEBHOOK_SECRET: 'webhook-secret-0123456789',
  PING_URL: 'https://hc-ping.example.test/5bd1ab4c-2f3e-4f7a-9c1d-0e8a6b2d9f11',
  WITNESS_URL: 'https://witness.example.test/books?token=7e0c55aa31',
};

function fullConfig() {
  const folder = tempFolder();
  folder.write('ledgerline.yaml', FULL_CONFIG);
  return loadConfig({
    kinds: configKinds(),
    env: SECRETS,
    cwd: folder.dir,
    need: { sources: 'all', destinations: ['xero', 'quickbooks'], webhooks: true, alerts: true },
  });
}

describe('redactSecrets', () => {
  test('replaces a secret, its URL-encoded and its form-encoded forms', () => {
    const secret = 'a key/with+symbols&more';
    const text = [
      `raw=${secret}`,
      `url=https://x.test/?key=${encodeURIComponent(secret)}`,
      `form=${new URLSearchParams({ key: secret }).toString()}`,
      `json=${JSON.stringify({ key: secret })}`,
    ].join(' | ');
    expect(redactSecrets(text, [secret])).toBe(
      'raw=[redacted] | url=https://x.test/?key=[redacted] | form=key=[redacted] | json={"key":"[redacted]"}',
    );
  });

  test('leaves values under 4 characters alone rather than mangling every message', () => {
    expect(redactSecrets('an abc in the text', ['abc'])).toBe('an abc in the text');
  });
});

describe('createRedactor', () => {
  test('hides every secret field of the loaded configuration, and secrets added later', () => {
    const redactor = createRedactor(fullConfig());
    const text = Object.values(SECRETS).join(' ');
    expect(redactor.redact(text)).toBe(Array(10).fill('[redacted]').join(' '));
    expect(redactor.withSecrets(['access-token-abcdef']).redact('Bearer access-token-abcdef')).toBe(
      'Bearer [redacted]',
    );
    expect(redactor.redact('Bearer access-token-abcdef')).toBe('Bearer access-token-abcdef');
  });

  test('the secret list names fields that exist in the schema', () => {
    const paths = secretSites(fullConfig()).map((site) => formatKeyPath(site.path));
    const fieldsFound = new Set(
      paths.map((path) => path.replace(/\[\d+\]/g, '[]').replace(/^destinations\.[^.]+\./, 'destinations.*.')),
    );
    // An entity's own ping and, in its view of the file, the fleet's: only a file with entities: has them.
    const entityOnly = secretSites({
      entities: { north: { monitor: { ping: 'https://hc.test/north' } } },
      monitor: { fleetPing: 'https://hc.test/fleet' },
    }).map((site) => formatKeyPath(site.path));
    expect(entityOnly).toEqual(['monitor.fleetPing', 'entities.north.monitor.ping']);
    for (const path of entityOnly) fieldsFound.add(path.replace(/^entities\.[^.]+\./, 'entities.*.'));
    expect(SECRET_FIELDS.filter((field) => !fieldsFound.has(field))).toEqual([]);
    expect(paths).toEqual([
      'sources[0].apiKey',
      'sources[1].apiKey',
      'destinations.xero.clientSecret',
      'destinations.quickbooks.clientSecret',
      'destinations.xero.refreshToken',
      'destinations.quickbooks.refreshToken',
      'webhooks.secret',
      'alerts.webhookUrl',
      'monitor.ping',
      'witness.url',
    ]);
  });
});
