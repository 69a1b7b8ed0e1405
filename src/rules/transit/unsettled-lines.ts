import type { LandedBankLine } from './transit-standing.js';

/** What an item looks for: lines of its currency and direction booked in its window, in the bank's words for its source. */
export interface LineWanted {
  currency: string;
  /** Signed as the bank books it: a payout's amount in (positive), a top-up's out (negative). */
  expectedMicros: bigint;
  from: string;
  to: string;
  /** The last day a line is on time for the item (`alertDays` business days after its day): such a line wins over any later one. */
  onTimeUntil: string;
  /** The item's id in lower case: a line naming it is recognised whatever its words (a bonus, never required). */
  id: string;
  /** The words a bank writes on a line of the item's source (`PAYPAL|PAYELANCER`); none known: only an exact amount or the id recognises a line. */
  words: RegExp | undefined;
  /** Lines a person said are not this item's (`transit unmatch`), by lineKey. */
  refused: ReadonlySet<string> | undefined;
}

/** A line's key across accounts: `account:lineId`, as `transit` and `bank lines` name it. */
export function lineKey(line: Pick<LandedBankLine, 'account' | 'lineId'>): string {
  return `${line.account}:${line.lineId}`;
}

/** How good a candidate is: on time first, then the amount's distance, then the day (the earlier), then whether it names the item. */
interface Rank {
  onTime: boolean;
  offMicros: bigint;
  bookedOn: string;
  named: boolean;
}

/**
 * The landed lines not yet settling an item, indexed so that each item reads only the lines that could be its
 * own: by currency and exact amount, and by currency in day order (the window). A line is an item's candidate when
 * it is in the item's currency, direction and window, within the tolerance of its amount, and recognised: it
 * carries the bank's words for the item's source (`PAYPAL TRANSFER PAYELANCER 4421`), or names the item's id, or
 * (for a source whose words are unknown) has its exact amount. The best candidates are those on time (booked by
 * the item's `onTimeUntil`, the bank's calendar: `alertDays` business days after its day), then nearest the amount,
 * then the earliest, then one naming the item; several equally good are ambiguous. Example, payout 95.00 of 04-10,
 * words PAYPAL|PAYELANCER: lines +92.50 "PAYPAL TRANSFER PAYELANCER 4421" on 04-12 and +95.00 "RENT REFUND" →
 * the first, 2.50 off (the rent refund is not recognised); two lines +95.00 "PAYPAL …" on 04-12 → both, ambiguous.
 * Issue 83: top-up 50.00 of Saturday 04-04 (on time until Sunday 04-12), card lines −51.50 on Monday 04-06 and
 * −50.00 on 04-13 → the −51.50, on time, 1.50 off (the exact −50.00 a week later is another top-up's). A line in a
 * bank's fee words ("NON-STERLING TRANSACTION FEE") or under half the item's amount is no item's unless it names it.
 */
export class UnsettledLines {
  /**
   * Currency → amount as a number → its lines in day order. A number, not the bigint: a Map hashes a bigint key in
   * the runtime, once per line and item (issue 72: ~15 % of judging 100,000 items). Two amounts beyond 2^53 micro-units
   * could share a key; bestOf keeps only the exact amount's lines of it.
   */
  private readonly byAmount = new Map<string, Map<number, LandedBankLine[]>>();
  /**
   * Currency → its lines in day order, money in and money out apart (a payout reads only money in), and apart
   * again those whose text holds a colon, the only ones that can name an item whose id holds one.
   */
  private readonly byDay = new Map<string, DayLines>();
  private readonly settled = new Set<LandedBankLine>();
  /** Item id (lower case) → the lines whose text names it, in day order: built on the first search that needs it. */
  private namedBy: Map<string, LandedBankLine[]> | undefined;
  /** A line's reference and description, once a search first reads them (few lines ever are: no wrapper per line). */
  private readonly texts = new Map<LandedBankLine, LineText>();

