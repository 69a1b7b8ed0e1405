import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, type ConfigProblem } from '../../errors.js';
import { listenOn } from '../../http/index.js';
import type { Logger } from '../../log/index.js';
import type { WebhookFormat } from './interpret-webhook.js';
import type { WebhookInbox } from './webhook-inbox-entry.js';
import { answerUnread, declaredLength, readBoundedBody, sendJson, type JsonAnswer } from './request-body.js';
import { DEFAULT_SIGNATURE_HEADER, signatureMatches, tokenMatches, type WebhookAuth } from './webhook-auth.js';

/** A source the receiver takes webhooks for: a source whose kind has no webhook format is not one (its path answers 404). */
export interface WebhookSource {
  id: string;
  kind: string;
  format: WebhookFormat;
}

export type WebhookLogFields = Record<string, string | number | boolean | bigint | undefined>;

/** The part of the project's Logger the receiver uses. */
type WebhookLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface WebhookReceiverOptions {
  /** Where authenticated deliveries are kept (the pipeline's, over the store). */
  inbox: WebhookInbox;
  sources: readonly WebhookSource[];
  auth: WebhookAuth;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Bodies above this get 413 and are not stored. */
  maxBodyBytes?: number;
  /** When a delivery arrives; on a sandbox trial the sandbox's day (a read of it), as a sync's close is. */
  clock: () => Date | Promise<Date>;
  logger?: WebhookLogger;
}

