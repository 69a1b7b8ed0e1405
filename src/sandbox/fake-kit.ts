import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AmountFormatError, formatCents, parseScaled } from '../money/index.js';
import type { SandboxMount } from './mount.js';

/**
 * The parts the Xero and QuickBooks fakes share: exact JSON out, rolling
 * rate windows, queued faults, OAuth token books and a loopback server for a
 * single mount. (It carries the xero-fake prefix only because the fakes' files
 * are named that way; nothing in it is Xero-specific.)
 */

/** Milliseconds since the epoch; fakes take it as an option so tests can move time. */
export type Now = () => number;

/** A JSON number written exactly as this text: money leaves the fakes without passing through a double. */
export class RawJsonNumber {
  constructor(readonly text: string) {}
}

/** Cents as a JSON number with two places: centsJson(-1005n) writes -10.05. */
export function centsJson(cents: bigint): RawJsonNumber {
  return new RawJsonNumber(formatCents(cents));
}

/** JSON.stringify for fake replies, writing RawJsonNumber verbatim and leaving out undefined fields. */
export function jsonText(value: unknown): string {
  if (value instanceof RawJsonNumber) return value.text;
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : jsonText(item))).join(',')}]`;
  if (typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .map(([key, field]) => `${JSON.stringify(key)}:${jsonText(field)}`);
    return `{${fields.join(',')}}`;
  }
  if (typeof value === 'bigint') throw new TypeError('bigint must be wrapped in RawJsonNumber');
  return JSON.stringify(value);
}

export type CentsReading = { ok: true; cents: bigint } | { ok: false; problem: 'not-a-number' | 'too-many-decimals' };

/**
 * Reads an amount the client sent (decimal text from parseJsonExact) into
 * cents, refusing what a two-decimal currency cannot hold: "100.05" → 10005n,
 * "100.050" → 10005n (trailing zeros say nothing), "100.005" → too-many-decimals.
 */
export function readCents(value: unknown): CentsReading {
  if (typeof value !== 'string') return { ok: false, problem: 'not-a-number' };
  const trimmed = /\.\d*$/.test(value) ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
  try {
    return { ok: true, cents: parseScaled(trimmed, 2) };
  } catch (error) {
    if (error instanceof AmountFormatError && /decimal places/.test(error.reason)) return { ok: false, problem: 'too-many-decimals' };
    return { ok: false, problem: 'not-a-number' };
  }
}

/** A deterministic v4-shaped UUID: the same seed and parts give the same id in every run. */
export function deterministicUuid(...parts: readonly (string | number)[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Calls in the last `spanMs`, for per-minute and per-day allowances that roll rather than reset. */
export class RollingWindow {
  private stamps: number[] = [];
  constructor(private readonly spanMs: number) {}

  count(now: number): number {
    this.prune(now);
    return this.stamps.length;
  }

  add(now: number): void {
    this.prune(now);
    this.stamps.push(now);
  }

  /** Whole seconds until the oldest call leaves the window (at least 1): what Retry-After says. */
  secondsUntilSlot(now: number): number {
    this.prune(now);
    const oldest = this.stamps[0];
    if (oldest === undefined) return 1;
    return Math.max(1, Math.ceil((oldest + this.spanMs - now) / 1000));
  }

  private prune(now: number): void {
    while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= now - this.spanMs) this.stamps.shift();
  }
}

export const FAULT_TARGETS = ['api', 'writes', 'reads', 'token'] as const;
/** Which requests a queued fault hits: every API call, only writes, only reads, or the token endpoint. */
export type FaultTarget = (typeof FAULT_TARGETS)[number];
export type RequestClass = 'write' | 'read' | 'token';

export interface FaultOptions {
  /** How many matching requests the fault hits; 1 unless given. */
  times?: number;
  /** Which requests it hits; "writes" unless given. */
  on?: FaultTarget;
}

/** Faults injected by a test, each spent on the next requests it matches, in the order they were added. */
export class FaultQueue<F> {
  private queued: { fault: F; remaining: number; on: FaultTarget }[] = [];

  add(fault: F, options: FaultOptions = {}): void {
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`fault times must be a positive integer, got ${times}`);
    this.queued.push({ fault, remaining: times, on: options.on ?? 'writes' });
  }

  clear(): void {
    this.queued = [];
  }

  take(requestClass: RequestClass): F | undefined {
    const index = this.queued.findIndex((entry) => targetMatches(entry.on, requestClass));
    const entry = this.queued[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.queued.splice(index, 1);
    return entry.fault;
  }
}

function targetMatches(target: FaultTarget, requestClass: RequestClass): boolean {
  switch (target) {
    case 'api':
      return requestClass !== 'token';
    case 'writes':
      return requestClass === 'write';
    case 'reads':
      return requestClass === 'read';
    case 'token':
      return requestClass === 'token';
    default:
      return assertNever(target);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${String(value)}`);
}

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

