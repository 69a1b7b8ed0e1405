import { createHash } from 'node:crypto';
import { insertWebhookOnce, quarantine, type LedgerStore } from '../../store/index.js';
import { interpretWebhook, type WebhookSourceKind } from './interpret-webhook.js';

export interface WebhookDelivery {
  sourceId: string;
  kind: WebhookSourceKind;
  receivedAt: Date;
  /** The request body exactly as received. */
  body: Uint8Array;
}

export type RecordedWebhook =
  | { status: 'stored'; id: bigint; duplicate: boolean }
  | { status: 'invalid'; id: bigint; duplicate: boolean; reason: string };

const NOT_UTF8 = 'the body is not UTF-8 text';
/** Bodies that are not UTF-8 are kept byte for byte, base64-encoded, and say so in the row's note. */
export const BASE64_BODY_NOTE = `${NOT_UTF8}; stored base64-encoded`;

/**
 * Writes one authenticated delivery to webhook_inbox, whatever it holds, in
 * one transaction with its quarantine row when it cannot be read. The row's
 * dedupe_key is fixed once written (a trigger refuses updates), so the body
 * is read (in memory, purely) just before the insert; no reading decides
 * whether it is kept, only how. The UNIQUE dedupe_key makes a resend, even
 * two arriving together, land once: "<source>:<event key>" for a readable
 * event, "<source>:invalid:<sha-256 of the bytes>" for anything else.
 */
export async function recordWebhook(store: LedgerStore, delivery: WebhookDelivery): Promise<RecordedWebhook> {
  const { sourceId, kind, receivedAt } = delivery;
  const text = decodeUtf8(delivery.body);
  const reading = text === undefined ? { ok: false as const, reason: NOT_UTF8 } : interpretWebhook(kind, text);
  const received = receivedAt.toISOString();
  return store.unitOfWork(async (): Promise<RecordedWebhook> => {
    if (reading.ok) {
      const { id, duplicate } = await insertWebhookOnce(store, {
        source_id: sourceId,
        kind,
        dedupe_key: `${sourceId}:${reading.dedupeKey}`,
        received_at: received,
        body: text ?? '',
        status: 'stored',
        note: null,
      });
      return { status: 'stored', id, duplicate };
    }
    const { id, duplicate } = await insertWebhookOnce(store, {
      source_id: sourceId,
      kind,
      dedupe_key: `${sourceId}:invalid:${createHash('sha256').update(delivery.body).digest('hex')}`,
      received_at: received,
      body: text ?? Buffer.from(delivery.body).toString('base64'),
      status: 'invalid',
      note: text === undefined ? BASE64_BODY_NOTE : reading.reason,
    });
    if (!duplicate) {
      await quarantine(store, { sourceId, webhookId: id, reason: `webhook body refused: ${reading.reason}`, asOf: received.slice(0, 10) }, receivedAt);
    }
    return { status: 'invalid', id, duplicate, reason: reading.reason };
  });
}

/** The body as text when it is UTF-8; a byte order mark is kept (it is part of what was sent). */
function decodeUtf8(body: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return undefined;
  }
}
