export { createPayelancerClient, type PayelancerClient } from './payelancer/payelancer-client.js';
export {
  PAYELANCER_KIND,
  asPayelancerSource,
  payelancerPayoutMethodProblems,
  payelancerSourceEntry,
  resolvePayelancerSource,
  type PayelancerSourceConfig,
} from './payelancer/payelancer-config.js';
export {
  calendarDateIn,
  conversionWebhookFormat,
  startWebhookReceiver,
  webhookInboxEntry,
  type RecordedWebhook,
  type TrackedConversionWebhook,
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
  webhookFormat,
  webhookId,
  webhookStatus,
} from './webhooks/index.js';
