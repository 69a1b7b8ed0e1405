/**
 * What the sources said, kept before anything reads it (raw replies, webhook deliveries) and read back: the
 * panel's status replies into observations, the stored webhooks into the closes.
 */
export { type LandingBooks } from './landing-books.js';
export { rawLanding } from './raw-landing.js';
export { webhookInbox } from './webhook-inbox.js';
export { type LandingBooksTx } from './landing-books.js';
export { type StoredWebhookRow, type UnreadableStoredWebhook } from './stored-webhooks.js';
