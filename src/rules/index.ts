export {
  ADJUSTMENT_SOURCE_ID,
  BANK_FEES_ACCOUNT,
  DEFAULT_GRANULARITY,
  DEFAULT_PAYOUT_MINIMUM_MICROS,
  DEFAULT_PAYOUT_SCHEDULE,
  EXPORT_DATE_FORMATS,
  GRANULARITIES,
  PAYOUT_METHODS,
  PayoutScheduleSchema,
  ROUNDING_ACCOUNT,
  payoutEventKind,
  type EventKind,
  type ExportDateFormat,
  type Granularity,
  type PayoutMethod,
  type PayoutSchedule,
} from './vocabulary.js';
export { addDays, daysBetween, isCalendarDate, lastDayOfMonth } from '../calendar/index.js';
export { assertNever } from './assert-never.js';
export { assertInvariant } from './invariant.js';
export { accountMovementTable, type AccountMovementRow } from './account-movement-table.js';
export { DaySequenceSchema, nextEventId, type DaySequence } from './event-id.js';
export { MicrosSchema, toStoredJson } from './stored-state.js';
export { SourceEventSchema, type SourceEvent } from './source-event.js';
export { ACKNOWLEDGE_WITH_A_NOTE, FindingKindSchema, finding, type Finding } from './finding.js';
export type { EventRules, EventSide } from './event-rules.js';
export { JournalDraft, journalize } from './journalize.js';
export { credit, debit, type JournalEntry, type JournalLine } from './journal/journal-entry.js';
export { unbalancedMovements, unbalancedReason } from './journalize.js';
export {
  addMovements,
  centsApart,
  renderCents,
  renderEntryCents,
  renderedLinesOf,
  renderedTotals,
  runningTotalKey,
  type EntryCents,
  type RunningTotalKey,
  type RunningTotalMovement,
} from './journal/cent-rendering.js';
export type { RenderedEntry, RenderedLine } from './journal/rendered-entry.js';
export {
  flowSides,
  lineTaxCodes,
  ruleInForce,
  taxFlowProblems,
  withDestinationCodes,
  type TaxChart,
  type TaxFlows,
  type TaxRule,
} from './tax/tax-flows.js';
export { reversalCoverage } from './tax/tax-reversals.js';
export { ownRuleDeparture } from './tax/reversal-rules.js';
export {
  bookedTaxOfColumns,
  treatmentKey,
  type BookedLineTax,
  type BookedTaxField,
  type LineTaxColumns,
} from './tax/line-treatment.js';
export { ledgerLineTaxes, taxPeriodTotals, type TaxPeriodTotal } from './tax/tax-amounts.js';
export { exclusiveTax, inclusiveTax, parseTaxRate, reverseChargeLegs } from './tax/tax-rate.js';
export { bookTax, treatmentsOfBooked, type TaxBook } from './tax/tax-booking.js';
export { codedByHand } from './tax/hand-coded-line.js';
export { foldedEntry, VAT_INPUT_ACCOUNT, VAT_OUTPUT_ACCOUNT } from './tax/vat-lines.js';
export { ORIGINAL_DATE_DETAIL } from './tax/original-date.js';

export { addToDays, type FigureReread } from './replayed-days.js';

export { CounterStateSchema, type CounterRole, type CounterState } from './counter-state.js';
export type {
  BankLine,
  BankSideFinding,
  LandedStatement,
  StatementBalances,
  StatementFormat,
  StatementOpening,
  StatementToLand,
  TransitLinkWord,
} from './transit/bank-records.js';
export { linesInReach, type LineReach } from './transit/lines-in-reach.js';
export { lineKey } from './transit/unsettled-lines.js';
export {
  transitStandings,
  type LandedBankLine,
  type TransitItem,
  type TransitStanding,
  type TransitState,
  type TransitTerms,
} from './transit/transit-standing.js';
export {
  TRANSIT_ENTRY_PREFIXES,
  bankLegEntry,
  bankLegReversal,
  cancelledBankLegs,
  isBankSideEntry,
  numberedBankLeg,
} from './transit/bank-leg.js';

export { silenceVerdict, type CloseActivity, type SourceSilence } from './silence.js';
