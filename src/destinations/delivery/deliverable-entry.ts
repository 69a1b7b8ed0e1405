import { isCalendarDate } from '../../calendar/index.js';
import { LedgerIntegrityError, UsageError } from '../../errors.js';
import { formatCents } from '../../money/index.js';
import type { RenderedEntry } from '../../rules/index.js';

/**
 * Refuses an entry that no destination may receive: a date that is not a
 * calendar date, a zero line, or cents that do not sum to zero in every
 * currency. The ledger renders balanced cents (DESIGN §2); this is the check
 * at the door of every export and payload, so a file or a request that does
 * not balance is never produced. Example: Dr 1.57, Cr 1.56 without the 0.01
 * rounding line is refused with "USD cents sum to 0.01".
 */
export function assertDeliverable(entry: RenderedEntry): void {
  assertDeliverableDate(entry.id, entry.date);
  const netByCurrency = new Map<string, bigint>();
  for (const [index, line] of entry.lines.entries()) {
    if (line.cents === 0n) throw zeroLineError(entry.id, index, line.account);
    netByCurrency.set(line.currency, (netByCurrency.get(line.currency) ?? 0n) + line.cents);
  }
  for (const [currency, net] of netByCurrency) if (net !== 0n) throw unbalancedError(entry.id, currency, net);
}

/** An entry's date must be a calendar date (YYYY-MM-DD). */
export function assertDeliverableDate(entryId: string, date: string): void {
  if (!isCalendarDate(date)) {
    throw new LedgerIntegrityError(
      `entry ${entryId}: date ${JSON.stringify(date)} is not a calendar date (YYYY-MM-DD)`,
    );
  }
}

/** Line `index` (from 0) of an entry renders to 0.00. */
export function zeroLineError(entryId: string, index: number, account: string): LedgerIntegrityError {
  return new LedgerIntegrityError(`entry ${entryId}: line ${index + 1} (${account}) renders to 0.00`);
}

/** An entry's cents in `currency` sum to `net`, not 0. */
export function unbalancedError(entryId: string, currency: string, net: bigint): LedgerIntegrityError {
  return new LedgerIntegrityError(
    `entry ${entryId} does not balance: its ${currency} cents sum to ${formatCents(net)}; refusing to deliver it`,
  );
}

/**
 * The single currency of an entry bound for a destination whose journals carry
 * one currency (a Xero manual journal posts in the organisation's base
 * currency; a QuickBooks journal entry has one CurrencyRef).
 */
export function singleCurrency(entry: RenderedEntry, destination: string): string {
  const currencies = [...new Set(entry.lines.map((line) => line.currency))];
  const [only] = currencies;
  if (only === undefined || currencies.length > 1) {
    throw new UsageError(
      `${destination}: entry ${entry.id} has lines in ${currencies.length === 0 ? 'no currency' : currencies.join(' and ')}; ` +
        `a ${destination} journal carries exactly one currency`,
    );
  }
  return only;
}
