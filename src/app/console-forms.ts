import { randomBytes } from 'node:crypto';
import type { Config } from '../config/index.js';
import type { Books } from './index.js';
import { reconcileReport, type startConsole } from '../reads/index.js';
import { acknowledgeItem } from '../pipeline/adjustments/index.js';
import { withRunLockMoment } from '../pipeline/runs/index.js';
import { bankLinesView, transitTerms } from '../pipeline/transit/index.js';
import { bookAdjustingEntry, bookSettlingTheLine } from './adjusting-entries.js';
import { adjustingConfigFor, adjustingWiring, settlingWiring } from '../cli/adjusting-wiring.js';
import { booksDays } from '../cli/calendar.js';
import type { CommandProcess } from '../cli/command.js';
import { withBooksFor } from '../cli/load.js';
import { operatingSystemUser } from '../cli/operating-system-user.js';
import { reconcileReadsOf } from './reconcile-reads.js';
import { decisionLine, handDecision } from '../cli/transit-decisions.js';

/**
 * The console reads through books opened for reading; a person's acknowledgement alone opens the books for
 * writing, for as long as the items are read again and the word written under the run lock (a sealed ledger
 * refuses it), recorded as the user running the console.
 */
export function consoleAcknowledge(
  context: CommandProcess,
  config: Config,
): Parameters<typeof startConsole>[0]['acknowledge'] {
  const user = operatingSystemUser();
  return (word) =>
    withBooksFor(config, {}, (writable) =>
      withRunLockMoment(
        writable.runRecords,
        `console:${randomBytes(6).toString('hex')}`,
        () => context.now(),
        () =>
          writable.decide(async (tx) => {
            const { items } = await reconcileReport(reconcileReadsOf(tx), word.asOf, word.today, word.stuckAfterDays);
            const { itemId, action, note } = word;
            const at = context.now().toISOString();
            return (await acknowledgeItem(tx.acknowledgements, items, { itemId, action, note, user, at })).itemId;
          }),
      ),
    );
}

/** The console's adjusting-entry form books as `ledgerline adjust` does, with its refusals in the form's words, as the user running the console. */
export function consoleAdjusting(
  context: CommandProcess,
  config: Config,
): NonNullable<Parameters<typeof startConsole>[0]['adjusting']> {
  return async (form) => {
    const book = () =>
      bookAdjustingEntry(adjustingWiring(context, adjustingConfigFor(context)), {
        date: form.date,
        currency: form.currency || config.currency,
        reason: form.reason,
        lines: [
          { side: 'debit', text: `${form.debitAccount}=${form.debitAmount}` },
          { side: 'credit', text: `${form.creditAccount}=${form.creditAmount}` },
        ],
        explains: form.explains || undefined,
        typedIn: 'form',
        user: operatingSystemUser(),
        now: context.now(),
      });
    const booked =
      form.settles === ''
        ? await book()
        : (await bookSettlingTheLine(await settlingWiring(context, config), form.settles, book)).booked;
    return `Booked adjusting entry ${booked.entryId}${booked.explains === null ? '' : `, explaining ${booked.explains}`}${form.settles === '' ? '' : `, settling bank line ${form.settles}`}${booked.needsApproval ? "; it waits for a second person's approval" : ''}`;
  };
}

/** The bank-lines page reads as `bank lines` does; its Match and Unmatch record as `transit match`/`unmatch` do, as the user running the console. */
export function consoleBankLines(
  context: CommandProcess,
  config: Config,
  books: Books,
): NonNullable<Parameters<typeof startConsole>[0]['bankLines']> {
  return {
    view: async () => {
      const { today } = await booksDays(config, context.now(), (line) => context.logger.warn(line));
      return bankLinesView(books.transitBooks, {
        asOf: today,
        terms: transitTerms(config),
        now: context.now(),
        unmatchedOnly: false,
      });
    },
    decide: async (form) => {
      const line = form.action === 'match' ? form.line : undefined;
      return decisionLine(
        form.action,
        form.item,
        await handDecision(context, config, { verb: form.action, itemId: form.item, line, typedIn: 'form' }),
      );
    },
  };
}
