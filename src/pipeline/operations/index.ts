/** Checks and one-off operations around the books: `doctor`, the organisation gate before a post, the exchange rates a post converts with, and moving a SQLite ledger to PostgreSQL (`migrate --to`). */
export * from './doctor.js';
export * from './doctor-books.js';
export * from './exchange-rates.js';
export * from './ledger-move-reads.js';
export * from './move-ledger.js';
export * from './organisation-gate.js';
