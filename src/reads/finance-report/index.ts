export {
  reportSeries,
  type PanelSeries,
  type PublisherSeries,
  type ReportSeries,
  type SeriesInput,
  type SourceSummary,
  type SummaryAccounts,
} from './daily-series.js';
export { financeReport, type FinanceReport, type FinanceReportOptions } from './finance-report-data.js';
export {
  financialStatements,
  type AccountCents,
  type CurrencyStatements,
  type StatementLine,
  type TrialBalanceLine,
} from './statements.js';
export { embeddedJson, reportPage, type PageAssets } from './report-page.js';
export { uplotAssets } from './uplot-assets.js';
