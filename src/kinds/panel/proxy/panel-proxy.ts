import { createHash, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agent, Dispatcher } from 'undici';
import { listenOn, undici, describeNetworkFailure, type NetworkFailure, type RawReply } from '../../../http/index.js';
import { answerUnread, declaredLength, readBoundedBody, sendJson } from '../../../sources/index.js';
import { forwardedHeaders, replyHeaders } from './proxy-headers.js';
import { answeredAdd, failure, keepOutcome, keptAddRequest } from './proxy-add-records.js';
import { messageOf } from '../../../errors.js';
import {
  isAddAction,
  lastField,
  requestFields,
  type AddReplyReading,
  type AddRequestFacts,
} from './proxied-request.js';

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
interface ProxyLogger {
  debug(message: string, fields?: ProxyLogFields): void;
  info(message: string, fields?: ProxyLogFields): void;
  warn(message: string, fields?: ProxyLogFields): void;
  error(message: string, fields?: ProxyLogFields): void;
}

interface PanelProxyOptions {
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

const DEFAULT_PROXY_MAX_BODY_BYTES = 1_048_576;
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 60_000;
/** A reply larger than this (a services list is a few hundred KiB) is not held in memory. */
const MAX_REPLY_BYTES = 32 * 1_048_576;
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

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
  const proxy = proxyRun(options);
  const { sourceId, logger } = proxy;
  const inFlight = new Set<Promise<void>>();
  const server = createServer((request, response) => {
    // Without listeners an aborted upload's 'error' would be thrown; aborts are handled through 'close'.
    request.on('error', () => undefined);
    response.on('error', () => undefined);
    const handling = handleRequest(proxy, request, response)
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
  logger.info('panel proxy listening', { source: sourceId, host: options.host, port, panel: proxy.upstream.host });

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => (closing ??= stopProxy(server, inFlight, proxy.agent)),
  };
}

/** What every request through one proxy shares: the panel it goes to, the one key let through, where adds are kept. */
export interface ProxyRun extends Omit<PanelProxyOptions, 'maxBodyBytes' | 'upstreamTimeoutMs'> {
  keyDigest: Buffer;
  upstream: URL;
  /** The panel as messages name it: "panel smm (panel.example:443)". */
  panel: string;
  agent: Agent;
  maxBodyBytes: number;
}

function proxyRun(options: PanelProxyOptions): ProxyRun {
  const timeoutMs = options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  const upstream = new URL(options.url);
  return {
    ...options,
    keyDigest: digest(options.apiKey),
    upstream,
    panel: `panel ${options.sourceId} (${upstream.host})`,
    agent: new (undici().Agent)({
      connect: { timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      maxResponseSize: MAX_REPLY_BYTES,
    }),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_PROXY_MAX_BODY_BYTES,
  };
}

/** Stops accepting, lets every request in flight finish (each ends within the upstream timeout: an order placed by then is recorded), then closes. */
async function stopProxy(server: Server, inFlight: ReadonlySet<Promise<void>>, agent: Agent): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await Promise.all([...inFlight]);
  server.closeAllConnections();
  await closed;
  await agent.close();
}

/** One request: read and checked, an add kept before it is sent, forwarded, its outcome kept, and the panel's reply passed back. */
async function handleRequest(proxy: ProxyRun, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const read = await readProxiedRequest(proxy, request, response);
  if (read === undefined) return;
  // Set for an add only: dated and kept before anything is sent, so an order that cannot be kept is never placed.
  let adding: AddRequest | undefined;
  if (isAddAction(read.fields)) {
    adding = await keptAddRequest(proxy, read.fields, response);
    if (adding === undefined) return;
  }
  const target = new URL(proxy.upstream);
  if (read.search !== '')
    target.search = proxy.upstream.search === '' ? read.search : `${proxy.upstream.search}&${read.search.slice(1)}`;
  const forwarded = await forward(proxy, target, request.headers, read);
  if (forwarded.kind === 'no-answer') {
    await answerUnanswered(proxy, response, { adding, action: read.action, failed: forwarded.failed });
    return;
  }
  const { reply } = forwarded;
  if (adding !== undefined)
    await keepOutcome(proxy, adding, answeredAdd(proxy, adding, { method: read.method, path: target.pathname }, reply));
  else
    proxy.logger.debug('panel proxy forwarded a request', {
      source: proxy.sourceId,
      action: read.action,
      status: reply.status,
    });
  // The panel's reply, whatever the ledger did: a client reads an {"error"} as a refusal, and the order was placed.
  if (response.destroyed || response.writableEnded) return;
  response.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
  response.end(reply.body);
}

/** A request the proxy will forward: its query, body and fields as received, under the source's key. */
interface ProxiedRequest {
  method: string;
  search: string;
  body: Buffer;
  fields: URLSearchParams;
  /** The action as the log may name it. */
  action: string;
}

/** Reads a request's body and fields; undefined, with the caller answered, when it is too large (413), unreadable (415) or not under the source's key (401). */
async function readProxiedRequest(
  proxy: ProxyRun,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<ProxiedRequest | undefined> {
  const { sourceId, maxBodyBytes, logger } = proxy;
  const search = new URL(request.url ?? '/', 'http://proxy').search;
  const declaredBytes = declaredLength(request);
  // A body declared too large is not read; one that turns out too large is read no further.
  const reading = declaredBytes > maxBodyBytes ? undefined : await readBoundedBody(request, maxBodyBytes);
  if (reading?.kind === 'aborted') return undefined;
  if (reading === undefined || reading.kind === 'too-large') {
    const size = reading === undefined ? { declaredBytes } : { receivedBytes: reading.receivedBytes };
    logger.warn('panel proxy refused a request: body too large', { source: sourceId, ...size, maxBodyBytes });
    const tooLarge = failure(413, `the body is larger than ${maxBodyBytes} bytes; nothing was sent to the panel`);
    answerUnread(request, response, tooLarge);
    return undefined;
  }
  const read = await requestFields(search, request.headers['content-type'], reading.body);
  if (!read.ok) {
    logger.warn('panel proxy refused a request it cannot read', { source: sourceId, reason: read.reason });
    sendJson(response, failure(415, `${read.reason}; nothing was sent to the panel`));
    return undefined;
  }
  const action = loggedAction(lastField(read.fields, 'action'));
  if (!timingSafeEqual(digest(lastField(read.fields, 'key') ?? ''), proxy.keyDigest)) {
    logger.warn('panel proxy refused a request: not the key of the source', { source: sourceId, action });
    sendJson(
      response,
      failure(
        401,
        `the key is missing or is not the key of source ${sourceId}: this proxy places orders only for the account whose books it keeps; nothing was sent to the panel`,
      ),
    );
    return undefined;
  }
  return { method: request.method ?? 'GET', search, body: reading.body, fields: read.fields, action };
}

/** The panel's reply as the caller gets it back. */
export interface PanelReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends the request to the panel unchanged (method, query, body, content type); no reply is a network failure, never a throw. */
async function forward(
  proxy: ProxyRun,
  target: URL,
  headers: IncomingHttpHeaders,
  read: ProxiedRequest,
): Promise<{ kind: 'answered'; reply: PanelReply } | { kind: 'no-answer'; failed: NetworkFailure }> {
  try {
    const answer = await undici().request(target, {
      method: read.method as Dispatcher.HttpMethod,
      headers: forwardedHeaders(headers),
      body: read.body.length > 0 ? read.body : undefined,
      dispatcher: proxy.agent,
    });
    return {
      kind: 'answered',
      reply: {
        status: answer.statusCode,
        headers: replyHeaders(answer.headers),
        body: Buffer.from(await answer.body.arrayBuffer()),
      },
    };
  } catch (error) {
    return { kind: 'no-answer', failed: describeNetworkFailure(error) };
  }
}

/** The panel did not answer: an add says so in its outcome (it may have been placed), and the caller gets 502. */
async function answerUnanswered(
  proxy: ProxyRun,
  response: ServerResponse,
  request: { adding: AddRequest | undefined; action: string; failed: NetworkFailure },
): Promise<void> {
  const { adding, action, failed } = request;
  const { sourceId, logger } = proxy;
  const what =
    failed.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE'
      ? `its reply is larger than ${MAX_REPLY_BYTES} bytes`
      : `${failed.description}, ${failed.code}`;
  const unknownOrder = adding !== undefined && failed.mayHaveReachedServer;
  const message = `${proxy.panel} did not answer (${what})${unknownOrder ? ": the order may have been placed; check the panel's orders before sending it again (`ledgerline reconcile` lists it)" : ''}`;
  if (adding !== undefined)
    await keepOutcome(proxy, adding, {
      kind: 'no-answer',
      mayHavePlaced: failed.mayHaveReachedServer,
      failure: what,
      at: proxy.clock(),
    });
  if (unknownOrder)
    logger.error('panel proxy: the panel did not answer an add; an order may have been placed', {
      source: sourceId,
      failure: what,
    });
  else logger.warn('panel proxy: the panel did not answer', { source: sourceId, action, failure: what });
  sendJson(response, failure(502, message));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Actions are logged by name only when they look like one: the rest of a request is the customer's. */
function loggedAction(action: string | undefined): string {
  if (action === undefined) return '(none)';
  return /^[A-Za-z_]{1,40}$/.test(action.trim()) ? action.trim() : '(other)';
}
