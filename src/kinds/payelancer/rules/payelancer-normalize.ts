import type { CounterRole, CounterState, Finding, SourceEvent } from '../../../rules/index.js';
import { conversionsVsCounter, type TrackedConversion } from './conversions-vs-counter.js';
import { payelancerCloseEvents, type PayoutTerms } from './payelancer-close-events.js';
import { advertiserBalanceEvents, type AdvertiserHeld } from './advertiser-balance.js';

/** What a close's lookup read of the books, for the pure close to weigh. */
export interface PayelancerHeld {
  /** At each payout date the close crossed (payoutDatesToRead): the receivable booked by then, and whether it is settled. */
  atPayoutDates: ReadonlyMap<string, { receivableMicros: bigint; settled: boolean }>;
  /** The conversions tracked after the previous close through this one (a publisher's; none without webhooks). */
  conversions: readonly TrackedConversion[];
  /** An advertiser with an `advertiser:` setting: the opening its books hold and the bank's lines since its first close. */
  advertiser?: AdvertiserHeld;
}

export interface PayelancerNormalizeInput {
  source: { id: string; payouts: PayoutTerms; advertiser?: { openingMicros: bigint; topUpWords: string } };
  date: string;
  currency: string;
  /** The lifetime counter the close read, and which one it is. */
  reading: { role: CounterRole; valueMicros: bigint };
  previous: CounterState | undefined;
  held: PayelancerHeld;
}

interface PayelancerNormalized {
  events: SourceEvent[];
  findings: Finding[];
  next: CounterState;
  /** The figure the close log keeps: "earnings" for a publisher, "spent" for an advertiser. */
  figure: { metric: string; valueMicros: bigint };
}

/**
 * An ad-network close in the ledger's words, from its reading and what the books held: the counter's change, the
 * payouts of the dates it crossed, and the conversions checked against the change. Example, a publisher, month-end
 * payouts, $50 minimum: previous close March 30th at earnings 120.50, 45.00 receivable booked by then; this close
 * March 31st reads 128.00 → publisher_earnings 7.50 dated 03-31; March 31st is crossed and not settled, so 45.00 +
 * 7.50 = 52.50 ≥ 50.00 is paid out whole; conversions tracked that day paying 7.00 find counter_vs_conversions 0.50.
 */
export function normalizePayelancerClose(input: PayelancerNormalizeInput): PayelancerNormalized {
  const { source, date, currency, previous, held } = input;
  const counter = input.reading;
  const close = payelancerCloseEvents({
    source,
    date,
    currency,
    previous,
    counter,
    bookedReceivableAsOf: (payoutDate) => held.atPayoutDates.get(payoutDate)!.receivableMicros,
    isSettled: (payoutDate) => held.atPayoutDates.get(payoutDate)!.settled,
  });
  const findings = [...close.findings];
  if (counter.role === 'publisher' && previous?.role === 'publisher' && held.conversions.length > 0)
    findings.push(
      ...conversionsVsCounter({
        sourceId: source.id,
        currency,
        previousCloseDate: previous.date,
        date,
        counterDeltaMicros: close.next.valueMicros - previous.valueMicros,
        conversions: held.conversions,
      }),
    );
  const metric = counter.role === 'publisher' ? 'earnings' : 'spent';
  const balance =
    source.advertiser === undefined || held.advertiser === undefined
      ? []
      : advertiserBalanceEvents({
          sourceId: source.id,
          date,
          currency,
          opening: { micros: source.advertiser.openingMicros, words: source.advertiser.topUpWords },
          held: held.advertiser,
        });
  return {
    events: [...balance, ...close.events],
    findings,
    next: close.next,
    figure: { metric, valueMicros: counter.valueMicros },
  };
}
