import { EXIT, type ExitCode } from '../errors.js';
import { acceptTransitItem } from '../pipeline/adjustments/index.js';
import { acceptanceLines } from '../reads/transit-decision-text.js';
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
  const { today } = await booksDays(config, context);
  const print = (line: string) => context.stdout.write(`${line}\n`);
  const outcome = await withBooksFor(config, context.ledger, (books) =>
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
  for (const line of acceptanceLines(itemId, note, outcome)) print(line);
  return EXIT.ok;
}
