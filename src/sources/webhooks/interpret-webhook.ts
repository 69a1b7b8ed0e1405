import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { readJson, readWire, type IssueWording } from '../../http/json-reply.js';
import { ConversionWebhookSchema } from './conversion-webhook.js';
import { PanelOrderUpdateSchema } from './panel-order-update.js';

/** Which schema a source's webhooks follow: the source kinds of the configuration. */
export const WEBHOOK_SOURCE_KINDS = ['payelancer', 'panel'] as const;
export type WebhookSourceKind = (typeof WEBHOOK_SOURCE_KINDS)[number];

/** The schema each source kind's webhooks follow. */
export const WEBHOOK_SCHEMAS = { payelancer: ConversionWebhookSchema, panel: PanelOrderUpdateSchema } as const;
export type WebhookEventOf<K extends WebhookSourceKind> = z.infer<(typeof WEBHOOK_SCHEMAS)[K]>;
export type WebhookEvent = WebhookEventOf<WebhookSourceKind>;

export type WebhookInterpretation<E extends WebhookEvent = WebhookEvent> =
  | { ok: true; event: E; dedupeKey: string }
  | { ok: false; reason: string };

const BYTE_ORDER_MARK = /^\uFEFF/;
/** `data.payout: expected a decimal amount, got text "1.2.3" (…); the body: expected a JSON object, got a list` */
const BODY_WORDING: IssueWording = { whole: 'the body', object: 'a JSON object' };

/**
 * Reads one webhook body as its source kind prescribes; pure, and it never
 * throws for any body, so the receiver and the sync pipeline (re-reading
 * stored bodies) agree on every body. The dedupe key names the logical event,
 * whatever its spelling: a resent conversion with 1.250 instead of 1.25, or
 * its timestamp written with another offset, has the same key. A panel
 * update's key holds the state (status, remains, charge): a real change is a
 * new event, the same state resent is not.
 */
export function interpretWebhook<K extends WebhookSourceKind>(kind: K, bodyText: string): WebhookInterpretation<WebhookEventOf<K>> {
  if (!Object.hasOwn(WEBHOOK_SCHEMAS, kind)) throw new RangeError(`no webhook schema for source kind ${JSON.stringify(kind)}`);
  const schema = WEBHOOK_SCHEMAS[kind];
  const json = readJson(bodyText.replace(BYTE_ORDER_MARK, ''));
  if (!json.ok) return json;
  const read = readWire(schema, json.value, BODY_WORDING);
  if (!read.ok) return read;
  const event = read.value as WebhookEventOf<K>;
  return { ok: true, event, dedupeKey: eventKey(event) };
}

/** "conversion.tracked:<sha-256 of the identifying fields>": fixed length whatever the ids hold. */
function eventKey(event: WebhookEvent): string {
  const fields =
    event.kind === 'conversion.tracked'
      ? [event.campaignId, event.adId, event.timestamp, event.payoutMicros.toString()]
      : [event.orderId, event.statusRaw, event.remains ?? null, event.chargeMicros.toString()];
  return `${event.kind}:${createHash('sha256').update(JSON.stringify(fields)).digest('hex')}`;
}
