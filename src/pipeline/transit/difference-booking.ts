import type { JournalRule } from '../../config/index.js';
import { formatMicros } from '../../money/index.js';
import { differenceSides, type BuiltInEventKind, type TransitStanding } from '../../rules/index.js';
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
  events: Readonly<Record<BuiltInEventKind, JournalRule>>,
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
