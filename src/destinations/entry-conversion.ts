import { MissingRateError } from '../errors.js';
import type { RenderedEntry } from '../rules/index.js';
import { convertCents, parseRate } from '../money/index.js';
import { singleCurrency } from './delivery/deliverable-entry.js';
import type { Conversion, DeliveredRate, ExchangeRateLookup, RemoteLine } from './destination-client.js';

/**
 * The conversion an entry needs at a destination whose base currency is
 * `base`: none when the entry is in it, else the rate the lookup knows for the
 * entry's currency and date; without one the entry is refused by name.
 */
export function entryConversion(
  destination: string,
  entry: RenderedEntry,
  base: string,
  rates: ExchangeRateLookup | undefined,
): Conversion | undefined {
  const currency = singleCurrency(entry, destination);
  if (currency === base) return undefined;
  const found = rates?.(currency, entry.date);
  if (found === undefined) throw new MissingRateError(destination, entry.id, currency, entry.date, base);
  return { currency, base, rate: found.rate, source: found.source };
}

/**
 * The conversion an entry went out at, from what its delivery kept: none when it kept no rate (the entry was in
 * the base currency). Example: an EUR entry delivered at 1.0825 from rates.csv → EUR to USD at 1.0825.
 */
export function deliveredConversion(
  entry: RenderedEntry,
  base: string,
  delivery: DeliveredRate,
): Conversion | undefined {
  if (delivery.exchangeRate === null) return undefined;
  return {
    currency: entry.lines[0]?.currency ?? base,
    base,
    rate: delivery.exchangeRate,
    source: delivery.rateSource ?? '',
  };
}

/** An entry's signed cents in the base currency: as rendered without a conversion, else converted and kept balanced (convertCents). */
export function baseCents(entry: RenderedEntry, conversion: Conversion | undefined): bigint[] {
  const cents = entry.lines.map((line) => line.cents);
  return conversion === undefined ? cents : convertCents(cents, parseRate(conversion.rate));
}

/** Lines summed per account, zero sums left out, in account order: what a read-back is compared with. */
export function sumByAccount(lines: readonly RemoteLine[]): RemoteLine[] {
  const sums = new Map<string, bigint>();
  for (const line of lines) sums.set(line.account, (sums.get(line.account) ?? 0n) + line.cents);
  return [...sums]
    .filter(([, cents]) => cents !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([account, cents]) => ({ account, cents }));
}
