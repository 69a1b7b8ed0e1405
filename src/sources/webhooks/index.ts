export { webhookFormat, type WebhookFormat, type WebhookInterpretation } from './interpret-webhook.js';
export {
  BASE64_BODY_NOTE,
  webhookInboxEntry,
  type RecordedWebhook,
  type WebhookDelivery,
  type WebhookInbox,
  type WebhookInboxEntry,
} from './webhook-inbox-entry.js';
export { DEFAULT_SIGNATURE_HEADER, signWebhookBody, type WebhookAuth } from './webhook-auth.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  startWebhookReceiver,
  type WebhookLogFields,
  type WebhookLogger,
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
