/**
 * The store, the only place that touches the database: the engine. It opens a ledger (SQLite or PostgreSQL), runs
 * units of work and migrations, keeps the journal, its chain and seals, and implements the journal's own port
 * (journalBooksOver); each use case's books (pipeline/<use case>/books/, reads/books/) are written over its handle.
 * Besides: moving a SQLite ledger into PostgreSQL, and the advisory locks of a PostgreSQL ledger's sources and queue.
 * A unit of work hands its work a `tx` bound to its transaction, and only a `tx` writes: a raw write on the store
 * itself is refused as a bug. A port's write verb on the outer books is a unit of its own, as kysely's `db` beside a
 * `Transaction`: on PostgreSQL at once on a pooled connection, on SQLite once an open unit has ended, so awaited
 * inside that unit's own work it never returns (write through the unit's `tx`).
 */
export { LedgerStore } from './ledger-opener.js';
// What books (a use case's, a kind's) are written over and opened by: the handle, the query builder, the row statements.
export { type BooksOf, type StoreHandle, type StoreTx, type UseCaseBooks } from './books-of.js';
export { insertRows, rowStatement, updateRows } from './ledger-store.js';
export { boundTo, onSqlite, queryBuilder } from './query-builder.js';
// The journal's and its chain's reads, one door (journalReadsOver), and the seals, which a use case's books read and
// a close keeps: the engine's own tables.
export { journalReadsOver } from './journal-reads.js';
export { appendSeals, appendStagedSeals, rowsQuery, sealHead, sealQueries, sealRows } from './row-seals.js';
export { journalBooksOver } from './journal-books-store.js';
export { filedReturns } from './filed-returns.js';
// The adjusting entries, which the adjustments' books write and the reads' and the post's read: the adjustments import
// the reads, so the reads' books could import them from the adjustments only through a circle of files.
export { adjustmentRows } from './adjustments.js';
// The deliveries as one destination's outbox is read: the post writes them, and doctor (pipeline/operations, which
// the post imports) and the reads (which may import neither) read them too, so no use case can hold them without a
// circle. The id lists the post's books read in chunks, as the store's own reads do.
export { deliveriesTo } from './deliveries.js';
export { rowsOfIds } from './id-lists.js';
export { latestRunsOfEachCommand, recentRuns, recordedRuns } from './run-history.js';
export { readSourceState, readSourceStates, writeSourceState } from './source-state.js';
// The close log's days and a stopped close's events, which the sync's books and the backfill's both read.
export { firstLoggedClose, interruptedCloseEvents, latestLoggedClose } from './close-log.js';
export { readLedgerIdentity } from './ledger-identity.js';
export { copyLedgerProvenBy, type LedgerMoveReads } from './ledger-move-store.js';
export { sealMovedLedger } from './seal-moved-ledger.js';
export { processLiveness } from './process-liveness.js';
export { ledgerTables } from './ledger-tables.js';
export { giveTreatmentsToEntriesBookedBefore } from './line-tax-backfill.js';
export { takeDefaultLocaleFrom } from './name-order.js';
export {
  lockQueueSetup,
  lockSources,
  openJobLocks,
  openSourceLocks,
  type HeldSourceLock,
  type SourceLocks,
} from './source-lock.js';
