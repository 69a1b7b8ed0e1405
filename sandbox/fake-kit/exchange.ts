import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { jsonText } from '../json-text.js';
import type { Now } from './values.js';

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

export function sendReply(response: ServerResponse, reply: FakeReply): void {
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
export async function openExchange<F extends { kind: string }>(
  parts: ExchangeParts<F>,
): Promise<FakeExchange | undefined> {
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
