/**
 * The parts the Xero and QuickBooks fakes share: amounts read from clients (values), rolling rate windows and
 * queued faults (faults), OAuth token books (tokens), the request plumbing around each fake's own answers
 * (exchange), a loopback server for a single mount (serve), and the admin calls that stand in for a person (admin-call).
 */
export * from './exchange.js';
export * from './faults.js';
export * from './serve.js';
export * from './tokens.js';
export * from './values.js';
export * from './consent.js';
export * from './admin-call.js';
