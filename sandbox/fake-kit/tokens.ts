import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Now } from './values.js';

export type AccessCheck =
  | { status: 'valid'; grant: TokenGrant }
  | { status: 'expired'; expiredAt: number }
  | { status: 'revoked' }
  | { status: 'unknown' };

export type TokenGrant = 'client_credentials' | 'refresh_token' | 'issued';

export type RefreshOutcome = { status: 'rotated'; refreshToken: string } | { status: 'invalid' };

export interface TokenBookOptions {
  /** Distinguishes the token values of one fake from another's. */
  prefix: string;
  seed: string;
  now: Now;
  accessTtlMs: number;
  refreshTtlMs: number;
  /** How long a refresh token keeps working after it was rotated: 0 means it stops at once. */
  refreshGraceMs: number;
}

/** A TokenBook's tokens as JSON holds them. */
export interface TokenBookSnapshot {
  issued: number;
  access: { token: string; expiresAt: number; grant: TokenGrant; revoked: boolean }[];
  refresh: { token: string; expiresAt: number; replacedAt: number | undefined; revoked: boolean; chain?: string }[];
}

interface RefreshRecord {
  expiresAt: number;
  replacedAt: number | undefined;
  revoked: boolean;
  /** The grant (consent) it descends from: rotating one replaces only the tokens of its own grant. */
  chain?: string | undefined;
}

/**
 * Access and refresh tokens of one fake. Refresh tokens rotate on every use;
 * the one replaced works for `refreshGraceMs` more and is then refused
 * (invalid_grant), as a client that lost the newest token would find. Each
 * consent (or seeded token) is a grant of its own: two clients holding two
 * grants rotate without spending each other's tokens.
 */
export class TokenBook {
  private readonly access = new Map<string, { expiresAt: number; grant: TokenGrant; revoked: boolean }>();
  private readonly refresh = new Map<string, RefreshRecord>();
  private issued = 0;

  constructor(private readonly options: TokenBookOptions) {}

  issueAccess(grant: TokenGrant): { accessToken: string; expiresIn: number } {
    const accessToken = this.mint('access');
    this.access.set(accessToken, { expiresAt: this.options.now() + this.options.accessTtlMs, grant, revoked: false });
    return { accessToken, expiresIn: Math.floor(this.options.accessTtlMs / 1000) };
  }

  checkAccess(token: string | undefined): AccessCheck {
    const record = token === undefined ? undefined : this.access.get(token);
    if (!record) return { status: 'unknown' };
    if (record.revoked) return { status: 'revoked' };
    if (this.options.now() >= record.expiresAt) return { status: 'expired', expiredAt: record.expiresAt };
    return { status: 'valid', grant: record.grant };
  }

  /** A new refresh token, as the authorization_code grant hands out beside the first access token. */
  issueRefresh(): string {
    const refreshToken = this.mint('refresh');
    this.refresh.set(refreshToken, {
      expiresAt: this.options.now() + this.options.refreshTtlMs,
      replacedAt: undefined,
      revoked: false,
      chain: refreshToken,
    });
    return refreshToken;
  }

  /** Registers a refresh token handed out by an authorization the fake did not see (configuration). */
  seedRefresh(token: string): void {
    this.refresh.set(token, {
      expiresAt: this.options.now() + this.options.refreshTtlMs,
      replacedAt: undefined,
      revoked: false,
      chain: token,
    });
  }

  /** Whether this book issued (or was seeded with) the token, of either kind, whatever its state. */
  holds(token: string | undefined): boolean {
    return token !== undefined && (this.access.has(token) || this.refresh.has(token));
  }

  rotateRefresh(presented: string): RefreshOutcome {
    const now = this.options.now();
    const record = this.refresh.get(presented);
    if (!record || record.revoked || now >= record.expiresAt) return { status: 'invalid' };
    if (record.replacedAt !== undefined && now >= record.replacedAt + this.options.refreshGraceMs)
      return { status: 'invalid' };
    for (const other of this.refresh.values()) {
      if (other.replacedAt === undefined && other.chain === record.chain) other.replacedAt = now;
    }
    const refreshToken = this.mint('refresh');
    this.refresh.set(refreshToken, {
      expiresAt: now + this.options.refreshTtlMs,
      replacedAt: undefined,
      revoked: false,
      chain: record.chain,
    });
    return { status: 'rotated', refreshToken };
  }

  refreshTtlSeconds(): number {
    return Math.floor(this.options.refreshTtlMs / 1000);
  }

  expireAccessTokens(): void {
    const now = this.options.now();
    for (const record of this.access.values()) record.expiresAt = Math.min(record.expiresAt, now);
  }

  revokeAccessTokens(): void {
    for (const record of this.access.values()) record.revoked = true;
  }

  revokeRefreshTokens(): void {
    for (const record of this.refresh.values()) record.revoked = true;
  }

  /** Revokes one token of either kind, as an OAuth revoke endpoint does; false when it was not known. */
  revoke(token: string): boolean {
    const record = this.access.get(token) ?? this.refresh.get(token);
    if (!record) return false;
    record.revoked = true;
    return true;
  }

  /** The tokens as they stand, for a sandbox that keeps its fakes' state across a restart (restoreFrom reads it back). */
  snapshot(): TokenBookSnapshot {
    return {
      issued: this.issued,
      access: [...this.access.entries()].map(([token, record]) => ({ token, ...record })),
      refresh: [...this.refresh.entries()].map(([token, record]) => ({ token, ...record })),
    };
  }

  /** The tokens a snapshot holds, added to these: a client holding a token of the fake's last run finds it still good. */
  restoreFrom(snapshot: TokenBookSnapshot): void {
    this.issued = Math.max(this.issued, snapshot.issued);
    for (const { token, ...record } of snapshot.access) this.access.set(token, record);
    for (const { token, ...record } of snapshot.refresh) this.refresh.set(token, record);
  }

  private mint(kind: string): string {
    this.issued += 1;
    const digest = createHash('sha256').update(`${this.options.seed}\u0000${kind}\u0000${this.issued}`).digest('hex');
    return `${this.options.prefix}-${kind}-${this.issued}-${digest.slice(0, 24)}`;
  }
}

/** Client id and secret from `Authorization: Basic …`, or undefined when absent or unreadable. */
export function basicCredentials(request: IncomingMessage): { id: string; secret: string } | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}
