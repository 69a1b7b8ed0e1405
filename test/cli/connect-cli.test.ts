import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startQuickBooksFake,
  type QuickBooksFakeOptions,
  type RunningQuickBooksFake,
} from '../../sandbox/quickbooks/fake.js';
import { startXeroFake, type RunningXeroFake, type XeroFakeOptions } from '../../sandbox/xero/fake.js';
import { shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';
import { refuseBugReport } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';
import { answerConsent, connectWorkspace, deliverCallback, startCliInProcess } from './connect-harness.js';
import { CLI, SECRETS, assertBuilt, bookEntries, runCli } from './post-cli-harness.js';

/**
 * `ledgerline connect` and `disconnect` against the fakes' consent side: each
 * way a consent goes wrong is refused with its own message and exit code, and
 * nothing reaches the token store unless all went well. The CLI runs in this
 * process, except where the process is the subject: a paste read from its
 * stdin, a pseudo-terminal's prompt (the built CLI).
 */

const tempDir = useTempDir('ledgerline-connect-cli-');
const closers: (() => Promise<void>)[] = [];
beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const OTHER_ORG = { tenantId: '7f1c2b3a-0000-4000-8000-00000000b0b0', name: 'Ledgerline Holdings Ltd' };

async function xeroFake(options: XeroFakeOptions = {}): Promise<RunningXeroFake> {
  const server = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    customConnection: false,
    ...options,
  });
  closers.push(server.close);
  return server;
}

async function quickbooksFake(options: QuickBooksFakeOptions = {}): Promise<RunningQuickBooksFake> {
  const server = await startQuickBooksFake({
    clientId: SECRETS.QBO_CLIENT_ID,
    clientSecret: SECRETS.QBO_CLIENT_SECRET,
    refreshTokenGraceMs: 0,
    accounts: shippedChartsForFakes().quickbooks,
    ...options,
  });
  closers.push(server.close);
  return server;
}

const storePath = (dir: string): string => join(dir, 'data', '.ledgerline-tokens.json');
interface TokenStoreFile {
  destinations: Record<string, Record<string, unknown> | undefined>;
}
const storeEntry = (dir: string, destination: string): Record<string, unknown> | undefined =>
  (JSON.parse(readFileSync(storePath(dir), 'utf8')) as TokenStoreFile).destinations[destination];

async function connectXero(dir: string, config: string, pick: readonly string[], extra: readonly string[] = []) {
  const run = startCliInProcess(['connect', 'xero', '--config', config, '--no-browser', '--port', '0', ...extra], dir);
  const location = await answerConsent(await run.url, 'allow', pick, 'tenant');
  expect(await deliverCallback(location)).toBe(200);
  return run.done;
}

