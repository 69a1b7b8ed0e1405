import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { readJson, readWire, type IssueWording } from '../../http/index.js';

type WebhookInterpretation<E = unknown> = { ok: true; event: E; dedupeKey: string } | { ok: false; reason: string };

const BYTE_ORDER_MARK = /^\uFEFF/;
/** `data.payout: expected a decimal amount, got text "1.2.3" (…); the body: expected a JSON object, got a list` */
const BODY_WORDING: IssueWording = { whole: 'the body', object: 'a JSON object' };

/** How a kind's webhooks read: a source kind that sends webhooks brings one (SourceKind.webhookFormat). */
export interface WebhookFormat<E = unknown> {
  /**
   * Reads one body; pure, and it never throws for any body, so the receiver and the sync pipeline
   * (re-reading stored bodies) agree on every body.
   */
  read(bodyText: string): WebhookInterpretation<E>;
}

/**
 * A format from the body's schema and the fields that name the logical event, whatever their spelling: a
 * resent conversion with 1.250 instead of 1.25, or its timestamp written with another offset, has the same
 * key. The key is "<event kind>:<sha-256 of those fields>", fixed length whatever the ids hold.
 */
export function webhookFormat<S extends z.ZodType<{ kind: string }>>(
  schema: S,
  identity: (event: z.output<S>) => unknown[],
): WebhookFormat<z.output<S>> {
  return {
    read(bodyText) {
      const json = readJson(bodyText.replace(BYTE_ORDER_MARK, ''));
      if (!json.ok) return json;
      const read = readWire(schema, json.value, BODY_WORDING);
      if (!read.ok) return read;
      const event = read.value;
      return {
        ok: true,
        event,
        dedupeKey: `${event.kind}:${createHash('sha256')
          .update(JSON.stringify(identity(event)))
          .digest('hex')}`,
      };
    },
  };
}
