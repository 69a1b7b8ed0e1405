import { TransitLinkRefusedError } from '../../errors.js';
import { addDays } from '../../calendar/index.js';
import { bankLegReversal, lineKey, type LandedBankLine, type TransitStanding } from '../../rules/index.js';
import { clearingAccountOf } from './clearing-account.js';
import { linesSettledByEntries } from './entry-settlements.js';
import { handWords } from './hand-matches.js';
import type { BankLegTerms } from './bank-legs.js';
import { moneyInTransit, type TransitOptions } from './money-in-transit.js';
import type { TransitBooks, TransitBooksTx } from './books/transit-books.js';

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
  /** The entry ids of the bank legs booked (the item's own, or another's its word freed a line for). */
  bankLegIds?: string[];
  /** The reversal of the bank leg the item's earlier line had booked, when one stood. */
  bankLegReversed?: string;
  /** The differences booked under an earlier acceptance now that the item holds a differing line, each in one line. */
  lateDifferences?: string[];
}

/**
 * `ledgerline transit match ITEM LINE`: the person's word that a landed line is the item's, recorded with who and
 * when in one unit of work with what follows from it (the item's bank leg once it is matched, its balance rise
 * acknowledged). The line must be of the item's currency and direction, and settle no other item; its day and
 * amount are the person's call (a differing amount makes the item `differs`, for `transit accept` to book). Asked
 * again, nothing more is recorded. Example: payout P of 80.00 ambiguous between operating:L-7 and operating:L-8
 * (both +80.00 "PAYPAL TRANSFER PAYELANCER …" on 04-10) → match P operating:L-8 → P matched, L-7 a stray line.
 */
async function matchByHand(
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
    const entry = linesSettledByEntries(handWords(await tx.linkWords())).get(key);
    if (entry !== undefined) throw refusal(options, itemId, `line ${key} is explained by ${entry}, booked by hand`);
    const reversed = await reverseItsBankLeg(tx, standing, options);
    await tx.recordLinkWord({
      itemId,
      action: 'match',
      account: line.account,
      lineId: line.lineId,
      user,
      at: options.now.toISOString(),
    });
    return settledAfter(tx, options, itemId, reversed);
  });
}

/**
 * `ledgerline transit unmatch ITEM`: the person's word that the line the item took is not its own. The item lets
 * the line go (a stray line again, or another item's), and the rules never give it that line again. An item
 * holding no line: nothing is recorded. An item whose bank leg the journal holds has it reversed in the same unit
 * (the append-only journal keeps both: rules bankLegReversal), so the line is free for `transit match` and the
 * item's money is in clearing again. Example: top-ups T1 (04-03) and T2 (04-04) of 50.00, T1 took the −50.00
 * line and T2 the −51.50 one (the 3 % card fee is T1's): unmatch T1 → je:bank-leg-reversal:1:T1 (Dr bank 50.00 /
 * Cr topup_clearing 50.00); T1 takes −51.50 (differs), T2 −50.00 (matched, its leg booked). Refused when the
 * item's difference is booked (`transit accept`): that entry would stay in clearing; correct it with `adjust`.
 */
async function unmatchByHand(
  books: TransitBooks,
  options: DecisionOptions,
  itemId: string,
  user: string,
): Promise<Decision> {
  return books.unitOfWork(async (tx) => {
    const { standings } = await moneyInTransit(tx, { ...options, record: false });
    const standing = standingOf(standings, itemId, options);
    if (standing.match === null) return { recorded: false, standing, bankLegsBooked: 0 };
    const reversed = await reverseItsBankLeg(tx, standing, options);
    const { line } = standing.match;
    await tx.recordLinkWord({
      itemId,
      action: 'unmatch',
      account: line.account,
      lineId: line.lineId,
      user,
      at: options.now.toISOString(),
    });
    return settledAfter(tx, options, itemId, reversed);
  });
}

/**
 * A person's word on an item, as `transit match`/`unmatch` and the console's bank-lines page give it: the line it
 * takes (`match`, with the line), or that it lets its line go (`unmatch`).
 */
export function decideByHand(
  books: TransitBooks,
  options: DecisionOptions,
  asked: { verb: 'match' | 'unmatch'; itemId: string; line: string | undefined },
  user: string,
): Promise<Decision> {
  return asked.verb === 'match'
    ? matchByHand(books, options, asked.itemId, asked.line ?? '', user)
    : unmatchByHand(books, options, asked.itemId, user);
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

/**
 * Reverses the item's standing bank leg (the line it took is let go), in the unit that records the word; nothing when
 * none stands. Refused when the item's difference is booked: reversing the leg would leave that entry in clearing.
 */
async function reverseItsBankLeg(
  tx: TransitBooksTx,
  standing: TransitStanding,
  options: DecisionOptions,
): Promise<string | undefined> {
  const [legs, differences, closedThrough] = await Promise.all([
    tx.bankLegsByItem(),
    tx.differenceItems(),
    tx.closedThrough(),
  ]);
  const booked = legs.get(standing.item.id);
  const { match } = standing;
  const bank = match === null ? undefined : options.bankLegs.ledgerAccounts.get(match.line.account);
  if (booked?.standing === undefined || match === null || bank === undefined) return undefined;
  if (differences.has(standing.item.id))
    throw refusal(
      options,
      standing.item.id,
      `its difference from line ${lineKey(match.line)} is booked (accepted), and letting the line go would leave ` +
        `that entry in clearing: correct it with ${NEXT_STEP[options.typedIn ?? 'command'].adjust} naming the item`,
    );
  const clearing = clearingAccountOf(standing.item, options.bankLegs.events);
  const reversal = bankLegReversal(
    standing.item,
    { ...booked.standing, sourceId: match.line.account },
    { clearing, bank },
  );
  const dated =
    closedThrough !== undefined && reversal.date <= closedThrough
      ? { ...reversal, date: addDays(closedThrough, 1) }
      : reversal;
  await tx.bookBankLegs([dated], options.now);
  return dated.id;
}

async function settledAfter(
  books: TransitBooks,
  options: DecisionOptions,
  itemId: string,
  bankLegReversed: string | undefined,
): Promise<Decision> {
  const lateDifferences: string[] = [];
  const said = (line: string) => void lateDifferences.push(line);
  const { standings, bankLegsBooked, bankLegIds } = await moneyInTransit(books, { ...options, record: false, said });
  return {
    recorded: true,
    standing: standingOf(standings, itemId, options),
    bankLegsBooked,
    bankLegIds,
    ...(bankLegReversed === undefined ? {} : { bankLegReversed }),
    ...(lateDifferences.length === 0 ? {} : { lateDifferences }),
  };
}
