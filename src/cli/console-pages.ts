import type { Books } from '../app/index.js';
import { periodsPage } from '../app/console-periods.js';
import { vatPage } from '../app/console-vat.js';
import type { Config } from '../config/index.js';
import { booksDays } from './calendar.js';
import type { CommandProcess } from './command.js';
import { mappingsFor } from './load.js';

/** The books' day, read again at each page, so a console left open follows the calendar (or the sandbox's day). */
function todayOf(context: CommandProcess, config: Config): () => Promise<string> {
  return async () => (await booksDays(config, context.now(), (line) => context.logger.warn(line))).today;
}

/** The console's periods page (app/console-periods.ts), as of the books' day. */
export async function consolePeriods(context: CommandProcess, config: Config, books: Books) {
  const today = await todayOf(context, config)();
  return periodsPage(config, books, { today, now: context.now() });
}

/** The console's VAT page (app/console-vat.ts), with the chart as the command reads it, and the books' day. */
export function consoleVat(context: CommandProcess, config: Config, books: Books) {
  return vatPage(config, books, { mappings: () => mappingsFor(context, config), today: todayOf(context, config) });
}