  /**
   * `lines` in day order (booked day; within a day any order: the best of an item are all its equally good lines,
   * returned in the order given); `itemIds` every item's id in lower case, so a line naming one is that item's alone.
   */
  constructor(
    lines: readonly LandedBankLine[],
    private readonly itemIds: ReadonlySet<string>,
  ) {
    for (const line of lines) {
      let amounts = this.byAmount.get(line.currency);
      if (amounts === undefined) this.byAmount.set(line.currency, (amounts = new Map()));
      pushTo(amounts, Number(line.amountMicros), line);
      let days = this.byDay.get(line.currency);
      if (days === undefined) this.byDay.set(line.currency, (days = { all: [[], []], naming: [[], []] }));
      // Zero is money out, as a line of 0.00 is no payout's.
      const direction = line.amountMicros > 0n ? MONEY_IN : MONEY_OUT;
      days.all[direction].push(line);
      if (holdsColon(line)) days.naming[direction].push(line);
    }
  }

  settle(line: LandedBankLine): void {
    this.settled.add(line);
  }

  isSettled(line: LandedBankLine): boolean {
    return this.settled.has(line);
  }

  /**
   * The item's best candidates: none, one (its line), or several equally good (ambiguous). A recognised line of
   * the exact amount on time is as good as a line can be, so the window is read only when the amount's own lines
   * hold none on time. Then, without words for its source, a line is recognised only by naming the item (any of the
   * exact amount was judged already): for an id with a colon, only the lines naming it are read (linesNaming).
   */
  best(wanted: LineWanted, toleranceMicros: bigint): LandedBankLine[] {
    const exact = this.bestOf(this.byAmount.get(wanted.currency)?.get(Number(wanted.expectedMicros)) ?? [], wanted, 0n);
    if (exact.length > 0 && exact[0]!.bookedOn <= wanted.onTimeUntil) return exact;
    const around = this.bestWithin(wanted, toleranceMicros);
    // A line on time wins over an exact amount later; with none on time, the exact amount is as near as a line can be.
    if (around.length > 0 && around[0]!.bookedOn <= wanted.onTimeUntil) return around;
    return exact.length > 0 ? exact : around;
  }

  /** The best candidates within the tolerance (the exact amount's lines among them, where they can be recognised). */
  private bestWithin(wanted: LineWanted, toleranceMicros: bigint): LandedBankLine[] {
    const days = this.byDay.get(wanted.currency);
    if (days === undefined) return [];
    const direction = wanted.expectedMicros > 0n ? MONEY_IN : MONEY_OUT;
    const tolerance = toleranceMicros > 0n ? toleranceMicros : 0n;
    if (wanted.words !== undefined || !wanted.id.includes(':'))
      return this.bestOf(days.all[direction], wanted, tolerance);
    // Only a line naming the item can be its own now (any of its exact amount is judged in best): those that name it.
    return this.bestOf(
      this.linesNaming(wanted.id).filter(
        (line) => line.currency === wanted.currency && (line.amountMicros > 0n ? MONEY_IN : MONEY_OUT) === direction,
      ),
      wanted,
      tolerance,
    );
  }

  /**
   * The lines whose text names the item `id` (lower case, holding a colon), found once for all items by searching
   * each line whose text holds a colon for every item's id (idsWithin). Issue 72: the 10,000 items of 100,000 with
   * no line of their amount each read the ~1,800 colon lines of their window; now each reads the few naming it.
   */
  private linesNaming(id: string): readonly LandedBankLine[] {
    if (this.namedBy === undefined) {
      const namedBy = new Map<string, LandedBankLine[]>();
      const byShape = new Map<string, IdShape>();
      let oneLineIds = true;
      for (const itemId of this.itemIds) {
        const shape = { firstWord: itemId.slice(0, itemId.indexOf(':')), length: itemId.length };
        if (itemId.includes(':')) byShape.set(`${shape.length}:${shape.firstWord}`, shape);
        if (itemId.includes('\n')) oneLineIds = false;
      }
      const search = { shapes: [...byShape.values()], oneLineIds };
      // Each currency's and direction's lines in day order: the search filters the item's, which stay in order.
      for (const days of this.byDay.values())
        for (const line of [...days.naming[MONEY_IN], ...days.naming[MONEY_OUT]])
          for (const itemId of this.idsWithin(line, search)) pushTo(namedBy, itemId, line);
      this.namedBy = namedBy;
    }
    return this.namedBy.get(id) ?? [];
  }

