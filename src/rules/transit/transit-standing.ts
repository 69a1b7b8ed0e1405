import { addDays, daysBetween } from '../../calendar/index.js';
import type { EventKind } from '../vocabulary.js';
import type { BankLine } from './bank-records.js';
import { businessDaysBetween, lastDayWithinBusinessDays } from './business-days.js';
import { UnsettledLines, lineKey } from './unsettled-lines.js';

/**
 * The life of a payout or a top-up, from the ledger to the bank. `reported`: the source said it was sent (a
 * payout) or the balance rose (a top-up); `cleared`: a journal moved it to its clearing account; `at_destination`:
 * a bank-side document for it exists at Xero or QuickBooks; `matched`: a bank line of its amount settled it
 * (or the destination says its bank-side document is reconciled);
 * `differs`: the bank line it took has another amount (a fee withheld); `ambiguous`: several lines are equally
 * good and a person must choose (`transit match`); `late`: none of those after `alertDays` business days;
 * `closed`: a person accepted the match or the difference (`transit accept`).
 */
export const TRANSIT_STATES = [
  'reported',
  'cleared',
  'at_destination',
  'matched',
  'differs',
  'ambiguous',
  'late',
  'closed',
] as const;
export type TransitState = (typeof TRANSIT_STATES)[number];

/** A payout or a top-up as the ledger holds it. */
export interface TransitItem {
  /** The event's id, which a bank line's reference may name. */
  id: string;
  kind: 'payout' | 'topup';
  /** The source event's kind (payout_paypal, a top-up, or a plug-in's own): its journal rule names the clearing account. */
  eventKind: EventKind;
  sourceId: string;
  amountMicros: bigint;
  currency: string;
  reportedOn: string;
  /** A journal moved it to its clearing account. */
  cleared: boolean;
}

/** A landed bank line with where it came from, the evidence a match names. */
export interface LandedBankLine extends BankLine {
  account: string;
  statementSha256: string;
}

export interface TransitTerms {
  alertDays(sourceId: string): number;
  /** Calendar days after the item's day within which its bank line may be booked. */
  windowDays: number;
  /** How far a line may be off the item's amount and still be its line (`differs`). */
  toleranceMicros: bigint;
  /** The words a bank writes on a line of a source's money (case aside), when known: `PAYPAL|PAYELANCER`. */
  bankWords?(sourceId: string): RegExp | undefined;
  /** The event kinds whose money goes to or from the bank, each a payout or a top-up, as the registered and the configured kinds say them. */
  eventKinds: ReadonlyMap<string, 'payout' | 'topup'>;
}

export interface TransitStanding {
  item: TransitItem;
  state: TransitState;
  /** Calendar days from the day it was reported to the day judged. */
  ageDays: number;
  match: { line: LandedBankLine; differenceMicros: bigint; byHand?: true } | null;
  /** An ambiguous item's equally good lines, for a person to choose from. */
  candidates?: LandedBankLine[];
  /** The bank-side document the destination says is reconciled, when no landed line settled the item: the evidence of its `matched`. */
  document?: string;
}

export interface TransitJudging {
  items: readonly TransitItem[];
  lines: readonly LandedBankLine[];
  asOf: string;
  terms: TransitTerms;
  /** Items a person accepted (`reconcile ack transit:<id>`). */
  accepted: ReadonlySet<string>;
  /** Items with a bank-side document at a destination (ledgerline created it or found it by its reference). */
  atDestination: ReadonlySet<string>;
  /** Item id → its bank-side document's id, for the documents the destination's read-back says are reconciled. */
  reconciled?: ReadonlyMap<string, string>;
  /** A person's word (`transit match` / `unmatch`): item id → the line (account:lineId) it took, and the lines it must not take. */
  byHand?: { matched: ReadonlyMap<string, string>; refused: ReadonlyMap<string, ReadonlySet<string>> };
}

