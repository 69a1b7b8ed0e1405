import { cumulativeCents } from '../../money/index.js';
import { ROUNDING_ACCOUNT } from '../vocabulary.js';
import type { JournalLine } from './journal-entry.js';
import type { RenderedLine } from './rendered-entry.js';

export type RunningTotalKey = string;

export function runningTotalKey(sourceId: string, account: string, currency: string): RunningTotalKey {
  return JSON.stringify([sourceId, account, currency]);
}

/**
 * Renders one entry's exact lines to cents, cumulatively per source, account
 * and currency: a line's cents are round(total after it) − round(total before
 * it), half-even. Example: three days that each book 0.004 of expense render
 * 0.00, 0.01 and 0.00, and the matching credits −0.00, −0.01, −0.00; when an
 * entry's cents do not sum to zero, the difference goes to `rounding`, so
 * every rendered entry balances and the cents posted ever stay within half a
 * cent per account of the exact books.
 *
 * `totals` holds the exact totals before this entry and is advanced in place.
 */
export function renderCents(sourceId: string, lines: readonly JournalLine[], totals: Map<RunningTotalKey, bigint>): RenderedLine[] {
  const rendered: RenderedLine[] = [];
  const netCentsByCurrency = new Map<string, bigint>();
  for (const line of lines) {
    const key = runningTotalKey(sourceId, line.account, line.currency);
    const before = totals.get(key) ?? 0n;
    totals.set(key, before + line.amountMicros);
    const cents = cumulativeCents(before, line.amountMicros);
    netCentsByCurrency.set(line.currency, (netCentsByCurrency.get(line.currency) ?? 0n) + cents);
    if (cents !== 0n) rendered.push({ account: line.account, currency: line.currency, cents, ...descriptionOf(line) });
  }
  for (const [currency, net] of netCentsByCurrency) {
    if (net === 0n) continue;
    const existing = rendered.findIndex((line) => line.account === ROUNDING_ACCOUNT && line.currency === currency);
    if (existing === -1) {
      rendered.push({ account: ROUNDING_ACCOUNT, currency, cents: -net, description: 'Cent rounding' });
      continue;
    }
    const merged = rendered[existing]!.cents - net;
    if (merged === 0n) rendered.splice(existing, 1);
    else rendered[existing] = { ...rendered[existing]!, cents: merged };
  }
  return rendered;
}

function descriptionOf(line: JournalLine): { description?: string } {
  return line.description === undefined ? {} : { description: line.description };
}
