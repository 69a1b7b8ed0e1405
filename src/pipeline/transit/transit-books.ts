import type { LandedStatement, StatementToLand } from '../../rules/index.js';

/**
 * The bank import's port: a statement is landed in one unit of work (its file's row and each line the account
 * does not hold yet), so a file is either kept whole or not at all, and a line already landed is never written twice.
 */
export interface TransitBooks {
  landStatement(statement: StatementToLand): Promise<LandedStatement>;
}
