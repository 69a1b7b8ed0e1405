/**
 * A run of ledgerline as the ledger records it: the one run-lock protocol, what a sync or backfill
 * reports and how that becomes the run's summary, exit code and alerts, the findings listed once
 * per kind, and the reads of past runs (`status`'s last sync, the scheduled nights' days).
 */
export { findingCount, withFindingsListedOnce } from './sync-report.js';
export { findingsFolder, itemClass, listedOnceByKind, summedAmount } from './findings-listed.js';
export { type FindingGroup, type ItemClass } from './findings-listed.js';
export { lastSync, type LastSync, RecordedSourceSchema, type SourceMoneyView } from './last-sync.js';
export { withRecordedRun, withRunLockMoment } from './recorded-run.js';
export { type RecordedResult, type RecordedRunRequest, withRecordedResult } from './recorded-result.js';
export { type HeldRun, type RunLockChoice } from './recorded-run.js';
export { alertRunEnd, failedAlert, refusedItem, sendAlert, syncAlertItems } from './run-alerts.js';
export { type AlertedRun, type RunAlertItems, type RunAlerts } from './run-alerts.js';
export { daysToPost, dayWindows, SCHEDULED_RUN_COMMAND, scheduledRunHistory } from './scheduled-days.js';
export { type PostStepOutcome, type ScheduledSteps } from './scheduled-days.js';
export { sourceMoney } from './sync-money.js';
export { type Extracted, type StagedSource } from './staged-source.js';
export { type ChunkedStagedSource, type WholeStagedSource } from './chunked-staged-source.js';
export { loadWholeUnit } from './whole-unit-load.js';
export { findingsOf, ordersFileReaders, selectSources, syncExitCode, syncOutcome } from './sync-report.js';
export {
  type BookedPayout,
  type SourceSyncReport,
  type SyncDependencies,
  type SyncOutcome,
  type SyncReport,
  type SyncRequest,
} from './sync-report.js';
export { runRecords, type RecordedRunView, type RunOutcome, type RunRecords } from './books/run-records.js';
export { latestRunsOfEachCommand, recentRuns, recordedRuns } from './books/run-history.js';
export { syncStandings } from './failing-since.js';
