export interface TableCopy {
  /** As its migration named it: the engine's tables and a kind's own alike (copy-ledger.test.ts holds the list to the schema). */
  name: string;
  /** The identity column PostgreSQL numbers itself: copied as it is, its sequence moved past it after. */
  identity?: string;
}

/**
 * Every ledger table in an order the database accepts the rows in: a row after the rows it refers to, and journal lines
 * before their entries (an entry's lines are sealed once it exists; their reference to it is checked at commit).
 * test/store/copy-ledger.test.ts holds this list to the migrated schema (each table's columns are read from the SQLite
 * file copied, as its schema has them); ledger_identity, the one row each database is
 * given when it is created, is carried over by itself (the copy takes the identity of the ledger it copies).
 */
export const LEDGER_TABLES: readonly TableCopy[] = [
  { name: 'raw_observations', identity: 'id' },
  { name: 'webhook_inbox', identity: 'id' },
  { name: 'source_events' },
  { name: 'journal_lines' },
  { name: 'journal_line_taxes_pending' },
  { name: 'journal_line_taxes' },
  { name: 'journal_entries', identity: 'seq' },
  { name: 'entry_events' },
  { name: 'legacy_journal_numbers' },
  { name: 'rendered_lines' },
  { name: 'running_totals' },
  { name: 'daily_movements' },
  { name: 'deliveries' },
  { name: 'runs' },
  { name: 'run_lock' },
  { name: 'source_state' },
  { name: 'source_closes' },
  { name: 'close_log', identity: 'id' },
  { name: 'close_rereads', identity: 'id' },
  { name: 'order_corrections', identity: 'id' },
  // Before orders: copying an order writes its latest row here again (the trigger), the same row.
  { name: 'order_states_by_close' },
  { name: 'panel_balance_by_close' },
  { name: 'orders' },
  { name: 'quarantine', identity: 'id' },
  { name: 'discrepancies' },
  { name: 'acknowledgements', identity: 'id' },
  { name: 'add_requests' },
  { name: 'add_outcomes' },
  { name: 'adjustments' },
  { name: 'adjustment_approvals' },
  { name: 'adjustment_keys' },
  { name: 'call_budgets' },
  { name: 'exception_words', identity: 'id' },
  { name: 'fall_explanations', identity: 'id' },
  { name: 'bank_document_steps', identity: 'id' },
  { name: 'bank_statements' },
  { name: 'bank_lines' },
  { name: 'transit_states', identity: 'id' },
  { name: 'transit_alerts', identity: 'id' },
  { name: 'row_seals', identity: 'position' },
  { name: 'transit_links', identity: 'id' },
  { name: 'bank_statement_balances' },
  { name: 'evidence_attachment_steps', identity: 'id' },
  // Last: no entry is booked on or before a closed period's end (migration 0018).
  { name: 'closed_periods' },
  // Also after the entries: none is booked on or before a filed tax return's period end (migration 0036).
  { name: 'filed_returns' },
  // The chain's records besides the entries (migration 0026): where form 2 starts, and the closes.
  { name: 'chain_forms' },
  { name: 'chain_closes' },
];