/**
 * Each item's state as of a day, oldest first, each judged as it is read (issue 72: a caller writing a year's
 * 100,000 as it goes never holds them all; one wanting them all spreads them). Each bank line settles one item at
 * most. A line a person matched to an item (`transit match`) is its line, whatever its day or amount. Otherwise an item takes, among the lines
 * booked from its day to `windowDays` after (and by `asOf`), in its currency and direction (a payout money in, a
 * top-up money out) and within the tolerance of its amount, those the bank's words for its source recognise (or
 * its id, a bonus; or its exact amount when its source's words are unknown) and not recognised as a later item's
 * (candidateLines), and of them one on time by the bank's calendar (within `alertDays` business days of its day)
 * before any later, then the nearest its amount, then the earliest, then one naming it (unsettled-lines.ts);
 * several equally good: `ambiguous`, and it takes none.
 * Worked example, windowDays 10, tolerance 25.00, alertDays 5, words PAYPAL|PAYELANCER, as of Friday 2026-11-27:
 * - payout A 312.40 of 2026-11-14, line +312.40 "PAYPAL TRANSFER PAYELANCER 4421" on 11-16 → matched, age 13;
 * - payout B 120.00 of 11-14, line +117.50 "PAYPAL TRANSFER PAYELANCER 5120" on 11-17 → differs by −2.50;
 * - payout C 80.00 of 11-20 (a Friday), no line → 5 business days to 11-27: cleared, not late;
 * - payout D 95.00 of 11-13, no line → 10 business days: late;
 * - payout E 95.00 of 11-13, no line, its Xero bank transaction reconciled by a person → matched, evidence the transaction;
 * - payout F 60.00 of 11-16, lines +60.00 "PAYPAL TRANSFER PAYELANCER 1111" and "… 2222" on 11-18 → ambiguous;
 * - top-up G 50.00 of Saturday 04-04, card lines −51.50 on Monday 04-06 and −50.00 on 04-13 (6 business days on)
 *   → the −51.50 on time, differs by 1.50; the exact −50.00 is left for the top-up of Sunday 04-12.
 */
export function* transitStandings(judging: TransitJudging): Generator<TransitStanding> {
  const { asOf, terms } = judging;
  const items = judging.items.filter((item) => item.reportedOn <= asOf).toSorted(inDayOrder);
  // In day order only: which lines are equally good does not depend on their order within a day, so only an
  // ambiguous item's few are put in book order (issue 72: the collator's sort of 95,000 lines, for a handful).
  const lines = new UnsettledLines(
    judging.lines.filter((line) => line.bookedOn <= asOf).sort(inDayOfBooking),
    new Set(judging.items.map((item) => item.id.toLowerCase())),
  );
  const byHand = handMatches(judging, lines);
  const others = new OtherItems(items, lines, terms, byHand, judging.byHand?.refused);
  const onTime = lastDaysOnTime();
  // Items come in day order and share days: each day's age and window end are worked out once, not once per item.
  let day = '';
  let windowEnd = '';
  let ageDays = 0;
  let businessDays: number | undefined;
  for (const item of items) {
    if (item.reportedOn !== day) {
      day = item.reportedOn;
      windowEnd = addDays(day, terms.windowDays);
      ageDays = daysBetween(day, asOf);
      businessDays = undefined;
    }
    const taken = byHand.get(item.id);
    const window = { to: windowEnd, onTimeUntil: onTime(day, terms.alertDays(item.sourceId)) };
    const candidates =
      taken === undefined
        ? candidateLines(item, lines, window, terms, judging.byHand?.refused.get(item.id), others)
        : [taken];
    if (candidates.length === 1) {
      const line = candidates[0]!;
      lines.settle(line);
      const match = {
        line,
        differenceMicros: differenceOf(item, line),
        ...(taken === undefined ? {} : { byHand: true as const }),
      };
      yield {
        item,
        ageDays,
        match,
        state: judging.accepted.has(item.id) ? 'closed' : match.differenceMicros === 0n ? 'matched' : 'differs',
      };
      continue;
    }
    if (candidates.length > 1) {
      yield { item, ageDays, match: null, candidates: candidates.sort(inBookOrder), state: 'ambiguous' };
      continue;
    }
    const document = judging.reconciled?.get(item.id);
    if (document !== undefined) {
      yield { item, ageDays, match: null, document, state: judging.accepted.has(item.id) ? 'closed' : 'matched' };
      continue;
    }
    const waiting = judging.atDestination.has(item.id) ? 'at_destination' : item.cleared ? 'cleared' : 'reported';
    businessDays ??= businessDaysBetween(item.reportedOn, asOf);
    const late = businessDays > terms.alertDays(item.sourceId);
    yield { item, ageDays, match: null, state: late ? 'late' : waiting };
  }
}

