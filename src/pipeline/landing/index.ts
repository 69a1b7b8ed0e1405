/**
 * What the sources said, kept before anything reads it (raw replies, webhook deliveries) and read back: the
 * panel's status replies into observations, the stored webhooks into the closes; and how far each source's reading
 * has got (its closes' days, a stopped close's events, the state it carries to its next close).
 */
export { landingBooks, landingReadsOver, landingTxOver, type LandingBooks } from './books/landing-books.js';
export { rawLanding } from './raw-landing.js';
export { webhookInbox } from './webhook-inbox.js';
export { type LandingBooksTx } from './books/landing-books.js';
export { landRawReply, quarantine, type RawReplyRow } from './books/landing-rows.js';
export { type StoredWebhookRow, type UnreadableStoredWebhook } from './stored-webhooks.js';
export { closeProgressReads, closeProgressTx, interruptedCloseEvents } from './books/close-progress.js';
export {
  type CloseBooks,
  type CloseProgressReads,
  type CloseProgressTx,
  type CloseUnit,
} from './books/close-progress.js';
export { readSourceState, readSourceStates, writeSourceState } from './books/source-state.js';
