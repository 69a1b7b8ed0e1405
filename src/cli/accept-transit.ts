import { EXIT, type ExitCode } from '../errors.js';
import { formatMicros } from '../money/index.js';
import { acceptTransitItem } from '../pipeline/adjustments/index.js';
import { TRANSIT_ENTRY_PREFIXES } from '../rules/index.js';
import { bookAdjustingEntry } from '../app/adjusting-entries.js';
import { adjustingConfigFor, adjustingWiring } from './adjusting-wiring.js';
import { booksDays } from '../app/books-days.js';
import type { CommandProcess } from './command.js';
import { loadConfigFor, withBooksFor } from '../app/configured-books.js';
import { operatingSystemUser } from '../app/operating-system-user.js';

/** `transit accept ID`: the acceptance on books opened once (pipeline/adjustments), and what it did, printed. */
export async function acceptTransitItemCommand(
  context: CommandProcess,
  itemId: string,
  note: string | null,
): Promise<ExitCode> {
  const config = loadConfigFor(context);
  const { today } = await booksDays(config, context.now(), (line) => context.logger.warn(line));
  const print = (line: string) => context.stdout.write(`${line}\n`);
  const outcome = await withBooksFor(config, {}, (books) =>
    acceptTransitItem(books, config, {
      itemId,
      note,
      today,
      user: operatingSystemUser(),
      now: context.now(),
      said: print,
      // Only a booking reads the destinations' sections (their mappings and lock dates), as `adjust` does.
      bookDifference: (request, openItem) =>
        bookAdjustingEntry(adjustingWiring(context, adjustingConfigFor(context), books), request, openItem),
    }),
  );
  if (outcome.accepted === 'already') print(`${itemId} was accepted already; nothing more is booked`);
  if (outcome.accepted === 'match')
    print(`accepted: ${itemId}${note === null ? '' : ` (${note})`}; it closes once a bank line has settled it`);
  if (outcome.accepted !== 'difference') return EXIT.ok;
  const { booked, bankLegsBooked } = outcome;
  const lines = booked.entry.lines.map(
    (line) =>
      `${line.amountMicros > 0n ? 'Dr' : 'Cr'} ${line.account} ` +
      `${formatMicros(line.amountMicros < 0n ? -line.amountMicros : line.amountMicros)} ${line.currency}`,
  );
  print(
    `accepted: ${itemId}, its difference booked as ${booked.entryId} dated ${booked.entry.date}: ${lines.join(', ')}`,
  );
  if (bankLegsBooked > 0)
    print(`what its bank line moved left clearing for the bank: ${TRANSIT_ENTRY_PREFIXES.bankLeg}${itemId}`);
  if (booked.needsApproval)
    print(`it waits for a second person's approval before it is posted: ledgerline adjust approve ${booked.entryId}`);
  return EXIT.ok;
}
