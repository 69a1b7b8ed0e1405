import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AmountFormatError, parseScaled } from '../src/money/index.js';
import { assertNever } from '../src/rules/index.js';
import { jsonText } from './json-text.js';
import type { SandboxMount } from './mount.js';

/**
 * The parts the Xero and QuickBooks fakes share: amounts read from clients,
 * rolling rate windows, queued faults, OAuth token books, the request
 * plumbing around each fake's own answers, and a loopback server for a
 * single mount.
 */

/** Milliseconds since the epoch; fakes take it as an option so tests can move time. */
export type Now = () => number;

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

/** A plain-text reply, for what the services answer without JSON. */
export function textReply(status: number, text: string): FakeReply {
  return { status, headers: { 'content-type': 'text/plain' }, body: text };
}

/** The 406 for a client that did not ask for JSON: `service` answers XML then, which the fakes do not imitate. */
export function xmlRefusal(service: string): FakeReply {
  return textReply(406, `${service} answers XML unless Accept: application/json is sent; the fake serves JSON only`);
}

function sendReply(response: ServerResponse, reply: FakeReply): void {
  response.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body).toString() });
  response.end(reply.body);
}

/** Ends the connection without a byte of reply: the client cannot tell whether the request took effect. */
function dropConnection(request: IncomingMessage, response: ServerResponse): void {
  (response.socket ?? request.socket).destroy();
}

async function pause(delayMs: number): Promise<void> {
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

/** A fake's answer to a request and the few words its log keeps of it. */
export interface FakeOutcome {
  reply: FakeReply;
  note: string;
}

/**
 * The faults both fakes inject around their own processing of a request: the
 * connection cut before it (nothing happens) or after its write is committed
 * (the client cannot tell it happened), or the reply held back `delayMs`.
 * The faults that are replies (429, 5xx) each fake words its own way.
 */
export type DeliveryFault =
  | { kind: 'drop-before-commit' }
  | { kind: 'drop-after-commit' }
  | { kind: 'slow'; delayMs: number; phase?: 'before-processing' | 'after-processing' };

/** The method and the path under the mount, with the query string, as the request log shows them. */
export function requestLine(request: IncomingMessage, subPath: string): { method: string; url: URL; logPath: string } {
  const url = new URL(request.url ?? subPath, 'http://fake.invalid');
  return { method: (request.method ?? 'GET').toUpperCase(), url, logPath: `${subPath}${url.search}` };
}

export interface ExchangeParts<F extends { kind: string }> {
  request: IncomingMessage;
  response: ServerResponse;
  method: string;
  logPath: string;
  log: RequestLog;
  /** The fault queued for this request, if any. */
  fault: F | undefined;
  /** What a fault stands for: a reply of the fake's own, or a fault in the delivery. */
  injected: (fault: F) => FakeReply | DeliveryFault;
}

/** One request under way: every reply it gets is sent and logged through here. */
export interface FakeExchange {
  /** Sends a reply now: for answers that never reach the fake's state (refusals, 404s). */
  finish(reply: FakeReply, note: string): void;
  /** Sends the answer to processed work, unless the injected fault cuts the connection after the commit or holds the reply back. */
  deliver(outcome: FakeOutcome): Promise<void>;
}

/**
 * Starts answering a request: spends its injected fault (a reply sent at
 * once, a connection cut before processing, a pause) and hands back how to
 * answer it, or undefined when the fault has answered it already.
 */
export async function openExchange<F extends { kind: string }>(parts: ExchangeParts<F>): Promise<FakeExchange | undefined> {
  const { request, response, method, logPath, log, fault } = parts;
  const finish = (reply: FakeReply, note: string): void => {
    sendReply(response, reply);
    log.add(method, logPath, reply.status, note);
  };
  let delivery: DeliveryFault | undefined;
  if (fault !== undefined) {
    const injected = parts.injected(fault);
    if ('status' in injected) {
      finish(injected, `injected ${fault.kind}`);
      return undefined;
    }
    if (injected.kind === 'drop-before-commit') {
      dropConnection(request, response);
      log.add(method, logPath, 'dropped', 'injected drop before processing');
      return undefined;
    }
    if (injected.kind === 'slow' && injected.phase === 'before-processing') await pause(injected.delayMs);
    delivery = injected;
  }
  const deliver = async (outcome: FakeOutcome): Promise<void> => {
    if (delivery?.kind === 'drop-after-commit') {
      dropConnection(request, response);
      log.add(method, logPath, 'dropped', `${outcome.note}; injected drop after commit`);
      return;
    }
    if (delivery?.kind === 'slow' && delivery.phase !== 'before-processing') await pause(delivery.delayMs);
    finish(outcome.reply, outcome.note);
  };
  return { finish, deliver };
}

/**
 * Replies kept by a key the client chose (Xero's Idempotency-Key, Intuit's
 * requestid): both services answer a repeat with the first reply, even when
 * the repeat carries another body, which `sameBody` tells.
 */
export class ReplayCache {
  private readonly replies = new Map<string, { reply: FakeReply; bodyDigest: string }>();

  replay(key: string, body: Buffer): { reply: FakeReply; sameBody: boolean } | undefined {
    const first = this.replies.get(key);
    return first && { reply: first.reply, sameBody: first.bodyDigest === bodyDigest(body) };
  }

  remember(key: string, body: Buffer, reply: FakeReply): void {
    this.replies.set(key, { reply, bodyDigest: bodyDigest(body) });
  }
}

function bodyDigest(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The controls both fakes offer on their tokens, faults and log; each fake's interface says what they do in its service's words. */
export function fakeControls<F>(tokens: TokenBook, faults: FaultQueue<F>, log: RequestLog) {
  return {
    issueAccessToken: () => tokens.issueAccess('issued'),
    expireAccessTokens: () => tokens.expireAccessTokens(),
    revokeTokens: () => {
      tokens.revokeAccessTokens();
      tokens.revokeRefreshTokens();
    },
    injectFault: (fault: F, options?: FaultOptions) => faults.add(fault, options),
    clearFaults: () => faults.clear(),
    requestLog: () => log.entries(),
  };
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

export interface RunningFake<M extends SandboxMount> {
  /** The fake's state, controls and inspection. */
  fake: M;
  origin: string;
  close(): Promise<void>;
}

/** Serves a fake alone on 127.0.0.1 (an ephemeral port), with its URLs on that origin. */
export async function serveFake<M extends SandboxMount, U>(fake: M, urlsOn: (origin: string) => U): Promise<RunningFake<M> & U> {
  const server = await serveMountOnLoopback(fake);
  return { fake, origin: server.origin, ...urlsOn(server.origin), close: server.close };
}