  /** The best recognised unsettled lines among `lines` (in day order) in the window and within `toleranceMicros`. */
  private bestOf(lines: readonly LandedBankLine[], wanted: LineWanted, toleranceMicros: bigint): LandedBankLine[] {
    // Bounds compared, not a difference taken per line: a bigint subtraction allocates, and a window holds thousands.
    const lowest = wanted.expectedMicros - toleranceMicros;
    const highest = wanted.expectedMicros + toleranceMicros;
    let best: LandedBankLine[] = [];
    let bestRank: Rank | undefined;
    for (
      let index = firstBookedOn(lines, wanted.from);
      index < lines.length && lines[index]!.bookedOn <= wanted.to;
      index += 1
    ) {
      const line = lines[index]!;
      // The amount first: most lines of a window are far from the item's.
      if (line.amountMicros < lowest || line.amountMicros > highest || this.settled.has(line)) continue;
      if (wanted.refused?.has(lineKey(line)) === true) continue;
      const named = this.names(line, wanted.id);
      const exact = line.amountMicros === wanted.expectedMicros;
      if (!named && !this.carriesWords(line, wanted.words, exact)) continue;
      // A fee in the bank's words, or a line of a small fraction of the item, is no item's money: it stays for a
      // person or a fee rule (issue 83: a −1.50 "CARD FEE" taken as a 5.00 top-up's line, 3.50 off).
      if (!named && (this.readsAsFee(line) || (!exact && smallFractionOf(line.amountMicros, wanted.expectedMicros))))
        continue;
      // A line naming another item is that item's evidence, never this one's (asked last: it searches the text).
      if (!named && this.claims(line).length > 0) continue;
      const rank: Rank = {
        onTime: line.bookedOn <= wanted.onTimeUntil,
        offMicros: exact ? 0n : absolute(line.amountMicros - wanted.expectedMicros),
        bookedOn: line.bookedOn,
        named,
      };
      const order = bestRank === undefined ? -1 : compareRanks(rank, bestRank);
      if (order < 0) [best, bestRank] = [[line], rank];
      else if (order === 0) best.push(line);
    }
    return best;
  }

  /**
   * Whether a line could be an item's by its text: it names the item, or carries the bank's words for its source,
   * or (its source's words unknown) has the item's exact amount. The tolerance is the caller's to judge.
   */
  recognises(line: LandedBankLine, wanted: Pick<LineWanted, 'id' | 'words' | 'expectedMicros'>): boolean {
    return (
      this.names(line, wanted.id) || this.carriesWords(line, wanted.words, line.amountMicros === wanted.expectedMicros)
    );
  }

  /** A line names an item when its reference or description carries the item's id (case aside). */
  private names(line: LandedBankLine, id: string): boolean {
    // An id with a colon is named only by a text holding one: the others' text is never put together (most lines).
    if (!holdsColon(line) && id.includes(':')) return false;
    // An ASCII id (lower case) held as written is held in lower case too: no text put together for it (issue 72).
    if ((line.reference.includes(id) || line.description.includes(id)) && ASCII.test(id)) return true;
    return this.textOf(line).lowered.includes(id);
  }

  /**
   * The items' ids the line's text holds, each once. An id held has its first colon on one of the text's colons,
   * its first word just before it, so only those places are tried, for each shape (first word, length) of the ids:
   * "payout payelancer:pub:payout:000012" is cut at its first colon only, never at each of its characters.
   */
  private idsWithin(line: LandedBankLine, { shapes, oneLineIds }: IdSearch): string[] {
    const ids: string[] = [];
    // ASCII text keeps each character's place in lower case, and an id of one line cannot span the reference and
    // the description: each is searched as written, each place tried lowered alone (issue 72: no text put together,
    // lowered and kept for each of the 50,000 lines whose text holds a colon).
    const apart = oneLineIds && ASCII.test(line.reference) && ASCII.test(line.description);
    for (const text of apart ? [line.reference, line.description] : [this.textOf(line).lowered])
      for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1))
        for (const { firstWord, length } of shapes) {
          const start = colon - firstWord.length;
          if (start < 0 || start + length > text.length) continue;
          if (!text.startsWith(firstWord, start) && (!apart || text.slice(start, colon).toLowerCase() !== firstWord))
            continue;
          const word = apart ? text.slice(start, start + length).toLowerCase() : text.slice(start, start + length);
          if (this.itemIds.has(word) && !ids.includes(word)) ids.push(word);
        }
    return ids;
  }

  /** Whether the line's reference or description is a fee in a bank's words (FEE_WORDS). */
  private readsAsFee(line: LandedBankLine): boolean {
    return FEE_WORDS.test(this.textOf(line).text);
  }

  /** The source's words in the line's reference or description; a source without words takes an exact amount. */
  private carriesWords(line: LandedBankLine, words: RegExp | undefined, exact: boolean): boolean {
    return words === undefined ? exact : words.test(this.textOf(line).text);
  }

  private textOf(line: LandedBankLine): LineText {
    let text = this.texts.get(line);
    if (text === undefined) {
      const joined = `${line.reference}\n${line.description}`;
      this.texts.set(line, (text = { text: joined, lowered: joined.toLowerCase(), claims: undefined }));
    }
    return text;
  }

  /** The items' ids the line names, worked out when first asked: a line naming the item judged never is (issue 56). */
  private claims(line: LandedBankLine): string[] {
    // Item ids are words joined by colons (payelancer:pub:payout:2026-11-14): the line's such words that are items'
    // ids. A text without a colon holds none, and is not searched (most lines: "SEPA CREDIT 4421").
    if (this.itemIds.size === 0 || !holdsColon(line)) return [];
    const text = this.textOf(line);
    text.claims ??= (text.lowered.match(ID_SHAPED) ?? []).filter((word) => this.itemIds.has(word));
    return text.claims;
  }
}

