export { addDays, daysBetween, isCalendarDate, lastDayOfMonth } from '../calendar/index.js';
export { assertNever } from './assert-never.js';
export { CalendarDateSchema } from './calendar-date.js';
export { DaySequenceSchema, nextEventId, type DaySequence } from './event-id.js';
export { MicrosSchema, toStoredJson } from './stored-state.js';
export { SourceEventSchema, type SourceEvent } from './source-event.js';
export { FINDING_KINDS, FindingSchema, finding, type Finding, type FindingKind } from './finding.js';
export type { AccountShare, EventRule, EventRules, EventSide } from './event-rules.js';
export { GRANULARITIES, journalize, type Granularity, type JournalizeOptions } from './journalize.js';

export { ORDER_STATUSES, isTerminalStatus, normalizeStatus, type OrderStatus } from './panel/normalize-status.js';
export { interpretRemains } from './panel/remains.js';
export { PANEL_AMOUNT_DECIMALS, customCommentsPackageQuantity, proRataNetCharge } from './panel/pro-rata-refund.js';
export { TARGET_BASES, targetNetCharge, type TargetBasis, type TargetNetCharge, type TargetNetChargeInput } from './panel/target-net-charge.js';
export type { OrderObservation, OrderStatusObservation, UnknownOrderObservation } from './panel/order-observation.js';
export { OrderLedgerStateSchema, type OrderLedgerState } from './panel/order-ledger-state.js';
export { orderEvents, type OrderEventsContext, type OrderEventsResult } from './panel/order-events.js';
export { DEFAULT_UNKNOWN_RETENTION_DAYS, shouldRepoll } from './panel/unknown-order-retention.js';
export { PanelBalanceStateSchema, reconcileBalance, type BalanceReconciliation, type PanelBalanceClose, type PanelBalanceState } from './panel/balance-reconciliation.js';

export { COUNTER_ROLES, CounterStateSchema, counterDelta, type CounterDelta, type CounterRole, type CounterSnapshot, type CounterState } from './payelancer/counter-delta.js';
export { DEFAULT_PAYOUT_SCHEDULE, PayoutScheduleSchema, payoutDatesBetween, payoutDatesCrossed, type CrossedPayoutDate, type PayoutSchedule } from './payelancer/payout-dates.js';
export { DEFAULT_PAYOUT_MINIMUM_MICROS, payoutDue, payoutEventId, type PayoutDue, type PayoutDueInput } from './payelancer/payout-due.js';
export { conversionsVsCounter, type ConversionsVsCounterInput, type TrackedConversion } from './payelancer/conversions-vs-counter.js';
