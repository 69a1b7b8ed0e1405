import { formatMicros } from '../../money/index.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import { BANK_FEES_ACCOUNT } from '../vocabulary.js';
import type { TransitStanding } from './transit-standing.js';

/** What a reconcile acknowledgement of a payout or top-up is keyed by, and what `transit accept`'s adjusting entry explains: the item's id follows. */
export const TRANSIT_ITEM_PREFIX = 'transit:';
/** What the id of a difference booked under an earlier acceptance starts with: the item's id follows. */
export const LATE_DIFFERENCE_PREFIX = 'je:transit-difference:';

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
export function lateDifferenceEntry(
  standing: TransitStanding,
  clearing: string,
): JournalEntry | null {
  const sides = differenceSides(standing, clearing);
  if (sides === null || standing.state !== 'closed' || !standing.item.cleared) return null;
  const { item } = standing;
  const { line } = standing.match!;
  const moved = formatMicros(line.amountMicros < 0n ? -line.amountMicros : line.amountMicros);
  return {
    id: `${LATE_DIFFERENCE_PREFIX}${item.id}`,
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
