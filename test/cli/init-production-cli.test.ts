import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startXeroFake } from '../../sandbox/xero/fake.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';
import { answerConsent, deliverCallback, startCliInProcess } from './connect-harness.js';
import { SECRETS } from './post-cli-harness.js';
import { loadConfig } from '../../src/config/index.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';

/**
 * `init --for` writes a configuration for the real services, nothing of the sandbox in it, and says what to set
 * and register; followed as written (the vendor played by the fakes), it ends with a connected organisation.
 */

const tempDir = useTempDir('ledgerline-init-production-');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** What the sandbox template holds and a production file must not: its URLs and clock, a tenant or realm, a pasted token, the custom connection. */
const SANDBOX_TRACES =
  /127\.0\.0\.1|localhost:8787|sandboxClock|__admin|tenantId|realmId|refreshToken|custom connection \(client credentials\)/;

describe('ledgerline init --for', () => {
  it('xero: the real Xero (no sandbox URL, no tenant, an oauth app), the variables and the redirect URI; then connect ends with a connected organisation', async () => {
    const dir = tempDir();
    const init = await runLedgerline(['init', '--for', 'xero'], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('next: set XERO_CLIENT_ID and XERO_CLIENT_SECRET');
    expect(init.stdout).toContain(
      'register http://localhost:5110/callback as a redirect URI of the Xero app, then run `ledgerline connect xero`',
    );
    const written = readFileSync(join(dir, 'ledgerline.yaml'), 'utf8');
    expect(written).not.toMatch(SANDBOX_TRACES);
    expect(written).not.toMatch(/^  quickbooks:/m);
    expect(written).toContain('    connection: oauth');
    expect(written).toContain('# Set: PAYELANCER_KEY, PANEL_KEY, XERO_CLIENT_ID, XERO_CLIENT_SECRET.');

    // The vendor is played by the fakes: only their addresses are added, as Xero's own are built in.
    const xero = await startXeroFake({
      clientId: SECRETS.XERO_CLIENT_ID,
      clientSecret: SECRETS.XERO_CLIENT_SECRET,
      customConnection: false,
    });
    closers.push(xero.close);
    const endpoints = ['apiUrl', 'tokenUrl', 'authorizeUrl', 'revokeUrl', 'connectionsUrl'] as const;
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      written.replace(
        '    connection: oauth',
        ['    connection: oauth', ...endpoints.map((name) => `    ${name}: ${xero[name]}`)].join('\n'),
      ),
    );
    const connecting = startCliInProcess(['connect', 'xero', '--no-browser', '--port', '0'], dir);
    expect(
      await deliverCallback(await answerConsent(await connecting.url, 'allow', [xero.fake.tenantId], 'tenant')),
    ).toBe(200);
    const connected = await connecting.done;
    expect(connected.code, connected.stderr).toBe(0);
    expect(connected.stdout).toContain(
      `connected: Xero organisation "Ledgerline Sandbox Ltd" (tenant ${xero.fake.tenantId})`,
    );
    const doctor = await runLedgerline(['doctor', '--to', 'xero'], { cwd: dir, env: SECRETS });
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(/\nauthorization\n {2}✓ xero: Ledgerline Sandbox Ltd; /);
  });

  it('quickbooks: production keys, the https redirect they need and connect --paste; csv: no destination at all', async () => {
    const quickbooks = tempDir();
    const init = await runLedgerline(['init', '--for', 'quickbooks'], { cwd: quickbooks });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('production keys take only an https redirect URI (no localhost, no IP address)');
    const written = readFileSync(join(quickbooks, 'ledgerline.yaml'), 'utf8');
    expect(written).not.toMatch(SANDBOX_TRACES);
    expect(written).toContain('    environment: production');

    const csv = tempDir();
    expect((await runLedgerline(['init', '--for', 'csv'], { cwd: csv })).code).toBe(0);
    const exports = readFileSync(join(csv, 'ledgerline.yaml'), 'utf8');
    expect(exports).not.toMatch(/^destinations:/m);
    expect(exports).not.toMatch(SANDBOX_TRACES);

    const both = await runLedgerline(['init', '--for', 'xero', '--sandbox-url', 'http://127.0.0.1:19101'], {
      cwd: tempDir(),
    });
    expect(both.code).toBe(2);
  });

  it.each(['xero', 'quickbooks'])(
    '%s: the commented examples load once uncommented (they gave YAML errors), and as written',
    async (destination) => {
      const dir = tempDir();
      expect((await runLedgerline(['init', '--for', destination], { cwd: dir })).code).toBe(0);
      const path = join(dir, 'ledgerline.yaml');
      const env = {
        PAYELANCER_KEY: 'k1',
        PANEL_KEY: 'k2',
        ...SECRETS,
        LEDGERLINE_WEBHOOK_SECRET: 'webhook-secret-0123456789',
        ALERT_WEBHOOK_URL: 'https://alerts.example/hook',
      };
      const load = (need: { webhooks?: true; alerts?: true }) =>
        loadConfig({ kinds: configKinds(), env, cwd: dir, need: { sources: 'all', ...need } });
      expect(load({}).sources).toEqual([]);
      // Uncommented as a person does, below the file's header: "  #   kind: panel" becomes "    kind: panel".
      const written = readFileSync(path, 'utf8');
      const settings = written.indexOf('\nledger:');
      writeFileSync(
        path,
        written.slice(0, settings) + written.slice(settings).replace(/^( *)# ( *(?:- )?[a-zA-Z]+:(?: .*)?)$/gm, '$1$2'),
      );
      const config = load({ webhooks: true, alerts: true });
      expect(config.sources.map((source) => `${source.id} ${source.kind}`)).toEqual([
        'ads-publisher payelancer',
        'smm-panel panel',
      ]);
      expect(config.webhooks?.port).toBe(8788);
    },
  );
});