/** The lines people matched by hand, each settled before any rule reads the lines: item id → its line. */
function handMatches(judging: TransitJudging, lines: UnsettledLines): Map<string, LandedBankLine> {
  const matched = judging.byHand?.matched;
  if (matched === undefined || matched.size === 0) return new Map();
  const byKey = new Map(
    judging.lines.filter((line) => line.bookedOn <= judging.asOf).map((line) => [lineKey(line), line]),
  );
  const taken = new Map<string, LandedBankLine>();
  for (const [itemId, key] of matched) {
    const line = byKey.get(key);
    if (line === undefined || lines.isSettled(line)) continue;
    lines.settle(line);
    taken.set(itemId, line);
  }
  return taken;
}

/**
 * Booked day, then line id as people sort them (locale order), then account and line id as stored, so two
 * accounts' lines of one day and one id keep one order whatever order the store read them in. Days are ISO
 * text: compared as text they are in calendar order. Example: on 11-14, line "p10" comes before "P2" (locale
 * order reads p as P, then 1 before 2), though "P2" sorts first as bytes; one id in two accounts: "main" first.
 */
function inBookOrder(a: LandedBankLine, b: LandedBankLine): number {
  if (a.bookedOn !== b.bookedOn) return a.bookedOn < b.bookedOn ? -1 : 1;
  return (
    byLocale().compare(a.lineId, b.lineId) ||
    (a.account === b.account ? 0 : a.account < b.account ? -1 : 1) ||
    (a.lineId === b.lineId ? 0 : a.lineId < b.lineId ? -1 : 1)
  );
}

/** Booked day alone (ISO text: as text in calendar order). */
function inDayOfBooking(a: LandedBankLine, b: LandedBankLine): number {
  return a.bookedOn === b.bookedOn ? 0 : a.bookedOn < b.bookedOn ? -1 : 1;
}

/** Reported day (ISO text: as text in calendar order), then id as people sort them (locale order). */
function inDayOrder(a: TransitItem, b: TransitItem): number {
  if (a.reportedOn !== b.reportedOn) return a.reportedOn < b.reportedOn ? -1 : 1;
  return byLocale().compare(a.id, b.id);
}

/**
 * The locale order of `localeCompare` (its spec: a collator of the default locale's), made once: each
 * `localeCompare` looks its collator up again, four times the cost over 10,000 items (issue 56).
 */
let collator: Intl.Collator | undefined;
const byLocale = (): Intl.Collator => (collator ??= new Intl.Collator());

/**
 * The item's best lines (unsettled-lines.ts), less those recognised as a later item's: a line carrying that item's
 * words (or naming it, or of its exact amount when its words are unknown), within the tolerance of its amount,
 * fewer business days after its day than after this one's, and among that item's own best. Such a line is put
 * aside and the best asked again, a bounded number of times. Example, tolerance 25.00: top-up S 10.00 of Thursday
 * 04-09 (never debited) and top-up T 10.00 of Sunday 04-12, debited "CARD 4411 SMMPANEL" −10.30 on Monday 04-13
 * (its 3 % card fee inside; 1 business day after T's day, 2 after S's) → S takes nothing (the line is not its 0.30
 * difference), T the −10.30. Top-ups of Friday 04-03 and Saturday 04-04 with lines on Monday 04-06 are as near
 * each (1 business day): neither puts a line aside. Top-ups of 48.00 on Thursday 03-26 and 30.00 on Friday 03-27,
 * lines −49.44 on 03-27 and −30.00 on 03-30: the −49.44 is not the 30.00's best, so the 48.00 takes it.
 */
function candidateLines(
  item: TransitItem,
  lines: UnsettledLines,
  window: { to: string; onTimeUntil: string },
  terms: TransitTerms,
  refused: ReadonlySet<string> | undefined,
  others: OtherItems,
): LandedBankLine[] {
  const wanted = {
    currency: item.currency,
    expectedMicros: expectedOf(item),
    from: item.reportedOn,
    ...window,
    id: item.id.toLowerCase(),
    words: terms.bankWords?.(item.sourceId),
    refused,
  };
  let putAside: Set<string> | undefined;
  for (let round = 0; round < MOST_LINES_PUT_ASIDE; round += 1) {
    const best = lines.best(wanted, terms.toleranceMicros);
    const theirs = best.filter((line) => others.claim(line, item));
    if (theirs.length === 0) return best;
    putAside ??= new Set(refused);
    for (const line of theirs) putAside.add(lineKey(line));
    wanted.refused = putAside;
  }
  return [];
}

/** How many rounds an item puts lines aside as later items' before it takes none (each round puts one aside at least). */
const MOST_LINES_PUT_ASIDE = 16;

/** The amount signed as the bank books it: a payout's in (positive), a top-up's out (negative). */
const expectedOf = (item: TransitItem): bigint => (item.kind === 'payout' ? item.amountMicros : -item.amountMicros);

