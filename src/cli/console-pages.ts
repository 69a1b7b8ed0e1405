import type { Books } from '../app/index.js';
import { acknowledgingForm, adjustingForm } from '../app/console-forms.js';
import { periodsPage } from '../app/console-periods.js';
import { vatPage } from '../app/console-vat.js';
import type { Config } from '../config/index.js';
import { bankLinesView, transitBooks, transitTerms } from '../pipeline/transit/index.js';
import type { startConsole } from '../reads/index.js';
import { decisionLine } from '../reads/transit-decision-text.js';
import { adjustingConfigFor, adjustingWiring, settlingWiring } from './adjusting-wiring.js';
import { booksDays } from '../app/books-days.js';
import type { CommandProcess } from './command.js';
import { mappingsFor } from '../app/configured-books.js';
import { operatingSystemUser } from '../app/operating-system-user.js';
import { recordHandDecision } from './transit-decisions.js';

/** The books' day, read again at each page, so a console left open follows the calendar (or the sandbox's day). */
function todayOf(context: CommandProcess, config: Config): () => Promise<string> {
  return async () => (await booksDays(config, context)).today;
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

/** The console's acknowledgement (app/console-forms.ts), written on books of its own. */
export function consoleAcknowledge(context: CommandProcess, config: Config) {
  return acknowledgingForm(context, config);
}

/** The console's adjusting-entry form (app/console-forms.ts): each form reads the configuration with its destinations again, as `adjust` does. */
export function consoleAdjusting(context: CommandProcess, config: Config) {
  return adjustingForm(context, config, {
    booking: () => adjustingWiring(context, adjustingConfigFor(context)),
    settling: () => settlingWiring(context, config),
    user: operatingSystemUser(),
  });
}

/** The bank-lines page reads as `bank lines` does; its Match and Unmatch record as `transit match`/`unmatch` do, as the user running the console. */
export function consoleBankLines(
  context: CommandProcess,
  config: Config,
  books: Books,
): NonNullable<Parameters<typeof startConsole>[0]['bankLines']> {
  return {
    view: async () =>
      bankLinesView(books.of(transitBooks, books.findings), {
        asOf: await todayOf(context, config)(),
        terms: transitTerms(config),
        now: context.now(),
        unmatchedOnly: false,
      }),
    decide: async (form) => {
      const line = form.action === 'match' ? form.line : undefined;
      return decisionLine(
        form.action,
        form.item,
        await recordHandDecision(context, config, { verb: form.action, itemId: form.item, line, typedIn: 'form' }),
      );
    },
  };
}
