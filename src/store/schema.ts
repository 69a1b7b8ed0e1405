import type { Generated } from 'kysely';
import type { DeliveryState } from '../ledger/index.js';
import type { AdjustmentApprovalTable, AdjustmentKeyTable, AdjustmentTable } from './schema-adjustments.js';
import type { ChainTables } from './schema-chain.js';
import type { TaxTables } from './schema-tax.js';

/** Row types of the ledger database (migrations/). Integers come back as bigint (safe integers on): a micro-unit amount never loses a digit. */
export interface RawObservationTable {
  id: Generated<bigint>;
  source_id: string;
  action: string;
  request: string;
  as_of: string;
  fetched_at: string;
  http_status: bigint | number;
  body: string;
  content_hash: string;
  run_id: string | null;
}

export interface SourceEventTable {
  id: string;
  source_id: string;
  kind: string;
  date: string;
  currency: string;
  amount_micros: bigint;
  ref: string;
  detail: string;
  run_id: string | null;
  created_at: string;
}

/** Which entry journalized an event (migration 0017): one row per journalized event, never changed. */
export interface EntryEventTable {
  event_id: string;
  entry_id: string;
}

export interface JournalEntryTable {
  seq: Generated<bigint>;
  id: string;
  date: string;
  source_id: string;
  description: string;
  event_ids: string;
  content_hash: string;
  run_id: string | null;
  created_at: string;
  /** The entry's link in the journal's hash chain (migration 0018, ledger/entry-chain.ts). */
  chain_hash: string | null;
  /** 1 for a reclassification whose cents were rendered in pairs (migration 0040, rules/journal cent-rendering.ts). */
  reclassification: Generated<number>;
}

/** The ledger position of each entry booked before journal numbers came from the books (migration 0006). */
export interface LegacyJournalNumberTable {
  entry_id: string;
  ledger_position: bigint;
}

export interface JournalLineTable {
  entry_id: string;
  line_no: bigint | number;
  account: string;
  currency: string;
  amount_micros: bigint;
  description: string | null;
  /** The cents the line renders to, 0 when it rounds away; null on an entry booked before migration 0015, whose cents are all in rendered_lines. */
  cents: bigint | null;
}

/** Rendered lines kept apart from the exact ones: an entry's rounding lines, and every rendered line of an entry booked before migration 0015. */
export interface RenderedLineTable {
  entry_id: string;
  line_no: bigint | number;
  account: string;
  currency: string;
  cents: bigint;
  description: string | null;
}

/** Debits and credits, exact and in cents: a running total's and a daily movement's sums (and a read's sums of them). */
export type SumColumns = Record<`${'debit' | 'credit'}_${'micros' | 'cents'}`, bigint>;

/** With the debits and credits of the total's lines, exact and as rendered in cents (migration 0012). */
export interface RunningTotalTable extends SumColumns {
  source_id: string;
  account: string;
  currency: string;
  exact_micros: bigint;
}

/** One day's lines of one source, account and currency: debits and credits, exact and in cents (migration 0022). */
export interface DailyMovementTable extends SumColumns {
  date: string;
  source_id: string;
  account: string;
  currency: string;
}

export interface DeliveryTable {
  entry_id: string;
  destination: string;
  state: DeliveryState;
  remote_id: string | null;
  request_key: string | null;
  attempts: Generated<bigint>;
  last_error: string | null;
  updated_at: string;
  /** The rate an entry in a foreign currency was sent at (decimal text), and its source; null in the base currency. */
  exchange_rate: string | null;
  rate_source: string | null;
}

export interface RunTable {
  id: string;
  command: string;
  started_at: string;
  finished_at: string | null;
  outcome: string | null;
  as_of: string | null;
  summary: string | null;
  error: string | null;
}

export interface SourceStateTable {
  source_id: string;
  key: string;
  value: string;
  updated_at: string;
}

export interface SourceCloseTable {
  source_id: string;
  date: string;
  metric: string;
  value_micros: bigint;
  currency: string;
  raw_observation_id: bigint | null;
  taken_at: string;
}

/** Every committed close: a source_closes row as it was taken, with its run. */
export interface CloseLogTable extends SourceCloseTable {
  id: Generated<bigint>;
  run_id: string;
}

export interface QuarantineTable {
  id: Generated<bigint>;
  source_id: string;
  raw_observation_id: bigint | null;
  webhook_id: bigint | null;
  item_ref: string | null;
  reason: string;
  as_of: string;
  created_at: string;
  resolved_at: string | null;
}

export interface DiscrepancyTable {
  id: string;
  kind: string;
  source_id: string;
  date: string;
  amount_micros: bigint | null;
  currency: string | null;
  ref: string;
  message: string;
  created_at: string;
  resolved_at: string | null;
}

export interface AcknowledgementTable {
  id: Generated<bigint>;
  item_id: string;
  action: 'ack' | 'unack';
  note: string | null;
  os_user: string;
  at: string;
}

/** The ledger's one identity row (migration 0009), and its seal once `migrate --to` moved it. */
export interface LedgerIdentityTable {
  only_row: bigint | number;
  id: string;
  created_at: string;
  moved_to: string | null;
  moved_at: string | null;
}

export interface LedgerDatabase extends ChainTables, TaxTables {
  raw_observations: RawObservationTable;
  source_events: SourceEventTable;
  entry_events: EntryEventTable;
  journal_entries: JournalEntryTable;
  journal_lines: JournalLineTable;
  legacy_journal_numbers: LegacyJournalNumberTable;
  rendered_lines: RenderedLineTable;
  running_totals: RunningTotalTable;
  daily_movements: DailyMovementTable;
  deliveries: DeliveryTable;
  runs: RunTable;
  source_state: SourceStateTable;
  source_closes: SourceCloseTable;
  close_log: CloseLogTable;
  quarantine: QuarantineTable;
  discrepancies: DiscrepancyTable;
  acknowledgements: AcknowledgementTable;
  ledger_identity: LedgerIdentityTable;
  fall_explanations: FallExplanationTable;
  closed_periods: ClosedPeriodTable;
  bank_document_steps: BankDocumentStepTable;
  adjustments: AdjustmentTable;
  adjustment_approvals: AdjustmentApprovalTable;
  adjustment_keys: AdjustmentKeyTable;
  call_budgets: CallBudgetTable;
}

export interface FallExplanationTable {
  id: Generated<bigint>;
  finding_id: string;
  source_id: string;
  order_id: string;
  amount_micros: bigint;
  currency: string;
  date: string;
  event_id: string;
  run_id: string;
  created_at: string;
}

/** A month closed by `ledgerline close` (migration 0018): the chain head at its end and its certificate's SHA-256. */
export interface ClosedPeriodTable {
  period: string;
  period_end: string;
  chain_head: string;
  certificate_sha256: string;
  closed_at: string;
  closed_by: string;
}

/** A step of a bank-side document (migration 0021): its intent before the create call, its id after. */
export interface BankDocumentStepTable {
  id: Generated<bigint>;
  destination: string;
  item_id: string;
  step: 'intent' | 'created' | 'found';
  document_id: string | null;
  kind: 'payout' | 'topup';
  amount_micros: bigint;
  currency: string;
  due_on: string;
  clearing_account: string;
  bank_account: string;
  recorded_at: string;
}

/** The calls one destination organisation answered on one UTC day (migration 0032): counted, and as the vendor last said. */
export interface CallBudgetTable {
  destination: string;
  organisation: string;
  day: string;
  calls_used: bigint;
  vendor_remaining: bigint | null;
  updated_at: string;
}
