/** What migration 0040 (the reclassification flag on journal entries) made, undone with its row. */
export function forgetAfter0039(): string[] {
  return [
    'ALTER TABLE journal_entries DROP COLUMN reclassification',
    "DELETE FROM kysely_migration WHERE name = '0040-reclassified-cents'",
  ];
}

/**
 * What migrations 0039 (each journal line's tax treatment) and 0040 made, undone with their rows, for a test that takes a
 * ledger back to an earlier migration: its tables and the function behind its trigger, in each engine's words.
 */
export function forgetAfter0038(location: string): string[] {
  return [
    ...forgetAfter0039(),
    'DROP TABLE journal_line_taxes',
    'DROP TABLE journal_line_taxes_pending',
    ...(location.startsWith('postgres') ? ['DROP FUNCTION ledgerline_journal_line_taxes_sealed()'] : []),
    "DELETE FROM kysely_migration WHERE name = '0039-line-tax-treatments'",
  ];
}

/**
 * What migrations 0036 (filed tax returns), 0037 (the exception queue's words), 0038 (the filings' seals) and 0039 made,
 * undone with their rows, for a test that takes a ledger back to an earlier migration (the migrator refuses a gap,
 * so every later one is forgotten too): the tables and the trigger on journal_entries, in each engine's words.
 */
export function forgetAfter0035(location: string): string[] {
  const trigger = 'journal_entries_after_filed_returns';
  return [
    ...forgetAfter0038(location),
    ...(location.startsWith('postgres')
      ? [`DROP TRIGGER ${trigger} ON journal_entries`, 'DROP FUNCTION ledgerline_journal_entry_after_filed_returns()']
      : [`DROP TRIGGER ${trigger}`]),
    'DROP TABLE filed_returns',
    'DROP TABLE exception_words',
    "DELETE FROM kysely_migration WHERE name IN ('0036-filed-returns', '0037-exception-words', '0038-filed-return-seals')",
  ];
}
