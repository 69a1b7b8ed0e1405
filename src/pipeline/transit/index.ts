export type { TransitBooks } from './transit-books.js';
export { importStatement, type StatementImport } from './import-statement.js';
export { moneyInTransit, transitNeedsALook, unsettledTransit, type TransitReport, type TransitReportItem } from './money-in-transit.js';
export { followsMoneyInTransit, transitTerms } from './transit-terms.js';
