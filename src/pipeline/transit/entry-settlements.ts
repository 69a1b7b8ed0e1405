import { UsageError } from '../../errors.js';
import { lineKey, type LandedBankLine } from '../../rules/index.js';
import { handWords } from './hand-matches.js';
import { moneyInTransit, type TransitOptions } from './money-in-transit.js';
import type { TransitBooks } from './books/transit-books.js';

/** What every journal entry id starts with, and no payout's or top-up's: a word naming one is an entry's, not an item's. */
const ENTRY_ID_PREFIX = 'je:';

/** Whether a person's word on a line names a journal entry (`adjust --settles`) rather than a payout or a top-up. */
export function namesAnEntry(itemId: string): boolean {
  return itemId.startsWith(ENTRY_ID_PREFIX);
}

/**
 * The lines a person said an entry booked by hand explains (`adjust --settles LINE`), by line key (account:line
 * id): the latest word on each. Example: je:adjustment:2026-04-01:3 settles operating:B-03 → {operating:B-03 → je:…:3}.
 */
export function linesSettledByEntries(words: ReturnType<typeof handWords>): Map<string, string> {
  return new Map([...words.matched].filter(([itemId]) => namesAnEntry(itemId)).map(([entryId, key]) => [key, entryId]));
}

type SettleOptions = Omit<TransitOptions, 'record' | 'bankLegs'>;

/**
 * The landed line an adjusting entry is to settle (`adjust --settles ACCOUNT:LINE-ID`), checked before anything is
 * booked: it must be landed, and neither a payout's or top-up's nor settled by another entry. Each refusal is one
 * line naming the line. Example: --settles operating:B-99 with no such line → `--settles operating:B-99: no landed
 * bank line has that id (…)`.
 */
async function lineToSettle(books: TransitBooks, options: SettleOptions, key: string): Promise<LandedBankLine> {
  const colon = key.indexOf(':');
  const [line] =
    colon <= 0 ? [] : await books.linesNamed([{ account: key.slice(0, colon), lineId: key.slice(colon + 1) }]);
  if (line === undefined)
    throw new UsageError(
      `--settles ${key}: no landed bank line has that id (a line is ACCOUNT:LINE-ID, as "ledgerline bank lines" lists it)`,
    );
  const [{ standings }, words] = await Promise.all([
    moneyInTransit(books, { ...options, record: false }),
    books.linkWords(),
  ]);
  const holder = standings.find((standing) => standing.match !== null && lineKey(standing.match.line) === key);
  if (holder !== undefined)
    throw new UsageError(
      `--settles ${key}: the line settles ${holder.item.id} (${holder.state}); an adjusting entry settles a line no payout or top-up took`,
    );
  const entry = linesSettledByEntries(handWords(words)).get(key);
  if (entry !== undefined) throw new UsageError(`--settles ${key}: the line is settled by ${entry} already`);
  return line;
}

/**
 * Records that a hand-booked entry explains a landed line (`adjust --settles`), with who and when, as a person's
 * match is recorded (transit_links): the line leaves `bank lines --unmatched`, and no rule gives it to a payout or
 * top-up. Nothing more when the entry settles it already (a rerun of the same `adjust`).
 */
async function settleLineByEntry(
  books: TransitBooks,
  line: LandedBankLine,
  entryId: string,
  word: { user: string; at: string },
): Promise<void> {
  await books.unitOfWork(async (tx) => {
    if (linesSettledByEntries(handWords(await tx.linkWords())).get(lineKey(line)) === entryId) return;
    await tx.recordLinkWord({ itemId: entryId, action: 'match', account: line.account, lineId: line.lineId, ...word });
  });
}

/**
 * `adjust --settles LINE`: the line checked first (a bad id books nothing), then the entry booked (`book`, given the
 * line, whose amount the entry must move its bank by), then the
 * line recorded as that entry's. Example: the rent line operating:B-03 of −800.00 and an entry Dr suspense 800.00 /
 * Cr bank 800.00 → the entry booked, and B-03 leaves `bank lines --unmatched`.
 */
export async function bookSettlingALine<T extends { entryId: string }>(
  books: TransitBooks,
  options: SettleOptions,
  key: string,
  book: (line: LandedBankLine) => Promise<T>,
  word: { user: string; at: string },
): Promise<{ booked: T; line: LandedBankLine }> {
  const line = await lineToSettle(books, options, key);
  const booked = await book(line);
  await settleLineByEntry(books, line, booked.entryId, word);
  return { booked, line };
}
