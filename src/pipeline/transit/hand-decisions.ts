import { TransitLinkRefusedError } from '../../errors.js';
import { BANK_LEG_PREFIX, lineKey, type LandedBankLine, type TransitStanding } from '../../rules/index.js';
import type { BankLegTerms } from './bank-legs.js';
import { moneyInTransit, type TransitOptions } from './money-in-transit.js';
import type { TransitBooks } from './transit-books.js';

/**
 * What a person's decision needs: the judging of the day, the bank legs' terms (a settled item's leg is booked at
 * once), and where it was asked (default: `transit match`/`unmatch` on the command line), whose words the refusals use.
 */
export type DecisionOptions = Omit<TransitOptions, 'record' | 'bankLegs'> & {
  bankLegs: BankLegTerms;
  typedIn?: DecisionTypedIn;
};

/** Where a person gave the word: the command line, or the console's bank-lines page. */
export type DecisionTypedIn = 'command' | 'form';

/** What a refusal tells a person to do, in the words of where they asked. */
const NEXT_STEP: Record<
  DecisionTypedIn,
  { listItems: string; listLines: string; unmatch: (itemId: string) => string; adjust: string }
> = {
  command: {
    listItems: 'list them with "ledgerline transit"',
    listLines: 'a line is ACCOUNT:LINE-ID, as "ledgerline bank lines" lists it',
    unmatch: (itemId) => `"ledgerline transit unmatch ${itemId}"`,
    adjust: '"ledgerline adjust"',
  },
  form: {
    listItems: 'choose one of the payouts and top-ups this page offers',
    listLines: 'choose a line this page lists',
    unmatch: () => 'with Unmatch on its line of this page',
    adjust: "an adjusting entry (the console's Adjusting entry form)",
  },
};

/** What a decision did: `recorded` false when it was the standing word already (nothing written); the item as it stands after. */
export interface Decision {
  recorded: boolean;
  standing: TransitStanding;
  bankLegsBooked: number;
}

/**
 * `ledgerline transit match ITEM LINE`: the person's word that a landed line is the item's, recorded with who and
 * when in one unit of work with what follows from it (the item's bank leg once it is matched, its balance rise
 * acknowledged). The line must be of the item's currency and direction, and settle no other item; its day and
 * amount are the person's call (a differing amount makes the item `differs`, for `transit accept` to book). Asked
 * again, nothing more is recorded. Example: payout P of 80.00 ambiguous between operating:L-7 and operating:L-8
 * (both +80.00 "PAYPAL TRANSFER PAYELANCER …" on 04-10) → match P operating:L-8 → P matched, L-7 a stray line.
 */
export async function matchByHand(
  books: TransitBooks,
  options: DecisionOptions,
  itemId: string,
  key: string,
  user: string,
): Promise<Decision> {
  return books.unitOfWork(async (tx) => {
    const { standings } = await moneyInTransit(tx, { ...options, record: false });
    const words = NEXT_STEP[options.typedIn ?? 'command'];
    const standing = standingOf(standings, itemId, options);
    const line = await landedLine(tx, itemId, key, options);
    const expectedIn = standing.item.kind === 'payout';
    if (line.currency !== standing.item.currency || line.amountMicros > 0n !== expectedIn) {
      const wanted = `${expectedIn ? 'money in' : 'money out'} in ${standing.item.currency}`;
      throw refusal(
        options,
        itemId,
        `line ${key} is ${line.amountMicros > 0n ? 'money in' : 'money out'} in ${line.currency}, ` +
          `and a ${standing.item.kind === 'payout' ? 'payout' : 'top-up'} takes ${wanted}`,
      );
    }
    if (standing.match !== null && lineKey(standing.match.line) === key)
      return { recorded: false, standing, bankLegsBooked: 0 };
    const holder = standings.find(
      (other) => other.match !== null && other.item.id !== itemId && lineKey(other.match.line) === key,
    );
    if (holder !== undefined)
      throw refusal(
        options,
        itemId,
        `line ${key} settles ${holder.item.id}; unmatch that first (${words.unmatch(holder.item.id)})`,
      );
    await refuseABookedLeg(tx, standing, options);
    await tx.recordLinkWord({
      itemId,
      action: 'match',
      account: line.account,
      lineId: line.lineId,
      user,
      at: options.now.toISOString(),
    });
    return settledAfter(tx, options, itemId);
  });
}

/**
 * `ledgerline transit unmatch ITEM`: the person's word that the line the item took is not its own. The item lets
 * the line go (a stray line again, or another item's), and the rules never give it that line again. An item
 * holding no line: nothing is recorded. An item whose bank leg the journal holds is refused: the append-only
 * journal keeps that move, which only an adjusting entry corrects.
 */
export async function unmatchByHand(
  books: TransitBooks,
  options: DecisionOptions,
  itemId: string,
  user: string,
): Promise<Decision> {
  return books.unitOfWork(async (tx) => {
    const { standings } = await moneyInTransit(tx, { ...options, record: false });
    const standing = standingOf(standings, itemId, options);
    if (standing.match === null) return { recorded: false, standing, bankLegsBooked: 0 };
    await refuseABookedLeg(tx, standing, options);
    const { line } = standing.match;
    await tx.recordLinkWord({
      itemId,
      action: 'unmatch',
      account: line.account,
      lineId: line.lineId,
      user,
      at: options.now.toISOString(),
    });
    return settledAfter(tx, options, itemId);
  });
}

/** The refusal of a decision, in the words of where it was asked. */
function refusal(options: DecisionOptions, itemId: string, reason: string): TransitLinkRefusedError {
  return new TransitLinkRefusedError(itemId, reason, options.typedIn ?? 'command');
}

function standingOf(standings: readonly TransitStanding[], itemId: string, options: DecisionOptions): TransitStanding {
  const standing = standings.find((candidate) => candidate.item.id === itemId);
  if (standing === undefined)
    throw refusal(
      options,
      itemId,
      `no payout or top-up has this id (${NEXT_STEP[options.typedIn ?? 'command'].listItems})`,
    );
  return standing;
}

async function landedLine(
  books: TransitBooks,
  itemId: string,
  key: string,
  options: DecisionOptions,
): Promise<LandedBankLine> {
  const colon = key.indexOf(':');
  const [line] =
    colon <= 0 ? [] : await books.linesNamed([{ account: key.slice(0, colon), lineId: key.slice(colon + 1) }]);
  if (line === undefined)
    throw refusal(
      options,
      itemId,
      `no landed bank line is "${key}" (${NEXT_STEP[options.typedIn ?? 'command'].listLines})`,
    );
  return line;
}

async function refuseABookedLeg(
  books: TransitBooks,
  standing: TransitStanding,
  options: DecisionOptions,
): Promise<void> {
  if (!(await books.bankLegItems()).has(standing.item.id)) return;
  const from = standing.match === null ? '' : ` from line ${lineKey(standing.match.line)}`;
  throw refusal(
    options,
    standing.item.id,
    `its bank leg ${BANK_LEG_PREFIX}${standing.item.id} is booked${from}, and the journal is append-only: ` +
      `correct it with ${NEXT_STEP[options.typedIn ?? 'command'].adjust} naming the item`,
  );
}

async function settledAfter(books: TransitBooks, options: DecisionOptions, itemId: string): Promise<Decision> {
  const { standings, bankLegsBooked } = await moneyInTransit(books, { ...options, record: false });
  return { recorded: true, standing: standingOf(standings, itemId, options), bankLegsBooked };
}
