/** The read models behind the commands that read the books: balances, status, reconcile (and its tie-out with a destination), the finance report and the console that serves it, and the ledger's exports. */
export * from './acknowledgements.js';
export * from './balances-report.js';
export * from './destination-tie-out.js';
export * from './future-closes.js';
export * from './ledger-export.js';
export * from './ledger-reads.js';
export * from './reconcile-report.js';
export * from './status-report.js';
export * from './finance-report/index.js';
export * from './console/console-server.js';
