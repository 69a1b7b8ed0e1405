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
