/**
 * What a kind's stored-webhook reader (in its folder) gives its close: the readable webhooks of one source,
 * re-read from their stored bodies with the kind's own webhook format (so a reading is never stored twice, in two
 * versions). They mark nothing: the pipeline decides what it has processed. A stored row that no longer reads (a
 * schema made stricter since) is listed in `unreadable`, never dropped silently.
 */
export interface StoredWebhookRow {
  webhookId: bigint;
  /** 'stored' until the pipeline marks it 'processed'. */
  status: 'stored' | 'processed';
  /** When the receiver stored it (ISO 8601, UTC). */
  receivedAt: string;
}

export interface UnreadableStoredWebhook {
  webhookId: bigint;
  reason: string;
}
