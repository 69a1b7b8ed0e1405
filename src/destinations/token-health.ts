import type { StoredTokens } from './token-store.js';

const DAY_MS = 86_400_000;

/** How one destination's authorization stands: what `status` and `doctor` print. */
export interface TokenHealth {
  destination: string;
  /** The organisation's name, else its tenant id or realm id, else undefined (a pasted token). */
  organisation: string | undefined;
  /** When the refresh token was last received (consent or rotation). */
  rotatedAt: string | undefined;
  /** When it stops working if nothing uses it: Xero 60 days unused, QuickBooks its x_refresh_token_expires_in (100 days, rolling). */
  expiresAt: string | undefined;
  /** Whole days left, rounded down; negative once expired. */
  daysLeft: number | undefined;
  state: 'ok' | 'expiring' | 'expired' | 'no-refresh-token';
  /** One line for a person: "Acme Ltd; refresh token rotated 2026-11-20T02:30:00.000Z, expires 2027-01-19T02:30:00.000Z (in 57 days)". */
  summary: string;
}

/**
 * The health of stored tokens at `now`, "expiring" within `warnDays`. With 14
 * days, a token expiring 2027-01-19T02:30Z is "ok" on 2027-01-04T02:29Z and
 * "expiring" from 2027-01-05T02:30Z, when the token-expiry alert fires too.
 */
export function describeTokenHealth(
  destination: string,
  stored: StoredTokens,
  now: Date,
  warnDays: number,
): TokenHealth {
  const connection = stored.connection;
  const organisation = connection?.organisationName || connection?.tenantId || connection?.realmId || undefined;
  const rotatedAt = stored.refreshTokenRotatedAt;
  const expiresAt = stored.refreshTokenExpiresAt;
  const daysLeft = expiresAt === undefined ? undefined : Math.floor((Date.parse(expiresAt) - now.getTime()) / DAY_MS);
  const state: TokenHealth['state'] =
    stored.refreshToken === undefined
      ? 'no-refresh-token'
      : expiresAt === undefined || daysLeft === undefined
        ? 'ok'
        : Date.parse(expiresAt) <= now.getTime()
          ? 'expired'
          : Date.parse(expiresAt) - now.getTime() <= warnDays * DAY_MS
            ? 'expiring'
            : 'ok';
  const parts = [
    organisation ?? 'organisation not recorded (token pasted into the configuration)',
    stored.refreshToken === undefined
      ? 'client credentials (custom connection): no refresh token to expire'
      : undefined,
    rotatedAt === undefined ? undefined : `refresh token rotated ${rotatedAt}`,
    expiresAt === undefined
      ? undefined
      : `${state === 'expired' ? 'expired' : 'expires'} ` +
        `${expiresAt}${daysLeft === undefined || state === 'expired' ? '' : ` (in ${daysLeft} day${daysLeft === 1 ? '' : 's'})`}`,
  ].filter((part): part is string => part !== undefined);
  return { destination, organisation, rotatedAt, expiresAt, daysLeft, state, summary: parts.join('; ') };
}
