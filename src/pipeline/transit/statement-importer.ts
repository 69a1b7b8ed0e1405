import type { BankAccountSource } from '../../config/index.js';
import type { BankLine, JournalEntry, LandedStatement, StatementFormat, StatementOpening } from '../../rules/index.js';
import type { TransitBooks, TransitBooksTx } from './books/transit-books.js';

/** What `ledgerline bank import` reports; a dry run adds nothing and says so. */
export interface StatementImport extends LandedStatement {
  account: string;
  file: string;
  format: StatementFormat;
  sha256: string;
  /** What the person importing should know and nothing refused: an OFX tag skipped, a batch entry kept whole. */
  notes: string[];
  /** The statement's opening balance, when its balances give one. */
  opening: StatementOpening | null;
  /** Whether the account held no statement before this one: its opening is then booked, not checked. */
  firstStatement: boolean;
  dryRun?: true;
}

/** What the landed statement gives the work done with it in its own unit (the opening, the bank legs). */
export interface LandedFacts {
  opening: StatementOpening | null;
  firstStatement: boolean;
}

/** How the transit runs an import: the moment hook of a crash test, a dry run, the work in the import's unit, the lines a dry run keeps. */
export interface StatementImportOptions {
  now: Date;
  at?: (moment: string) => void;
  dryRun?: boolean;
  then?: (tx: TransitBooksTx, facts: LandedFacts) => Promise<void>;
  keep?: (line: BankLine) => boolean;
}

/**
 * The capability of a kind whose sources are bank accounts, found through the registry (`sourceKinds.statementImporterOf`):
 * a statement file of one of its accounts read and landed in one unit of work with what `then` books there, and the
 * entry of an account's opening balance. The bank statements' kind brings it in its folder (`kinds/bank-statement/`).
 */
export interface StatementImporter {
  importStatement(
    books: TransitBooks,
    path: string,
    account: BankAccountSource,
    options: StatementImportOptions,
  ): Promise<StatementImport & { kept: BankLine[] }>;
  /** The opening's entry (Dr the bank, Cr the equity), none for an opening of nothing. */
  openingEntry(
    opening: StatementOpening,
    accounts: { sourceId: string; bank: string; equity: string; closedThrough: string | undefined },
  ): JournalEntry | null;
}
