export {
  startWebhookReceiver,
  webhookEvent,
  webhookFormat,
  webhookId,
  webhookInboxEntry,
  webhookPayout,
  webhookTimestamp,
  type RecordedWebhook,
  type WebhookFormat,
  type WebhookInbox,
  type WebhookSource,
} from './webhooks/index.js';
export { readSandboxDay } from './sandbox-day.js';
export { storedRepliesHttp, type StoredReply } from './stored-replies-http.js';
export {
  answerUnread,
  declaredLength,
  optionalWebhookCurrency,
  optionalWebhookRemains,
  optionalWebhookText,
  readBoundedBody,
  sendJson,
  webhookCharge,
  webhookStatus,
} from './webhooks/index.js';
