import type { z } from 'zod';
import {
  AuthError,
  InvalidReplyError,
  RateLimitedError,
  RequestRejectedError,
  UpstreamError,
  linkRawObservation,
  type LedgerlineError,
} from '../../errors.js';
import {
  type Clock,
  type HttpClient,
  readJson,
  readWire,
  type JsonReading,
  createLandedExchange,
  type LandedReply,
  type OnRawReply,
  describeValue,
} from '../../http/index.js';
import { classifyPanelError } from './panel-error-message.js';

export interface PanelExchangeOptions {
  sourceId: string;
  /** The API endpoint, e.g. https://panel.example.com/api/v2 */
  url: string;
  apiKey: string;
  http: HttpClient;
  clock: Clock;
  onRawReply?: OnRawReply;
}

/**
 * The API v2 transport and what every action's reply shares: one form POST per action (each reply landed
 * before it is read), the service's own words from an error body, and the error each refusal is. The
 * panel client builds its reads on it; the sandbox kit's order desk its add, cancel and services.
 */
export interface PanelExchange {
  readonly sourceId: string;
  /** `idempotent: false` for a request that may create something (an add): never retried after it may have arrived. */
  post(action: string, fields: Record<string, string>, idempotent: boolean): Promise<LandedReply>;
  /** The service's own words from an error body: {"error": …}, a JSON string, or short plain text; `json` is the body read, when it was. */
  serviceMessage(bodyText: string, json?: JsonReading<unknown>): string | undefined;
  /** A refusal by HTTP status (DESIGN's table: 400, 401, 402, 404, and whatever else a panel sends). */
  failureFor(action: string, reply: LandedReply): LedgerlineError;
  /** An {"error": …} inside a 2xx: an error, not data (DESIGN §4). */
  rejectionFor(reply: LandedReply, message: string): LedgerlineError;
  invalid(action: string, reply: LandedReply, reason: string): LedgerlineError;
  /** A 2xx JSON body of `schema`'s shape, not a top-level {"error"}; throws the right error otherwise. */
  readSchema<S extends z.ZodType>(action: string, reply: LandedReply, schema: S): z.output<S>;
  /** The text without the API key in any of its forms. */
  scrub(text: string): string;
}

export function createPanelExchange(options: PanelExchangeOptions): PanelExchange {
  const { sourceId, url, apiKey } = options;
  const exchange = createLandedExchange(options);

  function post(action: string, fields: Record<string, string>, idempotent: boolean): Promise<LandedReply> {
    const params = { action, ...fields };
    return exchange.send({
      action,
      method: 'POST',
      url,
      params,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ key: apiKey, ...params }).toString(),
      idempotent,
    });
  }

  function serviceMessage(bodyText: string, json: JsonReading<unknown> = readJson(bodyText)): string | undefined {
    let text: string | undefined;
    if (json.ok) {
      if (typeof json.value === 'string') text = json.value;
      else {
        const error = errorField(json.value);
        if (error !== undefined) text = typeof error === 'string' ? error : JSON.stringify(error);
      }
    } else if (bodyText.trim() !== '' && bodyText.length <= 200 && !bodyText.includes('<')) {
      text = bodyText.trim();
    }
    return text === undefined ? undefined : exchange.scrub(text.length > 200 ? `${text.slice(0, 200)}…` : text);
  }

  const failureFor = (action: string, reply: LandedReply): LedgerlineError =>
    refusalByStatus(sourceId, action, reply, serviceMessage(reply.bodyText));
  const rejectionFor = (reply: LandedReply, message: string): LedgerlineError =>
    rejectionInReply(sourceId, reply, message);
  const invalid = (action: string, reply: LandedReply, reason: string): LedgerlineError =>
    linkRawObservation(new InvalidReplyError(sourceId, action, exchange.scrub(reason)), reply.rawObservationId);

  /** A 2xx JSON body that is not a top-level {"error"}; throws the right error otherwise. */
  function readOk(action: string, reply: LandedReply): unknown {
    if (reply.status < 200 || reply.status >= 300) throw failureFor(action, reply);
    const json = readJson(reply.bodyText);
    if (!json.ok) throw invalid(action, reply, json.reason);
    const error = errorField(json.value);
    if (error !== undefined) throw rejectionFor(reply, serviceMessage(reply.bodyText) ?? describeValue(error));
    return json.value;
  }

  function readSchema<S extends z.ZodType>(action: string, reply: LandedReply, schema: S): z.output<S> {
    const result = readWire(schema, readOk(action, reply));
    if (!result.ok) throw invalid(action, reply, result.reason);
    return result.value;
  }

  return {
    sourceId,
    post,
    serviceMessage,
    failureFor,
    rejectionFor,
    invalid,
    readSchema,
    scrub: (text) => exchange.scrub(text),
  };
}

/** A refusal by HTTP status (DESIGN's table: 400, 401, 402, 404, and whatever else a panel sends), in the service's words when it gave some. */
function refusalByStatus(
  sourceId: string,
  action: string,
  reply: LandedReply,
  message: string | undefined,
): LedgerlineError {
  const said = message ? `: ${message}` : '';
  let error: LedgerlineError;
  if (
    reply.status === 401 ||
    (reply.status >= 400 && reply.status < 500 && message && classifyPanelError(message) === 'auth')
  ) {
    error = new AuthError(sourceId, `HTTP ${reply.status}${said}`);
  } else if (reply.status === 400) error = new RequestRejectedError(sourceId, 400, `${action}: request refused${said}`);
  else if (reply.status === 402)
    error = new RequestRejectedError(sourceId, 402, `${action}: insufficient balance${said}`);
  else if (reply.status === 404)
    error = new RequestRejectedError(sourceId, 404, `${action}: unknown order or service${said}`);
  else if (reply.status >= 400 && reply.status < 500)
    error = new RequestRejectedError(sourceId, reply.status, `${action}: refused${said}`);
  else error = new UpstreamError(sourceId, `${action}: unexpected HTTP ${reply.status}${said}`, reply.status);
  return linkRawObservation(error, reply.rawObservationId);
}

/** An {"error": …} inside a 2xx: an error, not data (DESIGN §4). */
function rejectionInReply(sourceId: string, reply: LandedReply, message: string): LedgerlineError {
  const kind = classifyPanelError(message);
  const error =
    kind === 'auth'
      ? new AuthError(sourceId, message)
      : kind === 'rate-limit'
        ? new RateLimitedError(sourceId, undefined, `rate limit exceeded (the panel said: ${message})`)
        : new RequestRejectedError(sourceId, reply.status, message);
  return linkRawObservation(error, reply.rawObservationId);
}

/**
 * The value of a top-level "error" key, if the body is an object that has one. In a batch reply an
 * order literally named "error" is data, so `orderIds` lists the keys that are not errors.
 */
export function errorField(value: unknown, orderIds: readonly string[] = []): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (!Object.hasOwn(value, 'error') || orderIds.includes('error')) return undefined;
  const error = (value as { error: unknown }).error;
  return error === null ? undefined : error;
}
