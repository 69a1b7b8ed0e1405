import type { Writable } from 'node:stream';
import { UsageError } from '../../errors.js';
import { cancelledBankLegs, isBankSideEntry, type RenderedEntry } from '../../rules/index.js';
import { CsvOutput } from './csv-output.js';
import type { DateFormat } from './date-format.js';

/**
 * The ledger's bank accounts (the statement sources' `ledgerAccount`) and where each one's bank statement import
 * goes. `open` is undefined when the export has nowhere to put a second file (stdout, the console's download): the
 * bank lines are then only counted, and the caller says they were left out.
 */
export interface BankFilesOption {
  accounts: ReadonlySet<string>;
  open?: ((account: string) => Writable) | undefined;
  /** The statement files' dates, when not the journals' (Xero's statement import of an organisation whose region is not known). */
  dateFormat?: DateFormat | undefined;
}

/** What went to one bank account's statement file, or (`written` false) would have. */
export interface BankFileResult {
  account: string;
  lines: number;
  written: boolean;
}

/** A destination's bank statement import: its columns and the row of one bank line with the account it is reconciled to. */
export interface BankStatementLayout {
  columns: readonly string[];
  /** `bankCents` the money in (+) or out (−) of the bank; `counterpart` the entry's other line's account key. */
  row(entry: RenderedEntry, bankCents: bigint, counterpart: string): string[];
}

/**
 * The bank side of a CSV export once the books import bank statements. A journal import cannot carry a bank
 * line as the bank tells it: Xero refuses a manual journal line on a bank account, and a bank account is
 * reconciled against its statement in both Xero and QuickBooks. So an entry of two lines, one on a bank account
 * (a bank leg, or a bank line a person booked with `adjust`: rules isBankSideEntry), becomes one statement line
 * in that account's file instead of a journal, which the person reconciles to the entry's other account there:
 * Xero's statement line coded to the clearing account moves it as the bank leg does. Example: je:bank-leg:P, Dr
 * bank 55.00 / Cr payout_clearing_paypal 55.00 on 04-02 → a line of +55.00 on 04-02 in bank's file, reconciled
 * to 631, and no journal row; the journal file and the statement files together hold every line of the ledger.
 * An entry of more lines with one on a bank account has no such line, and is refused naming it. The files hold the
 * bank's lines: a leg matched to the wrong line and its reversal (`transit unmatch`, or `transit match` of another
 * line) both in the window are left out of them, as of the journal file: together they moved nothing (issue 82).
 * Example: je:bank-leg:T −50.00, je:bank-leg-reversal:1:T +50.00, je:bank-leg-again:2:T −51.50 → one line, −51.50.
 */
export class BankStatementFiles {
  private readonly outputs = new Map<string, CsvOutput>();
  private readonly counts = new Map<string, number>();
  /** Each bank line taken, by entry id in book order, until flush: a leg's reversal may come after it. */
  private readonly held = new Map<string, { account: string; row: string[] }>();

  constructor(
    private readonly option: BankFilesOption,
    private readonly layout: BankStatementLayout,
  ) {}

  /** Takes the entry's bank line when it has one; false when the entry has none (it is a journal). */
  take(entry: RenderedEntry): boolean {
    const bankLines = entry.lines.filter((line) => this.option.accounts.has(line.account));
    if (bankLines.length === 0) return false;
    const [bank] = bankLines;
    const counterpart = entry.lines.find((line) => line !== bank);
    if (!isBankSideEntry(entry, this.option.accounts) || bank === undefined || counterpart === undefined)
      throw new UsageError(
        `entry ${entry.id} has ${entry.lines.length} lines, ${bankLines.length} of them on a bank account ` +
          `(${bankLines.map((line) => line.account).join(', ')}): a journal import takes no bank line and a bank ` +
          `statement line carries one amount to one account; book it as entries of two lines, one on the bank account`,
      );
    this.held.set(entry.id, { account: bank.account, row: this.layout.row(entry, bank.cents, counterpart.account) });
    return true;
  }

  /** Writes the statement lines held, but each leg reversed in the window and its reversal: the bank had neither. */
  async flush(): Promise<void> {
    const cancelled = cancelledBankLegs(this.held.keys());
    for (const [entryId, { account, row }] of this.held) {
      if (cancelled.has(entryId)) continue;
      this.counts.set(account, (this.counts.get(account) ?? 0) + 1);
      this.outputOf(account)?.add(row);
    }
    this.held.clear();
    for (const output of this.outputs.values()) await output.flush();
  }

  async end(): Promise<void> {
    for (const output of this.outputs.values()) await output.end();
  }

  async fail(error: unknown): Promise<void> {
    for (const output of this.outputs.values()) await output.fail(error).catch(() => undefined);
  }

  /** Each bank account that had a line, in the order its first line came. */
  results(): BankFileResult[] {
    return [...this.counts].map(([account, lines]) => ({ account, lines, written: this.outputs.has(account) }));
  }

  private outputOf(account: string): CsvOutput | undefined {
    const open = this.option.open;
    if (open === undefined) return undefined;
    let output = this.outputs.get(account);
    if (output === undefined)
      this.outputs.set(account, (output = new CsvOutput(open(account), true, this.layout.columns)));
    return output;
  }
}
