/**
 * A run of ledgerline as the ledger records it: the one run-lock protocol, what a sync or backfill
 * reports and how that becomes the run's summary, exit code and alerts, the findings listed once
 * per kind, and the reads of past runs (`status`'s last sync, the scheduled nights' days).
 */
export { findingsFolder, itemClass, listedOnceByKind, summedAmount, findingCount, withFindingsListedOnce, LISTED_ONE_BY_ONE } from './finding-groups.js';
export type { FindingGroup, GroupableItem, ItemClass, Listed, ListedFinding } from './finding-groups.js';
export { lastSync, RecordedSourceSchema, type LastSync } from './last-sync.js';
export { withRecordedRun, withRunLockMoment } from './recorded-run.js';
export { withRecordedResult, type RecordedResult, type RecordedRunRequest, type RunServices } from './recorded-result.js';
export type { HeldRun, RecordedRunEnd, RecordedRunOptions, RunLockChoice, RunRecord } from './recorded-run.js';
export { alertRunEnd, failedAlert, refusedItem, sendAlert, syncAlertItems } from './run-alerts.js';
export type { AlertedRun, RunAlertItems, RunAlerts } from './run-alerts.js';
export { CARRY_OVER_DAYS, POST_STEP_OUTCOMES, SCHEDULED_RUN_COMMAND, ScheduledStepsSchema, dayWindows, daysToPost, scheduledRunHistory } from './scheduled-days.js';
export type { PostStepOutcome, ScheduledRunRecord, ScheduledSteps } from './scheduled-days.js';
export { bookedMovements, sourceMoney } from './sync-money.js';
export type { ActionItem, BookedAccount, BookedPayoutText, SourceMoney, SourceMoneyView } from './sync-money.js';
export { findingsOf, panelsAmong, selectSources, syncExitCode, syncOutcome } from './sync-report.js';
export type { BookedPayout, SourceSyncReport, SyncDependencies, SyncOutcome, SyncReport, SyncRequest, SyncSummary } from './sync-report.js';
export type { AbandonedRun, AccountMovement, RecordedRunView, RunEnding, RunLockRequest, RunOutcome, RunRecords } from './run-records.js';
