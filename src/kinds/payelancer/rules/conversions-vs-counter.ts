import { addDays, daysBetween } from '../../../calendar/index.js';
import { formatMicros } from '../../../money/index.js';
import { finding, type Finding } from '../../../rules/index.js';

/** A deduplicated `conversion.tracked` webhook, dated by its own timestamp. */
export interface TrackedConversion {
  date: string;
  payoutMicros: bigint;
}

interface ConversionsVsCounterInput {
  sourceId: string;
  currency: string;
  /** The previous close: the counter's Δ covers the days after it… */
  previousCloseDate: string;
  /** …through this close. One day when syncs run daily. */
  date: string;
  /** Publisher earnings Δ between the two closes (may be negative after a clawback). */
  counterDeltaMicros: bigint;
  /** Conversions of the source; only those dated inside the window are summed. */
  conversions: readonly TrackedConversion[];
}

/**
 * Conversions never post (the counter already holds them); they only check
 * it. Counter up 12.50 on 2026-03-13 and conversions that day paying
 * 1.25 × 9 = 11.25 → finding counter_vs_conversions of 1.25. Call it only
 * for sources that receive conversion webhooks: without them every earning
 * day would differ.
 */
export function conversionsVsCounter(input: ConversionsVsCounterInput): Finding[] {
  const { sourceId, currency, previousCloseDate, date, counterDeltaMicros } = input;
  const inWindow = (conversion: TrackedConversion): boolean =>
    daysBetween(previousCloseDate, conversion.date) > 0 && daysBetween(conversion.date, date) >= 0;
  const conversionsMicros = input.conversions
    .filter(inWindow)
    .reduce((sum, conversion) => sum + conversion.payoutMicros, 0n);
  const difference = conversionsMicros - counterDeltaMicros;
  if (difference === 0n) return [];
  const firstDay = addDays(previousCloseDate, 1);
  const ref = firstDay === date ? date : `${firstDay}..${date}`;
  return [
    finding({
      kind: 'counter_vs_conversions',
      sourceId,
      date,
      amountMicros: difference > 0n ? difference : -difference,
      currency,
      ref,
      message:
        `conversions tracked for ${ref} pay ${formatMicros(conversionsMicros)} ${currency} but the earnings counter moved ` +
        `${formatMicros(counterDeltaMicros)}: the ${difference > 0n ? 'conversions exceed the counter' : 'counter exceeds the conversions'} ` +
        `by ${formatMicros(difference > 0n ? difference : -difference)} (the counter is what is booked)`,
    }),
  ];
}
