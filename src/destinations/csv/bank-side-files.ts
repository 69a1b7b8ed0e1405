import type { Writable } from 'node:stream';
import { bankLedgerAccounts, type Config } from '../../config/index.js';
import type { LedgerExportRequest } from '../../reads/ledger-export.js';

/** The ledger's bank accounts, as the statement sources name them (ledgerAccount, default bank): Xero takes no manual journal on them. */
export function bankAccountsOf(config: Pick<Config, 'sources'>): ReadonlySet<string> {
  return new Set(bankLedgerAccounts(config.sources).map((entry) => entry.account));
}

/** What an export with the books' bank lines wrote of them, for its summary: each bank account's lines and file. */
interface BankFilesWritten {
  bank?: { account: string; lines: number; written: boolean }[];
}

/**
 * The bank statement files of a journal export (exportCsv's bankFiles) for `request`: one per bank account beside
 * the export's own file (`march-xero.csv` → `march-xero-bank-statement.csv`), and how to say what went where.
 * Without a file of its own (stdout, the console) the bank lines are counted and said to be left out.
 */
export function bankSideFiles(request: LedgerExportRequest, importName: string) {
  const paths = new Map<string, string>();
  const sideFile = request.sideFile;
  const open =
    sideFile === undefined
      ? undefined
      : (account: string): Writable => {
          const file = sideFile(`${account}-statement`, 'csv');
          paths.set(account, file.path);
          return file.out;
        };
  return {
    option: { accounts: bankAccountsOf(request.config), open },
    /** "; 2 lines of bank for the bank statement import in …/march-xero-bank-statement.csv", warning of those left out. */
    said(result: BankFilesWritten): string {
      return (result.bank ?? [])
        .map(({ account, lines, written }) => {
          if (written) return `; ${lines} lines of ${account} for ${importName} in ${paths.get(account)!}`;
          request.warn(
            `${lines} lines of bank account ${account} are left out of this file: a journal import takes no bank ` +
              `line; export with --out FILE to have them written beside it for ${importName}`,
          );
          return `; ${lines} lines of ${account} left out`;
        })
        .join('');
    },
  };
}
