export { LedgerStore, collect, type RowStatement } from './ledger-store.js';
export { LEDGER_TABLES, copyLedgerToPostgres, entryLineRows, sealMovedLedger, ledgerTableCounts, type EntryLineRow, type LedgerCopy } from './copy-ledger.js';
export type { SqliteLedgerStore } from './sqlite-ledger-store.js';
export * from './schema.js';
export {
  entryIdsOn,
  hasEvent,
  insertNewEvents,
  insertNewFindings,
  interruptedCloseEvents,
  type FindingRow,
  type SourceEventRow,
  type UnjournaledEventRow,
} from './close-writes.js';
export { closeCount, closeReplies, latestLoggedClose, logClose, recordReread, reportedBalances, storedCloses, type CloseTaken, type StoredClose, type StoredReply } from './close-log.js';
export {
  readCounterState,
  readPanelBalanceState,
  readSourceState,
  writeCounterState,
  writePanelBalanceState,
  writeSourceState,
  type SourceStateKey,
} from './source-state.js';
export { orderStatesAsOf, panelBalancesByClose, recordPanelBalanceByClose } from './replay-snapshots.js';
export {
  forEachBookedOrderAmount,
  noOrderFacts,
  readOrderFacts,
  recordOrderCorrections,
  wasQuarantined,
  type OrderCorrectionRecord,
  type OrderFacts,
} from './order-history.js';
export { countEntriesWithIdPrefix, dayNetByAccount } from './journal-reads.js';
export { latestRunOf, recentRuns, recordedRuns, runSummariesSince, type RecordedRunRow } from './run-history.js';
export { lockQueueSetup, lockSources, openJobLocks, openSourceLocks, type HeldSourceLock, type JobLocks, type SourceLocks } from './source-lock.js';
export { accountMovementTable, runMovements, type AccountMovementRow } from './run-movements.js';
export { landRawReply, quarantine, type QuarantineRecord, type RawReplyRow } from './landing.js';
export { knownOrderIds, openOrderHeads, openOrders, orderState, ordersNamed, registerObservedOrders, registerOrders, registerPlacedOrder, saveOrderStates, type NewObservedOrderRow, type NewOrderRow, type OpenOrderHead, type OrderStateRow, type StoredOrder } from './panel-orders.js';
export { insertWebhookOnce, markWebhooksProcessed, readableWebhooks, type InboxRow, type ReadableWebhookRow } from './webhook-inbox.js';
export {
  RUN_LOCK_STALE_AFTER_MS,
  acquireRunLock,
  finishRun,
  heartbeatRunLock,
  releaseRunLock,
  startRun,
  takeoverWarning,
  type AbandonedRun,
  type RunLockOptions,
  type RunOutcome,
} from './runs.js';
export { ledgerCounts, type LedgerCounts } from './ledger-counts.js';
export { latestBalanceCloses, latestCloseDates, openFindings, openQuarantine, ordersOpenSince, refusedDeliveries } from './open-items.js';
export { DeliveryOutbox, type DeliveryRow, type DeliveryWindow, type RecordedOutcome, type SentRate } from './delivery-outbox.js';
export { postOutboxOver } from './post-outbox-store.js';
export { nightBooksOver } from './night-books-store.js';
export {
  accountNets,
  accountsInUse,
  bookLineChunks,
  bookedEntryHashes,
  debitCreditTotals,
  hasEntry,
  insertEntries,
  journalLineRows,
  renderedLineRows,
  allRunningTotals,
  runningTotal,
  advanceRunningTotals,
  type BalanceFilter,
  type BookLineRow,
  type EntryToBook,
  type RenderedEntryToBook,
  type EntryWindow,
  type JournalEntryRow,
  type LineCents,
} from './journal.js';
export { BALANCE_PERIODS, accountTotals, type AccountTotalsFilter, type AccountTotalsRow, type BalancePeriod } from './account-totals.js';
export { acknowledgementHistory, recordAcknowledgement, type Acknowledgement } from './acknowledgements.js';
export { dailyMovements, journalDateSpan, movementsBefore, movementsFrom, type MovementRow } from './daily-movements.js';
export { deliverySummaries, type DeliverySummary } from './delivery-summary.js';
export { adoptLedgerIdentity, readLedgerIdentity, sealLedger, type LedgerIdentity } from './ledger-identity.js';
export {
  addOutcomeHeld,
  firstCloseAfter,
  heldAddRequest,
  recordAddOutcome,
  recordAddRequest,
  unansweredAddRequests,
  type AddOutcomeRow,
  type AddRequestRow,
  type CloseAfterRequest,
  type UnansweredAddRequest,
} from './add-requests.js';
export { fallExplanations, recordFallExplanations, type FallExplanationRow } from './fall-explanations.js';
export { runRecordsOver } from './run-records-store.js';
export { proxyBooksOver } from './proxy-books-store.js';
export { doctorBooksOver } from './doctor-books-store.js';
export { copyLedgerProvenBy, ledgerMoveReadsOver } from './ledger-move-store.js';
export { syncBooksOver } from './sync-books-store.js';
export { backfillBooksOver } from './backfill-books-store.js';
export { landingBooksOver } from './landing-books-store.js';
export { ledgerReadsOver } from './ledger-reads-store.js';
export { acknowledgementsOver } from './acknowledgements-store.js';
