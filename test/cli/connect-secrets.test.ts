import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { spendEntry } from '../pipeline/post-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';
import { answerConsent, connectWorkspace, deliverCallback, startCliInProcess } from './connect-harness.js';
import { SECRETS, bookEntries, runCli, type CliRun } from './post-cli-harness.js';

/**
 * The secrets test extended to the consent: with debug logging on, no client
 * secret, code, PKCE verifier, access or refresh token (from the consent or
 * any rotation since) appears in what connect, doctor, post, status or
 * disconnect print, and the token store stays 0600 throughout.
 */

const tempDir = useTempDir('ledgerline-connect-secrets-');
let xero: RunningXeroFake | undefined;
afterEach(async () => {
  await xero?.close();
});

const DEBUG = ['--debug', '--log-level', 'debug', '--log-format', 'json'];

describe('connect keeps every secret out of its output', () => {
  it('connect, doctor, post, status and disconnect with debug logs: no secret, code, verifier or token in any of them', async () => {
    xero = await startXeroFake({
      clientId: SECRETS.XERO_CLIENT_ID,
      clientSecret: SECRETS.XERO_CLIENT_SECRET,
      customConnection: false,
    });
    const dir = tempDir();
    const config = connectWorkspace(dir, { xero });
    const storePath = join(dir, 'data', '.ledgerline-tokens.json');
    const seen = new Set<string>();
    const remember = () => {
      const stored = (
        JSON.parse(readFileSync(storePath, 'utf8')) as {
          destinations: Record<string, { accessToken: string; refreshToken?: string }>;
        }
      ).destinations.xero;
      if (stored) for (const value of [stored.accessToken, stored.refreshToken]) if (value) seen.add(value);
      expect(statSync(storePath).mode & 0o777).toBe(0o600);
    };
    const runs: CliRun[] = [];

    // In process, as doctor, post, status and disconnect below: what each run prints is what is searched.
    const connecting = startCliInProcess(
      ['connect', 'xero', '--config', config, '--no-browser', '--port', '0', ...DEBUG],
      dir,
    );
    expect(
      await deliverCallback(await answerConsent(await connecting.url, 'allow', [xero.fake.tenantId], 'tenant')),
    ).toBe(200);
    runs.push(await connecting.done);
    expect(runs[0]!.code).toBe(0);
    remember();

    xero.fake.expireAccessTokens();
    await bookEntries(dir, [spendEntry(1, '2024-02-03')]);
    for (const args of [['doctor', '--to', 'xero'], ['post', '--to', 'xero'], ['status']]) {
      const run = await runCli([...args, '--config', config, ...DEBUG], { cwd: dir });
      expect(run.code).toBe(0);
      runs.push(run);
      remember();
    }
    runs.push(await runCli(['disconnect', 'xero', '--config', config, ...DEBUG], { cwd: dir }));
    expect(runs.at(-1)!.code).toBe(0);

    const presented = xero.fake.presentedCodes();
    expect(presented).toHaveLength(1);
    const secrets = [SECRETS.XERO_CLIENT_SECRET, presented[0]!.code, presented[0]!.codeVerifier!, ...seen];
    expect(seen.size).toBeGreaterThanOrEqual(4);
    for (const run of runs) {
      const said = run.stdout + run.stderr;
      const leaked = secrets.filter((secret) => said.includes(secret)).length;
      // The count, not the values: a failing test must not print the secret either.
      expect(leaked).toBe(0);
    }
  });
});
