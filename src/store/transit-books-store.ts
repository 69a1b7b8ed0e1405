import type { StatementToLand } from '../rules/index.js';
import { landStatement } from './bank-lines.js';
import type { LedgerStore } from './ledger-store.js';

/** The transit's port (pipeline/transit, TransitBooks) over the store. */
export const transitBooksOver = (store: LedgerStore) => ({
  landStatement: (statement: StatementToLand) => landStatement(store, statement),
});
