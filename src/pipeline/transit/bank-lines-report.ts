import { formatMicros } from '../../money/index.js';
import { lineKey } from '../../rules/index.js';
import { linesSettledByEntries } from './entry-settlements.js';
import { handWords } from './hand-matches.js';
import { moneyInTransit, type TransitOptions } from './money-in-transit.js';
import type { TransitBooks } from './books/transit-books.js';

/** One landed line as `ledgerline bank lines --json` writes it: what took it, if anything. */
export interface BankLineRow {
  bankLine: string;
  date: string;
  amount: string;
  currency: string;
  reference: string;
  description: string;
  /**
   * The payout or top-up the line settles, and whether a rule or a person matched them, or the entry booked by hand
   * that explains it (`adjust --settles`: its id as `item`, state `adjusted`); null: a stray line (rent, a card fee, …).
   */
  takenBy: null | { item: string; state: string; by: 'rule' | 'hand' };
  /** The ambiguous items this line is one of the equally good candidates of. */
  candidateOf?: string[];
}

export interface BankLinesReport {
  asOf: string;
  lines: BankLineRow[];
}

/** A payout or top-up no line settles yet, as the console offers it to a line: what it is, how much, and its state. */
export interface OpenTransitItem {
  id: string;
  kind: 'payout' | 'topup';
  reportedOn: string;
  amount: string;
  currency: string;
  state: string;
}

/** What the console's bank-lines page shows: every landed line and what took it, and the items a person may match to a line. */
export interface BankLinesView extends BankLinesReport {
  openItems: OpenTransitItem[];
  /** The last day of the closed months, when a month is closed: a line dated in one is not taken back from the page. */
  closedThrough?: string;
}

type BankLinesOptions = Omit<TransitOptions, 'record' | 'bankLegs'> & { unmatchedOnly: boolean };

/**
 * Every landed line, in book order, with what took it as of `asOf` (the transit's judgement, as `transit` gives it),
 * or, with `unmatchedOnly`, the lines no item took: what the bank moved that the ledger does not explain (the rent,
 * a card fee booked apart) and no entry booked by hand settles (`adjust --settles`); and the payouts and top-ups no
 * line settles, which the console offers to a line.
 * Example: April's lines +120.00 "PAYPAL TRANSFER PAYELANCER 4421" (payout of 04-03, by rule), −800.00 "RENT APRIL"
 * (none) → with unmatchedOnly, only the rent; the top-up of 04-08 no line took is an open item.
 */
export async function bankLinesView(books: TransitBooks, options: BankLinesOptions): Promise<BankLinesView> {
  const [{ standings }, lines, words, closedThrough] = await Promise.all([
    moneyInTransit(books, { ...options, record: false }),
    books.linesWithin({ to: options.asOf }),
    books.linkWords(),
    books.closedThrough(),
  ]);
  const taken = new Map<string, NonNullable<BankLineRow['takenBy']>>(
    [...linesSettledByEntries(handWords(words))].map(([key, entryId]) => [
      key,
      { item: entryId, state: 'adjusted', by: 'hand' },
    ]),
  );
  const candidates = new Map<string, string[]>();
  for (const standing of standings) {
    if (standing.match !== null)
      taken.set(lineKey(standing.match.line), {
        item: standing.item.id,
        state: standing.state,
        by: standing.match.byHand === true ? 'hand' : 'rule',
      });
    for (const line of standing.candidates ?? [])
      candidates.set(lineKey(line), [...(candidates.get(lineKey(line)) ?? []), standing.item.id]);
  }
  const rows = lines.map((line): BankLineRow => {
    const key = lineKey(line);
    const of = candidates.get(key);
    const row = {
      bankLine: key,
      date: line.bookedOn,
      amount: formatMicros(line.amountMicros),
      currency: line.currency,
      reference: line.reference,
      description: line.description,
      takenBy: taken.get(key) ?? null,
    };
    return of === undefined ? row : { ...row, candidateOf: of };
  });
  const openItems = standings
    .filter((standing) => standing.match === null && standing.document === undefined && standing.state !== 'closed')
    .map(({ item, state }) => ({
      id: item.id,
      kind: item.kind,
      reportedOn: item.reportedOn,
      amount: formatMicros(item.amountMicros),
      currency: item.currency,
      state,
    }));
  return {
    asOf: options.asOf,
    lines: options.unmatchedOnly ? rows.filter((row) => row.takenBy === null) : rows,
    openItems,
    ...(closedThrough === undefined ? {} : { closedThrough }),
  };
}
