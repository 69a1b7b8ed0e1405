import { formatMicros } from '../../money/index.js';
import { PANEL_PREPAID_ACCOUNT, assertInvariant, type JournalEntry } from '../../rules/index.js';

/**
 * A panel close's money check, in its last unit of work before anything is appended: the entries move
 * panel_prepaid by exactly what the close's draft says they do (the figure the balance step reconciled
 * with the balance the panel reports). Otherwise InvariantViolation stops the run and the unit commits nothing.
 */
export function assertBookedPrepaid(
  entries: readonly JournalEntry[],
  draft: { netOf(account: string, currency: string): bigint },
  close: { sourceId: string; date: string; currency: string },
): void {
  let bookedMicros = 0n;
  for (const entry of entries) {
    for (const line of entry.lines)
      if (line.account === PANEL_PREPAID_ACCOUNT && line.currency === close.currency) bookedMicros += line.amountMicros;
  }
  const draftedMicros = draft.netOf(PANEL_PREPAID_ACCOUNT, close.currency);
  assertInvariant(
    bookedMicros === draftedMicros,
    () =>
      `panel close ${close.sourceId} ${close.date}: the entries book ${formatMicros(bookedMicros)} ${close.currency} of ${PANEL_PREPAID_ACCOUNT}, the draft ${formatMicros(draftedMicros)}; nothing of the close's last unit was committed`,
  );
}
