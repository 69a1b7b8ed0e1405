import type { RawObservationId } from '../errors.js';

/**
 * One reply exactly as a source sent it, handed to the raw landing store before
 * anything interprets it (DESIGN §1). `request` never carries the API key.
 */
export interface RawReply {
  sourceId: string;
  /** The API action asked for: "multiStatus", "status", "balance", "stats" … */
  action: string;
  request: {
    method: string;
    /** URL path without the query string, e.g. "/api/v2" or "/backend/api/v1/stats.php". */
    path: string;
    /** The parameters sent, the key left out. */
    params: Record<string, string>;
  };
  httpStatus: number;
  bodyText: string;
  /** ISO 8601 instant the reply arrived, from the injected clock. */
  fetchedAt: string;
}

/** Lands a reply; may return the landing row's id, which errors and results then carry. */
export type OnRawReply = (reply: RawReply) => RawObservationId | void | Promise<RawObservationId | void>;
