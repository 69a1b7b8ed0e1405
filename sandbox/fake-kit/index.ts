/**
 * The parts the Xero and QuickBooks fakes share: amounts read from clients (values), rolling rate windows and
 * queued faults (faults), OAuth token books (tokens), the request plumbing around each fake's own answers
 * (exchange), and a loopback server for a single mount (serve).
 */
export * from './exchange.js';
export * from './faults.js';
export * from './serve.js';
export * from './tokens.js';
export * from './values.js';
export * from './consent.js';
