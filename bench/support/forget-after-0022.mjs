// What the migrations after 0022 made, undone, so the migrator (which refuses a ledger whose applied migrations
// skip one) runs them again after 0022: a table, a column or an index each. One list for the 0022 migration's
// test (both engines) and its bench; a migration added after 0022 joins it here.
export const FORGET_AFTER_0022 = [
  'ALTER TABLE journal_entries DROP COLUMN reclassification',
  'DROP TABLE chain_forms',
  'DROP TABLE chain_closes',
  'DROP TABLE adjustment_keys',
  'DROP TABLE row_seals',
  'ALTER TABLE bank_statements DROP COLUMN account_number',
  'ALTER TABLE bank_lines DROP COLUMN entry_reference',
  'DROP TABLE transit_links',
  'DROP TABLE bank_statement_balances',
  'DROP INDEX bank_lines_by_amount',
  'DROP TABLE transit_alerts',
  'ALTER TABLE transit_states DROP COLUMN document_id',
  'DROP TABLE evidence_attachment_steps',
  'DROP TABLE call_budgets',
  'DROP INDEX bank_lines_naming',
  'DROP INDEX source_events_in_transit',
  'ALTER TABLE run_lock DROP COLUMN pid_started',
  'DROP TABLE filed_returns',
  'DROP TABLE exception_words',
  'DROP TABLE journal_line_taxes',
  'DROP TABLE journal_line_taxes_pending',
  "DELETE FROM kysely_migration WHERE name IN ('0023-evidence-attachments', '0024-transit-evidence', '0025-statement-level-checks', '0026-chained-cents-and-closes', '0027-row-seals', '0028-adjustment-keys', '0029-bank-matching', '0030-statement-accounts', '0031-payelancer-close-state', '0032-call-budgets', '0033-entry-balance-in-one-pass', '0034-transit-indexes', '0035-run-lock-holder-start', '0036-filed-returns', '0037-exception-words', '0038-filed-return-seals', '0039-line-tax-treatments', '0040-reclassified-cents')",
];

// SQLite checks every trigger as the schema changes, and 0026's closed-period trigger reads chain_closes: 0018's
// comes back first (0026, applied again, replaces it); 0036's filed-return trigger reads filed_returns, so it goes
// (0036, applied again, makes it). PostgreSQL's trigger function is read only when it runs (0036 replaces it).
export const SQLITE_TRIGGER_BEFORE_0026 = [
  'DROP TRIGGER journal_entries_after_closed_periods',
  "CREATE TRIGGER journal_entries_after_closed_periods BEFORE INSERT ON journal_entries WHEN NEW.date <= (SELECT MAX(period_end) FROM closed_periods) BEGIN SELECT RAISE(FAIL, 'closed'); END",
  'DROP TRIGGER journal_entries_after_filed_returns',
];
