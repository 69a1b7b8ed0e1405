import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { listenOn } from '../../http/listen.js';
import { describeNetworkFailure } from '../../http/network-failure.js';
import type { RawReply } from '../../http/raw-reply.js';
import { answerUnread, declaredLength, readBoundedBody, sendJson } from '../webhooks/request-body.js';
import { addRequestFacts, isAddAction, lastField, readAddReply, requestFields, type AddReplyReading, type AddRequestFacts } from './proxied-request.js';

/** An `add` about to be sent to the panel, as the ledger keeps it: the service and quantity, never the key or the link. */
export interface AddRequest extends AddRequestFacts {
  /** Made by the proxy: names the request wherever it is kept, so it is imported once. */
  requestId: string;
  /** When the request arrived, as the ledger dates orders. */
  requestedAt: Date;
  /** When it arrived by the machine's clock: compared with the closes' balance reads. */
  receivedAt: Date;
}

/** What came of an `add`: the panel's reply as received and what it says, or no reply. */
export type AddOutcome =
  | { kind: 'answered'; reply: RawReply; reading: AddReplyReading }
  | { kind: 'no-answer'; mayHavePlaced: boolean; failure: string; at: Date };

/** Where a record was kept: the ledger, or the spool file when the ledger could not take it at once. */
export type KeptAt = { at: 'ledger' } | { at: 'spool'; path: string; ledgerError: string };

/**
 * Where the proxy keeps what it learns; the pipeline builds it on the store
 * and the spool file, so this source never touches either. Each throws only
 * when the record can be kept nowhere.
 */
export interface PanelProxyLedger {
  /** Keeps the request durably, before anything is sent to the panel. */
  keepAddRequest(request: AddRequest): Promise<KeptAt>;
  /** Keeps what came of it: the raw reply, and the order it placed, which the next sync then polls. */
  keepAddOutcome(request: AddRequest, outcome: AddOutcome): Promise<KeptAt>;
}

export type ProxyLogFields = Record<string, string | number | boolean | bigint | null | undefined>;

/** The part of the project's Logger the proxy uses. */
export interface ProxyLogger {
  debug(message: string, fields?: ProxyLogFields): void;
  info(message: string, fields?: ProxyLogFields): void;
  warn(message: string, fields?: ProxyLogFields): void;
  error(message: string, fields?: ProxyLogFields): void;
}

export interface PanelProxyOptions {
  sourceId: string;
  /** The panel's API URL (the source's `url`): every request goes there, whatever path it was sent to. */
  url: string;
  /** The source's key: the only one let through (the books are this account's), and never written anywhere. */
  apiKey: string;
  ledger: PanelProxyLedger;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** A request body above this gets 413 and is not forwarded. */
  maxBodyBytes?: number;
  /** How long the panel gets to connect, to answer and to send its reply. */
  upstreamTimeoutMs?: number;
  /** When a request arrived, as the ledger dates orders (on a sandbox trial: moved onto the sandbox's day). */
  requestTime: () => Promise<Date>;
  /** The real clock: when a reply arrived. */
  clock: () => Date;
  logger: ProxyLogger;
}

export interface PanelProxy {
  /** e.g. http://127.0.0.1:8789 */
  url: string;
  port: number;
  /** Stops accepting, lets every request in flight finish (an order the panel placed is still recorded), then resolves. */
  close(): Promise<void>;
}

export const DEFAULT_PROXY_MAX_BODY_BYTES = 1_048_576;
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 60_000;
/** A reply larger than this (a services list is a few hundred KiB) is not held in memory. */
const MAX_REPLY_BYTES = 32 * 1_048_576;
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** Headers about this hop, not the request: never passed on. accept-encoding is dropped so the reply can be read. */
const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length', 'accept-encoding', 'expect']);
/** What the caller gets back besides the body and the status. */
const REPLY_HEADERS = ['content-type', 'retry-after'] as const;

/**
 * `ledgerline panel-proxy`: a pass-through in front of one SMM panel, so that
 * every order placed through it is known to the ledger (the panel API cannot
 * list orders). Each request goes to the panel unchanged (method, query, body,
 * content type) and the panel's reply comes back unchanged (status, body,
 * content type, Retry-After). For `action=add` the request (service, quantity,
 * time) is kept before it is sent, and what came of it (the raw reply, the
 * order it placed) before the caller is answered: in the ledger, or in the
 * spool file when the ledger cannot take it at once. The caller always gets
 * the panel's reply: a client reads any {"error"} as a refusal, and the
 * panel placed the order. A request with no outcome (the proxy killed while
 * the panel held it) is listed by `reconcile`. The proxy's own refusals are
 * {"error": …} as the panel's are: 401 (not the source's key; not
 * forwarded), 413 (body too large), 415 (a body it cannot read; not
 * forwarded), 502 (the panel did not answer), 503 (the add can be neither
 * dated nor kept; not forwarded).
 */
