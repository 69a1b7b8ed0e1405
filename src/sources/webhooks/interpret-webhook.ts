import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { parseJsonExact } from '../../money/index.js';
import { ConversionWebhookSchema } from './conversion-webhook.js';
import { PanelOrderUpdateSchema } from './panel-order-update.js';
import { describeValue } from './webhook-wire-values.js';

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
  const text = bodyText.replace(BYTE_ORDER_MARK, '');
  if (text.trim() === '') return { ok: false, reason: 'the body is empty' };
  let json: unknown;
  try {
    json = parseJsonExact(text);
  } catch {
    return { ok: false, reason: `the body is not JSON (it starts ${JSON.stringify(text.trimStart().slice(0, 40))})` };
  }
  const result = schema.safeParse(json);
  if (!result.success) return { ok: false, reason: describeIssues(result.error.issues, json) };
  const event = result.data as WebhookEventOf<K>;
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

/** `data.payout: expected a decimal amount, got text "1.2.3" (…); data.timestamp: missing` */
function describeIssues(issues: readonly z.core.$ZodIssue[], root: unknown): string {
  return issues
    .map((issue) => {
      const where = issue.path.length === 0 ? 'the body' : issue.path.map(String).join('.');
      return `${where}: ${issueMessage(issue, valueAt(root, issue.path))}`;
    })
    .join('; ');
}

function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code !== 'invalid_type') return issue.message;
  if (value === undefined) return 'missing';
  return `expected ${issue.expected === 'object' ? 'a JSON object' : issue.expected}, got ${describeValue(value)}`;
}

/** The value an issue is about; paths are as deep as the schemas, a few keys. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || typeof key === 'symbol') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}
