/**
 * What migration 0036 (filed tax returns) made, undone with its row, for a test that takes a ledger back to an
 * earlier migration (the migrator refuses a gap, so every later one is forgotten too): the table and the trigger
 * on journal_entries, in each engine's words.
 */
export function forgetFiledReturns(location: string): string[] {
  const trigger = 'journal_entries_after_filed_returns';
  return [
    ...(location.startsWith('postgres')
      ? [`DROP TRIGGER ${trigger} ON journal_entries`, 'DROP FUNCTION ledgerline_journal_entry_after_filed_returns()']
      : [`DROP TRIGGER ${trigger}`]),
    'DROP TABLE filed_returns',
    "DELETE FROM kysely_migration WHERE name = '0036-filed-returns'",
  ];
}
