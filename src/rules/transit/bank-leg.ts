import { formatMicros } from '../../money/index.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import { foldTaxLines } from '../tax/vat-lines.js';
import type { TransitItem, TransitStanding } from './transit-standing.js';

/** What every bank leg's entry id starts with: the item's id follows. */
const BANK_LEG_PREFIX = 'je:bank-leg:';
/** An item's later bank legs, after a person unmatched the line of its first (`je:bank-leg-again:2:<item id>`). */
const BANK_LEG_AGAIN_PREFIX = 'je:bank-leg-again:';
/** The reversal of an item's n-th bank leg, booked by `transit unmatch` (`je:bank-leg-reversal:1:<item id>`). */
const BANK_LEG_REVERSAL_PREFIX = 'je:bank-leg-reversal:';
/** What the ids of an item's legs and their reversals all start with (no "_" or "%": LIKE reads it as it is). */
const BANK_LEG_FAMILY_PREFIX = 'je:bank-leg';

/**
 * What the ids the money in transit writes start with, the item's id following (none has "_" or "%": LIKE reads
 * each as it is): `bankLeg` an item's first bank leg, `bankLegAgain` and `bankLegReversal` its later legs and their
 * reversals (`<n>:<item id>` following), `bankLegFamily` all of those alike,
 * `lateDifference` a difference booked under an earlier acceptance, `acceptance` what a reconcile acknowledgement of
 * the item and `transit accept`'s adjusting entry name (transit:<id>).
 */
export const TRANSIT_ENTRY_PREFIXES = {
  bankLeg: BANK_LEG_PREFIX,
  bankLegFamily: BANK_LEG_FAMILY_PREFIX,
  bankLegAgain: BANK_LEG_AGAIN_PREFIX,
  bankLegReversal: BANK_LEG_REVERSAL_PREFIX,
  lateDifference: 'je:transit-difference:',
  acceptance: 'transit:',
} as const;

/**
 * The id of an item's n-th bank leg: the first `je:bank-leg:<item id>`, a later one (after an unmatch reversed the
 * one before) `je:bank-leg-again:<n>:<item id>`. Each is booked at most once: the journal's key refuses a second row.
 */
function bankLegEntryId(itemId: string, n = 1): string {
  return n === 1 ? `${BANK_LEG_PREFIX}${itemId}` : `${BANK_LEG_AGAIN_PREFIX}${n}:${itemId}`;
}

/** A bank leg's or a reversal's id read: its item, the leg's number, whether it reverses, and the id of the leg it is or reverses. */
export interface NumberedBankLeg {
  itemId: string;
  /** 1 for je:bank-leg:<item id>, n for je:bank-leg-again:<n>:<item id> and for the reversal of that leg. */
  n: number;
  reversal: boolean;
  /** The leg's own id; for a reversal, the id of the leg it reverses. */
  legId: string;
}

/**
 * What an item's bank leg's or its reversal's id says; undefined for any other entry. Examples: je:bank-leg:T →
 * { itemId: T, n: 1, reversal: false, legId: je:bank-leg:T }; je:bank-leg-reversal:1:T → { itemId: T, n: 1,
 * reversal: true, legId: je:bank-leg:T }; je:bank-leg-again:2:T → { itemId: T, n: 2, reversal: false, legId: itself }.
 */
export function numberedBankLeg(entryId: string): NumberedBankLeg | undefined {
  if (entryId.startsWith(BANK_LEG_PREFIX)) {
    const itemId = entryId.slice(BANK_LEG_PREFIX.length);
    return { itemId, n: 1, reversal: false, legId: entryId };
  }
  const reversal = entryId.startsWith(BANK_LEG_REVERSAL_PREFIX);
  if (!reversal && !entryId.startsWith(BANK_LEG_AGAIN_PREFIX)) return undefined;
  const rest = entryId.slice((reversal ? BANK_LEG_REVERSAL_PREFIX : BANK_LEG_AGAIN_PREFIX).length);
  const colon = rest.indexOf(':');
  const n = Number(rest.slice(0, colon));
  if (colon <= 0 || !Number.isInteger(n) || n < 1) return undefined;
  const itemId = rest.slice(colon + 1);
  return { itemId, n, reversal, legId: bankLegEntryId(itemId, n) };
}

