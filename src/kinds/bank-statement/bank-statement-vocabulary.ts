import type { SourceKind } from '../../pipeline/kinds/source-kind.js';

/**
 * What a bank-statement source books by itself: no event. Its lines are landed as evidence for the money in transit,
 * and what a person books from one (`adjust`) goes to the accounts they name, each checked against the mapping as it is
 * posted; its ledger account (`ledgerAccount`) is checked with the chart's bank accounts.
 */
export const bankStatementVocabulary: NonNullable<SourceKind['vocabulary']> = { events: {}, accounts: {}, books: [] };
