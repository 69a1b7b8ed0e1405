import type { EventSide } from '../../rules/index.js';

/** The chart's journal rules, by event kind: which account each side books. */
type Rules = Readonly<
  Record<string, { debit: EventSide; credit: EventSide; description?: string | undefined } | undefined>
>;

/** One booking of an amount from one account (debited) to another (credited), in whole cents: DATEV's Konto against Gegenkonto. */
export interface BookingPair {
  debit: string;
  credit: string;
  currency: string;
  cents: bigint;
  /** What the pair is: the event's kind and ref when paired from an event, else the entry's words. */
  text: string;
}

interface EntryLines {
  lines: readonly { account: string; currency: string; cents: bigint; description?: string | undefined }[];
}

interface EntryEvent {
  kind: string;
  currency: string;
  amountMicros: bigint;
  ref: string;
}

const MICROS_PER_CENT = 10_000n;

/**
 * An entry's lines as pairs of one account against another. Event by event where its events say how it was booked:
 * each event's rule has one account a side, each amount is whole cents, and the events' pairs move every account by
 * exactly the cents the entry books (a daily entry of 2.70 and 1.30 charged and 0.50 refunded gives three pairs:
 * smm_services_expense/panel_prepaid 2.70 and 1.30, panel_prepaid/smm_services_expense 0.50). Otherwise (a split
 * side, a sub-cent amount, a tax or rounding line) the lines themselves, the largest debit against the largest
 * credit, said in the debit line's words: each account's total is right, which event it came from is not said.
 */
export function bookingPairs(
  entry: EntryLines,
  events: readonly EntryEvent[],
  rules: Rules,
  entryText: string,
): { pairs: BookingPair[]; byEvent: boolean } {
  const fromEvents = eventPairs(events, rules);
  if (fromEvents !== undefined && events.length > 0 && sameMovements(fromEvents, entry)) {
    return { pairs: fromEvents, byEvent: true };
  }
  return { pairs: linePairs(entry, entryText), byEvent: false };
}

function eventPairs(events: readonly EntryEvent[], rules: Rules): BookingPair[] | undefined {
  const pairs: BookingPair[] = [];
  for (const event of events) {
    const rule = rules[event.kind];
    const debit = rule === undefined ? undefined : oneAccount(rule.debit);
    const credit = rule === undefined ? undefined : oneAccount(rule.credit);
    if (debit === undefined || credit === undefined || event.amountMicros % MICROS_PER_CENT !== 0n) return undefined;
    const words = rule?.description ?? event.kind.replaceAll('_', ' ');
    pairs.push({
      debit,
      credit,
      currency: event.currency,
      cents: event.amountMicros / MICROS_PER_CENT,
      text: `${words}: ${event.ref}`,
    });
  }
  return pairs;
}

function oneAccount(side: EventSide): string | undefined {
  if (typeof side === 'string') return side;
  return side.length === 1 ? side[0]!.account : undefined;
}

/** Whether the pairs move each account and currency by what the entry's lines do. */
function sameMovements(pairs: readonly BookingPair[], entry: EntryLines): boolean {
  const net = new Map<string, bigint>();
  const move = (account: string, currency: string, cents: bigint) =>
    net.set(`${account}\u0000${currency}`, (net.get(`${account}\u0000${currency}`) ?? 0n) + cents);
  for (const pair of pairs) {
    move(pair.debit, pair.currency, pair.cents);
    move(pair.credit, pair.currency, -pair.cents);
  }
  for (const line of entry.lines) move(line.account, line.currency, -line.cents);
  return [...net.values()].every((cents) => cents === 0n);
}

/**
 * The lines paired per currency, the largest remaining debit against the largest remaining credit until both are
 * spent: Dr a 5.00, Dr b 1.00, Cr c 4.00, Cr d 2.00 → a/c 4.00, a/d 1.00, b/d 1.00. A balanced entry spends both.
 */
function linePairs(entry: EntryLines, text: string): BookingPair[] {
  const pairs: BookingPair[] = [];
  for (const currency of [...new Set(entry.lines.map((line) => line.currency))]) {
    const side = (sign: bigint) =>
      entry.lines
        .filter((line) => line.currency === currency && line.cents * sign > 0n)
        .map((line) => ({ account: line.account, left: line.cents * sign, text: line.description }))
        .sort((a, b) => (a.left === b.left ? 0 : a.left > b.left ? -1 : 1));
    const debits = side(1n);
    const credits = side(-1n);
    let d = 0;
    let c = 0;
    while (d < debits.length && c < credits.length) {
      const debit = debits[d]!;
      const credit = credits[c]!;
      const cents = debit.left < credit.left ? debit.left : credit.left;
      pairs.push({
        debit: debit.account,
        credit: credit.account,
        currency,
        cents,
        text: debit.text ?? credit.text ?? text,
      });
      debit.left -= cents;
      credit.left -= cents;
      if (debit.left === 0n) d += 1;
      if (credit.left === 0n) c += 1;
    }
  }
  return pairs;
}
