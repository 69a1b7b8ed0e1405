import { addDays } from '../../calendar/index.js';
import type { TransitItem, TransitTerms } from './transit-standing.js';

/**
 * The landed lines some item could take, in one currency and direction: money in (amount above zero) or out
 * (zero or below, as UnsettledLines files them), amounts from `lowestMicros` to `highestMicros`, booked from
 * `from` to `to` (both included). A line outside every reach settles nothing, so the store need not read it.
 */
export interface LineReach {
  currency: string;
  moneyIn: boolean;
  lowestMicros: bigint;
  highestMicros: bigint;
  from: string;
  to: string;
  /**
   * Set when a line can be one of the reach's items' only by having an item's exact amount (one of these) or by
   * naming the item: no item of the reach has bank words for its source and each one's id holds a colon (ids are
   * words joined by colons). The store then reads only lines of these amounts or whose text holds a colon.
   */
  exactMicros?: bigint[];
}

/**
 * One reach per currency and direction, spanning what its items could take as of `asOf`: their signed amounts
 * give or take the tolerance (an exact line is within it), from the earliest item's day to the latest one's
 * window end or `asOf`, whichever comes first. Example, window 10, tolerance 25.00, as of 12-31: payouts of
 * 100.00 EUR on 11-14 and 300.00 EUR on 12-28 → EUR in, 75.00 to 325.00, 11-14 to 12-31; a top-up of 40.00 EUR on
 * 11-20 → EUR out, −65.00 to −15.00, 11-20 to 11-30; a payout reported 01-02 next year reaches nothing yet. With
 * no bank words for their sources, the payouts' reach takes only lines of 100.00 or 300.00 or naming an item.
 */
export function linesInReach(items: readonly TransitItem[], asOf: string, terms: TransitTerms): LineReach[] {
  const tolerance = terms.toleranceMicros > 0n ? terms.toleranceMicros : 0n;
  const reaches = new Map<string, Spanned>();
  // Items come a currency and direction at a time as a rule: the last reach is asked first, with no key made.
  let last: Spanned | undefined;
  for (const item of items) {
    if (item.reportedOn > asOf) continue;
    const expected = item.kind === 'payout' ? item.amountMicros : -item.amountMicros;
    const moneyIn = expected > 0n;
    if (last === undefined || last.currency !== item.currency || last.moneyIn !== moneyIn)
      last = reachOf(reaches, item.currency, moneyIn, item.reportedOn, expected);
    const narrowable = terms.bankWords?.(item.sourceId) === undefined && item.id.includes(':');
    if (!narrowable) last.exact = undefined;
    else last.exact?.add(expected);
    if (expected < last.lowestExpected) last.lowestExpected = expected;
    if (expected > last.highestExpected) last.highestExpected = expected;
    if (item.reportedOn < last.from) last.from = item.reportedOn;
    if (item.reportedOn > last.lastReported) last.lastReported = item.reportedOn;
  }
  // The window's end and the tolerance once per reach, not per item: the latest item's end is the latest.
  return [...reaches.values()].map(
    ({ currency, moneyIn, from, lowestExpected, highestExpected, lastReported, exact }) => {
      const windowEnd = addDays(lastReported, terms.windowDays);
      // However many amounts: the store binds them as one value (issue 72: 100,000 payouts read whole cost 12x the join).
      const narrowed = exact !== undefined ? { exactMicros: [...exact] } : {};
      return {
        currency,
        moneyIn,
        lowestMicros: lowestExpected - tolerance,
        highestMicros: highestExpected + tolerance,
        from,
        to: windowEnd < asOf ? windowEnd : asOf,
        ...narrowed,
      };
    },
  );
}

/** The reach of a currency and direction, begun with its first item's day and amount if it was not yet. */
function reachOf(
  reaches: Map<string, Spanned>,
  currency: string,
  moneyIn: boolean,
  reportedOn: string,
  expected: bigint,
): Spanned {
  const key = `${currency}${moneyIn ? '+' : '-'}`;
  let reach = reaches.get(key);
  if (reach === undefined) {
    reach = {
      currency,
      moneyIn,
      from: reportedOn,
      lastReported: reportedOn,
      lowestExpected: expected,
      highestExpected: expected,
      exact: new Set(),
    };
    reaches.set(key, reach);
  }
  return reach;
}

/**
 * What a reach gathers as its items come: its currency and direction, its first and latest day reported, the
 * lowest and highest of its items' signed amounts (the tolerance is added once, at the end), and its items' exact
 * amounts while each could be narrowed to them.
 */
interface Spanned {
  currency: string;
  moneyIn: boolean;
  from: string;
  lastReported: string;
  lowestExpected: bigint;
  highestExpected: bigint;
  exact: Set<bigint> | undefined;
}
