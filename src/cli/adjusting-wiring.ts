import type { Books } from '../app/index.js';
import { adjustingConfig, type AdjustingWiring } from '../app/adjusting-entries.js';
import type { Config } from '../config/index.js';
import { booksDays } from '../app/books-days.js';
import type { CommandProcess } from './command.js';
import { loadConfigFor, withBooksFor } from '../app/configured-books.js';
import { operatingSystemUser } from '../app/operating-system-user.js';

/** The configuration an adjusting entry is booked with: read again with the sections of the destinations it configures. */
export function adjustingConfigFor(context: CommandProcess): Config {
  return adjustingConfig(
    (need) => loadConfigFor(context, need),
    (line) => context.logger.warn(context.redact(line)),
  );
}

/**
 * How a command (`adjust`, `transit accept`, the console's form) books an adjusting entry: dated by the books' day,
 * on books opened for writing for that moment alone, or on `open`, the books the caller has open already.
 */
export function adjustingWiring(context: CommandProcess, config: Config, open?: Books): AdjustingWiring {
  return {
    context,
    config,
    today: async () => (await booksDays(config, context)).today,
    withBooks: (work) =>
      open === undefined ? withBooksFor(config, context.ledger, work, { refuseUnwitnessed: true }) : work(open),
  };
}

/** `--settles` (and the form's bank line): the books' day read before anything is booked, the line recorded as the user running the command. */
export async function settlingWiring(context: CommandProcess, config: Config) {
  const { today } = await booksDays(config, context);
  return { ...adjustingWiring(context, config), today, user: operatingSystemUser() };
}