/** An item as OtherItems reads it: its id in lower case and its signed amount worked out once, not per line asked. */
interface OtherItem {
  item: TransitItem;
  id: string;
  expectedMicros: bigint;
}

/** The items in day order by currency and direction, asked whether a line is a later item's rather than the one judged. */
class OtherItems {
  private readonly byKind = new Map<string, OtherItem[]>();
  private readonly words = new Map<string, RegExp | undefined>();

  constructor(
    items: readonly TransitItem[],
    private readonly lines: UnsettledLines,
    private readonly terms: TransitTerms,
    private readonly byHand: ReadonlyMap<string, LandedBankLine>,
    private readonly refused: ReadonlyMap<string, ReadonlySet<string>> | undefined,
  ) {
    for (const item of items) {
      const other = { item, id: item.id.toLowerCase(), expectedMicros: expectedOf(item) };
      const key = kindKey(item.currency, other.expectedMicros > 0n);
      const list = this.byKind.get(key);
      if (list === undefined) this.byKind.set(key, [other]);
      else list.push(other);
    }
  }

  /**
   * Whether a later item, not matched by hand, recognises the line within its tolerance, is fewer business days from
   * it, and counts it among its own best lines (its best is asked only of the few items the rest leaves).
   */
  claim(line: LandedBankLine, judged: TransitItem): boolean {
    const others = this.byKind.get(kindKey(line.currency, line.amountMicros > 0n)) ?? [];
    const tolerance = this.terms.toleranceMicros > 0n ? this.terms.toleranceMicros : 0n;
    let judgedDays: number | undefined;
    for (let index = firstReportedAfter(others, judged.reportedOn); index < others.length; index += 1) {
      const { item: other, id, expectedMicros } = others[index]!;
      if (other.reportedOn > line.bookedOn) break;
      if (line.amountMicros < expectedMicros - tolerance || line.amountMicros > expectedMicros + tolerance) continue;
      if (this.byHand.has(other.id)) continue;
      const refused = this.refused?.get(other.id);
      if (refused?.has(lineKey(line)) === true) continue;
      // Cheapest first: most later items within the tolerance do not recognise the line (issue 72's 10,000 payouts).
      const recognition = { id, words: this.wordsOf(other.sourceId), expectedMicros };
      if (!this.lines.recognises(line, recognition)) continue;
      judgedDays ??= businessDaysBetween(judged.reportedOn, line.bookedOn);
      if (businessDaysBetween(other.reportedOn, line.bookedOn) >= judgedDays) continue;
      const wanted = {
        ...recognition,
        currency: other.currency,
        from: other.reportedOn,
        to: addDays(other.reportedOn, this.terms.windowDays),
        onTimeUntil: lastDayWithinBusinessDays(other.reportedOn, this.terms.alertDays(other.sourceId)),
        refused,
      };
      if (this.lines.best(wanted, this.terms.toleranceMicros).includes(line)) return true;
    }
    return false;
  }

  /** A source's bank words, asked of the terms once, when a line is first weighed for one of its items. */
  private wordsOf(sourceId: string): RegExp | undefined {
    if (!this.words.has(sourceId)) this.words.set(sourceId, this.terms.bankWords?.(sourceId));
    return this.words.get(sourceId);
  }
}

/** lastDayWithinBusinessDays, each day and number of days worked out once (items share days: issue 72's 10,000). */
function lastDaysOnTime(): (day: string, days: number) => string {
  const known = new Map<string, string>();
  return (day, days) => {
    const key = `${day}+${days}`;
    let last = known.get(key);
    if (last === undefined) known.set(key, (last = lastDayWithinBusinessDays(day, days)));
    return last;
  };
}

const kindKey = (currency: string, moneyIn: boolean): string => `${currency}${moneyIn ? '+' : '-'}`;

/** The first position whose item is reported after `day`, in items kept in day order (binary search). */
function firstReportedAfter(items: readonly OtherItem[], day: string): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (items[middle]!.item.reportedOn <= day) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** What the bank moved less what the ledger expects, either way: a payout of 120.00 that arrived as 117.50, −2.50; a top-up of 40.00 paid −41.50, 1.50. */
function differenceOf(item: TransitItem, line: LandedBankLine): bigint {
  const expected = item.kind === 'payout' ? item.amountMicros : -item.amountMicros;
  return expected > 0n ? line.amountMicros - expected : expected - line.amountMicros;
}
