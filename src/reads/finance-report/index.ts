export { reportSeries, type SeriesInput } from './daily-series.js';
export { financeReport, type FinanceReport, type FinanceReportOptions } from './finance-report-data.js';
export { financialStatements, type AccountCents } from './statements.js';
export { embeddedJson, reportPage, type PageAssets } from './report-page.js';
export { uplotAssets } from './uplot-assets.js';
