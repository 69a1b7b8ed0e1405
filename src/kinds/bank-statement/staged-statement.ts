import type { WholeStagedSource } from '../../pipeline/runs/index.js';
import type { BankLine, LandedStatement, StatementBalances, StatementToLand } from '../../rules/index.js';
import { BANK_STATEMENT_KIND, type BankStatementSourceConfig } from './bank-statement-config.js';
import type { StatementFile } from './read-statement.js';
import { changedLineRefusal, normalizeStatementLines, statementAccountNumber } from './rules/statement-rules.js';

/** What the import writes through, inside its unit of work (the transit's port, TransitBooks, has these verbs). */
export interface StatementBooks {
  landStatement(statement: StatementToLand): Promise<LandedStatement>;
  knownAccountNumber(account: string): Promise<string | undefined>;
  holdsStatements(account: string): Promise<boolean>;
  keepStatementBalances(account: string, sha256: string, balances: StatementBalances): Promise<void>;
}

/** What the import reads outside its unit of work (a dry run reads only this). */
export type StatementReads = Pick<StatementBooks, 'knownAccountNumber' | 'holdsStatements'>;

/**
 * A named moment inside the import's unit of work, where the CLI lets a test's seeded kill -9 land
 * (runtime/kill-point.ts): "bank-import:batch-2" once the second batch of lines is written, "bank-import:lines-landed"
 * once the last is, before the file's row, the move of its lines and the commit; "bank-import:settled" once the
 * opening and the bank legs are booked in the same unit, before the commit.
 */
export type ImportMoment = (moment: string) => void;

/** The unit a statement's close reads: not a day but one file of one account, opened (format, SHA-256) and its balances read. */
interface StatementUnit {
  account: BankStatementSourceConfig;
  statement: StatementFile;
  balances: StatementBalances | null;
  /** The account number expected of the file, and who says so; undefined until a statement named one. */
  expected: { number: string; from: string } | undefined;
  importedAt: string;
  at: ImportMoment;
}

/**
 * A bank statement on the staged shape: extract reads the file's lines in batches (never the file whole),
 * normalize checks each batch against the account (pure), and loadWhole lands them in the loader's one unit,
 * the file's row and its balances with them, so a file refused halfway keeps nothing.
 */
export const stagedStatement: WholeStagedSource<
  BankLine[],
  StatementUnit,
  undefined,
  BankLine[],
  StatementReads,
  StatementBooks,
  StatementFile,
  LandedStatement
> = {
  kind: BANK_STATEMENT_KIND,
  extract: (file) => file.lines,
  before: async () => undefined,
  normalize: (batch, _held, unit) => ({
    events: [],
    findings: [],
    progress: normalizeStatementLines(batch, unit.account, unit.statement.file),
  }),
  loadWhole: async (tx, lines, unit) => {
    const { account, statement } = unit;
    const kept = await tx.landStatement({
      account: account.id,
      file: statement.file,
      format: statement.format,
      sha256: statement.sha256,
      lines: announced(lines, unit.at),
      importedAt: unit.importedAt,
      accountNumber: () => statementAccountNumber(statement.facts.accounts, unit.expected, account.id, statement.file),
      changedLine: (changed) => changedLineRefusal(statement.file, changed),
    });
    // A CSV's balances are known once its rows were read (its balance column), as they now are.
    const balances = unit.balances ?? statement.facts.balances ?? null;
    if (balances !== null) await tx.keepStatementBalances(account.id, statement.sha256, balances);
    return kept;
  },
};

/** The batches as they are, each moment named once the store asked for the next (so it has written this one). */
async function* announced(batches: AsyncIterable<BankLine[]>, at: ImportMoment): AsyncGenerator<BankLine[]> {
  let count = 0;
  for await (const batch of batches) {
    yield batch;
    count += 1;
    at(`bank-import:batch-${count}`);
  }
  at('bank-import:lines-landed');
}