/**
 * The ids of the legs reversed among `entryIds` whose reversal is among them too: such a leg and its reversal
 * moved nothing together. Example: [je:bank-leg:T, je:bank-leg-reversal:1:T, je:bank-leg-again:2:T] →
 * {je:bank-leg:T, je:bank-leg-reversal:1:T}; the again leg stands.
 */
export function cancelledBankLegs(entryIds: Iterable<string>): Set<string> {
  const ids = new Set(entryIds);
  const cancelled = new Set<string>();
  for (const id of ids) {
    const leg = numberedBankLeg(id);
    if (leg?.reversal !== true || !ids.has(leg.legId)) continue;
    cancelled.add(id);
    cancelled.add(leg.legId);
  }
  return cancelled;
}

/** Whether an entry is a bank leg or its reversal: a destination that creates its own bank-side documents never receives one. */
function isBankLegEntry(entryId: string): boolean {
  return entryId.startsWith(BANK_LEG_FAMILY_PREFIX + ':') || entryId.startsWith(`${BANK_LEG_FAMILY_PREFIX}-`);
}

/**
 * Whether a destination that creates its own bank-side documents settles an entry by one instead of a journal: a
 * bank leg, or (where it names the ledger's bank accounts: Xero, which takes no manual journal on a bank account)
 * an entry of two lines, one of them on a bank account: a statement line no item took, booked with `adjust` (the
 * rent, a card fee). A coded line's VAT line counts with it, as a destination takes it (foldTaxLines). Examples:
 * je:adjustment:2026-03-31:2, Dr bank_fees 9.00 / Cr bank 9.00, bank accounts {bank} → true; coded INPUT2 at 20 %,
 * Dr bank_fees 7.50 / Dr vat_input 1.50 / Cr bank 9.00 → true (issue 82).
 */
export function isBankSideEntry(
  entry: { id: string; lines: readonly { account: string }[] },
  bankAccounts: ReadonlySet<string> = new Set(),
): boolean {
  if (isBankLegEntry(entry.id)) return true;
  const lines = foldTaxLines(entry.lines.map((line) => ({ account: line.account, cents: 0n }))).lines;
  return lines.length === 2 && lines.filter((line) => bankAccounts.has(line.account)).length === 1;
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
export function bankLegEntry(standing: TransitStanding, accounts: BankLegAccounts, n = 1): JournalEntry | null {
  const { item, match } = standing;
  if (match === null || !item.cleared || !(standing.state === 'matched' || standing.state === 'closed')) return null;
  const { line } = match;
  const moved = line.amountMicros < 0n ? -line.amountMicros : line.amountMicros;
  const [debit, credit] =
    item.kind === 'payout' ? [accounts.bank, accounts.clearing] : [accounts.clearing, accounts.bank];
  const what = item.kind === 'payout' ? 'Payout' : 'Top-up';
  return {
    id: bankLegEntryId(item.id, n),
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

/**
 * The reversal of the bank leg standing for an item whose line a person unmatched (`transit unmatch`): the leg's
 * lines swapped, dated its day (the day after a closed period's end when that day is closed), so the clearing account
 * holds the item again and the bank does not hold the line twice. Example: top-up T of 50.00, its leg
 * je:bank-leg:T Dr topup_clearing 50.00 / Cr bank 50.00 of 04-06 → je:bank-leg-reversal:1:T, Dr bank 50.00 / Cr
 * topup_clearing 50.00 on 04-06; the line it held is free for `transit match`, and the next leg is je:bank-leg-again:2:T.
 */
export function bankLegReversal(
  item: Pick<TransitItem, 'id' | 'kind' | 'currency'>,
  /** The leg reversed: its number (1 for je:bank-leg:<id>), id, day and amount, and the statement source it came from. */
  leg: { n: number; entryId: string; date: string; amountMicros: bigint; sourceId: string },
  accounts: BankLegAccounts,
): JournalEntry {
  const [debit, credit] =
    item.kind === 'payout' ? [accounts.clearing, accounts.bank] : [accounts.bank, accounts.clearing];
  return {
    id: `${BANK_LEG_REVERSAL_PREFIX}${leg.n}:${item.id}`,
    date: leg.date,
    sourceId: leg.sourceId,
    description: `Reversal of ${leg.entryId}: its bank line was not ${item.id}'s (transit unmatch)`,
    eventIds: [],
    lines: [
      { account: debit, currency: item.currency, amountMicros: leg.amountMicros },
      { account: credit, currency: item.currency, amountMicros: -leg.amountMicros },
    ],
  };
}
