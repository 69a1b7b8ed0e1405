import { loadMappings, type Config, type JournalRule } from '../../config/index.js';
import { addDays } from '../../calendar/index.js';
import { bankLegEntry, type BuiltInEventKind, type JournalEntry, type TransitStanding } from '../../rules/index.js';
import { bankLedgerAccounts } from '../../kinds/bank-statement/index.js';
import { clearingAccountOf } from './clearing-account.js';
import type { TransitBooks } from './transit-books.js';

/** What booking the bank legs needs beside the standings: the journal rules (the clearing accounts) and each statement source's chart account. */
export interface BankLegTerms {
  events: Readonly<Record<BuiltInEventKind, JournalRule>>;
  /** Statement source id → the chart's account its bank legs book to (its `ledgerAccount`). */
  ledgerAccounts: ReadonlyMap<string, string>;
}

/**
 * The bank legs' terms of a configuration: each bank-statement source's `ledgerAccount`, which the chart must hold
 * as an asset (loadMappings refuses it otherwise, naming the chart's file and the key to add).
 */
export function bankLegTerms(config: Pick<Config, 'mappings' | 'sources' | 'vocabularies'>): BankLegTerms {
  const bankAccounts = bankLedgerAccounts(config.sources);
  const { chart } = loadMappings({
    chartPath: config.mappings,
    vocabularies: config.vocabularies,
    destinations: [],
    bankAccounts,
  });
  return {
    events: chart.events,
    ledgerAccounts: new Map(bankAccounts.map(({ sourceId, account }) => [sourceId, account])),
  };
}

/**
 * Books the bank leg of each item a bank line settled (`matched`, or `closed` by a person) that the ledger holds
 * none of yet, in one append: one entry per item, ever (its id is the item's). A leg whose line falls in a
 * closed period is dated the day after that period's end, as a late correction is. Example: payouts of 120.00
 * (line of 04-05) and 80.00 (line of 04-17) matched, March closed → two entries, Dr bank / Cr
 * payout_clearing_paypal, dated 04-05 and 04-17; run again → none. Returns how many it booked.
 */
export async function bookBankLegs(
  books: TransitBooks,
  standings: readonly TransitStanding[],
  terms: BankLegTerms,
  now: Date,
): Promise<number> {
  const settled = standings.filter(
    (standing) => standing.match !== null && (standing.state === 'matched' || standing.state === 'closed'),
  );
  if (settled.length === 0) return 0;
  const [booked, closedThrough] = await Promise.all([books.bankLegItems(), books.closedThrough()]);
  const entries = settled.flatMap((standing): JournalEntry[] => {
    const bank = terms.ledgerAccounts.get(standing.match!.line.account);
    if (booked.has(standing.item.id) || bank === undefined) return [];
    const entry = bankLegEntry(standing, { clearing: clearingAccountOf(standing.item, terms.events), bank });
    if (entry === null) return [];
    return [
      closedThrough !== undefined && entry.date <= closedThrough
        ? { ...entry, date: addDays(closedThrough, 1) }
        : entry,
    ];
  });
  if (entries.length > 0) await books.unitOfWork((tx) => tx.bookBankLegs(entries, now));
  return entries.length;
}
