import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAccessTokens, type TokenGrant } from '../../src/destinations/access-tokens.js';
import {
  configRefreshTokenHash,
  openTokenStore,
  usableStoredTokens,
  type StoredTokens,
} from '../../src/destinations/token-store.js';
import { ConfigError } from '../../src/errors.js';
import { createFakeClock } from '../http/fake-clock.js';
import { useTempDir } from '../support/temp-dir.js';
import { fileMode } from '../pipeline/post-fixtures.js';

const tempDir = useTempDir('ledgerline-tokens-');
const START = Date.UTC(2024, 2, 1, 12, 0, 0);

const stored: StoredTokens = {
  accessToken: 'access-aaaa-1111',
  accessTokenExpiresAt: '2024-03-01T12:30:00.000Z',
  refreshToken: 'refresh-bbbb-2222',
  refreshTokenExpiresAt: '2024-06-09T12:00:00.000Z',
  importedFrom: configRefreshTokenHash('configured-refresh-token'),
};

describe('token store file', () => {
  it('writes one destination without touching another, mode 0600, with no temporary file left behind', () => {
    const dir = tempDir();
    const path = join(dir, 'data', '.ledgerline-tokens.json');
    const store = openTokenStore(path);
    expect(store.read('quickbooks')).toBeUndefined();

    store.write('quickbooks', stored);
    store.write('xero', { accessToken: 'xero-access-3333', accessTokenExpiresAt: '2024-03-01T12:30:00.000Z' });

    expect(openTokenStore(path).read('quickbooks')).toEqual(stored);
    expect(openTokenStore(path).read('xero')).toEqual({
      accessToken: 'xero-access-3333',
      accessTokenExpiresAt: '2024-03-01T12:30:00.000Z',
    });
    expect(openTokenStore(path).readAll()).toEqual({
      quickbooks: stored,
      xero: { accessToken: 'xero-access-3333', accessTokenExpiresAt: '2024-03-01T12:30:00.000Z' },
    });
    expect(fileMode(path)).toBe(0o600);
    expect(readdirSync(join(dir, 'data'))).toEqual(['.ledgerline-tokens.json']);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      version: 1,
      destinations: {
        quickbooks: stored,
        xero: { accessToken: 'xero-access-3333', accessTokenExpiresAt: '2024-03-01T12:30:00.000Z' },
      },
    });
  });

  it('narrows a file that was readable by others back to 0600 on the next write', () => {
    const path = join(tempDir(), 'tokens.json');
    writeFileSync(path, JSON.stringify({ version: 1, destinations: {} }), { mode: 0o644 });
    openTokenStore(path).write('xero', stored);
    expect(fileMode(path)).toBe(0o600);
  });

  it('a damaged file is a ConfigError naming the file and never quoting its content', () => {
    const path = join(tempDir(), 'tokens.json');
    writeFileSync(path, '{"version":1,"destinations":{"xero":{"accessToken":"secret-token-value"', { mode: 0o600 });
    expect(() => openTokenStore(path).read('xero')).toThrow(ConfigError);
    try {
      openTokenStore(path).read('xero');
    } catch (error) {
      expect((error as Error).message).toBe(
        `configuration error: ${path}: the token store is not JSON; delete it and authorize again (set refreshToken in the configuration)`,
      );
    }
    writeFileSync(path, JSON.stringify({ version: 1, destinations: { xero: { accessToken: 'secret-token-value' } } }));
    expect(() => openTokenStore(path).read('xero')).toThrow(/problem at destinations\.xero\.accessTokenExpiresAt/);
    expect(() => openTokenStore(path).read('xero')).not.toThrow(/secret-token-value/);
  });
});

describe('which tokens win', () => {
  it('a stored line of tokens wins while the configuration still holds the refresh token it was imported from', () => {
    expect(usableStoredTokens(stored, 'configured-refresh-token')).toEqual(stored);
    expect(usableStoredTokens(stored, undefined)).toEqual(stored);
  });

  it('a refresh token changed in the configuration (a fresh authorization) wins over the stored one', () => {
    expect(usableStoredTokens(stored, 'newly-authorized-refresh-token')).toBeUndefined();
    expect(usableStoredTokens(undefined, 'configured-refresh-token')).toBeUndefined();
  });
});

