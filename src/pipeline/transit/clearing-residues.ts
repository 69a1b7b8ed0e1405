import { formatMicros } from '../../money/index.js';
import { lineKey, type TransitStanding } from '../../rules/index.js';
import type { TransitReads } from './books/transit-books.js';

/** Money left in a clearing account by an item the bank settled: the item, and the sentence naming it. */
export interface ClearingResidue {
  id: string;
  amount: string;
  currency: string;
  message: string;
}

/**
 * The invariant of the money in transit: a clearing account holds nothing of an item the bank settled (`matched`,
 * or `closed`) once its bank leg stands, since the leg moves what the line moved and the item's difference from its
 * line is booked (accepted, or late under an earlier acceptance). Any residue is an item naming the payout or top-up.
 * Example: payout P of 76.04 `closed`, its leg of 73.54 booked, its 2.50 difference booked nowhere → "payout P …:
 * 2.50 USD stays in its clearing account"; once the difference is booked (the next `transit`, import or night books
 * it) → nothing. An item whose leg moved another amount than its line's (a line changed under it) is named alike.
 */
export async function clearingResidues(
  books: Pick<TransitReads, 'bankLegsByItem' | 'differenceItems'>,
  standings: readonly TransitStanding[],
): Promise<ClearingResidue[]> {
  if (!standings.some(isSettled)) return [];
  return standings.flatMap(await residuesOf(books));
}

/**
 * What clearing holds of one standing (none, or its residue), the legs and differences read once: a caller judging
 * a year's items in turn finds each one's residue as it goes, never holding the settled standings (issue 72).
 */
export async function residuesOf(
  books: Pick<TransitReads, 'bankLegsByItem' | 'differenceItems'>,
): Promise<(standing: TransitStanding) => ClearingResidue[]> {
  const [legs, differences] = await Promise.all([books.bankLegsByItem(), books.differenceItems()]);
  return (standing) => {
    if (!isSettled(standing)) return [];
    const { item, match, state } = standing;
    const leg = legs.get(item.id)?.standing;
    if (leg === undefined || match === null) return [];
    const { line } = match;
    const moved = line.amountMicros < 0n ? -line.amountMicros : line.amountMicros;
    const unbooked = differences.has(item.id) ? 0n : match.differenceMicros;
    const residue =
      (unbooked < 0n ? -unbooked : unbooked) +
      (leg.amountMicros > moved ? leg.amountMicros - moved : moved - leg.amountMicros);
    if (residue === 0n) return [];
    const what = item.kind === 'payout' ? 'payout' : 'top-up';
    return [
      {
        id: item.id,
        amount: formatMicros(residue),
        currency: item.currency,
        message:
          `${what} ${item.id} of ${formatMicros(item.amountMicros)} ${item.currency} is ${state} by line ` +
          `${lineKey(line)} of ${formatMicros(moved)}, its bank leg ${leg.entryId} moved ${formatMicros(leg.amountMicros)}: ` +
          `${formatMicros(residue)} ${item.currency} stays in its clearing account, booked nowhere ` +
          `("ledgerline transit" books a difference accepted earlier; else correct it with "ledgerline adjust")`,
      },
    ];
  };
}

/** Settled by a bank line: matched, or closed by a person over it. */
const isSettled = (standing: TransitStanding): boolean =>
  standing.match !== null && (standing.state === 'matched' || standing.state === 'closed');
