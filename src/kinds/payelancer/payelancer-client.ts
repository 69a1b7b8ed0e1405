import type { z } from 'zod';
import {
  AuthError,
  InvalidReplyError,
  type LedgerlineError,
  RequestRejectedError,
  UpstreamError,
  linkRawObservation,
  type RawObservationId,
} from '../../errors.js';
import {
  type Clock,
  type HttpClient,
  readJson,
  readWire,
  createLandedExchange,
  type LandedReply,
  type OnRawReply,
} from '../../http/index.js';
import { PayelancerFailureSchema, PayelancerStatsReplySchema } from './payelancer-wire.js';

interface PayelancerClientOptions {
  sourceId: string;
  /** e.g. https://payelancer.example.com; the paths /backend/api/v1/*.php are added. */
  baseUrl: string;
  apiKey: string;
  http: HttpClient;
  clock: Clock;
  onRawReply?: OnRawReply;
}

/** One stats snapshot: lifetime counters, the money one by role, in micro-units. */
type PayelancerStats =
  | { role: 'publisher'; impressions: bigint; clicks: bigint; earningsMicros: bigint }
  | { role: 'advertiser'; impressions: bigint; clicks: bigint; spentMicros: bigint };

type PayelancerStatsReading = PayelancerStats & { rawObservationId: RawObservationId | undefined };

export interface PayelancerClient {
  readonly sourceId: string;
  /**
   * Throws AuthError (401, the key missing or revoked), RateLimitedError / UpstreamError
   * (after the HTTP layer's retries), RequestRejectedError ({"success": false}) and
   * InvalidReplyError (not JSON, or a field missing or wrong); all carry the raw row.
   */
  stats(): Promise<PayelancerStatsReading>;
}

const API_PATH = '/backend/api/v1';

/**
 * The ad network's wire under one source's key: each call landed before it is read, a refusal turned into the error a
 * person can act on (in the service's words, scrubbed), a reply read against its schema.
 */
function payelancerWire(options: PayelancerClientOptions) {
  const { sourceId, apiKey } = options;
  const exchange = createLandedExchange(options);
  const base = options.baseUrl.replace(/\/+$/, '');

  async function call(action: string, file: string): Promise<LandedReply> {
    const reply = await exchange.send({
      action,
      method: 'GET',
      url: `${base}${API_PATH}/${file}`,
      params: {},
      headers: { 'x-api-key': apiKey, accept: 'application/json' },
      idempotent: true,
    });
    if (reply.status >= 200 && reply.status < 300) return reply;
    throw linkRawObservation(
      errorForStatus(sourceId, action, reply.status, serviceMessage(reply.bodyText)),
      reply.rawObservationId,
    );
  }

  /** The "error" text of a failure body, scrubbed and cut short; undefined when there is none. */
  function serviceMessage(bodyText: string): string | undefined {
    const json = readJson(bodyText);
    if (!json.ok || typeof json.value !== 'object' || json.value === null) return undefined;
    const error = (json.value as { error?: unknown }).error;
    if (error === undefined || error === null) return undefined;
    const text = typeof error === 'string' ? error : JSON.stringify(error);
    return exchange.scrub(text.length > 200 ? `${text.slice(0, 200)}…` : text);
  }

  function read<S extends z.ZodType>(action: string, reply: LandedReply, schema: S): z.output<S> {
    const json = readJson(reply.bodyText);
    if (!json.ok)
      throw linkRawObservation(new InvalidReplyError(sourceId, action, json.reason), reply.rawObservationId);
    const failure = PayelancerFailureSchema.safeParse(json.value);
    if (failure.success) {
      const message = serviceMessage(reply.bodyText) ?? 'the reply says success: false without an error';
      throw linkRawObservation(new RequestRejectedError(sourceId, reply.status, message), reply.rawObservationId);
    }
    const wire = readWire(schema, json.value);
    if (!wire.ok)
      throw linkRawObservation(
        new InvalidReplyError(sourceId, action, exchange.scrub(wire.reason)),
        reply.rawObservationId,
      );
    return wire.value;
  }

  return { call, read };
}

export function createPayelancerClient(options: PayelancerClientOptions): PayelancerClient {
  const { call, read } = payelancerWire(options);
  return {
    sourceId: options.sourceId,
    async stats() {
      const reply = await call('stats', 'stats.php');
      const body = read('stats', reply, PayelancerStatsReplySchema);
      const { impressions, clicks } = body.stats;
      const stats: PayelancerStats =
        body.role === 'publisher'
          ? { role: 'publisher', impressions, clicks, earningsMicros: body.stats.earnings }
          : { role: 'advertiser', impressions, clicks, spentMicros: body.stats.spent };
      return { ...stats, rawObservationId: reply.rawObservationId };
    },
  };
}

/** A refusal by HTTP status, in the service's words when its body gave some. */
function errorForStatus(
  sourceId: string,
  action: string,
  status: number,
  message: string | undefined,
): LedgerlineError {
  if (status === 401) return new AuthError(sourceId, `HTTP ${status}${message ? `: ${message}` : ''}`);
  if (status >= 400 && status < 500) return new RequestRejectedError(sourceId, status, message ?? `${action} refused`);
  return new UpstreamError(sourceId, `${action}: unexpected HTTP ${status}${message ? `: ${message}` : ''}`, status);
}
