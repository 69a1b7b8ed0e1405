/**
 * What migration 0039 (the transit's covering indexes) made, undone, for a test that takes a ledger back to an
 * earlier migration (the migrator refuses a gap, so every later one is forgotten too): its new index, and its row.
 * 0034's bank_lines_naming stays as 0039 remade it: 0039, applied again, remakes it whichever it finds.
 */
export const FORGET_0039 = [
  'DROP INDEX bank_lines_exact',
  "DELETE FROM kysely_migration WHERE name = '0039-transit-covering-indexes'",
];
