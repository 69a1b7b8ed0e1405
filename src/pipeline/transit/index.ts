export type { TransitBooks } from './transit-books.js';
export {
  judgeTransit,
  moneyInTransit,
  transitNeedsALook,
  transitReport,
  transitReportItem,
  unsettledTransit,
  type TransitJudgement,
  type TransitReport,
  type TransitReportItem,
} from './money-in-transit.js';
export { followsMoneyInTransit, transitTerms } from './transit-terms.js';
export { differenceBooking } from './difference-booking.js';
export { nightTransit } from './night-transit.js';
export { bankLegTerms } from './bank-legs.js';
export { decideByHand, type Decision } from './hand-decisions.js';
export { bankLinesView, type BankLinesReport } from './bank-lines-report.js';
export { bankBalanceChecks, bankBalancesOff, type BankBalanceOff } from './bank-balance-check.js';
export { importBankStatement, type BankImportReport } from './bank-import.js';
export type { LandedFacts, StatementImport, StatementImporter } from './statement-importer.js';
export { bookSettlingALine } from './entry-settlements.js';
