export { webhookFormat, type WebhookFormat } from './interpret-webhook.js';
export { webhookInboxEntry, type RecordedWebhook, type WebhookInbox } from './webhook-inbox-entry.js';
export type { WebhookAuth } from './webhook-auth.js';
export {
  startWebhookReceiver,
  type WebhookLogFields,
  type WebhookReceiver,
  type WebhookReceiverOptions,
  type WebhookSource,
} from './webhook-receiver.js';
export { answerUnread, declaredLength, readBoundedBody, sendJson } from './request-body.js';
export {
  optionalWebhookCurrency,
  optionalWebhookRemains,
  optionalWebhookText,
  webhookCharge,
  webhookEvent,
  webhookId,
  webhookPayout,
  webhookStatus,
  webhookTimestamp,
} from './webhook-wire-values.js';
