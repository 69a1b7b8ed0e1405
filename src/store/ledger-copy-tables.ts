import type { LedgerDatabase } from './schema.js';
import type { BankTables } from './bank-lines.js';
import type { SealTables } from './row-seals.js';
import { CALL_BUDGET_COLUMNS } from './call-budgets.js';
import { EXCEPTION_WORD_COLUMNS, type ExceptionWordTables } from './exception-words-store.js';

/** What `migrate --to` moves: every ledger table and its columns (the copy, copy-ledger.ts; its proof, ledger-copy-proof.ts). */
export type LedgerTable = keyof (LedgerDatabase & BankTables & SealTables & ExceptionWordTables) & string;

export interface TableCopy {
  name: LedgerTable;
  columns: readonly string[];
  /** The identity column PostgreSQL numbers itself: copied as it is, its sequence moved past it after. */
  identity?: string;
}

/**
 * Every ledger table in an order the database accepts the rows in: a row after the rows it refers to, and journal lines
 * before their entries (an entry's lines are sealed once it exists; their reference to it is checked at commit).
 * test/store/copy-ledger.test.ts holds this list to the migrated schema; ledger_identity, the one row each database is
 * given when it is created, is carried over by itself (the copy takes the identity of the ledger it copies).
 */
export const LEDGER_TABLES: readonly TableCopy[] = [
  {
    name: 'raw_observations',
    identity: 'id',
    columns: [
      'id',
      'source_id',
      'action',
      'request',
      'as_of',
      'fetched_at',
      'http_status',
      'body',
      'content_hash',
      'run_id',
    ],
  },
  {
    name: 'webhook_inbox',
    identity: 'id',
    columns: ['id', 'source_id', 'kind', 'dedupe_key', 'received_at', 'body', 'status', 'note'],
  },
  {
    name: 'source_events',
    columns: ['id', 'source_id', 'kind', 'date', 'currency', 'amount_micros', 'ref', 'detail', 'run_id', 'created_at'],
  },
  {
    name: 'journal_lines',
    columns: ['entry_id', 'line_no', 'account', 'currency', 'amount_micros', 'description', 'cents'],
  },
  {
    name: 'journal_entries',
    identity: 'seq',
    columns: [
      'seq',
      'id',
      'date',
      'source_id',
      'description',
      'event_ids',
      'content_hash',
      'run_id',
      'created_at',
      'chain_hash',
    ],
  },
  { name: 'entry_events', columns: ['event_id', 'entry_id'] },
  { name: 'legacy_journal_numbers', columns: ['entry_id', 'ledger_position'] },
  { name: 'rendered_lines', columns: ['entry_id', 'line_no', 'account', 'currency', 'cents', 'description'] },
  {
    name: 'running_totals',
    columns: [
      'source_id',
      'account',
      'currency',
      'exact_micros',
      'debit_micros',
      'credit_micros',
      'debit_cents',
      'credit_cents',
    ],
  },
  {
    name: 'daily_movements',
    columns: [
      'date',
      'source_id',
      'account',
      'currency',
      'debit_micros',
      'credit_micros',
      'debit_cents',
      'credit_cents',
    ],
  },
  {
    name: 'deliveries',
    columns: [
      'entry_id',
      'destination',
      'state',
      'remote_id',
      'request_key',
      'attempts',
      'last_error',
      'updated_at',
      'exchange_rate',
      'rate_source',
    ],
  },
  { name: 'runs', columns: ['id', 'command', 'started_at', 'finished_at', 'outcome', 'as_of', 'summary', 'error'] },
  { name: 'run_lock', columns: ['name', 'run_id', 'pid', 'host', 'acquired_at', 'heartbeat_at', 'pid_started'] },
  { name: 'source_state', columns: ['source_id', 'key', 'value', 'updated_at'] },
  {
    name: 'source_closes',
    columns: ['source_id', 'date', 'metric', 'value_micros', 'currency', 'raw_observation_id', 'taken_at'],
  },
  {
    name: 'close_log',
    identity: 'id',
    columns: [
      'id',
      'source_id',
      'date',
      'run_id',
      'metric',
      'value_micros',
      'currency',
      'raw_observation_id',
      'taken_at',
    ],
  },
  { name: 'close_rereads', identity: 'id', columns: ['id', 'close_id', 'value_micros', 'run_id', 'created_at'] },
  {
    name: 'order_corrections',
    identity: 'id',
    columns: ['id', 'source_id', 'order_id', 'date', 'amount_micros', 'entry_id', 'run_id', 'created_at'],
  },
  // Before orders: copying an order writes its latest row here again (the trigger), the same row.
  { name: 'order_states_by_close', columns: ['source_id', 'order_id', 'date', 'state'] },
  { name: 'panel_balance_by_close', columns: ['source_id', 'date', 'state'] },
  {
    name: 'orders',
    columns: [
      'source_id',
      'order_id',
      'service',
      'quantity',
      'created_at',
      'discovered_via',
      'first_seen_date',
      'state',
      'terminal',
      'unknown_since',
      'last_observed_date',
      'updated_at',
    ],
  },
  {
    name: 'quarantine',
    identity: 'id',
    columns: [
      'id',
      'source_id',
      'raw_observation_id',
      'webhook_id',
      'item_ref',
      'reason',
      'as_of',
      'created_at',
      'resolved_at',
    ],
  },
  {
    name: 'discrepancies',
    columns: [
      'id',
      'kind',
      'source_id',
      'date',
      'amount_micros',
      'currency',
      'ref',
      'message',
      'created_at',
      'resolved_at',
    ],
  },
  { name: 'acknowledgements', identity: 'id', columns: ['id', 'item_id', 'action', 'note', 'os_user', 'at'] },
  {
    name: 'add_requests',
    columns: ['id', 'source_id', 'service', 'quantity', 'requested_at', 'received_at', 'kept_via'],
  },
  {
    name: 'add_outcomes',
    columns: [
      'request_id',
      'outcome',
      'order_id',
      'http_status',
      'raw_observation_id',
      'detail',
      'answered_at',
      'kept_via',
    ],
  },
  { name: 'adjustments', columns: ['entry_id', 'reason', 'made_by', 'made_at', 'explains', 'needs_approval'] },
  { name: 'adjustment_approvals', columns: ['entry_id', 'approved_by', 'approved_at'] },
  { name: 'adjustment_keys', columns: ['key', 'entry_id', 'request_sha256'] },
  { name: 'call_budgets', columns: CALL_BUDGET_COLUMNS },
  { name: 'exception_words', identity: 'id', columns: EXCEPTION_WORD_COLUMNS },
  {
    name: 'fall_explanations',
    identity: 'id',
    columns: [
      'id',
      'finding_id',
      'source_id',
      'order_id',
      'amount_micros',
      'currency',
      'date',
      'event_id',
      'run_id',
      'created_at',
    ],
  },
  {
    name: 'bank_document_steps',
    identity: 'id',
    columns: [
      'id',
      'destination',
      'item_id',
      'step',
      'document_id',
      'kind',
      'amount_micros',
      'currency',
      'due_on',
      'clearing_account',
      'bank_account',
      'recorded_at',
    ],
  },
  {
    name: 'bank_statements',
    columns: ['account', 'sha256', 'file', 'format', 'lines_read', 'imported_at', 'account_number'],
  },
  {
    name: 'bank_lines',
    columns: [
      'account',
      'line_id',
      'booked_on',
      'amount_micros',
      'currency',
      'reference',
      'description',
      'statement_sha256',
      'entry_reference',
    ],
  },
  {
    name: 'transit_states',
    identity: 'id',
    columns: [
      'id',
      'item_id',
      'state',
      'as_of',
      'bank_account',
      'bank_line_id',
      'statement_sha256',
      'recorded_at',
      'document_id',
    ],
  },
  { name: 'transit_alerts', identity: 'id', columns: ['id', 'item_id', 'state', 'as_of', 'alerted_at'] },
  { name: 'row_seals', identity: 'position', columns: ['position', 'table_name', 'row_key', 'digest', 'link'] },
  {
    name: 'transit_links',
    identity: 'id',
    columns: ['id', 'item_id', 'action', 'account', 'line_id', 'os_user', 'at'],
  },
  {
    name: 'bank_statement_balances',
    columns: ['account', 'sha256', 'currency', 'opening_micros', 'opening_on', 'closing_micros', 'closing_on'],
  },
  {
    name: 'evidence_attachment_steps',
    identity: 'id',
    columns: [
      'id',
      'destination',
      'entry_id',
      'journal_id',
      'file_name',
      'manifest_sha256',
      'step',
      'attachment_id',
      'recorded_at',
    ],
  },
  // Last: no entry is booked on or before a closed period's end (migration 0018).
  {
    name: 'closed_periods',
    columns: ['period', 'period_end', 'chain_head', 'certificate_sha256', 'closed_at', 'closed_by'],
  },
  // Also after the entries: none is booked on or before a filed tax return's period end (migration 0036).
  {
    name: 'filed_returns',
    columns: [
      'period',
      'period_start',
      'period_end',
      'form',
      'currency',
      'boxes',
      'return_sha256',
      'filed_at',
      'filed_by',
    ],
  },
  // The chain's records besides the entries (migration 0026): where form 2 starts, and the closes.
  { name: 'chain_forms', columns: ['form', 'from_seq'] },
  {
    name: 'chain_closes',
    columns: [
      'period',
      'period_end',
      'chain_head',
      'certificate_sha256',
      'closed_at',
      'closed_by',
      'after_seq',
      'chain_hash',
    ],
  },
];
