import type { BankAccountSource } from '../../config/index.js';
import { formatMicros } from '../../money/index.js';
import {
  lineKey,
  linesInReach,
  type BankLine,
  type JournalEntry,
  type LandedBankLine,
  type LineReach,
  type TransitStanding,
  type TransitTerms,
} from '../../rules/index.js';
import type { BankLegTerms } from './bank-legs.js';
import { moneyInTransit } from './money-in-transit.js';
import type { StatementImport, StatementImporter } from './statement-importer.js';
import type { TransitBooks, TransitBooksTx, TransitReads } from './books/transit-books.js';

/** What became of a statement's opening balance: booked from the account's first statement (none at 0.00), or checked against the ledger. */
export interface OpeningWord {
  action: 'booked' | 'would book' | 'none' | 'skipped' | 'ties' | 'differs';
  amount: string;
  currency: string;
  /** The day the opening stands at the end of (booked: the entry's date; checked: the ledger's day read). */
  date: string;
  /** Checked: what the ledger's bank account holds through `date`. */
  ledger?: string;
  message: string;
}

/** A payout or top-up one of the statement's lines settles (or differs from): what the import matched, or a dry run would. */
export interface BankImportMatch {
  item: string;
  kind: 'payout' | 'topup';
  amount: string;
  state: string;
  bankLine: string;
  lineAmount: string;
  date: string;
}

export interface BankImportReport extends Omit<StatementImport, 'opening'> {
  bankLegsBooked: number;
  opening: OpeningWord | null;
  matches: BankImportMatch[];
}

export interface BankImportOptions {
  /** The account's kind's import of a statement file, from the registry (`sourceKinds.statementImporterOf`). */
  importer: StatementImporter;
  now: Date;
  asOf: string;
  terms: TransitTerms;
  bankLegs: BankLegTerms;
  /** A crash test's seeded kill -9 at a named moment of the import (runtime/kill-point.ts). */
  at?: (moment: string) => void;
  dryRun: boolean;
  /** `--no-opening`: the account's opening comes from elsewhere; a first statement books none. */
  bookOpening: boolean;
  /** Told of each difference booked under an earlier acceptance (a late difference), in one line. */
  said?: (line: string) => void;
}

/**
 * `ledgerline bank import`: a statement's lines landed and, in the same unit of work, what they bring to the
 * books: the account's opening balance when it is its first statement (bankOpeningEntry), else that opening
 * checked against the ledger's bank account; and the bank leg of each payout and top-up its lines settle. A
 * kill -9 anywhere keeps all of it or none. A dry run writes nothing and says what the real run would book and
 * match. Example: March's camt.053 (OPBD 4,700.00, first line 03-02), two top-ups of 20.00 and 30.00 whose card
 * lines it holds → opening Dr bank 4,700.00 / Cr opening_balance_equity on 03-01, two bank legs; April's
 * (OPBD 3,191.00) against a ledger's bank of 3,191.00 through 03-31 → ties, nothing booked for it.
 */
export async function importBankStatement(
  books: TransitBooks,
  path: string,
  account: BankAccountSource,
  options: BankImportOptions,
): Promise<BankImportReport> {
  const bank = options.bankLegs.ledgerAccounts.get(account.id) ?? account.ledgerAccount;
  let opening: OpeningWord | null = null;
  let settled = { standings: [] as TransitStanding[], bankLegsBooked: 0 };
  const items = options.dryRun ? await books.transitItems(options.terms.eventKinds) : [];
  const reaches = options.dryRun ? linesInReach(items, options.asOf, options.terms) : [];
  const imported = await options.importer.importStatement(books, path, account, {
    now: options.now,
    ...(options.at === undefined ? {} : { at: options.at }),
    dryRun: options.dryRun,
    keep: (line) => reaches.some((reach) => inReach(line, reach)),
    then: async (tx: TransitBooksTx, facts) => {
      opening = await openingOf(
        tx,
        facts,
        { account: account.id, bank, equity: account.openingEquity, options },
        (entry) => tx.bookBankLegs([entry], options.now),
      );
      const judged = await moneyInTransit(tx, {
        ...transitOptions(options),
        record: false,
        bankLegs: options.bankLegs,
      });
      settled = { standings: judged.standings, bankLegsBooked: judged.bankLegsBooked };
    },
  });
  const { kept, ...report } = imported;
  if (options.dryRun) {
    opening = await openingOf(books, imported, { account: account.id, bank, equity: account.openingEquity, options });
    const withKept = { ...books, bankLines: withLines(books, kept, account.id, imported.sha256) };
    const judged = await moneyInTransit(withKept, { ...transitOptions(options), record: false });
    settled = { standings: judged.standings, bankLegsBooked: 0 };
  }
  return {
    ...report,
    opening,
    bankLegsBooked: settled.bankLegsBooked,
    matches: matchesOf(settled.standings, imported.sha256),
  };
}

