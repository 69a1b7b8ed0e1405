export {
  ADJUSTMENT_SOURCE_ID,
  BANK_FEES_ACCOUNT,
  DEFAULT_GRANULARITY,
  DEFAULT_PAYOUT_MINIMUM_MICROS,
  DEFAULT_PAYOUT_SCHEDULE,
  EVENT_KINDS,
  EXPORT_DATE_FORMATS,
  GRANULARITIES,
  PANEL_PREPAID_ACCOUNT,
  PAYELANCER_RECEIVABLE_ACCOUNT,
  PAYOUT_DAY_RANGE,
  PAYOUT_METHODS,
  PayoutScheduleSchema,
  ROUNDING_ACCOUNT,
  TRANSIT_EVENT_KINDS,
  payoutEventKind,
  type BuiltInEventKind,
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
export { FINDING_KINDS, FindingSchema, finding, type Finding, type FindingKind } from './finding.js';
export type { AccountShare, EventRule, EventRules, EventSide } from './event-rules.js';
export { JournalDraft, journalize, type JournalizeOptions } from './journalize.js';
export { credit, debit, type JournalEntry, type JournalLine } from './journal/journal-entry.js';
export { unbalancedMovements, unbalancedReason } from './journal/balance-check.js';
export {
  addMovements,
  renderCents,
  renderEntryCents,
  renderedLinesOf,
  renderedTotals,
  runningTotalKey,
  type EntryCents,
  type RenderedTotal,
  type RunningTotalKey,
  type RunningTotalMovement,
} from './journal/cent-rendering.js';
export type { RenderedEntry, RenderedLine } from './journal/rendered-entry.js';
export {
  lineTaxCodes,
  reverseChargeLegs,
  ruleInForce,
  taxFlowProblems,
  taxedSides,
  type LineTaxCode,
  type TaxChart,
  type TaxFlows,
  type TaxRule,
} from './tax/tax-flows.js';
export {
  inclusiveTax,
  ledgerLineTaxes,
  taxPeriodTotals,
  type LedgerLineTax,
  type TaxPeriodTotal,
} from './tax/tax-amounts.js';

export { ORDER_STATUSES, isTerminalStatus, normalizeStatus, type OrderStatus } from './panel/normalize-status.js';
export { interpretRemains } from './panel/remains.js';
export { PANEL_AMOUNT_DECIMALS, customCommentsPackageQuantity, proRataNetCharge } from './panel/pro-rata-refund.js';
export {
  TARGET_BASES,
  targetNetCharge,
  type TargetBasis,
  type TargetNetCharge,
  type TargetNetChargeInput,
} from './panel/target-net-charge.js';
export type { OrderObservation, OrderStatusObservation, UnknownOrderObservation } from './panel/order-observation.js';
export { OrderLedgerStateSchema, type OrderLedgerState } from './panel/order-ledger-state.js';
export { orderEvents, type OrderEventsContext, type OrderEventsResult } from './panel/order-events.js';
export { DEFAULT_UNKNOWN_RETENTION_DAYS, shouldRepoll } from './panel/unknown-order-retention.js';
export {
  PanelBalanceStateSchema,
  reconcileBalance,
  type BalanceReconciliation,
  type PanelBalanceClose,
  type PanelBalanceState,
} from './panel/balance-reconciliation.js';
export {
  explainOpenFalls,
  lateChargesOf,
  OpenFallSchema,
  type ExplainedFalls,
  type FallExplanation,
  type LateCharge,
  type OpenFall,
} from './panel/late-order-explanation.js';
export {
  closeBalanceEvents,
  orderObservationEvents,
  prepaidEffect,
  type CloseBalanceEvents,
  type CloseBalanceInput,
  type OrderObservationContext,
  type OrderObservationEvents,
} from './panel/panel-close-events.js';
export {
  PanelCloseDraft,
  panelCloseEvents,
  type OrdersBeforeClose,
  type PanelBalanceFigures,
  type PanelCloseEvents,
  type PanelCloseInput,
  type PanelCloseStart,
} from './panel/panel-close-draft.js';
export { compareOrderIds, sortedByOrderId } from './panel/polling-order.js';
export {
  addKnownOrderStates,
  enterWindow,
  panelReplayResult,
  replayPanelClose,
  resumePanelReplay,
  startPanelReplay,
  type OrderCorrection,
  type PanelReplay,
  type PanelReplayInput,
  type PanelReplayResult,
  type ReplayedPanelClose,
} from './panel/panel-replay.js';
export { addToDays, type FigureReread } from './replayed-days.js';

export {
  COUNTER_ROLES,
  CounterStateSchema,
  counterDelta,
  type CounterDelta,
  type CounterRole,
  type CounterSnapshot,
  type CounterState,
} from './payelancer/counter-delta.js';
export { payoutDatesBetween, payoutDatesCrossed, type CrossedPayoutDate } from './payelancer/payout-dates.js';
export { payoutDue, payoutEventId, type PayoutDue, type PayoutDueInput } from './payelancer/payout-due.js';
export {
  payelancerCloseEvents,
  payoutDatesToRead,
  receivableEffect,
  type PayelancerCloseEvents,
  type PayelancerCloseInput,
  type PayoutTerms,
} from './payelancer/payelancer-close-events.js';
export {
  conversionsVsCounter,
  type ConversionsVsCounterInput,
  type TrackedConversion,
} from './payelancer/conversions-vs-counter.js';
export type {
  BankLine,
  BankSideFinding,
  LandedStatement,
  StatementBalances,
  StatementFormat,
  StatementToLand,
  TransitLinkWord,
} from './transit/bank-records.js';
export { linesInReach, type LineReach } from './transit/lines-in-reach.js';
export { lineKey } from './transit/unsettled-lines.js';
export {
  TRANSIT_STATES,
  transitStandings,
  type LandedBankLine,
  type TransitItem,
  type TransitStanding,
  type TransitState,
  type TransitTerms,
} from './transit/transit-standing.js';
export { BANK_LEG_PREFIX, bankLegEntry, isBankSideEntry } from './transit/bank-leg.js';
