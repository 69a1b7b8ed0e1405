import { addDays, daysBetween } from '../../calendar/index.js';
import type { EventKind } from '../vocabulary.js';
import type { BankLine } from './bank-records.js';
import { businessDaysBetween } from './business-days.js';
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
  /** The source event's kind (payout_paypal, panel_topup, or a plug-in's own): its journal rule names the clearing account. */
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
  /** The event kinds whose money goes to or from the bank, each a payout or a top-up: the built-in ones and those the configured kinds declare. */
  eventKinds?: ReadonlyMap<string, 'payout' | 'topup'>;
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
 * its id, a bonus; or its exact amount when its source's words are unknown), and of them the nearest its amount,
 * then the earliest, then one naming it (unsettled-lines.ts); several equally good: `ambiguous`, and it takes none.
 * Worked example, windowDays 10, tolerance 25.00, alertDays 5, words PAYPAL|PAYELANCER, as of Friday 2026-11-27:
 * - payout A 312.40 of 2026-11-14, line +312.40 "PAYPAL TRANSFER PAYELANCER 4421" on 11-16 → matched, age 13;
 * - payout B 120.00 of 11-14, line +117.50 "PAYPAL TRANSFER PAYELANCER 5120" on 11-17 → differs by −2.50;
 * - payout C 80.00 of 11-20 (a Friday), no line → 5 business days to 11-27: cleared, not late;
 * - payout D 95.00 of 11-13, no line → 10 business days: late;
 * - payout E 95.00 of 11-13, no line, its Xero bank transaction reconciled by a person → matched, evidence the transaction;
 * - payout F 60.00 of 11-16, lines +60.00 "PAYPAL TRANSFER PAYELANCER 1111" and "… 2222" on 11-18 → ambiguous.
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
    const candidates =
      taken === undefined
        ? candidateLines(item, lines, windowEnd, terms, judging.byHand?.refused.get(item.id))
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

function candidateLines(
  item: TransitItem,
  lines: UnsettledLines,
  windowEnd: string,
  terms: TransitTerms,
  refused: ReadonlySet<string> | undefined,
): LandedBankLine[] {
  const expectedMicros = item.kind === 'payout' ? item.amountMicros : -item.amountMicros;
  const words = terms.bankWords?.(item.sourceId);
  return lines.best(
    {
      currency: item.currency,
      expectedMicros,
      from: item.reportedOn,
      to: windowEnd,
      id: item.id.toLowerCase(),
      words,
      refused,
    },
    terms.toleranceMicros,
  );
}

/** What the bank moved less what the ledger expects, either way: a payout of 120.00 that arrived as 117.50, −2.50; a top-up of 40.00 paid −41.50, 1.50. */
function differenceOf(item: TransitItem, line: LandedBankLine): bigint {
  const expected = item.kind === 'payout' ? item.amountMicros : -item.amountMicros;
  return expected > 0n ? line.amountMicros - expected : expected - line.amountMicros;
}
