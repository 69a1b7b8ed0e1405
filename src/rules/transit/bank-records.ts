/**
 * The bank side's records, named once: what a statement's line is, what landing a statement did. The sources
 * read statements into them, the store keeps them, and the transit rules match them (pure data, no I/O).
 */

/** One line of a bank statement as landed: money in positive, money out negative, in micro-units. */
export interface BankLine {
  /** The statement's own id of the line (camt AcctSvcrRef or NtryRef, OFX FITID, a CSV id column), or `sha256:…` of its content. */
  lineId: string;
  bookedOn: string;
  amountMicros: bigint;
  currency: string;
  reference: string;
  description: string;
  /** A line split from a camt.053 batch entry: the entry's own id (or reference), the one the bank's other records name. */
  entryReference?: string;
}

/** A statement's opening balance: what the account held at the end of `before`, the day before its first line. */
export interface StatementOpening {
  amountMicros: bigint;
  currency: string;
  before: string;
  /** Where the figure comes from, in the bank's words: camt OPBD, or the OFX LEDGERBAL less the lines. */
  from: string;
}

/** The formats `ledgerline bank import` reads. */
export type StatementFormat = 'camt.053' | 'ofx' | 'csv';

/** A statement to be landed for one bank account: its lines come in batches as the file is read (never held whole). */
export interface StatementToLand {
  account: string;
  file: string;
  format: StatementFormat;
  sha256: string;
  lines: AsyncIterable<readonly BankLine[]>;
  importedAt: string;
  /**
   * The account the statement names (IBAN, OFX ACCTID), asked once its lines were read, inside the unit of work:
   * it may refuse the statement by throwing. Undefined, or giving undefined, when it names none (CSV).
   */
  accountNumber?: () => string | undefined;
  /**
   * The refusal of a line id the statement gives with other money than the account holds (or than the file gives
   * elsewhere): thrown inside the unit of work.
   */
  changedLine?: (changed: ChangedBankLine) => Error;
}

/** What a bank line says of the money: its date, amount and currency. */
interface BankLineMoney {
  bookedOn: string;
  amountMicros: bigint;
  currency: string;
}

/** A line id given twice with different money: in the file (`given`), and in the account's lines or elsewhere in the file (`other`, `where`). */
interface ChangedBankLine {
  lineId: string;
  given: BankLineMoney;
  other: BankLineMoney;
  where: 'account' | 'file';
}

/** What landing a statement did: lines new to the account, and whether this very file had been imported before. */
export interface LandedStatement {
  read: number;
  added: number;
  seenBefore: boolean;
}

/** A person's word on an item and a bank line (`transit match ITEM LINE`, `transit unmatch ITEM`), with who and when. */
export interface TransitLinkWord {
  itemId: string;
  action: 'match' | 'unmatch';
  account: string;
  lineId: string;
  user: string;
  at: string;
}

/** A finding whose only next step was to find its money in the bank statement (a panel's balance rise): what settles it. */
export interface BankSideFinding {
  id: string;
  sourceId: string;
  date: string;
  amountMicros: bigint | null;
}

/** A statement's balances as its bank wrote them (camt.053 OPBD and CLBD, OFX LEDGERBAL), signed: a debit balance below zero. */
export interface StatementBalances {
  currency: string;
  opening: { amountMicros: bigint; on: string } | null;
  closing: { amountMicros: bigint; on: string } | null;
}
