import type { ConnectionSubject } from '../config/index.js';
import type { Clock } from '../http/index.js';
import { connectionError } from './connection-state.js';
import { configRefreshTokenHash, usableStoredTokens, type StoredTokens, type TokenStore } from './token-store.js';

/** What a token endpoint handed out. */
export interface TokenGrant {
  accessToken: string;
  expiresInSeconds: number;
  /** The rotated refresh token, when the endpoint sent one. */
  refreshToken?: string;
  refreshTokenExpiresInSeconds?: number;
}

interface AccessTokensOptions {
  /** Whose tokens: its `destination` is the token store key ("xero", "quickbooks"). */
  subject: ConnectionSubject;
  /** A Xero custom connection: it asks for tokens with client credentials, so it needs no refresh token. */
  customConnection: boolean;
  store: TokenStore;
  /** The configuration's refreshToken (first use, or a fresh authorization). */
  configRefreshToken: string | undefined;
  /** Calls the token endpoint with this refresh token, or (a Xero custom connection) with client credentials when there is none. */
  requestGrant(refreshToken: string | undefined): Promise<TokenGrant>;
  clock: Clock;
  /** Registers token values for redaction as soon as they are known. */
  onSecrets(values: readonly string[]): void;
  /** Renew when the access token has less than this left; 5 minutes unless given. */
  renewBeforeMs?: number;
}

export interface AccessTokens {
  /** A usable access token, renewed first when it is about to expire. */
  current(): Promise<string>;
  /** A new access token after `rejected` was refused (HTTP 401); shared by every caller that saw the same refusal. */
  renew(rejected: string): Promise<string>;
  /** A new access token whatever is held: proves the refresh token (or the client credentials) still work. */
  refresh(): Promise<void>;
}

const DEFAULT_RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Access tokens for one destination, kept in the token store. Each grant is
 * written to the store before its access token is handed to anyone, so a
 * rotated refresh token can never be lost to a crash after it was used.
 * Renewals are single-flight: concurrent callers share one token request,
 * because spending the same refresh token twice is refused once it rotates.
 */
export function createAccessTokens(options: AccessTokensOptions): AccessTokens {
  const renewBeforeMs = options.renewBeforeMs ?? DEFAULT_RENEW_BEFORE_MS;
  let held: StoredTokens | undefined;
  let loaded = false;
  let renewing: Promise<StoredTokens> | undefined;

  const fresh = (tokens: StoredTokens | undefined): tokens is StoredTokens =>
    tokens !== undefined && Date.parse(tokens.accessTokenExpiresAt) - renewBeforeMs > options.clock.now();

  function load(): void {
    if (loaded) return;
    loaded = true;
    held = usableStoredTokens(options.store.read(options.subject.destination), options.configRefreshToken);
    if (held) options.onSecrets([held.accessToken, ...(held.refreshToken === undefined ? [] : [held.refreshToken])]);
  }

  async function grant(): Promise<StoredTokens> {
    // A stored line of tokens continues; otherwise the configuration's token starts one.
    const refreshToken = held?.refreshToken ?? options.configRefreshToken;
    refuseWithoutConsent(refreshToken);
    const received = await options.requestGrant(refreshToken);
    options.onSecrets([received.accessToken, ...(received.refreshToken === undefined ? [] : [received.refreshToken])]);
    const tokens = tokensAfterGrant(received, held, refreshToken, options.configRefreshToken, options.clock.now());
    options.store.write(options.subject.destination, tokens);
    held = tokens;
    return tokens;
  }

  /** Nothing to ask the vendor with (never connected, or disconnected), or a refresh token known to be dead: said before any call. */
  function refuseWithoutConsent(refreshToken: string | undefined): void {
    if (refreshToken === undefined && !options.customConnection)
      throw connectionError(options.subject, 'not-connected');
    const expiresAt = held?.refreshToken === refreshToken ? held?.refreshTokenExpiresAt : undefined;
    if (expiresAt !== undefined && Date.parse(expiresAt) <= options.clock.now())
      throw connectionError(options.subject, 'expired', expiresAt);
  }

  function renewOnce(): Promise<StoredTokens> {
    renewing ??= grant().finally(() => {
      renewing = undefined;
    });
    return renewing;
  }

  return {
    async current() {
      load();
      if (renewing) return (await renewing).accessToken;
      if (fresh(held)) return held.accessToken;
      return (await renewOnce()).accessToken;
    },
    async renew(rejected) {
      load();
      if (renewing) return (await renewing).accessToken;
      if (held && held.accessToken !== rejected && fresh(held)) return held.accessToken;
      return (await renewOnce()).accessToken;
    },
    async refresh() {
      load();
      await renewOnce();
    },
  };
}

/**
 * The line of tokens after a grant (a renewal's, or a consent's without `previous`): the refresh token rotated or
 * kept (with its expiry), when it last changed (token health in status and doctor), and the consent's organisation
 * carried on.
 */
export function tokensAfterGrant(
  received: TokenGrant,
  previous: StoredTokens | undefined,
  refreshToken: string | undefined,
  configRefreshToken: string | undefined,
  now: number,
): StoredTokens {
  const nextRefresh = received.refreshToken ?? refreshToken;
  const refreshExpiry =
    received.refreshTokenExpiresInSeconds !== undefined
      ? new Date(now + received.refreshTokenExpiresInSeconds * 1000).toISOString()
      : received.refreshToken === undefined
        ? previous?.refreshTokenExpiresAt
        : undefined;
  const importedFrom =
    configRefreshToken === undefined ? previous?.importedFrom : configRefreshTokenHash(configRefreshToken);
  const rotatedAt =
    received.refreshToken !== undefined && received.refreshToken !== refreshToken
      ? new Date(now).toISOString()
      : previous?.refreshTokenRotatedAt;
  return {
    accessToken: received.accessToken,
    accessTokenExpiresAt: new Date(now + received.expiresInSeconds * 1000).toISOString(),
    ...(nextRefresh === undefined ? {} : { refreshToken: nextRefresh }),
    ...(refreshExpiry === undefined ? {} : { refreshTokenExpiresAt: refreshExpiry }),
    ...(rotatedAt === undefined ? {} : { refreshTokenRotatedAt: rotatedAt }),
    ...(previous?.connection === undefined ? {} : { connection: previous.connection }),
    ...(importedFrom === undefined ? {} : { importedFrom }),
  };
}
