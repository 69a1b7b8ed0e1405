import type { RunningTotalMovement } from './cent-rendering.js';
import type { JournalEntry } from './journal-entry.js';

/**
 * Why an entry cannot be booked, as a clause about it ("it has…", "its line…"), or undefined when it can: at least two lines,
 * no zero line, and debits equal credits in every currency, to the micro-unit.
 * Dr 1.000000 USD, Cr 0.999990 USD → "its debits and credits differ by 10 micro-units of USD".
 */
export function unbalancedReason(entry: Pick<JournalEntry, 'lines'>): string | undefined {
  if (entry.lines.length < 2) return `it has ${entry.lines.length} line(s); an entry needs at least two`;
  const netByCurrency = new Map<string, bigint>();
  for (const [index, line] of entry.lines.entries()) {
    if (line.amountMicros === 0n) return `its line ${index + 1} (${line.account}) has a zero amount`;
    netByCurrency.set(line.currency, (netByCurrency.get(line.currency) ?? 0n) + line.amountMicros);
  }
  for (const [currency, net] of netByCurrency) {
    if (net !== 0n) return `its debits and credits differ by ${net} micro-units of ${currency}`;
  }
  return undefined;
}

/**
 * Why the running totals an append is about to advance would not balance, or undefined when they do: in every
 * currency the debits equal the credits, exactly in micro-units and in the cents rendered for destinations
 * (rounding lines included). Every entry balances on its own, so totals that do not are a bug in the append.
 * Example: expense Dr 1.234567 (123 cents), prepaid Cr 1.234567 (123 cents) balance; the same with the
 * prepaid's cents rendered as 122 and no rounding line → "its cents differ by 1 cent(s) of USD".
 */
export function unbalancedMovements(movements: Iterable<RunningTotalMovement>): string | undefined {
  const byCurrency = new Map<string, { micros: bigint; cents: bigint }>();
  for (const movement of movements) {
    const net = byCurrency.get(movement.currency) ?? { micros: 0n, cents: 0n };
    net.micros += movement.debitMicros - movement.creditMicros;
    net.cents += movement.debitCents - movement.creditCents;
    byCurrency.set(movement.currency, net);
  }
  for (const [currency, net] of byCurrency) {
    if (net.micros !== 0n) return `its exact debits and credits differ by ${net.micros} micro-units of ${currency}`;
    if (net.cents !== 0n) return `its cents differ by ${net.cents} cent(s) of ${currency}`;
  }
  return undefined;
}