describe('ledgerline connect xero', () => {
  it('a redirect with another state is refused (exit 3): the code is never exchanged and nothing is stored', async () => {
    const xero = await xeroFake();
    const dir = tempDir();
    const config = connectWorkspace(dir, { xero });
    const run = startCliInProcess(['connect', 'xero', '--config', config, '--no-browser', '--port', '0'], dir);
    const location = new URL(await answerConsent(await run.url, 'allow', [xero.fake.tenantId], 'tenant'));
    location.searchParams.set('state', 'forged-state-from-another-tab');
    await deliverCallback(location.toString());
    const ended = await run.done;
    expect(ended.code, ended.stdout + ended.stderr).toBe(3);
    expect(ended.stderr).toContain('does not carry the state this run sent');
    expect(xero.fake.codeRedemptions()).toEqual([]);
    expect(existsSync(storePath(dir))).toBe(false);
  });

  it('Cancel on the consent page (error=access_denied) is exit 3 with a message saying to choose Allow; nothing stored', async () => {
    const xero = await xeroFake();
    const dir = tempDir();
    const config = connectWorkspace(dir, { xero });
    const run = startCliInProcess(['connect', 'xero', '--config', config, '--no-browser', '--port', '0'], dir);
    await deliverCallback(await answerConsent(await run.url, 'deny', [], 'tenant'));
    const ended = await run.done;
    expect(ended.code).toBe(3);
    expect(ended.stderr).toContain(
      'Xero: the authorization was not given (access_denied); nothing was stored. Run connect again and choose Allow',
    );
    expect(existsSync(storePath(dir))).toBe(false);
  });

  it('a consent never completed times out (exit 2) with a message, and the port is free again', async () => {
    const xero = await xeroFake();
    const dir = tempDir();
    const config = connectWorkspace(dir, { xero });
    const port = await freePort();
    const ended = await runCli(
      ['connect', 'xero', '--config', config, '--no-browser', '--port', String(port), '--timeout', '1'],
      { cwd: dir },
    );
    expect(ended.code).toBe(2);
    expect(ended.stderr).toContain(
      `the consent was not completed within 1 s; nothing was stored and port ${port} is free again`,
    );
    expect(ended.stdout).toContain(`redirect_uri=http%3A%2F%2Flocalhost%3A${port}%2Fcallback`);
    await expect(listenOnce(port)).resolves.toBeUndefined();
    expect(existsSync(storePath(dir))).toBe(false);
  });

  it('two organisations ticked: without --tenant and no terminal it is exit 2 naming both; with --tenant it stores that one', async () => {
    const xero = await xeroFake({ otherOrganisations: [OTHER_ORG] });
    const dir = tempDir();
    const config = connectWorkspace(dir, { xero });
    const both = [xero.fake.tenantId, OTHER_ORG.tenantId];

    const undecided = await connectXero(dir, config, both);
    expect(undecided.code).toBe(2);
    expect(undecided.stderr).toContain(
      `the consent connected 2 organisations ("Ledgerline Sandbox Ltd" (${xero.fake.tenantId}), "Ledgerline Holdings Ltd" (${OTHER_ORG.tenantId})); run connect again with --tenant NAME or ID`,
    );
    expect(existsSync(storePath(dir))).toBe(false);

    const chosen = await connectXero(dir, config, both, ['--tenant', 'ledgerline holdings ltd']);
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(chosen.stdout).toContain(
      `connected: Xero organisation "Ledgerline Holdings Ltd" (tenant ${OTHER_ORG.tenantId})`,
    );
    expect(storeEntry(dir, 'xero')).toMatchObject({
      connection: { tenantId: OTHER_ORG.tenantId, organisationName: 'Ledgerline Holdings Ltd' },
    });
    expect(statSync(storePath(dir)).mode & 0o777).toBe(0o600);
  });

  it('two organisations ticked and the configuration names one by its tenantId: connect stores that one without asking', async () => {
    const xero = await xeroFake({ otherOrganisations: [OTHER_ORG] });
    const dir = tempDir();
    const config = connectWorkspace(dir, { xero });
    const named = readFileSync(config, 'utf8').replace(
      '    clientId: ${XERO_CLIENT_ID}\n',
      `    clientId: \${XERO_CLIENT_ID}\n    connection: oauth\n    tenantId: ${OTHER_ORG.tenantId.toUpperCase()}\n`,
    );
    writeFileSync(config, named);

    const connected = await connectXero(dir, config, [xero.fake.tenantId, OTHER_ORG.tenantId]);
    expect(connected.code, connected.stderr).toBe(0);
    expect(storeEntry(dir, 'xero')).toMatchObject({
      connection: { tenantId: OTHER_ORG.tenantId, organisationName: 'Ledgerline Holdings Ltd' },
    });
  });

  it('two organisations ticked on a terminal: connect asks which one, and stores the one typed', async () => {
    const xero = await xeroFake({ otherOrganisations: [OTHER_ORG] });
    const dir = tempDir();
    const config = connectWorkspace(dir, { xero });
    // `script` gives the CLI a pseudo-terminal, as a person's shell would; what it prints comes back on script's stdout.
    const command = [process.execPath, CLI, 'connect', 'xero', '--config', config, '--no-browser', '--port', '0']
      .map((word) => `'${word}'`)
      .join(' ');
    const terminal = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...SECRETS },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const killer = setTimeout(() => terminal.kill('SIGKILL'), 60_000);
    let screen = '';
    terminal.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8').replaceAll('\r', '')));
    const exited = new Promise<number | null>((resolve) =>
      terminal.on('close', (code) => (clearTimeout(killer), resolve(code))),
    );
    const shown = async (pattern: RegExp): Promise<RegExpExecArray> => {
      for (let attempt = 0; attempt < 400; attempt += 1) {
        const found = pattern.exec(screen);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`the terminal never showed ${pattern}:\n${screen}`);
    };
    const url = (await shown(/(http:\/\/\S+authorize\S*)/))[1]!;
    expect(
      await deliverCallback(await answerConsent(url, 'allow', [xero.fake.tenantId, OTHER_ORG.tenantId], 'tenant')),
    ).toBe(200);
    await shown(/which one should ledgerline post to\? \[1-2\]/);
    expect(screen).toContain(`2. Ledgerline Holdings Ltd (${OTHER_ORG.tenantId})`);
    terminal.stdin.write('2\n');
    expect(await exited, screen).toBe(0);
    refuseBugReport(['connect', 'xero'], { stdout: screen });
    expect(storeEntry(dir, 'xero')).toMatchObject({
      connection: { tenantId: OTHER_ORG.tenantId, organisationName: 'Ledgerline Holdings Ltd' },
    });
  });

  it("with entities, connect --entity NAME --tenant ORGANISATION stores that organisation in the entity's own token store; without --entity it is exit 2 naming the entities", async () => {
    const xero = await xeroFake({ otherOrganisations: [OTHER_ORG] });
    const dir = tempDir();
    const config = connectWorkspace(dir, { xero });
    const entities =
      'entities:\n  north: { ledger: ./north/ledger.sqlite }\n  south: { ledger: ./south/ledger.sqlite }';
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^ledger: .*$/m, entities));
    const both = [xero.fake.tenantId, OTHER_ORG.tenantId];
    const entityStore = (name: string) =>
      (JSON.parse(readFileSync(join(dir, name, `.ledgerline-tokens.${name}.json`), 'utf8')) as TokenStoreFile)
        .destinations.xero;

    const unnamed = await runCli(['connect', 'xero', '--config', config, '--no-browser', '--port', '0'], { cwd: dir });
    expect([unnamed.code, unnamed.stderr.trim()]).toEqual([
      2,
      'error: this configuration books 2 entities (north, south): name one with --entity NAME',
    ]);
    for (const [name, tenant] of [
      ['north', xero.fake.tenantId],
      ['south', OTHER_ORG.tenantId],
    ] as const) {
      const connected = await connectXero(dir, config, both, ['--entity', name, '--tenant', tenant]);
      expect(connected.code, connected.stderr).toBe(0);
      expect(connected.stdout).toContain(`.ledgerline-tokens.${name}.json`);
    }
    expect(entityStore('north')).toMatchObject({ connection: { tenantId: xero.fake.tenantId } });
    expect(entityStore('south')).toMatchObject({
      connection: { tenantId: OTHER_ORG.tenantId, organisationName: 'Ledgerline Holdings Ltd' },
    });
    expect(entityStore('north')?.refreshToken).not.toBe(entityStore('south')?.refreshToken);
    expect(existsSync(storePath(dir))).toBe(false);
  });

  it('disconnect deletes the connection, revokes the refresh token and empties the store entry; the old tokens then stop working', async () => {
    const xero = await xeroFake();
    const dir = tempDir();
    const config = connectWorkspace(dir, { xero });
    expect((await connectXero(dir, config, [xero.fake.tenantId])).code).toBe(0);
    const refreshToken = storeEntry(dir, 'xero')?.refreshToken as string;

    const ended = await runCli(['disconnect', 'xero', '--config', config], { cwd: dir });
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toBe(
      'disconnected Xero from Ledgerline Sandbox Ltd: the tokens were revoked at the vendor and the store entry is gone\n',
    );
    expect(xero.fake.revocationCount()).toBe(1);
    expect(xero.fake.connections()).toEqual([]);
    expect(storeEntry(dir, 'xero')).toBeUndefined();
    const refused = await fetch(xero.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${SECRETS.XERO_CLIENT_ID}:${SECRETS.XERO_CLIENT_SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
    });
    expect(await refused.json()).toEqual({ error: 'invalid_grant' });
  });

  it('the refresh token rotated during the first post is the one kept, and the next command starts from it', async () => {
    const xero = await xeroFake();
    const dir = tempDir();
    const config = connectWorkspace(dir, { xero });
    expect((await connectXero(dir, config, [xero.fake.tenantId])).code).toBe(0);
    const fromConsent = storeEntry(dir, 'xero')?.refreshToken;
    xero.fake.expireAccessTokens();
    await bookEntries(dir, [spendEntry(1, '2024-02-03')]);

    const posted = await runCli(['post', '--to', 'xero', '--config', config], { cwd: dir });
    expect(posted.code, posted.stdout + posted.stderr).toBe(0);
    expect(xero.fake.journals()).toHaveLength(1);
    const rotated = storeEntry(dir, 'xero')?.refreshToken;
    expect(rotated).toEqual(expect.any(String));
    expect(rotated).not.toBe(fromConsent);
    expect(storeEntry(dir, 'xero')).toMatchObject({ connection: { tenantId: xero.fake.tenantId } });

    // The consent's refresh token was spent by the rotation (no grace): doctor works only from the kept one, and shows its health.
    const checked = await runCli(['doctor', '--to', 'xero', '--config', config], { cwd: dir });
    expect(checked.code, checked.stdout).toBe(0);
    expect(checked.stdout).toMatch(
      /\nauthorization\n {2}✓ xero: Ledgerline Sandbox Ltd; refresh token rotated \S+Z; expires \S+Z \(in 59 days\)\n/,
    );
    const status = await runCli(['status', '--config', config], { cwd: dir });
    expect(status.stdout).toMatch(
      /tokens: xero \(Ledgerline Sandbox Ltd\) refresh token expires \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 59 days\), last rotated \d{4}-\d\d-\d\d \d\d:\d\d UTC\n/,
    );
  });

  it("an app without a client secret (Xero's PKCE apps) connects with its client_id and the verifier, refreshes while posting and disconnects", async () => {
    const xero = await xeroFake();
    const dir = tempDir();
    const config = connectWorkspace(dir, { xero });
    writeFileSync(config, readFileSync(config, 'utf8').replace('    clientSecret: ${XERO_CLIENT_SECRET}\n', ''));
    expect(readFileSync(config, 'utf8')).not.toContain('clientSecret');
    expect((await connectXero(dir, config, [xero.fake.tenantId])).code).toBe(0);
    expect(xero.fake.codeRedemptions()).toHaveLength(1);
    const fromConsent = storeEntry(dir, 'xero')?.refreshToken;
    xero.fake.expireAccessTokens();
    await bookEntries(dir, [spendEntry(1, '2024-02-03')]);

    const posted = await runCli(['post', 'xero', '--config', config], { cwd: dir });
    expect(posted.code, posted.stdout + posted.stderr).toBe(0);
    expect(xero.fake.journals()).toHaveLength(1);
    expect(storeEntry(dir, 'xero')?.refreshToken).not.toBe(fromConsent);

    const ended = await runCli(['disconnect', 'xero', '--config', config], { cwd: dir });
    expect(ended.code, ended.stderr).toBe(0);
    expect(xero.fake.revocationCount()).toBe(1);
    expect(storeEntry(dir, 'xero')).toBeUndefined();
  });

  it("an app created since March 2026 asking for the broad scopes is refused at the consent (exit 3, Xero's unauthorized_client)", async () => {
    const xero = await xeroFake();
    const dir = tempDir();
    const config = connectWorkspace(dir, { xero }, '');
    writeFileSync(config, readFileSync(config, 'utf8').replace('  xero:\n', '  xero:\n    scopes: broad\n'));
    const run = startCliInProcess(['connect', 'xero', '--config', config, '--no-browser', '--port', '0'], dir);
    const page = await fetch(await run.url, { redirect: 'manual' });
    expect(await deliverCallback(page.headers.get('location') ?? '')).toBe(200);
    const ended = await run.done;
    expect(ended.code).toBe(3);
    expect(ended.stderr).toContain(
      'Xero: the authorization was not given (unauthorized_client: Invalid scope for client)',
    );
  });

  it("a call outside the consented scopes is Xero's 401 AuthorizationUnsuccessful, and post names the scope it lacked", async () => {
    const xero = await xeroFake();
    const dir = tempDir();
    const config = connectWorkspace(dir, { xero });
    // A consent for settings alone (as a person might have configured the app), answered on the fake's page.
    const run = startCliInProcess(['connect', 'xero', '--config', config, '--no-browser', '--port', '0'], dir);
    const asked = new URL(await run.url);
    asked.searchParams.set('scope', 'offline_access accounting.settings.read');
    expect(await deliverCallback(await answerConsent(asked.toString(), 'allow', [xero.fake.tenantId], 'tenant'))).toBe(
      200,
    );
    expect((await run.done).code).toBe(0);
    await bookEntries(dir, [spendEntry(1, '2024-02-03')]);
    const posted = await runCli(['post', '--to', 'xero', '--config', config], { cwd: dir });
    expect(posted.code).toBe(3);
    expect(posted.stdout + posted.stderr).toContain('lacks the scope accounting.manualjournals');
  });
});

