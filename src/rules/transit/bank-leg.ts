import { formatMicros } from '../../money/index.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import type { TransitStanding } from './transit-standing.js';

/** What every bank leg's entry id starts with: the item's id follows. */
export const BANK_LEG_PREFIX = 'je:bank-leg:';

/** The id of an item's bank leg: one per item, so the ledger (idempotent on entry ids, its key refusing a second row) books it at most once. */
function bankLegEntryId(itemId: string): string {
  return `${BANK_LEG_PREFIX}${itemId}`;
}

/** Whether an entry is a bank leg: a destination that creates its own bank-side documents never receives one. */
function isBankLegEntry(entryId: string): boolean {
  return entryId.startsWith(BANK_LEG_PREFIX);
}

/**
 * Whether a destination that creates its own bank-side documents settles an entry by one instead of a journal: a
 * bank leg, or (where it names the ledger's bank accounts: Xero, which takes no manual journal on a bank account)
 * an entry of two lines, one of them on a bank account: a statement line no item took, booked with `adjust` (the
 * rent, a card fee). Example: je:adjustment:2026-03-31:2, Dr bank_fees 9.00 / Cr bank 9.00, bank accounts {bank} → true.
 */
export function isBankSideEntry(
  entry: { id: string; lines: readonly { account: string }[] },
  bankAccounts: ReadonlySet<string> = new Set(),
): boolean {
  if (isBankLegEntry(entry.id)) return true;
  return entry.lines.length === 2 && entry.lines.filter((line) => bankAccounts.has(line.account)).length === 1;
}

/** Where an item's money sits and where the bank line says it went. */
export interface BankLegAccounts {
  /** The item's clearing account: its journal rule's debit for a payout, credit for a top-up. */
  clearing: string;
  /** The ledger account of the statement's bank account (its source's `ledgerAccount`). */
  bank: string;
}

/**
 * The move out of clearing once a bank line settled an item (`matched`, or `closed` by a person), dated the
 * line's day, of the line's amount; a differing line's difference is the person's adjusting entry (`transit
 * accept`), booked apart. Worked examples:
 * - payout of 312.40 (Dr payout_clearing_paypal), line +312.40 on 11-16 → Dr bank 312.40, Cr payout_clearing_paypal 312.40;
 * - top-up of 40.00 (Cr topup_clearing), card line −40.00 on 04-09 → Dr topup_clearing 40.00, Cr bank 40.00;
 * - payout of 95.00, line +92.50, accepted (the 2.50 booked Dr bank_fees / Cr payout_clearing_paypal) →
 *   Dr bank 92.50, Cr payout_clearing_paypal 92.50: the clearing account holds nothing of it.
 * No line (late, waiting, or matched by a document reconciled at the destination), not yet settled, or not yet in
 * clearing (no journal moved it there: its leg waits for that journal, or clearing would go below zero): null.
 */
export function bankLegEntry(standing: TransitStanding, accounts: BankLegAccounts): JournalEntry | null {
  const { item, match } = standing;
  if (match === null || !item.cleared || !(standing.state === 'matched' || standing.state === 'closed')) return null;
  const { line } = match;
  const moved = line.amountMicros < 0n ? -line.amountMicros : line.amountMicros;
  const [debit, credit] =
    item.kind === 'payout' ? [accounts.bank, accounts.clearing] : [accounts.clearing, accounts.bank];
  const what = item.kind === 'payout' ? 'Payout' : 'Top-up';
  return {
    id: bankLegEntryId(item.id),
    date: line.bookedOn,
    sourceId: line.account,
    description: `${what} ${item.id} at the bank: line ${line.account}:${line.lineId} of ${formatMicros(moved)} ${line.currency} on ${line.bookedOn}`,
    eventIds: [],
    lines: [
      { account: debit, currency: line.currency, amountMicros: moved },
      { account: credit, currency: line.currency, amountMicros: -moved },
    ],
  };
}
