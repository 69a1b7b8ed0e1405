import type { AdjustmentRecord } from '../ledger/index.js';
import { formatMicros } from '../money/index.js';
import type { JournalEntry } from '../rules/index.js';
import { journalLine } from './source-money-text.js';

/**
 * What `adjust` prints of the entry it booked: its lines, Dr and Cr, and what comes next (approval, the next post, or
 * with no destination configured, `posts` false, the next export: a CSV-only set-up has nothing to post to).
 */
export function renderBooked(
  booked: AdjustmentRecord & { entry: JournalEntry; repeated: boolean },
  posts = true,
): string {
  if (booked.repeated) {
    return (
      `${booked.entryId} was booked already for this entry (by ${booked.madeBy} at ${booked.madeAt}): ` +
      `nothing more was booked; to book the same lines again on purpose, give the new entry its own --id\n`
    );
  }
  const lines = [
    `booked adjusting entry ${booked.entryId} dated ${booked.entry.date}, by ${booked.madeBy} at ${booked.madeAt}: ${booked.reason}`,
  ];
  for (const line of booked.entry.lines) {
    const debit = line.amountMicros > 0n;
    const amount = formatMicros(debit ? line.amountMicros : -line.amountMicros);
    lines.push(`  ${journalLine(debit ? 'Dr' : 'Cr', line.account, amount, line.currency)}`);
  }
  if (booked.explains !== null) lines.push(`acknowledged: ${booked.explains} (explained by this entry)`);
  lines.push(
    booked.needsApproval
      ? `it waits for a second person's approval before it is posted: ledgerline adjust approve ${booked.entryId}`
      : posts
        ? 'the next "ledgerline post" delivers it to each destination'
        : 'no destination is configured: the next "ledgerline export" of its date carries it',
  );
  return `${lines.join('\n')}\n`;
}
