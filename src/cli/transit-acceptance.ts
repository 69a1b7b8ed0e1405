import { loadMappings } from '../config/index.js';
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import { cleanInput, printable } from '../log/index.js';
import { TRANSIT_ENTRY_PREFIXES } from '../rules/index.js';
import { formatMicros } from '../money/index.js';
import { MAX_REASON_CHARACTERS } from '../pipeline/adjustments/index.js';
import { bankLegTerms, differenceBooking, moneyInTransit, transitTerms } from '../pipeline/transit/index.js';
import type { Books } from '../app/index.js';
import { adjustingConfig, bookAdjustingEntry } from './adjusting-entries.js';
import { booksDays } from './calendar.js';
import type { CommandProcess } from './command.js';
import { loadConfigFor, withBooksFor } from './load.js';
import { operatingSystemUser } from './operating-system-user.js';

/**
 * `transit accept ID`: a person's word that an item's match, or its difference, is right. A `differs` item's
 * difference is booked then, as an adjusting entry naming the item and its bank line (keyed by the item, so it is
 * booked once), acknowledged in the same unit of work; any other item is acknowledged only. Whether the item is
 * accepted already is read again under the ledger's lock, in the unit that writes: two accepts at once book once.
 * The item then closed, its bank leg (the line's amount out of clearing) is booked too, as the night would.
 */
export async function acceptTransitItem(
  context: CommandProcess,
  itemId: string,
  note: string | null,
): Promise<ExitCode> {
  if (note !== null) cleanInput('--note', note);
  const config = loadConfigFor(context);
  const { today } = await booksDays(config, context.now(), (line) => context.logger.warn(line));
  const judging = { asOf: today, terms: transitTerms(config), record: false, now: context.now() };
  const standingIn = async (books: Books) =>
    (await moneyInTransit(books.transitBooks, judging)).standings.find((candidate) => candidate.item.id === itemId);
  const standing = await withBooksFor(config, { forReading: true }, standingIn);
  const bankLegs = bankLegTerms(config);
  const bookBankLeg = () =>
    withBooksFor(
      config,
      {},
      async (books) =>
        (
          await moneyInTransit(books.transitBooks, {
            ...judging,
            bankLegs,
            said: (line) => context.stdout.write(`${line}\n`),
          })
        ).bankLegsBooked,
    );
  const acceptedAlready = () => {
    context.stdout.write(`${itemId} was accepted already; nothing more is booked\n`);
    return EXIT.ok;
  };
  if (standing === undefined)
    throw new UsageError(`no payout or top-up has the id "${printable(itemId)}" (see "ledgerline transit")`);
  if (standing.state === 'closed') return acceptedAlready();
  const booking = differenceBooking(
    standing,
    loadMappings({ chartPath: config.mappings, vocabularies: config.vocabularies }).chart.events,
    note,
  );
  const scope: Acceptance = { context, config, itemId, note, standingIn, bookBankLeg, acceptedAlready };
  return booking === null ? acceptMatch(scope) : acceptDifference(scope, booking);
}

/** What accepting one item needs, whichever way it goes. */
interface Acceptance {
  context: CommandProcess;
  config: ReturnType<typeof loadConfigFor>;
  itemId: string;
  note: string | null;
  standingIn: (books: Books) => Promise<{ state: string } | undefined>;
  bookBankLeg: () => Promise<number>;
  acceptedAlready: () => ExitCode;
}

/** A match a person says is right: acknowledged, unless the item closed meanwhile (read again in the unit that writes). */
async function acceptMatch(scope: Acceptance): Promise<ExitCode> {
  const { context, config, itemId, note, standingIn, bookBankLeg, acceptedAlready } = scope;
  const word = { action: 'ack' as const, note, user: operatingSystemUser(), at: context.now().toISOString() };
  const recorded = await withBooksFor(config, {}, (books) =>
    books.decide(
      async (tx) =>
        (await standingIn(tx))?.state !== 'closed' &&
        (await tx.acknowledgements.unit((acks) => acks.recordAcknowledgement(`transit:${itemId}`, word)), true),
    ),
  );
  if (!recorded) return acceptedAlready();
  await bookBankLeg();
  context.stdout.write(
    `accepted: ${itemId}${note === null ? '' : ` (${note})`}; it closes once a bank line has settled it\n`,
  );
  return EXIT.ok;
}

/** A difference a person says is right: booked as an adjusting entry naming the item and its bank line, once. */
async function acceptDifference(
  scope: Acceptance,
  booking: NonNullable<ReturnType<typeof differenceBooking>>,
): Promise<ExitCode> {
  const { context, itemId, standingIn, bookBankLeg, acceptedAlready } = scope;
  if (booking.reason.length > MAX_REASON_CHARACTERS) {
    throw new UsageError(
      `--note makes the entry's reason ${booking.reason.length} characters with the item and its bank line; keep the whole to ${MAX_REASON_CHARACTERS}`,
    );
  }
  const request = {
    ...booking,
    explains: `transit:${itemId}`,
    id: `transit:${itemId}`,
    user: operatingSystemUser(),
    now: context.now(),
  };
  // Only a booking reads the destinations' sections (their mappings and lock dates), as `adjust` does.
  const booked = await bookAdjustingEntry(
    context,
    adjustingConfig(context),
    request,
    async (explained, books) => explained === `transit:${itemId}` && (await standingIn(books))?.state !== 'closed',
  );
  if (booked.repeated) return acceptedAlready();
  const moved = await bookBankLeg();
  const lines = booked.entry.lines.map(
    (line) =>
      `${line.amountMicros > 0n ? 'Dr' : 'Cr'} ${line.account} ` +
      `${formatMicros(line.amountMicros < 0n ? -line.amountMicros : line.amountMicros)} ${line.currency}`,
  );
  context.stdout.write(
    `accepted: ${itemId}, its difference booked as ${booked.entryId} dated ${booked.entry.date}: ${lines.join(', ')}\n`,
  );
  if (moved > 0)
    context.stdout.write(
      `what its bank line moved left clearing for the bank: ${TRANSIT_ENTRY_PREFIXES.bankLeg}${itemId}\n`,
    );
  if (booked.needsApproval)
    context.stdout.write(
      `it waits for a second person's approval before it is posted: ledgerline adjust approve ${booked.entryId}\n`,
    );
  return EXIT.ok;
}
