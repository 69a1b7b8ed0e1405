import { loadMappings, type Config } from '../../config/index.js';
import { UsageError } from '../../errors.js';
import { cleanInput, printable } from '../../log/index.js';
import type { BooksOf } from '../../store/index.js';
import {
  bankLegTerms,
  differenceBooking,
  moneyInTransit,
  transitBooks,
  transitTerms,
  type TopUpFindings,
} from '../transit/index.js';
import { acknowledgementBooks } from './books/acknowledgement-books.js';
import { MAX_REASON_CHARACTERS } from './adjusting-entry.js';
import type { AdjustmentRequest, bookAdjustment } from './book-adjustment.js';

/** What accepting an item reads and writes: the transit's books and the acknowledgements' books, and a unit of work over both. */
interface AcceptanceBooks extends BooksOf {
  findings: TopUpFindings;
  decide<T>(work: (tx: AcceptanceBooks) => Promise<T>): Promise<T>;
}

/** An adjusting entry as booked (book-adjustment.ts). */
type BookedAdjustment = Awaited<ReturnType<typeof bookAdjustment>>;

interface TransitAcceptanceRequest {
  itemId: string;
  note: string | null;
  /** The books' day: the items are judged as of it. */
  today: string;
  user: string;
  now: Date;
  /** Each bank leg booked once the item closed, as the night says it. */
  said: (line: string) => void;
  /**
   * Books a difference as an adjusting entry on these same books (the command's booking, with the destinations'
   * lock dates), `openItem` asked under the ledger's lock whether the item is still open.
   */
  bookDifference(
    request: Omit<AdjustmentRequest, 'needsApproval'>,
    openItem: (explained: string, books: Pick<AcceptanceBooks, 'of' | 'findings'>) => Promise<boolean>,
  ): Promise<BookedAdjustment>;
}

/** What `transit accept` did: nothing (accepted already), a match acknowledged, or a difference booked. */
type TransitAcceptance =
  | { accepted: 'already' }
  | { accepted: 'match' }
  | { accepted: 'difference'; booked: BookedAdjustment; bankLegsBooked: number };

/**
 * `transit accept ID`: a person's word that an item's match, or its difference, is right, on books opened once. A
 * `differs` item's difference is booked then, as an adjusting entry naming the item and its bank line (keyed by the
 * item, so it is booked once), acknowledged in the same unit of work; any other item is acknowledged only. Whether
 * the item is accepted already is read again under the ledger's lock, in the unit that writes: two accepts at once
 * book once. The item then closed, its bank leg (the line's amount out of clearing) is booked too, as the night would.
 */
export async function acceptTransitItem(
  books: AcceptanceBooks,
  config: Pick<Config, 'mappings' | 'sources' | 'vocabularies' | 'chartEvents'>,
  request: TransitAcceptanceRequest,
): Promise<TransitAcceptance> {
  const { itemId, note } = request;
  if (note !== null) cleanInput('--note', note);
  const judging = { asOf: request.today, terms: transitTerms(config), record: false, now: request.now };
  const standingIn = async (on: Pick<AcceptanceBooks, 'of' | 'findings'>) =>
    (await moneyInTransit(on.of(transitBooks, on.findings), judging)).standings.find(
      (candidate) => candidate.item.id === itemId,
    );
  const standing = await standingIn(books);
  if (standing === undefined)
    throw new UsageError(`no payout or top-up has the id "${printable(itemId)}" (see "ledgerline transit")`);
  if (standing.state === 'closed') return { accepted: 'already' };
  const bankLegs = bankLegTerms(config);
  const bookBankLeg = async () =>
    (await moneyInTransit(books.of(transitBooks, books.findings), { ...judging, bankLegs, said: request.said }))
      .bankLegsBooked;
  const booking = differenceBooking(
    standing,
    loadMappings({ chartPath: config.mappings, vocabularies: config.vocabularies, chartEvents: config.chartEvents })
      .chart.events,
    note,
  );
  if (booking === null) {
    // A match a person says is right: acknowledged, unless the item closed meanwhile (read again in the unit that writes).
    const word = { action: 'ack' as const, note, user: request.user, at: request.now.toISOString() };
    const recorded = await books.decide(
      async (tx) =>
        (await standingIn(tx))?.state !== 'closed' &&
        (await tx.of(acknowledgementBooks).unit((acks) => acks.recordAcknowledgement(`transit:${itemId}`, word)), true),
    );
    if (!recorded) return { accepted: 'already' };
    await bookBankLeg();
    return { accepted: 'match' };
  }
  if (booking.reason.length > MAX_REASON_CHARACTERS) {
    throw new UsageError(
      `--note makes the entry's reason ${booking.reason.length} characters with the item and its bank line; keep the whole to ${MAX_REASON_CHARACTERS}`,
    );
  }
  const id = `transit:${itemId}`;
  const booked = await request.bookDifference(
    { ...booking, explains: id, id, user: request.user, now: request.now },
    async (explained, on) => explained === id && (await standingIn(on))?.state !== 'closed',
  );
  if (booked.repeated) return { accepted: 'already' };
  return { accepted: 'difference', booked, bankLegsBooked: await bookBankLeg() };
}
