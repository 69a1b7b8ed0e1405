/**
 * What the sources said, kept before anything reads it (raw replies, webhook deliveries) and read back: the
 * panel's status replies into observations, the stored webhooks into the closes.
 */
export { landingBooks, landingReadsOver, landingTxOver, type LandingBooks } from './books/landing-books.js';
export { rawLanding } from './raw-landing.js';
export { webhookInbox } from './webhook-inbox.js';
export { type LandingBooksTx } from './books/landing-books.js';
export { landRawReply, quarantine, type RawReplyRow } from './books/landing-rows.js';
export { type StoredWebhookRow, type UnreadableStoredWebhook } from './stored-webhooks.js';
