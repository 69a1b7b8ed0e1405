import { z } from 'zod';
import { configFields } from '../../../src/config/index.js';
import { stagedReplayer } from '../../../src/pipeline/backfill/index.js';
import type { SourceKind } from '../../../src/pipeline/kinds/index.js';
import { stagedCloser } from '../../../src/pipeline/sync/index.js';
import { counterStaged } from './counter-source.js';

/**
 * A plug-in source kind whose money reaches the bank (issue 69 items 7/8): `kind: tipjar` reads the counter API
 * (counter-api-fake.ts) as a tip jar's unpaid balance. A rise is tips earned (Dr tipjar_receivable / Cr
 * tipjar_revenue); a fall is a payout of that much to the bank (Dr tipjar_clearing / Cr tipjar_receivable), which
 * its vocabulary marks `transit: payout`, so the transit follows it to the bank and the night reports it as the ad
 * network's payouts are, with no file of src/ naming the kind.
 */
const vocabulary: NonNullable<SourceKind['vocabulary']> = {
  events: {
    tipjar_earnings: { debit: 'tipjar_receivable', credit: 'tipjar_revenue', description: 'Tips earned' },
    tipjar_payout: {
      debit: 'tipjar_clearing',
      credit: 'tipjar_receivable',
      description: 'Tips paid out to the bank',
      transit: 'payout',
    },
  },
  accounts: {
    tipjar_receivable: { type: 'asset', name: 'Tips receivable' },
    tipjar_revenue: { type: 'revenue', name: 'Tips' },
    tipjar_clearing: { type: 'asset', name: 'Tips in transit' },
  },
};

const tipjarEntry = z.strictObject({
  id: configFields.sourceId,
  kind: z.literal('tipjar'),
  url: configFields.httpUrl,
  apiKey: configFields.secret,
});

/** The counter's reading, its rise booked as tips earned and its fall as a payout. */
const staged: typeof counterStaged = {
  ...counterStaged,
  kind: 'tipjar',
  normalize(input) {
    const day = counterStaged.normalize(input);
    return {
      ...day,
      events: day.events.map((event) => ({
        ...event,
        id: `tipjar:${event.sourceId}:${event.date}`,
        kind: event.kind === 'counter_earnings' ? 'tipjar_earnings' : 'tipjar_payout',
      })),
    };
  },
};

export const tipjarSourceKind: SourceKind = {
  ...stagedCloser(staged),
  ...stagedReplayer(staged),
  kind: 'tipjar',
  entrySchema: tipjarEntry,
  vocabulary,
  resolve: (entry) => entry,
  probeSubject: 'tip jar',
  addressField: 'url',
  probe: async () => 'the tip jar answered',
  reportFacts: () => ({}),
};