function transitOptions(options: BankImportOptions) {
  return {
    asOf: options.asOf,
    terms: options.terms,
    now: options.now,
    ...(options.said === undefined ? {} : { said: options.said }),
  };
}

/**
 * The opening's word: the first statement's booked through `book` (without it, a dry run's: to be), or skipped
 * with `--no-opening`; a later one's checked against what the ledger's bank holds through the day before its
 * first line.
 */
async function openingOf(
  books: TransitReads,
  facts: Pick<StatementImport, 'opening' | 'firstStatement'>,
  at: { account: string; bank: string; equity: string; options: BankImportOptions },
  book?: (entry: JournalEntry) => Promise<void>,
): Promise<OpeningWord | null> {
  const { opening, firstStatement } = facts;
  if (opening === null) return null;
  const amount = formatMicros(opening.amountMicros);
  const figure = `${amount} ${opening.currency}`;
  if (firstStatement && !at.options.bookOpening)
    return {
      ...{ action: 'skipped', amount, currency: opening.currency, date: opening.before },
      message: `opening balance ${figure} (${opening.from}) not booked (--no-opening): its opening comes from elsewhere`,
    };
  if (firstStatement) {
    const { equity } = at;
    const entry = at.options.importer.openingEntry(opening, {
      ...{ sourceId: at.account, bank: at.bank, equity },
      closedThrough: await books.closedThrough(),
    });
    const date = entry?.date ?? opening.before;
    const dry = book === undefined;
    // An overdraft opens the other way: the bank is owed it (Dr equity, Cr bank).
    const sides = opening.amountMicros < 0n ? `Dr ${equity}, Cr ${at.bank}` : `Dr ${at.bank}, Cr ${equity}`;
    if (entry !== null && book !== undefined) await book(entry);
    if (entry === null)
      return {
        ...{ action: 'none', amount, currency: opening.currency, date },
        message: `opening balance ${figure} of ${at.account}: nothing to book (its first statement's ${opening.from})`,
      };
    return {
      ...{ action: dry ? 'would book' : 'booked', amount, currency: opening.currency, date },
      message:
        `${dry ? 'would book the ' : ''}opening balance ${figure} of ${at.account}${dry ? '' : ' booked'} on ` +
        `${date}: ${sides} (its first statement's ${opening.from})`,
    };
  }
  const held = await books.accountBalanceThrough(at.bank, opening.currency, opening.before);
  const ledger = formatMicros(held);
  const word = { amount, currency: opening.currency, date: opening.before, ledger };
  if (held === opening.amountMicros)
    return {
      ...word,
      action: 'ties',
      message: `opening balance ${figure} (${opening.from}) is what the ledger's ${at.bank} holds through ${opening.before}`,
    };
  const off = opening.amountMicros - held;
  return {
    ...word,
    action: 'differs',
    message:
      `bank account ${at.account}: the statement opens at ${figure} (${opening.from}), the ledger's ${at.bank} ` +
      `holds ${ledger} through ${opening.before}: ${off > 0n ? `${formatMicros(off)} the ledger does not hold` : `${formatMicros(-off)} more than the bank`}; ` +
      `nothing booked for it (an earlier statement not imported, or an entry on the wrong day: book what is missing with "ledgerline adjust")`,
  };
}

/** Whether a line falls in a reach, as the store reads one (its currency, direction, amounts and days). */
function inReach(line: BankLine, reach: LineReach): boolean {
  const within =
    line.currency === reach.currency &&
    line.amountMicros > 0n === reach.moneyIn &&
    line.amountMicros >= reach.lowestMicros &&
    line.amountMicros <= reach.highestMicros &&
    line.bookedOn >= reach.from &&
    line.bookedOn <= reach.to;
  if (!within || reach.exactMicros === undefined) return within;
  return reach.exactMicros.includes(line.amountMicros) || `${line.reference}${line.description}`.includes(':');
}

/** The books' lines in reach and the dry run's own, as the real run would have landed them (a line the books hold counts once). */
function withLines(books: TransitBooks, kept: readonly BankLine[], account: string, sha256: string) {
  return async (reaches: readonly LineReach[]): Promise<LandedBankLine[]> => {
    const held = await books.bankLines(reaches);
    const known = new Set(held.map(lineKey));
    const landed = kept
      .map((line) => ({ ...line, account, statementSha256: sha256 }))
      .filter((line) => !known.has(lineKey(line)) && reaches.some((reach) => inReach(line, reach)));
    return [...held, ...landed];
  };
}

/** Each item one of this statement's lines settles or differs from, oldest first, as the import says it. */
function matchesOf(standings: readonly TransitStanding[], sha256: string): BankImportMatch[] {
  return standings.flatMap(({ item, state, match }) =>
    match === null || match.line.statementSha256 !== sha256
      ? []
      : [
          {
            item: item.id,
            kind: item.kind,
            amount: formatMicros(item.amountMicros),
            state,
            bankLine: lineKey(match.line),
            lineAmount: formatMicros(match.line.amountMicros),
            date: match.line.bookedOn,
          },
        ],
  );
}