export interface WebhookReceiver {
  /** e.g. http://127.0.0.1:8787; webhooks go to <url>/webhooks/<source id>[/<token>]. */
  url: string;
  port: number;
  /** Stops accepting, lets requests in flight finish (at most 5 s), then resolves. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 1_048_576;
/** A sender gets this long to deliver headers and body; slow or stalled uploads are cut (Node answers 408). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const CLOSE_GRACE_MS = 5_000;
/** Source ids come from the URL: logs carry at most this much of one. */
const LOGGED_ID_LENGTH = 64;

const silent: WebhookLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

type Route = { kind: 'health' } | { kind: 'webhook'; sourceId: string; token: string | undefined } | { kind: 'none' };

/** What each request is checked against: the inbox, the authentication, the body limit and the sources by id. */
interface Receiver extends Pick<WebhookReceiverOptions, 'inbox' | 'auth' | 'clock'> {
  logger: WebhookLogger;
  maxBodyBytes: number;
  sources: ReadonlyMap<string, WebhookSource>;
}

/**
 * One request, refused at the first gate it fails: the route, POST, the source and its token, the declared
 * and the read size, the signature; then the body is stored before the sender hears 200.
 */
async function handle(receiver: Receiver, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { auth, logger, maxBodyBytes, sources } = receiver;
  const route = routeOf(request.url);
  if (route.kind === 'health') {
    if (request.method === 'GET' || request.method === 'HEAD')
      sendJson(response, { status: 200, payload: { ok: true } });
    else answerUnread(request, response, failure(405, 'only GET is accepted here', { allow: 'GET, HEAD' }));
    return;
  }
  if (route.kind === 'none') {
    answerUnread(request, response, failure(404, 'no such endpoint: webhooks are POSTed to /webhooks/<source id>'));
    return;
  }
  const logFields = { source: route.sourceId.slice(0, LOGGED_ID_LENGTH), remote: request.socket.remoteAddress };
  if (request.method !== 'POST') {
    logger.warn('webhook refused: not a POST', { ...logFields, method: request.method?.slice(0, 16) });
    answerUnread(request, response, failure(405, 'only POST is accepted', { allow: 'POST' }));
    return;
  }
  const source = sources.get(route.sourceId);
  const tokenAccepted =
    auth.mode === 'hmac'
      ? route.token === undefined
      : route.token !== undefined && tokenMatches(auth.token, route.token);
  if (source === undefined || !tokenAccepted) {
    logger.warn('webhook refused: not authenticated (unknown source or wrong token)', logFields);
    answerUnread(request, response, failure(401, 'not authenticated'));
    return;
  }
  const refuseTooLarge = (bytes: { declaredBytes: number } | { receivedBytes: number }): void => {
    logger.warn('webhook refused: body too large', { ...logFields, ...bytes, maxBodyBytes });
    answerUnread(request, response, failure(413, `the body is larger than ${maxBodyBytes} bytes`));
  };
  if (declaredLength(request) > maxBodyBytes) return refuseTooLarge({ declaredBytes: declaredLength(request) });
  const reading = await readBoundedBody(request, maxBodyBytes);
  if (reading.kind === 'aborted') {
    logger.warn('webhook dropped: the sender went away before the body was complete', logFields);
    return;
  }
  if (reading.kind === 'too-large') return refuseTooLarge({ receivedBytes: reading.receivedBytes });
  if (
    auth.mode === 'hmac' &&
    !signatureMatches(auth.secret, reading.body, headerValue(request, auth.header ?? DEFAULT_SIGNATURE_HEADER))
  ) {
    logger.warn('webhook refused: not authenticated (missing or wrong signature)', logFields);
    sendJson(response, failure(401, 'not authenticated'));
    return;
  }
  await keepAndAnswer(receiver, source, reading.body, logFields, response);
}

/** Keeps an authenticated body in the inbox, then answers: 200 with its id when it reads as an event, 400 (kept, quarantined) when not. */
async function keepAndAnswer(
  receiver: Receiver,
  source: NonNullable<ReturnType<Receiver['sources']['get']>>,
  body: Buffer,
  logFields: Record<string, unknown>,
  response: ServerResponse,
): Promise<void> {
  const { inbox, clock, logger } = receiver;
  const recorded = await inbox.record({
    sourceId: source.id,
    kind: source.kind,
    format: source.format,
    receivedAt: await clock(),
    body,
  });
  if (recorded.status === 'stored') {
    logger.info(recorded.duplicate ? 'webhook already stored: acknowledged again' : 'webhook stored', {
      ...logFields,
      id: recorded.id,
    });
    sendJson(response, { status: 200, payload: { ok: true, id: Number(recorded.id), duplicate: recorded.duplicate } });
    return;
  }
  logger.warn('webhook body unreadable: kept as invalid and quarantined', {
    ...logFields,
    id: recorded.id,
    duplicate: recorded.duplicate,
    reason: recorded.reason,
  });
  sendJson(response, failure(400, recorded.reason));
}

/**
 * `ledgerline webhooks`: receives the ad network's conversion webhooks and
 * the panel's order updates (DESIGN §4 "Webhooks"). An authenticated body of
 * acceptable size is kept in the inbox before anything is answered:
 * 200 {"ok": true, "id", "duplicate"} when it reads as an event (a resend of
 * an event already stored answers duplicate: true and stores nothing), 400
 * {"ok": false, "error"} when it does not (kept as 'invalid' with a
 * quarantine row). Refused without storing: 401 (unknown source, wrong token
 * or signature), 413 (too large), 405, 404. Any failure of ours is a 500,
 * logged; the process stays up.
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  checkOptions(options, maxBodyBytes);
  const logger = options.logger ?? silent;
  const receiver: Receiver = {
    inbox: options.inbox,
    auth: options.auth,
    clock: options.clock,
    logger,
    maxBodyBytes,
    sources: new Map(options.sources.map((source) => [source.id, source])),
  };

  const server = createServer((request, response) => {
    // Without listeners an aborted upload's 'error' would be thrown; aborts are handled through 'close'.
    request.on('error', () => undefined);
    response.on('error', () => undefined);
    handle(receiver, request, response).catch((error: unknown) => {
      logger.error('webhook receiver failed on a request; nothing was acknowledged', {
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      answerUnread(request, response, failure(500, 'internal error: the webhook was not stored; send it again later'));
    });
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;

  await listenOn(server, options.port, options.host, 'webhook receiver');
  server.on('error', (error) => logger.error('webhook receiver socket error', { error: error.message }));
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  logger.info('webhook receiver listening', {
    host: options.host,
    port,
    sources: options.sources.length,
    auth: options.auth.mode,
  });

  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

function failure(status: number, error: string, headers?: Record<string, string>): JsonAnswer {
  return { status, payload: { ok: false, error }, ...(headers ? { headers } : {}) };
}

/** /healthz, /webhooks/<source id>, /webhooks/<source id>/<token>; the query string is ignored. */
function routeOf(url: string | undefined): Route {
  const path = (url ?? '').split('?')[0]!;
  if (path === '/healthz') return { kind: 'health' };
  const segments = path.split('/');
  if (segments[0] !== '' || segments[1] !== 'webhooks' || segments.length < 3 || segments.length > 4)
    return { kind: 'none' };
  try {
    const sourceId = decodeURIComponent(segments[2]!);
    const token = segments[3] === undefined ? undefined : decodeURIComponent(segments[3]);
    return sourceId === '' ? { kind: 'none' } : { kind: 'webhook', sourceId, token };
  } catch {
    return { kind: 'none' };
  }
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Refuses options the receiver could not honour, all problems at once, before listening. */
function checkOptions(options: WebhookReceiverOptions, maxBodyBytes: number): void {
  const problems: ConfigProblem[] = [];
  const problem = (path: string, message: string): void =>
    void problems.push({ file: 'webhook receiver', path, message });
  const seen = new Set<string>();
  options.sources.forEach((source, index) => {
    if (source.id === '' || source.id.includes('/'))
      problem(`sources[${index}].id`, 'a source id must be non-empty and contain no "/"');
    if (seen.has(source.id)) problem(`sources[${index}].id`, `source id ${JSON.stringify(source.id)} is listed twice`);
    seen.add(source.id);
  });
  if (options.sources.length === 0) problem('sources', 'no source to receive webhooks for');
  if (options.auth.mode === 'path-token' && options.auth.token === '') problem('auth.token', 'the token is empty');
  if (options.auth.mode === 'hmac' && options.auth.secret === '') problem('auth.secret', 'the secret is empty');
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1)
    problem('maxBodyBytes', 'expected a whole number of bytes above 0');
  if (problems.length > 0) throw new ConfigError(problems);
}
