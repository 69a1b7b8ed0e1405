/** What the sources said, kept before anything reads it (raw replies, webhook deliveries) and read back: the panel's status replies into observations, the stored webhooks into the closes. */
export * from './landing-books.js';
export * from './panel-status-replies.js';
export * from './raw-landing.js';
export * from './stored-webhooks.js';
export * from './webhook-inbox.js';
