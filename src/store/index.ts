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
// What a kind's own books (src/kinds/<kind>/books/) are written over: the handle, the query builder, the row statements.
export {
  kindBooksIn,
  kindBooksOn,
  type BooksOf,
  type KindBooks,
  type KindBooksOf,
  type StoreHandle,
  type StoreTx,
  type UseCaseBooks,
} from './kind-books.js';
export { insertRows, rowStatement, updateRows } from './ledger-store.js';
export { boundTo, onSqlite, queryBuilder } from './query-builder.js';
// The chain and the seals, which a use case's books read and a close keeps (seals are the engine's).
export { chainCloseRecords, chainEnd, closedPeriodRows, closedPeriodsOfChain, form2FromSeq } from './chain-closes.js';
export { journalSeal } from './journal.js';
export { chainChunks } from './journal-chain.js';
export { deliveriesBetween, recordClosedPeriod } from './period-close.js';
export { appendSeals, appendStagedSeals, rowsQuery, sealHead, sealQueries, sealRows } from './row-seals.js';
export { journalBooksOver } from './journal-books-store.js';
// Read by the adjustments' books, the transit's and books still in the store (the reads', the post's).
export { acknowledgementHistory, recordAcknowledgement } from './acknowledgements.js';
export { adjustmentRows } from './adjustments.js';
export { filedReturns } from './filed-returns.js';
// What the post's books (pipeline/post/books) read of the engine and of the tables others read too (issue 85).
export { deliveriesTo } from './deliveries.js';
export { adjustmentsAwaitingApproval } from './adjustments.js';
export { rowsOfIds } from './id-lists.js';
// The engine's reads (the journal, its chain) and other use cases' repositories the reads', the transit's, the sync's
// and the backfill's books read until those use cases' own books/ take them (issue 85).
export { allRunningTotals } from './journal.js';
export { chainHead, chainPosition, entryChainHashes } from './entry-chain-hashes.js';
export { accountTotals } from './account-totals.js';
export { dailyMovements, journalDateSpan, movementsBefore, movementsFrom, movementsWithin } from './daily-movements.js';
export { itemsWithBankDocuments, recordedBankDocuments } from './bank-document-steps.js';
// The journal's reads of a day a replay's correction compares with (pipeline/backfill/books).
export { countEntriesWithIdPrefix, dayNetByAccount, dayTreatedLines } from './journal-reads.js';
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
