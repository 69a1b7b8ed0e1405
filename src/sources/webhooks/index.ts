export { ConversionWebhookSchema, type TrackedConversionWebhook } from './conversion-webhook.js';
export { PanelOrderUpdateSchema, type PanelOrderUpdateWebhook } from './panel-order-update.js';
export {
  WEBHOOK_SCHEMAS,
  WEBHOOK_SOURCE_KINDS,
  interpretWebhook,
  type WebhookEvent,
  type WebhookEventOf,
  type WebhookInterpretation,
  type WebhookSourceKind,
} from './interpret-webhook.js';
export { BASE64_BODY_NOTE, recordWebhook, type RecordedWebhook, type WebhookDelivery } from './record-webhook.js';
export {
  storedConversions,
  storedPanelUpdates,
  type StoredConversion,
  type StoredConversionsQuery,
  type StoredPanelUpdate,
  type StoredPanelUpdatesQuery,
  type StoredWebhookRow,
  type UnreadableStoredWebhook,
} from './stored-webhooks.js';
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
