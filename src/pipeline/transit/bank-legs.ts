import { bankLedgerAccounts, loadMappings, type Config, type JournalRule } from '../../config/index.js';
import { addDays } from '../../calendar/index.js';
import { bankLegEntry, type JournalEntry, type TransitStanding } from '../../rules/index.js';
import { clearingAccountOf } from './clearing-account.js';
import { lateDifferenceEntry } from './difference-booking.js';
import type { TransitBooks } from './books/transit-books.js';

/** What booking the bank legs needs beside the standings: the journal rules (the clearing accounts) and each statement source's chart account. */
export interface BankLegTerms {
  events: Readonly<Record<string, JournalRule>>;
  /** Statement source id → the chart's account its bank legs book to (its `ledgerAccount`). */
  ledgerAccounts: ReadonlyMap<string, string>;
}

/**
 * The bank legs' terms of a configuration: each bank-statement source's `ledgerAccount`, which the chart must hold
 * as an asset (loadMappings refuses it otherwise, naming the chart's file and the key to add).
 */
export function bankLegTerms(
  config: Pick<Config, 'mappings' | 'sources' | 'vocabularies' | 'chartEvents'>,
): BankLegTerms {
  const bankAccounts = bankLedgerAccounts(config.sources);
  const { chart } = loadMappings({
    chartPath: config.mappings,
    vocabularies: config.vocabularies,
    chartEvents: config.chartEvents,
    destinations: [],
    bankAccounts,
  });
  return {
    events: chart.events,
    ledgerAccounts: new Map(bankAccounts.map(({ sourceId, account }) => [sourceId, account])),
  };
}

/** What one booking of the bank legs appended: how many legs, and the late differences (each said by whatever booked it). */
export interface BankLegsBooked {
  legs: number;
  /** The legs' entry ids, in the order booked. */
  legIds: string[];
  lateDifferences: JournalEntry[];
}

/**
 * Books the bank leg of each item a bank line settled (`matched`, or `closed` by a person) that has none standing
 * in the ledger, in one append: one entry per item, or, after an unmatch reversed its leg, the next one
 * (je:bank-leg-again:2:<id>). Before each leg of an item accepted before its line came in whose line then differed,
 * its late difference (difference-booking.ts, lateDifferenceEntry), once. An entry whose day falls in a closed period is dated the
 * day after that period's end, as a late correction is. Example: payouts of 120.00 (line of 04-05) and 80.00 (line
 * of 04-17) matched, March closed → two entries, Dr bank / Cr payout_clearing_paypal, dated 04-05 and 04-17; run
 * again → none. The 03-31 payout of 76.79 accepted on 04-01, its line +74.29 of 04-03 → Dr bank_fees 2.50 / Cr
 * payout_clearing_paypal 2.50, then Dr bank 74.29 / Cr payout_clearing_paypal 74.29.
 */
export async function bookBankLegs(
  books: TransitBooks,
  standings: readonly TransitStanding[],
  terms: BankLegTerms,
  now: Date,
): Promise<BankLegsBooked> {
  const settled = standings.filter(
    (standing) => standing.match !== null && (standing.state === 'matched' || standing.state === 'closed'),
  );
  if (settled.length === 0) return { legs: 0, legIds: [], lateDifferences: [] };
  const [legs, differences, closedThrough] = await Promise.all([
    books.bankLegsByItem(),
    books.differenceItems(),
    books.closedThrough(),
  ]);
  const inAnOpenPeriod = (entry: JournalEntry): JournalEntry =>
    closedThrough !== undefined && entry.date <= closedThrough ? { ...entry, date: addDays(closedThrough, 1) } : entry;
  const lateDifferences = settled.flatMap((standing): JournalEntry[] => {
    if (differences.has(standing.item.id)) return [];
    const entry = lateDifferenceEntry(standing, clearingAccountOf(standing.item, terms.events));
    return entry === null ? [] : [inAnOpenPeriod(entry)];
  });
  const entries = settled.flatMap((standing): JournalEntry[] => {
    const bank = terms.ledgerAccounts.get(standing.match!.line.account);
    const booked = legs.get(standing.item.id);
    if (booked?.standing !== undefined || bank === undefined) return [];
    const clearing = clearingAccountOf(standing.item, terms.events);
    const entry = bankLegEntry(standing, { clearing, bank }, (booked?.legs ?? 0) + 1);
    return entry === null ? [] : [inAnOpenPeriod(entry)];
  });
  if (lateDifferences.length + entries.length > 0)
    await books.unitOfWork((tx) => tx.bookBankLegs([...lateDifferences, ...entries], now));
  return { legs: entries.length, legIds: entries.map((entry) => entry.id), lateDifferences };
}
