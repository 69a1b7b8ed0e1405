import { randomBytes } from 'node:crypto';
import type { Config } from '../config/index.js';
import { reconcileReport, type startConsole } from '../reads/index.js';
import { acknowledgeItem, acknowledgementBooks, type AdjustmentRequest } from '../pipeline/adjustments/index.js';
import { withRunLockMoment, runRecords } from '../pipeline/runs/index.js';
import { bookAdjustingEntry, bookSettlingTheLine, type AdjustingWiring } from './adjusting-entries.js';
import type { AppProcess } from './app-process.js';
import { reconcileReadsOf } from './reconcile-reads.js';
import { withBooksFor } from './configured-books.js';
import { operatingSystemUser } from './operating-system-user.js';

/**
 * The console reads through books opened for reading; a person's acknowledgement alone opens the books for
 * writing, for that request alone: for as long as the items are read again and the word written under the run lock
 * (a sealed ledger refuses it), recorded as the user running the console.
 */
export function acknowledgingForm(
  context: AppProcess,
  config: Config,
): Parameters<typeof startConsole>[0]['acknowledge'] {
  const user = operatingSystemUser();
  return (word) =>
    withBooksFor(config, context.ledger, (writable) =>
      withRunLockMoment(
        writable.of(runRecords),
        `console:${randomBytes(6).toString('hex')}`,
        () => context.now(),
        () =>
          writable.decide(async (tx) => {
            const { items } = await reconcileReport(reconcileReadsOf(tx), word.asOf, word.today, word.stuckAfterDays);
            const { itemId, action, note } = word;
            const at = context.now().toISOString();
            return (await acknowledgeItem(tx.of(acknowledgementBooks), items, { itemId, action, note, user, at }))
              .itemId;
          }),
      ),
    );
}

/** What the console's adjusting-entry form books with: the entry's wiring (read at each form) and, for a bank line it settles, the settling's. */
interface ConsoleAdjusting {
  booking: () => AdjustingWiring;
  settling: () => Promise<Parameters<typeof bookSettlingTheLine>[0]>;
  user: string;
}

/** The console's adjusting-entry form books as `ledgerline adjust` does, with its refusals in the form's words, as the user running the console. */
export function adjustingForm(
  context: AppProcess,
  config: Config,
  adjusting: ConsoleAdjusting,
): NonNullable<Parameters<typeof startConsole>[0]['adjusting']> {
  return async (form) => {
    const book = (settles?: AdjustmentRequest['settles']) =>
      bookAdjustingEntry(adjusting.booking(), {
        settles,
        date: form.date,
        currency: form.currency || config.currency,
        reason: form.reason,
        lines: [
          { side: 'debit', text: `${form.debitAccount}=${form.debitAmount}` },
          { side: 'credit', text: `${form.creditAccount}=${form.creditAmount}` },
        ],
        explains: form.explains || undefined,
        taxCode: form.tax || undefined,
        typedIn: 'form',
        user: adjusting.user,
        now: context.now(),
      });
    const booked =
      form.settles === ''
        ? await book()
        : (await bookSettlingTheLine(await adjusting.settling(), form.settles, book)).booked;
    return `Booked adjusting entry ${booked.entryId}${booked.explains === null ? '' : `, explaining ${booked.explains}`}${form.settles === '' ? '' : `, settling bank line ${form.settles}`}${booked.needsApproval ? "; it waits for a second person's approval" : ''}`;
  };
}
