import type { JournalRule } from '../../config/index.js';
import { formatMicros } from '../../money/index.js';
import {
  BANK_FEES_ACCOUNT,
  TRANSIT_ENTRY_PREFIXES,
  type JournalEntry,
  type TransitStanding,
} from '../../rules/index.js';
import { clearingAccountOf } from './clearing-account.js';

/** The adjusting entry that books a differing item's difference once a person accepts it (`transit accept ID`). */
export interface DifferenceBooking {
  date: string;
  currency: string;
  /** Names the item and the bank line, then the person's note. */
  reason: string;
  lines: { side: 'debit' | 'credit'; text: string }[];
}

/**
 * What accepting a `differs` item books: the difference to bank fees against the item's clearing account (its
 * journal rule's debit for a payout, credit for a top-up), dated the bank line's day, so what the clearing
 * account holds of the item is what the bank moved, and the item's bank leg of the line's amount (bank-leg.ts; at
 * a destination creating bank-side documents, its transfer) takes it to zero. Worked examples:
 * - payout of 95.00 (Dr payout_clearing_paypal), line +92.50: the bank kept 2.50 → Dr bank_fees 2.50, Cr payout_clearing_paypal 2.50;
 * - top-up of 40.50 (Cr topup_clearing), card line −42.00: the bank took 1.50 more → Dr bank_fees 1.50, Cr topup_clearing 1.50;
 * - payout of 95.00, line +96.00: 1.00 came back → Dr payout_clearing_paypal 1.00, Cr bank_fees 1.00.
 * Any other state books nothing (null): a matched item has no difference, a late one no line.
 */
export function differenceBooking(
  standing: TransitStanding,
  events: Readonly<Record<string, JournalRule>>,
  note: string | null,
): DifferenceBooking | null {
  const { item, match } = standing;
  const sides = standing.state === 'differs' ? differenceSides(standing, clearingAccountOf(item, events)) : null;
  if (sides === null || match === null) return null;
  const { debit, credit } = sides;
  const amount = formatMicros(sides.amountMicros);
  const { line } = match;
  const moved = formatMicros(line.amountMicros < 0n ? -line.amountMicros : line.amountMicros);
  const said =
    `transit ${item.id} accepted: bank line ${line.account}:${line.lineId} of ${moved} on ${line.bookedOn} ` +
    `against ${formatMicros(item.amountMicros)} ${item.currency}`;
  return {
    date: line.bookedOn,
    currency: item.currency,
    reason: note === null ? said : `${said}; ${note}`,
    lines: [
      { side: 'debit', text: `${debit}=${amount}` },
      { side: 'credit', text: `${credit}=${amount}` },
    ],
  };
}

/**
 * The two sides of an item's difference from its bank line: to bank fees against the item's clearing account when
 * the bank kept money (less in for a payout, more out for a top-up), the other way when it gave some back. Worked
 * examples: payout of 95.00, line +92.50 → Dr bank_fees 2.50 / Cr clearing 2.50; payout of 95.00, line +96.00 →
 * Dr clearing 1.00 / Cr bank_fees 1.00; top-up of 40.50, card line −42.00 → Dr bank_fees 1.50 / Cr topup_clearing 1.50.
 */
export function differenceSides(
  standing: TransitStanding,
  clearing: string,
): { debit: string; credit: string; amountMicros: bigint } | null {
  const { item, match } = standing;
  if (match === null || match.differenceMicros === 0n) return null;
  // differenceMicros is what the bank moved less what the ledger expects: less in for a payout, more out for a top-up is a cost.
  const cost = item.kind === 'payout' ? -match.differenceMicros : match.differenceMicros;
  const [debit, credit] = cost > 0n ? [BANK_FEES_ACCOUNT, clearing] : [clearing, BANK_FEES_ACCOUNT];
  return { debit, credit, amountMicros: cost < 0n ? -cost : cost };
}

/**
 * The late difference: an item a person accepted before its bank line came in (`transit accept` on an item in
 * transit, as `close` advises) whose line then differs. The acceptance stands, so the difference is booked under it,
 * as `transit accept` books one, dated the line's day, and said by whatever booked it; without it the clearing
 * account would keep the difference for ever. Worked example: payout of 76.79 of 03-31, accepted on 04-01 while in
 * transit; its line +74.29 arrives on 04-03 → je:transit-difference:<id>, Dr bank_fees 2.50 / Cr
 * payout_clearing_paypal 2.50, then its bank leg Dr bank 74.29 / Cr payout_clearing_paypal 74.29: clearing 0.00.
 * Not closed, no line, no difference, not yet in clearing (no journal moved it there): null.
 */
export function lateDifferenceEntry(standing: TransitStanding, clearing: string): JournalEntry | null {
  const sides = differenceSides(standing, clearing);
  if (sides === null || standing.state !== 'closed' || !standing.item.cleared) return null;
  const { item } = standing;
  const { line } = standing.match!;
  const moved = formatMicros(line.amountMicros < 0n ? -line.amountMicros : line.amountMicros);
  return {
    id: `${TRANSIT_ENTRY_PREFIXES.lateDifference}${item.id}`,
    date: line.bookedOn,
    sourceId: line.account,
    description:
      `transit ${item.id} accepted before its bank line: line ${line.account}:${line.lineId} of ${moved} on ` +
      `${line.bookedOn} against ${formatMicros(item.amountMicros)} ${item.currency}; the ` +
      `${formatMicros(sides.amountMicros)} difference booked under that acceptance`,
    eventIds: [],
    lines: [
      { account: sides.debit, currency: item.currency, amountMicros: sides.amountMicros },
      { account: sides.credit, currency: item.currency, amountMicros: -sides.amountMicros },
    ],
  };
}