export async function startPanelProxy(options: PanelProxyOptions): Promise<PanelProxy> {
  const { sourceId, url, apiKey, ledger, logger, clock } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_PROXY_MAX_BODY_BYTES;
  const timeoutMs = options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  const upstream = new URL(url);
  const panel = `panel ${sourceId} (${upstream.host})`;
  const agent = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, maxResponseSize: MAX_REPLY_BYTES });
  const keyDigest = digest(apiKey);
  const inFlight = new Set<Promise<void>>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const search = new URL(request.url ?? '/', 'http://proxy').search;
    if (declaredLength(request) > maxBodyBytes) {
      logger.warn('panel proxy refused a request: body too large', { source: sourceId, declaredBytes: declaredLength(request), maxBodyBytes });
      answerUnread(request, response, failure(413, `the body is larger than ${maxBodyBytes} bytes; nothing was sent to the panel`));
      return;
    }
    const reading = await readBoundedBody(request, maxBodyBytes);
    if (reading.kind === 'aborted') return;
    if (reading.kind === 'too-large') {
      logger.warn('panel proxy refused a request: body too large', { source: sourceId, receivedBytes: reading.receivedBytes, maxBodyBytes });
      answerUnread(request, response, failure(413, `the body is larger than ${maxBodyBytes} bytes; nothing was sent to the panel`));
      return;
    }
    const body = reading.body;
    const read = await requestFields(search, request.headers['content-type'], body);
    if (!read.ok) {
      logger.warn('panel proxy refused a request it cannot read', { source: sourceId, reason: read.reason });
      sendJson(response, failure(415, `${read.reason}; nothing was sent to the panel`));
      return;
    }
    const fields = read.fields;
    const action = loggedAction(lastField(fields, 'action'));
    if (!timingSafeEqual(digest(lastField(fields, 'key') ?? ''), keyDigest)) {
      logger.warn('panel proxy refused a request: not the key of the source', { source: sourceId, action });
      sendJson(response, failure(401, `the key is missing or is not the key of source ${sourceId}: this proxy places orders only for the account whose books it keeps; nothing was sent to the panel`));
      return;
    }
    // Set for an add only: dated and kept before anything is sent, so an order that cannot be kept is never placed.
    let adding: AddRequest | undefined;
    if (isAddAction(fields)) {
      adding = await keptAddRequest(fields, response);
      if (adding === undefined) return;
    }

    const target = new URL(upstream);
    if (search !== '') target.search = upstream.search === '' ? search : `${upstream.search}&${search.slice(1)}`;
    let reply: { status: number; headers: Record<string, string>; body: Buffer };
    try {
      const answer = await undiciRequest(target, {
        method: method as Dispatcher.HttpMethod,
        headers: forwardedHeaders(request.headers),
        body: body.length > 0 ? body : undefined,
        dispatcher: agent,
      });
      reply = { status: answer.statusCode, headers: replyHeaders(answer.headers), body: Buffer.from(await answer.body.arrayBuffer()) };
    } catch (error) {
      const failed = describeNetworkFailure(error);
      const what = failed.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE' ? `its reply is larger than ${MAX_REPLY_BYTES} bytes` : `${failed.description}, ${failed.code}`;
      const unknownOrder = adding !== undefined && failed.mayHaveReachedServer;
      const message = `${panel} did not answer (${what})${unknownOrder ? ': the order may have been placed; check the panel\'s orders before sending it again (`ledgerline reconcile` lists it)' : ''}`;
      if (adding !== undefined) await keepOutcome(adding, { kind: 'no-answer', mayHavePlaced: failed.mayHaveReachedServer, failure: what, at: clock() });
      if (unknownOrder) logger.error('panel proxy: the panel did not answer an add; an order may have been placed', { source: sourceId, failure: what });
      else logger.warn('panel proxy: the panel did not answer', { source: sourceId, action, failure: what });
      sendJson(response, failure(502, message));
      return;
    }

    if (adding !== undefined) {
      const bodyText = reply.body.toString('utf8');
      await keepOutcome(adding, {
        kind: 'answered',
        reply: {
          sourceId,
          action: 'add',
          request: { method, path: target.pathname, params: addParams(adding) },
          httpStatus: reply.status,
          // A panel that echoes the key must not get it written anywhere.
          bodyText: bodyText.split(apiKey).join('[redacted]'),
          fetchedAt: clock().toISOString(),
        },
        reading: readAddReply(bodyText),
      });
    } else {
      logger.debug('panel proxy forwarded a request', { source: sourceId, action, status: reply.status });
    }
    // The panel's reply, whatever the ledger did: a client reads an {"error"} as a refusal, and the order was placed.
    if (response.destroyed || response.writableEnded) return;
    response.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
    response.end(reply.body);
  }

  /** Dates an add and keeps it (ledger or spool); undefined, with the caller answered, when it cannot be: it is then not sent. */
  async function keptAddRequest(fields: URLSearchParams, response: ServerResponse): Promise<AddRequest | undefined> {
    let adding: AddRequest;
    try {
      adding = { requestId: randomUUID(), ...addRequestFacts(fields), requestedAt: await options.requestTime(), receivedAt: clock() };
    } catch (error) {
      logger.error('panel proxy cannot date an order; nothing was sent to the panel', { source: sourceId, error: messageOf(error) });
      sendJson(response, failure(503, `the proxy cannot date the order (${messageOf(error)}); nothing was sent to the panel`));
      return undefined;
    }
    try {
      const kept = await ledger.keepAddRequest(adding);
      if (kept.at === 'spool') logger.warn('panel proxy: the ledger could not take an add request at once; kept in the spool for the next sync', { ...logged(adding), spool: kept.path, error: kept.ledgerError });
      return adding;
    } catch (error) {
      logger.error('panel proxy cannot keep a record of an add, in the ledger or the spool; nothing was sent to the panel', { ...logged(adding), error: messageOf(error) });
      sendJson(response, failure(503, `the proxy cannot keep a record of the order (${messageOf(error)}); nothing was sent to the panel`));
      return undefined;
    }
  }

  /** Keeps what came of an add; says in the log what it was and where it went. The caller's reply never depends on it. */
  async function keepOutcome(adding: AddRequest, outcome: AddOutcome): Promise<void> {
    const order = outcome.kind === 'answered' && outcome.reading.kind === 'placed' ? outcome.reading.orderId : undefined;
    if (outcome.kind === 'answered' && outcome.reading.kind === 'unreadable') {
      logger.error('panel proxy: the panel answered an add with an order id that cannot be read; it may have placed an order the ledger does not know (`ledgerline reconcile` lists it)', {
        ...logged(adding),
        reason: outcome.reading.reason,
      });
    }
    let kept: KeptAt;
    try {
      kept = await ledger.keepAddOutcome(adding, outcome);
    } catch (error) {
      logger.error('ORDER NOT RECORDED: what came of an add could be kept neither in the ledger nor in the spool; add the order to an orders file for the next sync', {
        ...logged(adding),
        order,
        error: messageOf(error),
      });
      return;
    }
    if (kept.at === 'spool') logger.warn('panel proxy: the ledger could not take what came of an add at once; kept in the spool for the next sync', { ...logged(adding), order, spool: kept.path, error: kept.ledgerError });
    else if (order !== undefined) logger.info('panel proxy recorded an order', { ...logged(adding), order });
  }

  function logged(adding: AddRequest): ProxyLogFields {
    return { source: sourceId, request: adding.requestId, service: adding.service, quantity: adding.quantity };
  }

  const server = createServer((request, response) => {
    // Without listeners an aborted upload's 'error' would be thrown; aborts are handled through 'close'.
    request.on('error', () => undefined);
    response.on('error', () => undefined);
    const handling = handle(request, response)
      .catch((error: unknown) => {
        logger.error('panel proxy failed on a request', { source: sourceId, error: messageOf(error) });
        answerUnread(request, response, failure(500, 'internal error in the panel proxy'));
      })
      .finally(() => inFlight.delete(handling));
    inFlight.add(handling);
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;

  await listenOn(server, options.port, options.host, 'panel proxy');
  server.on('error', (error) => logger.error('panel proxy socket error', { error: error.message }));
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  logger.info('panel proxy listening', { source: sourceId, host: options.host, port, panel: upstream.host });

  let closing: Promise<void> | undefined;
  async function stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Each request in flight ends within the upstream timeout: an order placed by then is recorded.
    await Promise.all([...inFlight]);
    server.closeAllConnections();
    await closed;
    await agent.close();
  }
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => (closing ??= stop()),
  };
}

function failure(status: number, error: string) {
  return { status, payload: { error } };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** What the raw row says was asked: the service and quantity only, never the key, the link or the customer's texts. */
function addParams(facts: AddRequestFacts): Record<string, string> {
  return { action: 'add', ...(facts.service === null ? {} : { service: facts.service }), ...(facts.quantity === null ? {} : { quantity: facts.quantity.toString() }) };
}

/** Actions are logged by name only when they look like one: the rest of a request is the customer's. */
function loggedAction(action: string | undefined): string {
  if (action === undefined) return '(none)';
  return /^[A-Za-z_]{1,40}$/.test(action.trim()) ? action.trim() : '(other)';
}

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_HEADERS.has(name)) continue;
    forwarded[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return forwarded;
}

function replyHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of REPLY_HEADERS) {
    const value = headers[name];
    if (value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