/**
 * Access and refresh tokens of one fake. Refresh tokens rotate on every use;
 * the one replaced works for `refreshGraceMs` more and is then refused
 * (invalid_grant), as a client that lost the newest token would find.
 */
export class TokenBook {
  private readonly access = new Map<string, { expiresAt: number; grant: TokenGrant; revoked: boolean }>();
  private readonly refresh = new Map<string, { expiresAt: number; replacedAt: number | undefined; revoked: boolean }>();
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

  /** Registers a refresh token handed out by an authorization the fake did not see (configuration). */
  seedRefresh(token: string): void {
    this.refresh.set(token, { expiresAt: this.options.now() + this.options.refreshTtlMs, replacedAt: undefined, revoked: false });
  }

  rotateRefresh(presented: string): RefreshOutcome {
    const now = this.options.now();
    const record = this.refresh.get(presented);
    if (!record || record.revoked || now >= record.expiresAt) return { status: 'invalid' };
    if (record.replacedAt !== undefined && now >= record.replacedAt + this.options.refreshGraceMs) return { status: 'invalid' };
    for (const other of this.refresh.values()) {
      if (other.replacedAt === undefined) other.replacedAt = now;
    }
    const refreshToken = this.mint('refresh');
    this.refresh.set(refreshToken, { expiresAt: now + this.options.refreshTtlMs, replacedAt: undefined, revoked: false });
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

export function headerText(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Whether the client asked for JSON; both services answer XML otherwise, which the fakes refuse to imitate. */
export function acceptsJson(request: IncomingMessage): boolean {
  return /application\/json/i.test(headerText(request, 'accept') ?? '');
}

/** A reply the fake has decided on, kept whole so an idempotent repeat can send it again. */
export interface FakeReply {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

export function jsonReply(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): FakeReply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: jsonText(body) };
}

export function sendReply(response: ServerResponse, reply: FakeReply): void {
  response.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body).toString() });
  response.end(reply.body);
}

/** Ends the connection without a byte of reply: the client cannot tell whether the request took effect. */
export function dropConnection(request: IncomingMessage, response: ServerResponse): void {
  (response.socket ?? request.socket).destroy();
}

export async function pause(delayMs: number): Promise<void> {
  if (delayMs > 0) await sleep(delayMs);
}

/** One request as the fake saw it: never a header value, so no token or secret lands here. */
export interface FakeRequestRecord {
  seq: number;
  at: number;
  method: string;
  /** Path under the mount prefix, with the query string. */
  path: string;
  /** HTTP status sent, or "dropped" when the connection was cut instead. */
  outcome: number | 'dropped';
  /** What happened, in a few words: "stored 2 journals", "replayed idempotent response", "429 minute". */
  note: string;
}

/** The request log both fakes keep; `entries()` returns copies. */
export class RequestLog {
  private readonly records: FakeRequestRecord[] = [];
  constructor(private readonly now: Now) {}

  add(method: string, path: string, outcome: number | 'dropped', note: string): void {
    this.records.push({ seq: this.records.length + 1, at: this.now(), method, path, outcome, note });
  }

  entries(): readonly FakeRequestRecord[] {
    return this.records.map((record) => ({ ...record }));
  }
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface LoopbackServer {
  /** "http://127.0.0.1:PORT" */
  origin: string;
  close(): Promise<void>;
}

/** Serves one mount alone on 127.0.0.1 and an ephemeral port: what the tests and `start…Fake` use. */
export async function serveMountOnLoopback(mount: SandboxMount): Promise<LoopbackServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        sendReply(response, jsonReply(413, { error: 'request body too large' }));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      if (path !== mount.prefix && !path.startsWith(`${mount.prefix}/`)) {
        sendReply(response, jsonReply(404, { error: `no such path: ${path}` }));
        return;
      }
      const subPath = path.slice(mount.prefix.length) || '/';
      Promise.resolve()
        .then(() => mount.handle(request, response, subPath, Buffer.concat(chunks)))
        .catch((error: unknown) => {
          if (!response.headersSent) sendReply(response, jsonReply(500, { error: `fake failed: ${String(error)}` }));
          else response.destroy();
        });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
