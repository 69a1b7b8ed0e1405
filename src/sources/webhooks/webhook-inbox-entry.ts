import { createHash } from 'node:crypto';
import type { WebhookFormat } from './interpret-webhook.js';

interface WebhookDelivery {
  sourceId: string;
  /** The source's kind, kept with the row: the sync reads a kind's webhooks back by it. */
  kind: string;
  /** How the source's kind reads its webhooks. */
  format: WebhookFormat;
  receivedAt: Date;
  /** The request body exactly as received. */
  body: Uint8Array;
}

export type RecordedWebhook =
  | { status: 'stored'; id: bigint; duplicate: boolean }
  | { status: 'invalid'; id: bigint; duplicate: boolean; reason: string };

/**
 * Where the receiver keeps an authenticated delivery, whatever it holds: the
 * pipeline implements it over the store (webhook_inbox, and a quarantine row
 * in the same unit of work when the body does not read).
 */
export interface WebhookInbox {
  record(delivery: WebhookDelivery): Promise<RecordedWebhook>;
}

interface InboxEntryFields {
  sourceId: string;
  kind: string;
  dedupeKey: string;
  /** ISO 8601, UTC. */
  receivedAt: string;
  body: string;
}

/** The inbox row a delivery becomes; an 'invalid' one also says why, for its quarantine row. */
type WebhookInboxEntry =
  | (InboxEntryFields & { status: 'stored'; note: null })
  | (InboxEntryFields & { status: 'invalid'; note: string; reason: string });

const NOT_UTF8 = 'the body is not UTF-8 text';
/** Bodies that are not UTF-8 are kept byte for byte, base64-encoded, and say so in the row's note. */
const BASE64_BODY_NOTE = `${NOT_UTF8}; stored base64-encoded`;

/**
 * The inbox row for one delivery. The row's dedupe_key is fixed once written
 * (a trigger refuses updates), so the body is read (in memory, purely) just
 * before the insert; no reading decides whether it is kept, only how. The
 * UNIQUE dedupe_key makes a resend, even two arriving together, land once:
 * "<source>:<event key>" for a readable event, "<source>:invalid:<sha-256 of
 * the bytes>" for anything else.
 */
export function webhookInboxEntry(delivery: WebhookDelivery): WebhookInboxEntry {
  const { sourceId, kind } = delivery;
  const text = decodeUtf8(delivery.body);
  const reading = text === undefined ? { ok: false as const, reason: NOT_UTF8 } : delivery.format.read(text);
  const receivedAt = delivery.receivedAt.toISOString();
  if (reading.ok) {
    return {
      sourceId,
      kind,
      dedupeKey: `${sourceId}:${reading.dedupeKey}`,
      receivedAt,
      body: text ?? '',
      status: 'stored',
      note: null,
    };
  }
  return {
    sourceId,
    kind,
    dedupeKey: `${sourceId}:invalid:${createHash('sha256').update(delivery.body).digest('hex')}`,
    receivedAt,
    body: text ?? Buffer.from(delivery.body).toString('base64'),
    status: 'invalid',
    note: text === undefined ? BASE64_BODY_NOTE : reading.reason,
    reason: reading.reason,
  };
}

/** The body as text when it is UTF-8; a byte order mark is kept (it is part of what was sent). */
function decodeUtf8(body: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return undefined;
  }
}
