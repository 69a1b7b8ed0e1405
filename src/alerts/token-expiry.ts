import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Alert } from './alert.js';

/**
 * Only the one field this needs, read leniently: the token store belongs to
 * the destinations code, and an alert check must never be the thing that
 * rejects it. No token value is kept, so none can reach an alert.
 */
const TokenExpiriesSchema = z.looseObject({
  destinations: z.record(z.string(), z.looseObject({ refreshTokenExpiresAt: z.iso.datetime().optional() })),
});

interface RefreshTokenExpiry {
  destination: string;
  expiresAt: Date;
}

/** When each destination's stored refresh token expires; nothing when the file or the field is absent. */
export function readRefreshTokenExpiries(tokenStorePath: string): RefreshTokenExpiry[] {
  let text: string;
  try {
    text = readFileSync(tokenStorePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(
      `the token store ${tokenStorePath} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`the token store ${tokenStorePath} is not JSON`);
  }
  const store = TokenExpiriesSchema.safeParse(parsed);
  if (!store.success) throw new Error(`the token store ${tokenStorePath} has no readable "destinations"`);
  return Object.entries(store.data.destinations).flatMap(([destination, tokens]) =>
    tokens.refreshTokenExpiresAt === undefined
      ? []
      : [{ destination, expiresAt: new Date(tokens.refreshTokenExpiresAt) }],
  );
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * An alert for the refresh tokens that expire within `withinDays` of `now`
 * (already expired ones included), or undefined when none does. With 14 days,
 * a token expiring 2026-03-10T00:00Z is reported from 2026-02-24T00:00Z on.
 */
export function tokenExpiryAlert(
  expiries: readonly RefreshTokenExpiry[],
  now: Date,
  withinDays: number,
): Alert | undefined {
  const expiring = expiries
    .filter((expiry) => expiry.expiresAt.getTime() - now.getTime() <= withinDays * DAY_MS)
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
  if (expiring.length === 0) return undefined;
  return {
    kind: 'token_expiring',
    title: `ledgerline: ${expiring.length === 1 ? 'a destination authorization expires' : 'destination authorizations expire'} within ${withinDays} days`,
    items: expiring.map(({ destination, expiresAt }) => {
      const expired = expiresAt.getTime() <= now.getTime();
      return {
        subject: destination,
        kind: 'refresh_token_expiring',
        message:
          `the refresh token for ${destination} ${expired ? 'expired' : 'expires'} at ` +
          `${expiresAt.toISOString()}${expired ? '' : ` (in ${daysLeft(expiresAt, now)})`}`,
        nextStep:
          `run \`ledgerline connect ${destination}\` again (or authorize again and put the new refreshToken ` +
          `in the configuration)${expired ? `: posting to ${destination} fails until then` : ' before then'}`,
      };
    }),
  };
}

/** Whole days left, rounded down: 3 days 20 hours → "3 days"; under a day → "less than a day". */
function daysLeft(expiresAt: Date, now: Date): string {
  const days = Math.floor((expiresAt.getTime() - now.getTime()) / DAY_MS);
  if (days === 0) return 'less than a day';
  return days === 1 ? '1 day' : `${days} days`;
}
