/** The panel proxy's ledger side: each `add` request kept before it is forwarded and its outcome before the caller is answered (in the ledger, or in the spool file when the ledger is busy), and the requests still without an outcome for `reconcile`. */
export * from './panel-proxy-ledger.js';
export * from './proxy-spool.js';
export * from './unanswered-adds.js';
export * from './proxy-books.js';
