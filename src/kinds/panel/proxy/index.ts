/**
 * The panel proxy's ledger side: each `add` request kept before it is forwarded and its outcome before the
 * caller is answered (in the ledger, or in the spool file when the ledger is busy), and the requests still
 * without an outcome for `reconcile`.
 */
export { panelProxyLedger } from './panel-proxy-ledger.js';
export { proxySpool } from './proxy-spool.js';
export { type UnansweredAddItem, unansweredAddItems } from './unanswered-adds.js';
export { type ProxyBooks } from '../books/proxy-books.js';
export { proxyBooks } from '../books/proxy-books-store.js';
