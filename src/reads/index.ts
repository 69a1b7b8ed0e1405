/**
 * The read models behind the commands that read the books: balances, status, reconcile (and its tie-out with a
 * destination), the finance report and the console that serves it, and the ledger's exports.
 */
export { balancesReport } from './balances-report.js';
export { renderBalances } from './balances-text.js';
export { startConsole } from './console/console-server.js';
export { tieOut, type TieOutReport } from './destination-tie-out.js';
export { MTD_PERIOD_KEY, mtdReturnBody, taxPerCode, vatPeriod, whoPaysWhom } from './vat-return.js';
export { renderVatReport, returnToFile, vatReport, vatReportCsv, type VatReport } from './vat-report.js';
export { certifiedTieOut } from './certified-periods.js';
export { financeReport, reportPage, uplotAssets, type FinanceReportOptions } from './finance-report/index.js';
export { writeLedgerExport, type LedgerExportFormat, type LedgerExportRequest } from './ledger-export.js';
export { BALANCE_PERIODS, ledgerReads, type Acknowledgement, type LedgerReads } from './books/ledger-reads.js';
export { reconcileReport, type ReconcileReads, type ReconcileReport, type StuckAfterDays } from './reconcile-report.js';
export { statusReport, type StatusReport } from './status-report.js';
export { fleetView, FleetViewSchema } from './fleet-view.js';
export { FLEET_SORTS } from './fleet-sorts.js';
export { sourcesQuiet } from './silent-sources.js';
export { exceptionQueue, ExceptionQueueSchema } from './exception-queue.js';
export { exceptionFacts, type ExceptionWord } from './exception-state.js';
export { sourceSeries, type SourceReportFacts } from './source-report-facts.js';
export { renderReconcile, renderTieOutWith } from './reconcile-text.js';
export { renderTransit } from './transit-text.js';
export { renderBankLines } from './bank-lines-text.js';
export { bankImportLine } from './bank-import-text.js';
export { sourceMoneyLines } from './source-money-text.js';
export { renderBooked } from './adjusting-entry-text.js';
export { syncOutcomeJson, syncOutcomeLines } from './sync-outcome-text.js';
