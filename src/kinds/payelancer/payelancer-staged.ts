import { adoptReplayedCounter } from './rules/adopted-counter.js';
import { CounterStateSchema, type CounterState } from '../../rules/index.js';
import { PAYELANCER_RECEIVABLE_ACCOUNT } from './rules/payelancer-accounts.js';
import type { StagedSource } from '../../pipeline/runs/index.js';
import { createPayelancerClient } from './payelancer-client.js';
import { PAYELANCER_KIND, asPayelancerSource } from './payelancer-config.js';
import type { TrackedConversion } from './rules/conversions-vs-counter.js';
import { payoutDatesToRead } from './rules/payelancer-close-events.js';
import {
  normalizePayelancerClose,
  type PayelancerHeld,
  type PayelancerNormalizeInput,
} from './rules/payelancer-normalize.js';
import { payoutEventId } from './rules/payout-due.js';
import { storedConversions } from './stored-conversions.js';
import { advertiserHeld } from './advertiser-lookup.js';

type Counter = PayelancerNormalizeInput['reading'];
type Lookup = NonNullable<StagedSource<Counter, CounterState, PayelancerHeld>['lookup']>;

/** What the pure close weighs of the books: read first, since the books answer asynchronously. */
const lookUpPayelancerBooks: Lookup = async (reads, input) => {
  const source = asPayelancerSource(input.source);
  const { previous, reading } = input;
  const atPayoutDates = new Map<string, { receivableMicros: bigint; settled: boolean }>();
  for (const payoutDate of payoutDatesToRead({ source, date: input.date, previous, counter: reading })) {
    atPayoutDates.set(payoutDate, {
      receivableMicros: await reads.balanceOf(PAYELANCER_RECEIVABLE_ACCOUNT, input.currency, {
        sourceId: source.id,
        asOf: payoutDate,
      }),
      settled: await reads.holdsEvent(payoutEventId(source.id, payoutDate), payoutDate),
    });
  }
  let conversions: TrackedConversion[] = [];
  if (reading.role === 'publisher' && previous?.role === 'publisher') {
    const stored = await storedConversions(reads, {
      sourceId: source.id,
      from: previous.date,
      to: input.date,
      timeZone: input.timeZone,
    });
    conversions = stored.conversions.map(({ date, payoutMicros }) => ({ date, payoutMicros }));
  }
  const advertiser = await advertiserHeld(reads, source, { ...input, role: reading.role });
  return { atPayoutDates, conversions, ...(advertiser === undefined ? {} : { advertiser }) };
};

/**
 * The ad network's close on the staged shape: extract reads the stats (live, or a close's stored reply), lookup
 * reads what the books hold at the payout dates it crosses and the conversions since the previous close, normalize
 * is pure (rules/payelancer-normalize.ts), and the pipeline loads. Its state is the counter the close log keeps, so a
 * replay starts from the close before its window.
 */
export const payelancerStaged: StagedSource<Counter, CounterState, PayelancerHeld> = {
  kind: PAYELANCER_KIND,
  readingRef: 'stats',
  stateSchema: CounterStateSchema,
  async extract(io) {
    const source = asPayelancerSource(io.source);
    const client = createPayelancerClient({
      sourceId: source.id,
      baseUrl: source.baseUrl,
      apiKey: source.apiKey,
      http: io.http,
      clock: io.clock,
      ...(io.onRawReply === undefined ? {} : { onRawReply: io.onRawReply }),
    });
    const stats = await client.stats();
    const valueMicros = stats.role === 'publisher' ? stats.earningsMicros : stats.spentMicros;
    return { reading: { role: stats.role, valueMicros }, rawObservationId: stats.rawObservationId };
  },
  lookup: lookUpPayelancerBooks,
  normalize: (input) => normalizePayelancerClose({ ...input, source: asPayelancerSource(input.source) }),
  adoptReplayed: adoptReplayedCounter,
  stateFromClose: (close) => ({
    role: close.metric === 'earnings' ? 'publisher' : 'advertiser',
    valueMicros: close.valueMicros,
    date: close.date,
  }),
};
