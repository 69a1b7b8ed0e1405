import { describe, expect, it } from 'vitest';
import { describeTokenHealth } from '../../src/destinations/token-health.js';

const connectedXero = {
  accessToken: 'a',
  accessTokenExpiresAt: '2026-11-20T03:00:00.000Z',
  refreshToken: 'r',
  refreshTokenRotatedAt: '2026-11-20T02:30:00.000Z',
  refreshTokenExpiresAt: '2027-01-19T02:30:00.000Z',
  connection: { tenantId: 't-1', organisationName: 'Acme Ltd', connectedAt: '2026-11-01T09:00:00.000Z' },
};

describe('token health', () => {
  it('names the organisation, the last rotation and the expiry with whole days left', () => {
    const health = describeTokenHealth('xero', connectedXero, new Date('2026-11-23T02:30:00.000Z'), 14);
    expect(health).toMatchObject({ organisation: 'Acme Ltd', daysLeft: 57, state: 'ok' });
    expect(health.summary).toBe(
      'Acme Ltd; refresh token rotated 2026-11-20T02:30:00.000Z; expires 2027-01-19T02:30:00.000Z (in 57 days)',
    );
  });

  it('is "expiring" from warnDays before the expiry (when the alert fires too), and "expired" after it', () => {
    expect(describeTokenHealth('xero', connectedXero, new Date('2027-01-05T02:29:59.000Z'), 14).state).toBe('ok');
    expect(describeTokenHealth('xero', connectedXero, new Date('2027-01-05T02:30:00.000Z'), 14).state).toBe('expiring');
    const expired = describeTokenHealth('xero', connectedXero, new Date('2027-01-19T02:30:00.000Z'), 14);
    expect(expired.state).toBe('expired');
    expect(expired.summary).toContain('expired 2027-01-19T02:30:00.000Z');
  });

  it('a QuickBooks company without a name shows its realm; a custom connection has no refresh token to expire', () => {
    const quickbooks = {
      accessToken: 'a',
      accessTokenExpiresAt: '2026-11-20T03:00:00.000Z',
      refreshToken: 'r',
      connection: { realmId: '9130', connectedAt: '2026-11-01T09:00:00.000Z' },
    };
    expect(describeTokenHealth('quickbooks', quickbooks, new Date('2026-11-23T00:00:00.000Z'), 14).organisation).toBe(
      '9130',
    );
    const custom = describeTokenHealth(
      'xero',
      { accessToken: 'a', accessTokenExpiresAt: '2026-11-20T03:00:00.000Z' },
      new Date('2026-11-23T00:00:00.000Z'),
      14,
    );
    expect(custom.state).toBe('no-refresh-token');
    expect(custom.summary).toContain('client credentials (custom connection)');
  });
});
