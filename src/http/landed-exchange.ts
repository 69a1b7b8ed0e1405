import { LedgerlineError, linkRawObservation, type RawObservationId } from '../errors.js';
import type { Clock } from './clock.js';
import type { HttpClient, HttpReply } from './http-client.js';
import type { OnRawReply } from './raw-reply.js';

interface LandedExchangeOptions {
  sourceId: string;
  http: HttpClient;
  clock: Clock;
  onRawReply?: OnRawReply;
  /** The source's API key: kept out of everything landed and every message. */
  apiKey: string;
}

interface LandedRequest {
  action: string;
  method: string;
  url: string;
  /** What was sent, the key left out: this is what the raw row records. */
  params: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
  idempotent: boolean;
}

export interface LandedReply extends HttpReply {
  /** The raw row of this reply, when the store returned one. */
  rawObservationId: RawObservationId | undefined;
  /** Every raw row this request produced, retried answers included, in order. */
  rawObservationIds: RawObservationId[];
}

export interface LandedExchange {
  /**
   * Sends a request; every answer (any status, any body, retried ones too) is landed
   * through onRawReply before anything reads it. A LedgerlineError thrown on the way
   * carries the raw row of the last answer received.
   */
  send(request: LandedRequest): Promise<LandedReply>;
  /** Removes the key and anything the HTTP layer redacts from text bound for a message. */
  scrub(text: string): string;
}

export function createLandedExchange(options: LandedExchangeOptions): LandedExchange {
  const { sourceId, http, clock, onRawReply, apiKey } = options;
  // Checked first: every reply is landed through this, and splitting a 10 kB body that holds no key copies it.
  const withoutKey = (text: string) =>
    apiKey === '' || !text.includes(apiKey) ? text : text.split(apiKey).join('[redacted]');
  const scrub = (text: string) => http.redact(withoutKey(text));

  return {
    scrub,
    async send(request) {
      const rawObservationIds: RawObservationId[] = [];
      const path = new URL(request.url).pathname;
      const land = async (reply: HttpReply) => {
        const id = await onRawReply?.({
          sourceId,
          action: request.action,
          request: { method: request.method, path, params: request.params },
          httpStatus: reply.status,
          // A service that echoes the key must not get it written to the ledger.
          bodyText: withoutKey(reply.bodyText),
          fetchedAt: new Date(clock.now()).toISOString(),
        });
        if (id !== undefined) rawObservationIds.push(id);
      };
      try {
        const reply = await http.request({
          method: request.method,
          url: request.url,
          headers: request.headers,
          body: request.body,
          idempotent: request.idempotent,
          what: request.action,
          onReply: land,
        });
        return { ...reply, rawObservationId: rawObservationIds.at(-1), rawObservationIds };
      } catch (error) {
        if (error instanceof LedgerlineError) throw linkRawObservation(error, rawObservationIds.at(-1));
        throw error;
      }
    },
  };
}