/** A currency's lines in day order by direction (MONEY_IN, MONEY_OUT): all of them, and those whose text holds a colon. */
interface DayLines {
  all: [LandedBankLine[], LandedBankLine[]];
  naming: [LandedBankLine[], LandedBankLine[]];
}
const MONEY_IN = 0;
const MONEY_OUT = 1;

/** A line's text as the search reads it: as written, in lower case, and the ids it claims once asked. */
interface LineText {
  text: string;
  lowered: string;
  claims: string[] | undefined;
}

/** Whether a line's reference or description holds a colon (lower case adds none and takes none away). */
const holdsColon = (line: LandedBankLine): boolean => line.reference.includes(':') || line.description.includes(':');

/** The text of an id before its first colon, and its length: where a line's text could hold it. */
interface IdShape {
  firstWord: string;
  length: number;
}

/** What idsWithin tries: the ids' shapes, and whether no id holds a line break. */
interface IdSearch {
  shapes: readonly IdShape[];
  oneLineIds: boolean;
}

/** Text of ASCII characters only, whose lower case is as long as it, place for place. */
const ASCII = /^[\x00-\x7f]*$/;

/** Words joined by at least two colons, the shape of an item's id. */
const ID_SHAPED = /[^\s:/,;]+(?::[^\s:/,;]+){2,}/g;

/**
 * A fee as banks word it on a line of its own: "CARD FEE", "FX FEE", UK banks' "NON-STERLING TRANSACTION FEE" and
 * "NON-STERLING PURCHASE FEE", "FOREIGN TRANSACTION FEE", "COMMISSION".
 */
const FEE_WORDS = /\b(?:FEES?|COMMISSION)\b/i;

/**
 * Whether a line is less than half the item's amount: no fee withheld or added takes half of a payout or a top-up, so
 * such a line is something else (a fee, a part of another payment). Example: −2.00 against a 20.00 top-up.
 */
function smallFractionOf(lineMicros: bigint, expectedMicros: bigint): boolean {
  return absolute(lineMicros) * 2n < absolute(expectedMicros);
}

function compareRanks(a: Rank, b: Rank): number {
  if (a.onTime !== b.onTime) return a.onTime ? -1 : 1;
  if (a.offMicros !== b.offMicros) return a.offMicros < b.offMicros ? -1 : 1;
  if (a.bookedOn !== b.bookedOn) return a.bookedOn < b.bookedOn ? -1 : 1;
  return a.named === b.named ? 0 : a.named ? -1 : 1;
}

const absolute = (micros: bigint): bigint => (micros < 0n ? -micros : micros);

function pushTo<Key>(index: Map<Key, LandedBankLine[]>, key: Key, line: LandedBankLine): void {
  const lines = index.get(key);
  if (lines === undefined) index.set(key, [line]);
  else lines.push(line);
}

/** The first position whose line is booked on or after `day`, in lines kept in day order (binary search). */
function firstBookedOn(lines: readonly LandedBankLine[], day: string): number {
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (lines[middle]!.bookedOn < day) low = middle + 1;
    else high = middle;
  }
  return low;
}
