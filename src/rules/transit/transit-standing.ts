import { addDays, daysBetween } from '../../calendar/index.js';
import type { EventKind } from '../vocabulary.js';
import type { BankLine } from './bank-records.js';
import { businessDaysBetween } from './business-days.js';
import { UnsettledLines } from './unsettled-lines.js';

/**
 * The life of a payout or a top-up, from the ledger to the bank. `reported`: the source said it was sent (a
 * payout) or the balance rose (a top-up); `cleared`: a journal moved it to its clearing account; `at_destination`:
 * a bank-side document for it exists at Xero or QuickBooks; `matched`: a bank line of its amount settled it
 * (or the destination says its bank-side document is reconciled);
 * `differs`: a bank line naming it has another amount (a fee withheld); `late`: none of those after
 * `alertDays` business days; `closed`: a person accepted the match or the difference (`reconcile ack`).
 */
export const TRANSIT_STATES = ['reported', 'cleared', 'at_destination', 'matched', 'differs', 'late', 'closed'] as const;
export type TransitState = (typeof TRANSIT_STATES)[number];

/** A payout or a top-up as the ledger holds it. */
export interface TransitItem {
  /** The event's id, which a bank line's reference may name. */
  id: string;
  kind: 'payout' | 'topup';
  /** The source event's kind (payout_paypal, panel_topup): its journal rule names the clearing account. */
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
  /** How far a line naming the item may be off its amount and still be its line (`differs`). */
  toleranceMicros: bigint;
}

export interface TransitStanding {
  item: TransitItem;
  state: TransitState;
  /** Calendar days from the day it was reported to the day judged. */
  ageDays: number;
  match: { line: LandedBankLine; differenceMicros: bigint } | null;
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
}

/**
 * Each item's state as of a day, oldest first. Each bank line settles one item at most; an item takes, among
 * the lines booked from its day to `windowDays` after (and by `asOf`), in its currency and direction (a payout
 * money in, a top-up money out): first a line of its exact amount, one naming it before one that does not, the
 * earliest first; else a line naming it within the tolerance, which `differs`. Worked example, windowDays 10,
 * tolerance 25.00, alertDays 5, as of Friday 2026-11-27:
 * - payout A 312.40 of 2026-11-14, line +312.40 on 11-16 → matched, age 13;
 * - payout B 120.00 of 11-14, line +117.50 on 11-17 naming B → differs by −2.50;
 * - payout C 80.00 of 11-20 (a Friday), no line → 5 business days to 11-27: cleared, not late;
 * - payout D 95.00 of 11-13, no line → 10 business days: late;
 * - payout E 95.00 of 11-13, no line, its Xero BankTransfer reconciled by a person → matched, evidence the transfer.
 */
export function transitStandings(judging: TransitJudging): TransitStanding[] {
  const { asOf, terms } = judging;
  const items = judging.items.filter((item) => item.reportedOn <= asOf).toSorted((a, b) => a.reportedOn.localeCompare(b.reportedOn) || a.id.localeCompare(b.id));
  const lines = new UnsettledLines(judging.lines.filter((line) => line.bookedOn <= asOf).sort(inBookOrder));
  // Items come in day order and share days: each day's window end is worked out once, not once per item.
  let day = '';
  let windowEnd = '';
  return items.map((item) => {
    const ageDays = daysBetween(item.reportedOn, asOf);
    if (item.reportedOn !== day) [day, windowEnd] = [item.reportedOn, addDays(item.reportedOn, terms.windowDays)];
    const match = settlingLine(item, lines, windowEnd, terms);
    if (match !== null) {
      lines.settle(match.line);
      const settled = match.differenceMicros === 0n ? 'matched' : 'differs';
      return { item, ageDays, match, state: judging.accepted.has(item.id) ? 'closed' : settled };
    }
    const document = judging.reconciled?.get(item.id);
    if (document !== undefined) return { item, ageDays, match: null, document, state: judging.accepted.has(item.id) ? 'closed' : 'matched' };
    const waiting = judging.atDestination.has(item.id) ? 'at_destination' : item.cleared ? 'cleared' : 'reported';
    const late = businessDaysBetween(item.reportedOn, asOf) > terms.alertDays(item.sourceId);
    return { item, ageDays, match: null, state: late ? 'late' : waiting };
  });
}

/**
 * Booked day, then line id as people sort them (locale order), then account and line id as stored, so two
 * accounts' lines of one day and one id keep one order whatever order the store read them in. Days are ISO
 * text: compared as text they are in calendar order. Example: on 11-14, line "p10" comes before "P2" (locale
 * order reads p as P, then 1 before 2), though "P2" sorts first as bytes; one id in two accounts: "main" first.
 */
function inBookOrder(a: LandedBankLine, b: LandedBankLine): number {
  if (a.bookedOn !== b.bookedOn) return a.bookedOn < b.bookedOn ? -1 : 1;
  return a.lineId.localeCompare(b.lineId) || (a.account === b.account ? 0 : a.account < b.account ? -1 : 1) || (a.lineId === b.lineId ? 0 : a.lineId < b.lineId ? -1 : 1);
}

function settlingLine(item: TransitItem, lines: UnsettledLines, windowEnd: string, terms: TransitTerms): TransitStanding['match'] {
  const expected = item.kind === 'payout' ? item.amountMicros : -item.amountMicros;
  const wanted = { currency: item.currency, expectedMicros: expected, from: item.reportedOn, to: windowEnd, id: item.id.toLowerCase() };
  const line = lines.exact(wanted);
  if (line !== undefined) return { line, differenceMicros: 0n };
  const near = lines.near(wanted, terms.toleranceMicros);
  // What the bank moved less what the ledger expects, either way: a payout of 120.00 that arrived as 117.50, −2.50.
  return near === undefined ? null : { line: near, differenceMicros: expected > 0n ? near.amountMicros - expected : expected - near.amountMicros };
}