describe('ledgerline connect quickbooks --paste', () => {
  it('the whole redirected URL pasted back connects the company of its realmId', async () => {
    const quickbooks = await quickbooksFake();
    const dir = tempDir();
    const config = connectWorkspace(dir, { quickbooks });
    const run = startCliInProcess(['connect', 'quickbooks', '--config', config, '--paste'], dir);
    const location = await answerConsent(await run.url, 'allow', [quickbooks.fake.realmId], 'realm');
    expect(location).toContain('realmId=');
    run.type(location);
    const ended = await run.done;
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toContain(`connected: QuickBooks company ${quickbooks.fake.realmId}`);
    expect(storeEntry(dir, 'quickbooks')).toMatchObject({
      connection: { realmId: quickbooks.fake.realmId, organisationName: 'Ledgerline Sandbox Company' },
      refreshToken: expect.any(String),
    });
    expect(quickbooks.fake.codeRedemptions()).toEqual(['issued']);

    const checked = await runCli(['doctor', '--to', 'quickbooks', '--config', config], { cwd: dir });
    expect(checked.code, checked.stdout).toBe(0);
    expect(checked.stdout).toMatch(
      / {2}✓ quickbooks: Ledgerline Sandbox Company; refresh token rotated \S+Z; expires \S+Z \(in 1\d\d days\)\n/,
    );
  });

  it('production keys at Intuit with an http redirect are refused (exit 2), naming the setting and what to set, before a page is shown or a port opened', async () => {
    const dir = tempDir();
    const production =
      '  quickbooks:\n    clientId: ${QBO_CLIENT_ID}\n    clientSecret: ${QBO_CLIENT_SECRET}\n    environment: production\n';
    const config = connectWorkspace(dir, {}, production);
    const ended = await runCli(
      ['connect', 'quickbooks', '--config', config, '--no-browser', '--port', '0', '--timeout', '5'],
      { cwd: dir },
    );
    expect(ended.code).toBe(2);
    expect(ended.stderr.trim().split('\n')).toEqual([
      'error: QuickBooks: destinations.quickbooks.environment: production takes only an https redirect URI, and this connect would use http://localhost:0/callback; ' +
        'set destinations.quickbooks.redirectUri to the https address registered for your app and run "ledgerline connect quickbooks --paste" (development keys: environment: sandbox); nothing was opened or sent',
    ]);
    expect(ended.stdout).not.toContain('appcenter.intuit.com');
    const pasted = await runCli(['connect', 'quickbooks', '--config', config, '--paste', '--timeout', '5'], {
      cwd: dir,
    });
    expect(pasted.code).toBe(2);
    expect(pasted.stderr).toContain(
      'this connect would use http://localhost:5110/callback; set destinations.quickbooks.redirectUri',
    );
    expect(existsSync(storePath(dir))).toBe(false);
  });

  it('a pasted URL without its code is exit 2 asking for the whole address; nothing is exchanged or stored', async () => {
    const quickbooks = await quickbooksFake();
    const dir = tempDir();
    const config = connectWorkspace(dir, { quickbooks });
    const run = startCliInProcess(['connect', 'quickbooks', '--config', config, '--paste'], dir);
    const location = new URL(await answerConsent(await run.url, 'allow', [quickbooks.fake.realmId], 'realm'));
    location.searchParams.delete('code');
    run.type(location.toString());
    const ended = await run.done;
    expect(ended.code).toBe(2);
    expect(ended.stderr).toContain(
      'QuickBooks: the redirect has no code (the URL may have been cut short); copy the whole address from the browser and paste it again',
    );
    expect(quickbooks.fake.codeRedemptions()).toEqual([]);
    expect(existsSync(storePath(dir))).toBe(false);
  });

  it('disconnect revokes the refresh token through intuit-oauth and empties the store entry', async () => {
    const quickbooks = await quickbooksFake();
    const dir = tempDir();
    const config = connectWorkspace(dir, { quickbooks });
    const run = startCliInProcess(['connect', 'quickbooks', '--config', config, '--paste'], dir);
    run.type(await answerConsent(await run.url, 'allow', [quickbooks.fake.realmId], 'realm'));
    expect((await run.done).code).toBe(0);

    const ended = await runCli(['disconnect', 'quickbooks', '--config', config], { cwd: dir });
    expect(ended.code, ended.stderr).toBe(0);
    expect(quickbooks.fake.revocationCount()).toBe(1);
    expect(storeEntry(dir, 'quickbooks')).toBeUndefined();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function listenOnce(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
