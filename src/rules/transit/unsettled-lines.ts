import type { LandedBankLine } from './transit-standing.js';

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
  /** Currency → amount → its lines in book order (a bigint key is found by its value). */
  private readonly byAmount = new Map<string, Map<bigint, LandedBankLine[]>>();
  /** Currency → its lines in book order, money in and money out apart: a payout reads only money in. */
  private readonly byDay = new Map<string, { moneyIn: LandedBankLine[]; moneyOut: LandedBankLine[] }>();
  private readonly settled = new Set<LandedBankLine>();
  /** A line's reference and description in lower case, once a search first reads them (few lines ever are: no wrapper per line). */
  private readonly lowered = new Map<LandedBankLine, { reference: string; description: string }>();

  /** `lines` in book order (booked day, then line id). */
  constructor(lines: readonly LandedBankLine[]) {
    for (const line of lines) {
      let amounts = this.byAmount.get(line.currency);
      if (amounts === undefined) this.byAmount.set(line.currency, (amounts = new Map()));
      pushTo(amounts, line.amountMicros, line);
      let days = this.byDay.get(line.currency);
      if (days === undefined) this.byDay.set(line.currency, (days = { moneyIn: [], moneyOut: [] }));
      // Zero is money out, as a line of 0.00 is no payout's.
      (line.amountMicros > 0n ? days.moneyIn : days.moneyOut).push(line);
    }
  }

  settle(line: LandedBankLine): void {
    this.settled.add(line);
  }

  /** The first unsettled line of exactly the amount in the window, one naming the item before one that does not. */
  exact(wanted: LineWanted): LandedBankLine | undefined {
    const lines = this.byAmount.get(wanted.currency)?.get(wanted.expectedMicros) ?? [];
    let first: LandedBankLine | undefined;
    for (let index = firstBookedOn(lines, wanted.from); index < lines.length && lines[index]!.bookedOn <= wanted.to; index += 1) {
      const line = lines[index]!;
      if (this.settled.has(line)) continue;
      if (this.names(line, wanted.id)) return line;
      first ??= line;
    }
    return first;
  }

  /** The first unsettled line in the window, in the item's direction, naming it, whose amount is within `toleranceMicros`. */
  near(wanted: LineWanted, toleranceMicros: bigint): LandedBankLine | undefined {
    const days = this.byDay.get(wanted.currency);
    const lines = (wanted.expectedMicros > 0n ? days?.moneyIn : days?.moneyOut) ?? [];
    // Bounds compared, not a difference taken per line: a bigint subtraction allocates, and a window holds thousands.
    const lowest = wanted.expectedMicros - toleranceMicros;
    const highest = wanted.expectedMicros + toleranceMicros;
    for (let index = firstBookedOn(lines, wanted.from); index < lines.length && lines[index]!.bookedOn <= wanted.to; index += 1) {
      const line = lines[index]!;
      // The amount first: most lines of a window are far from the item's.
      if (line.amountMicros < lowest || line.amountMicros > highest) continue;
      if (!this.settled.has(line) && this.names(line, wanted.id)) return line;
    }
    return undefined;
  }

  /** A line names an item when its reference or description carries the item's id (case aside). */
  private names(line: LandedBankLine, id: string): boolean {
    let text = this.lowered.get(line);
    if (text === undefined) this.lowered.set(line, (text = { reference: line.reference.toLowerCase(), description: line.description.toLowerCase() }));
    return text.reference.includes(id) || text.description.includes(id);
  }
}

function pushTo<Key>(index: Map<Key, LandedBankLine[]>, key: Key, line: LandedBankLine): void {
  const lines = index.get(key);
  if (lines === undefined) index.set(key, [line]);
  else lines.push(line);
}

/** The first position whose line is booked on or after `day`, in lines kept in book order (binary search). */
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