describe('access tokens', () => {
  function keeper(
    path: string,
    configRefreshToken: string | undefined,
    grants: TokenGrant[],
    customConnection = false,
  ) {
    const clock = createFakeClock(START);
    const store = openTokenStore(path);
    const calls: (string | undefined)[] = [];
    const secrets: string[] = [];
    const tokens = createAccessTokens({
      subject: { destination: 'quickbooks', service: 'QuickBooks', holds: 'company' },
      customConnection,
      store,
      configRefreshToken,
      clock,
      onSecrets: (values) => secrets.push(...values),
      requestGrant: async (refreshToken) => {
        calls.push(refreshToken);
        const grant = grants.shift();
        if (!grant) throw new Error('no more grants');
        return grant;
      },
    });
    return { tokens, clock, store, calls, secrets };
  }

  it('the rotated refresh token is in the store before the access token is handed out, and the next run starts from it', async () => {
    const path = join(tempDir(), 'tokens.json');
    const first = keeper(path, 'configured-refresh-token', [
      {
        accessToken: 'access-one-xxxx',
        expiresInSeconds: 3600,
        refreshToken: 'rotated-one-yyyy',
        refreshTokenExpiresInSeconds: 8_726_400,
      },
    ]);

    expect(await first.tokens.current()).toBe('access-one-xxxx');
    expect(first.calls).toEqual(['configured-refresh-token']);
    expect(first.store.read('quickbooks')).toEqual({
      accessToken: 'access-one-xxxx',
      accessTokenExpiresAt: '2024-03-01T13:00:00.000Z',
      refreshToken: 'rotated-one-yyyy',
      refreshTokenExpiresAt: '2024-06-10T12:00:00.000Z',
      // When it rotated: what status and doctor show as the token's health.
      refreshTokenRotatedAt: '2024-03-01T12:00:00.000Z',
      importedFrom: configRefreshTokenHash('configured-refresh-token'),
    });
    expect(first.secrets).toEqual(['access-one-xxxx', 'rotated-one-yyyy']);

    // A later run: the stored access token is still good for an hour, so no token call at all.
    const second = keeper(path, 'configured-refresh-token', []);
    expect(await second.tokens.current()).toBe('access-one-xxxx');
    expect(second.calls).toEqual([]);

    // Near expiry (under 5 minutes left) it renews with the stored, rotated refresh token, not the configured one.
    const third = keeper(path, 'configured-refresh-token', [
      { accessToken: 'access-two-xxxx', expiresInSeconds: 3600, refreshToken: 'rotated-two-yyyy' },
    ]);
    third.clock.advance(56 * 60_000);
    expect(await third.tokens.current()).toBe('access-two-xxxx');
    expect(third.calls).toEqual(['rotated-one-yyyy']);
    expect(third.store.read('quickbooks')?.refreshToken).toBe('rotated-two-yyyy');
  });

  it('a fresh authorization in the configuration replaces the stored line of tokens', async () => {
    const path = join(tempDir(), 'tokens.json');
    openTokenStore(path).write('quickbooks', stored);
    const run = keeper(path, 'newly-authorized-refresh-token', [
      { accessToken: 'access-new-xxxx', expiresInSeconds: 3600, refreshToken: 'rotated-new-yyyy' },
    ]);
    expect(await run.tokens.current()).toBe('access-new-xxxx');
    expect(run.calls).toEqual(['newly-authorized-refresh-token']);
    expect(run.store.read('quickbooks')?.importedFrom).toBe(configRefreshTokenHash('newly-authorized-refresh-token'));
  });

  it('callers refused with the same token share one renewal, so a rotating refresh token is spent once', async () => {
    const path = join(tempDir(), 'tokens.json');
    const run = keeper(path, 'configured-refresh-token', [
      { accessToken: 'access-one-xxxx', expiresInSeconds: 3600, refreshToken: 'rotated-one-yyyy' },
      { accessToken: 'access-two-xxxx', expiresInSeconds: 3600, refreshToken: 'rotated-two-yyyy' },
    ]);
    const token = await run.tokens.current();
    const renewed = await Promise.all([run.tokens.renew(token), run.tokens.renew(token), run.tokens.renew(token)]);
    expect(renewed).toEqual(['access-two-xxxx', 'access-two-xxxx', 'access-two-xxxx']);
    expect(run.calls).toEqual(['configured-refresh-token', 'rotated-one-yyyy']);
    // A caller refused with an older token gets the current one without another grant.
    expect(await run.tokens.renew('access-one-xxxx')).toBe('access-two-xxxx');
    expect(run.calls).toHaveLength(2);
  });

  it('a custom connection (no refresh token anywhere) asks for client credentials and stores no refresh token', async () => {
    const path = join(tempDir(), 'tokens.json');
    const run = keeper(path, undefined, [{ accessToken: 'access-cc-xxxx', expiresInSeconds: 1800 }], true);
    expect(await run.tokens.current()).toBe('access-cc-xxxx');
    expect(run.calls).toEqual([undefined]);
    expect(run.store.read('quickbooks')).toEqual({
      accessToken: 'access-cc-xxxx',
      accessTokenExpiresAt: '2024-03-01T12:30:00.000Z',
    });
  });
});
