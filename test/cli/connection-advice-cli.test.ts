import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { spendEntry } from '../pipeline/post-fixtures.js';
import { runLedgerline } from '../support/cli.js';
import { serveInProcess } from '../support/serve-in-process.js';
import { useTempDir } from '../support/temp-dir.js';
import { answerConsent, connectWorkspace, deliverCallback, startCliInProcess } from './connect-harness.js';
import { SECRETS, bookEntries } from './post-cli-harness.js';

/**
 * The advice `doctor`, `post`, `status` and the console give about a destination comes from the connection's state (the token
 * store and the configuration), in one voice: not connected → connect; revoked or expired → connect again; a custom
 * connection's credentials only when one is configured.
 */

const tempDir = useTempDir('ledgerline-connection-advice-');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function oauthApp(): Promise<{ xero: RunningXeroFake; dir: string; config: string }> {
  const xero = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    customConnection: false,
  });
  closers.push(xero.close);
  const dir = tempDir();
  const config = connectWorkspace(dir, { xero });
  await bookEntries(dir, [spendEntry(1, '2024-02-03')]);
  return { xero, dir, config };
}

const run = (dir: string, args: readonly string[]) => runLedgerline(args, { cwd: dir, env: SECRETS });

async function connect(xero: RunningXeroFake, dir: string, config: string): Promise<void> {
  const connecting = startCliInProcess(['connect', 'xero', '--config', config, '--no-browser', '--port', '0'], dir);
  expect(
    await deliverCallback(await answerConsent(await connecting.url, 'allow', [xero.fake.tenantId], 'tenant')),
  ).toBe(200);
  expect((await connecting.done).code).toBe(0);
}

const storePath = (dir: string) => join(dir, 'data', '.ledgerline-tokens.json');

describe('advice from the connection state', () => {
  it('before connect and after disconnect: doctor, post, status and the console say to run `ledgerline connect xero`, never to check the client secret', async () => {
    const { xero, dir, config } = await oauthApp();
    for (const moment of ['before connect', 'after disconnect']) {
      if (moment === 'after disconnect') {
        await connect(xero, dir, config);
        expect((await run(dir, ['disconnect', 'xero', '--config', config])).code).toBe(0);
      }
      const doctor = await run(dir, ['doctor', '--to', 'xero', '--config', config]);
      expect(doctor.stdout, moment).toContain('✗ xero: not connected');
      expect(doctor.stdout, moment).toContain('fix: run `ledgerline connect xero`');
      expect(doctor.stdout, moment).not.toMatch(/clientSecret|client secret|custom connection/);
      const post = await run(dir, ['post', 'xero', '--config', config]);
      expect(post.code, moment).toBe(3);
      expect(post.stderr, moment).toContain('no Xero organisation is connected; run `ledgerline connect xero`');
      expect(post.stderr, moment).not.toMatch(/clientSecret|client secret|custom connection|credentials configured/);
      const status = await run(dir, ['status', '--config', config]);
      expect(status.stdout, moment).toContain('tokens: xero not connected; run `ledgerline connect xero`');
      const console = await serveInProcess(['--config', config, '--port', '0'], { cwd: dir, env: SECRETS });
      try {
        const page = await (await fetch(console.url)).text();
        expect(page, moment).toContain(
          '<p class="connection" role="alert">xero: no Xero organisation is connected; run `ledgerline connect xero`</p>',
        );
      } finally {
        expect((await console.stop()).code).toBe(0);
      }
    }
    expect(xero.fake.writeRequestCount()).toBe(0);
  });

  it('a revoked consent: doctor fails the authorization (✗, not "expires in 59 days") and both lines say to connect again', async () => {
    const { xero, dir, config } = await oauthApp();
    await connect(xero, dir, config);
    xero.fake.revokeTokens();
    const doctor = await run(dir, ['doctor', '--to', 'xero', '--config', config]);
    expect(doctor.code).toBe(3);
    expect(doctor.stdout).toMatch(
      /\nauthorization\n {2}✗ xero: the authorization was revoked or has lapsed at Xero[^\n]*\n {6}fix: run `ledgerline connect xero` to authorize again\n/,
    );
    expect(doctor.stdout).not.toContain('expires in');
    expect(doctor.stdout).not.toMatch(/clientSecret|client secret/);
    const post = await run(dir, ['post', 'xero', '--config', config]);
    expect(post.code).toBe(3);
    expect(post.stderr).toContain('run `ledgerline connect xero` to authorize again');
    expect(post.stderr).not.toMatch(/clientSecret|client secret|credentials configured/);
  });

  it('an expired refresh token (60 days unused) is refused from the store before any call, and doctor shows it ✗', async () => {
    const { xero, dir, config } = await oauthApp();
    await connect(xero, dir, config);
    const store = JSON.parse(readFileSync(storePath(dir), 'utf8')) as {
      destinations: { xero: Record<string, unknown> };
    };
    store.destinations.xero.refreshTokenExpiresAt = '2020-01-01T00:00:00.000Z';
    store.destinations.xero.accessTokenExpiresAt = '2020-01-01T00:00:00.000Z';
    writeFileSync(storePath(dir), JSON.stringify(store));
    const doctor = await run(dir, ['doctor', '--to', 'xero', '--config', config]);
    expect(doctor.stdout).toMatch(
      /\nauthorization\n {2}✗ xero: Ledgerline Sandbox Ltd; [^\n]*expired 2020-01-01T00:00:00.000Z\n {6}fix: run `ledgerline connect xero` to authorize again\n/,
    );
    const post = await run(dir, ['post', 'xero', '--config', config]);
    expect(post.code).toBe(3);
    expect(post.stderr).toContain(
      'the Xero authorization expired on 2020-01-01T00:00:00.000Z; run `ledgerline connect xero` to authorize again',
    );
    const status = await run(dir, ['status', '--config', config]);
    expect(status.stdout).toContain('run `ledgerline connect xero` to authorize again');
  });

  it("a custom connection configured: its refused credentials get the custom connection's advice", async () => {
    const { dir, config } = await oauthApp();
    writeFileSync(config, readFileSync(config, 'utf8').replace('  xero:\n', '  xero:\n    connection: custom\n'));
    const post = await run(dir, ['post', 'xero', '--config', config]);
    expect(post.code).toBe(3);
    expect(post.stderr).toContain('check destinations.xero.clientId and clientSecret of the custom connection');
  });
});
