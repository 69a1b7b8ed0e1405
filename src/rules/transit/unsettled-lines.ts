import type { LandedBankLine } from './transit-standing.js';

/** A line as the matching reads it: its place in book order (booked day, then line id) and its texts in lower case. */
interface IndexedLine {
  line: LandedBankLine;
  rank: number;
  reference: string;
  description: string;
}

/** What an item looks for: lines of its currency and direction booked in its window, which may have to name it. */
export interface LineWanted {
  currency: string;
  /** Signed as the bank books it: a payout's amount in (positive), a top-up's out (negative). */
  expectedMicros: bigint;
  from: string;
  to: string;
  /** The item's id in lower case, which a line names in its reference or description. */
  id: string;
}

/**
 * The landed lines not yet settling an item, indexed so that each item reads only the lines that could be its
 * own: by currency and exact amount, and by currency in day order (the window). Matching 10,000 payouts against
 * 100,000 lines by filtering every line for every item was 10⁹ comparisons; here an item with a line of its
 * amount reads that amount's few lines, and one without reads its window's. Example: payout 312.40 EUR of
 * 11-14 reads the lines of 312.40 EUR booked 11-14 to 11-24; if none is left, the EUR lines of those days whose
 * amount is within the tolerance and which name it.
 */
export class UnsettledLines {
  private readonly byAmount = new Map<string, IndexedLine[]>();
  private readonly byDay = new Map<string, IndexedLine[]>();
  private readonly settled = new Set<LandedBankLine>();

  /** `lines` in book order (booked day, then line id). */
  constructor(lines: readonly LandedBankLine[]) {
    lines.forEach((line, rank) => {
      const indexed = { line, rank, reference: line.reference.toLowerCase(), description: line.description.toLowerCase() };
      pushTo(this.byAmount, amountKey(line.currency, line.amountMicros), indexed);
      pushTo(this.byDay, line.currency, indexed);
    });
  }

  settle(line: LandedBankLine): void {
    this.settled.add(line);
  }

  /** The first unsettled line of exactly the amount in the window, one naming the item before one that does not. */
  exact(wanted: LineWanted): LandedBankLine | undefined {
    const lines = this.byAmount.get(amountKey(wanted.currency, wanted.expectedMicros)) ?? [];
    let first: LandedBankLine | undefined;
    for (let index = firstBookedOn(lines, wanted.from); index < lines.length && lines[index]!.line.bookedOn <= wanted.to; index += 1) {
      const indexed = lines[index]!;
      if (this.settled.has(indexed.line)) continue;
      if (names(indexed, wanted.id)) return indexed.line;
      first ??= indexed.line;
    }
    return first;
  }

  /** The first unsettled line in the window, in the item's direction, naming it, whose amount is within `toleranceMicros`. */
  near(wanted: LineWanted, toleranceMicros: bigint): LandedBankLine | undefined {
    const lines = this.byDay.get(wanted.currency) ?? [];
    for (let index = firstBookedOn(lines, wanted.from); index < lines.length && lines[index]!.line.bookedOn <= wanted.to; index += 1) {
      const indexed = lines[index]!;
      const amount = indexed.line.amountMicros;
      if (amount > 0n !== wanted.expectedMicros > 0n || this.settled.has(indexed.line)) continue;
      const off = amount - wanted.expectedMicros;
      if ((off < 0n ? -off : off) <= toleranceMicros && names(indexed, wanted.id)) return indexed.line;
    }
    return undefined;
  }
}

function amountKey(currency: string, micros: bigint): string {
  return `${currency} ${micros}`;
}

function pushTo(index: Map<string, IndexedLine[]>, key: string, line: IndexedLine): void {
  const lines = index.get(key);
  if (lines === undefined) index.set(key, [line]);
  else lines.push(line);
}

/** The first position whose line is booked on or after `day`, in lines kept in book order (binary search). */
function firstBookedOn(lines: readonly IndexedLine[], day: string): number {
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (lines[middle]!.line.bookedOn < day) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A line names an item when its reference or description carries the item's id (case aside). */
function names(line: IndexedLine, id: string): boolean {
  return line.reference.includes(id) || line.description.includes(id);
}
