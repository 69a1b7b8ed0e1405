/** What the sources said, kept before anything reads it (raw replies, webhook deliveries) and read back: the panel's status replies into observations, the stored webhooks into the closes. */
export { type LandingBooks } from './landing-books.js';
export { childOrderIds, observationsOf, roundedCharges, roundedFigures } from './panel-status-replies.js';
export { rawLanding } from './raw-landing.js';
export { storedPanelUpdates, type StoredWebhookRow, type UnreadableStoredWebhook } from './stored-webhooks.js';
export { webhookInbox } from './webhook-inbox.js';
