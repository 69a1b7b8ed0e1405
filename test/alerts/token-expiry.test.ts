import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRefreshTokenExpiries, tokenExpiryAlert } from '../../src/alerts/token-expiry.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-tokens-');
const NOW = new Date('2026-03-01T02:30:00.000Z');

describe('refresh token expiry', () => {
  it('reads each destination that has an expiry, and never the tokens themselves', () => {
    const path = join(tempDir(), 'tokens.json');
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        destinations: {
          quickbooks: {
            accessToken: 'at-secret',
            accessTokenExpiresAt: '2026-03-01T03:00:00.000Z',
            refreshToken: 'rt-secret',
            refreshTokenExpiresAt: '2026-03-10T00:00:00.000Z',
          },
          xero: { accessToken: 'at-secret-2', accessTokenExpiresAt: '2026-03-01T03:00:00.000Z' },
        },
      }),
    );
    const expiries = readRefreshTokenExpiries(path);
    expect(expiries).toEqual([{ destination: 'quickbooks', expiresAt: new Date('2026-03-10T00:00:00.000Z') }]);
    expect(JSON.stringify(tokenExpiryAlert(expiries, NOW, 14))).not.toMatch(/secret/);
  });

  it('no token store yet means nothing to check', () => {
    expect(readRefreshTokenExpiries(join(tempDir(), 'absent.json'))).toEqual([]);
  });

  it('a store that is not JSON is reported to the caller (which logs it), not ignored', () => {
    const path = join(tempDir(), 'tokens.json');
    writeFileSync(path, '{not json');
    expect(() => readRefreshTokenExpiries(path)).toThrow(`the token store ${path} is not JSON`);
  });

  it('warns within the configured days, counting whole days left, and says when a token already expired', () => {
    const alert = tokenExpiryAlert(
      [
        { destination: 'quickbooks', expiresAt: new Date('2026-03-05T00:00:00.000Z') },
        { destination: 'xero', expiresAt: new Date('2026-02-28T00:00:00.000Z') },
        { destination: 'later', expiresAt: new Date('2026-03-16T02:30:00.001Z') },
      ],
      NOW,
      15,
    );
    expect(alert).toEqual({
      kind: 'token_expiring',
      title: 'ledgerline: destination authorizations expire within 15 days',
      items: [
        {
          subject: 'xero',
          kind: 'refresh_token_expiring',
          message: 'the refresh token for xero expired at 2026-02-28T00:00:00.000Z',
          nextStep:
            'run `ledgerline connect xero` again (or authorize again and put the new refreshToken in the configuration): posting to xero fails until then',
        },
        {
          subject: 'quickbooks',
          kind: 'refresh_token_expiring',
          message: 'the refresh token for quickbooks expires at 2026-03-05T00:00:00.000Z (in 3 days)',
          nextStep:
            'run `ledgerline connect quickbooks` again (or authorize again and put the new refreshToken in the configuration) before then',
        },
      ],
    });
  });

  it('nothing expiring means no alert', () => {
    expect(
      tokenExpiryAlert([{ destination: 'xero', expiresAt: new Date('2026-06-01T00:00:00.000Z') }], NOW, 14),
    ).toBeUndefined();
  });
});
