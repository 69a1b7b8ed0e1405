/**
 * The store, the only place that touches the database: the engine. It opens a ledger (SQLite or PostgreSQL), runs
 * units of work and migrations, keeps the journal, its chain and seals; each use case's books (pipeline/<use case>/
 * books/, reads/books/) are written over its handle. Only a unit's `tx` writes (a raw write on the store is a bug);
 * a port's write verb on the outer books is a unit of its own, as kysely's `db` beside a `Transaction`: on SQLite it
 * waits for an open unit to end, so awaited inside that unit it never returns (write through the unit's `tx`).
 */
// Opening a ledger, and what is done to a ledger as a whole (its identity, a restore, the opening's treatments).
export { LedgerStore } from './ledger-opener.js';
// What books (a use case's, a kind's) are written over and opened by: the handle, a unit's `tx`, the one way to open books.
export { type BooksOf, type StoreHandle, type StoreTx } from './books-of.js';
// The query builder, and the statements books write and read rows with (`statements.insert`, `statements.boundTo` …).
export { queryBuilder } from './query-builder.js';
export * as statements from './row-statements.js';
// The journal's two doors: the ledger's port for appending, and the reads of the journal and its chain.
export { journalBooksOver } from './journal-books-store.js';
export { journalReadsOver } from './journal-reads.js';
// The seals of the side tables, which a use case's books append and read and a close keeps (`seals.rows(tx, table, where)`).
export * as seals from './row-seals.js';
// Three tables several use cases share that no one of them can hold without a circle of imports: the filed returns
// (the adjustments file them, the transit reads them and may not import the adjustments); the adjusting entries (the
// adjustments' books write them, the reads' and the post's read them, and the adjustments import the reads); the
// deliveries (the post writes them, doctor in pipeline/operations, which the post imports, and the reads read them).
export { filedReturns } from './filed-returns.js';
export { adjustmentRows } from './adjustments.js';
export { deliveriesTo } from './deliveries.js';
// The move of a SQLite ledger into PostgreSQL (`ledgerMove.copyProvenBy`, then `ledgerMove.sealMoved`).
export * as ledgerMove from './ledger-move-store.js';
// Who holds the ledger: a PostgreSQL ledger's locks of its sources and queue.
export * as locks from './source-lock.js';
// The name order's locale, taken as the CLI starts (cli/start.ts): a name of its own, so start loads no opener.
export { takeDefaultLocaleFrom } from './name-order.js';
