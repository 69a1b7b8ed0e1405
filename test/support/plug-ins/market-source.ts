import { z } from 'zod';
import { configFields } from '../../../src/config/index.js';
import { stagedReplayer } from '../../../src/pipeline/backfill/index.js';
import type { SourceKind } from '../../../src/pipeline/kinds/index.js';
import { stagedCloser } from '../../../src/pipeline/sync/index.js';
import { ORIGINAL_DATE_DETAIL, type SourceEvent } from '../../../src/rules/index.js';
import { listingStaged } from './listing-source.js';

/**
 * A marketplace as a plug-in author would add it from docs/adding-a-source.md (issue 82 item 8): `kind: market` reads
 * the listing API (listing-api-fake.ts), whose lines say what they are: a sale (Dr market_receivable / Cr
 * market_revenue), the marketplace's fee (Dr market_fees / Cr market_receivable) and a refund of a sale, with the
 * sale's day (Dr market_revenue / Cr market_receivable). Its vocabulary names the three as taxable flows and the
 * refund as the sale's reversal, so the chart's `tax:` codes them and a refund takes its sale's code on the sale's
 * day, as an order refund takes its charge's: no file of src/ names the kind.
 */
const vocabulary: NonNullable<SourceKind['vocabulary']> = {
  events: {
    market_sale: { debit: 'market_receivable', credit: 'market_revenue', description: 'Marketplace sales' },
    market_fee: { debit: 'market_fees', credit: 'market_receivable', description: 'Marketplace fees' },
    market_refund: { debit: 'market_revenue', credit: 'market_receivable', description: 'Marketplace refunds' },
  },
  accounts: {
    market_receivable: { type: 'asset', name: 'Marketplace receivable' },
    market_revenue: { type: 'revenue', name: 'Marketplace sales' },
    market_fees: { type: 'expense', name: 'Marketplace fees' },
  },
  taxFlows: { market_sale: {}, market_fee: {}, market_refund: { reverses: 'market_sale' } },
  mappings: {
    xero: {
      market_receivable: { code: '611', taxType: 'NONE' },
      market_revenue: { code: '200', taxType: 'NONE' },
      market_fees: { code: '429', taxType: 'NONE' },
    },
  },
};

const marketEntry = z.strictObject({
  id: configFields.sourceId,
  kind: z.literal('market'),
  url: configFields.httpUrl,
  apiKey: configFields.secret,
});

const EVENT_OF = { sale: 'market_sale', fee: 'market_fee', refund: 'market_refund' } as const;

/** The listing's lines as the market's events; a refund names its sale's day, the day whose tax rule it takes. */
const staged: typeof listingStaged = {
  ...listingStaged,
  kind: 'market',
  normalize(input) {
    const day = listingStaged.normalize(input);
    return {
      ...day,
      events: input.reading.map((tx): SourceEvent => {
        const kind = EVENT_OF[tx.type ?? (tx.amountMicros >= 0n ? 'sale' : 'refund')];
        return {
          id: `market:${input.source.id}:${tx.id}`,
          sourceId: input.source.id,
          kind,
          date: input.date,
          currency: tx.currency,
          amountMicros: tx.amountMicros >= 0n ? tx.amountMicros : -tx.amountMicros,
          ref: `transaction ${tx.id}`,
          detail: tx.saleDate === undefined ? {} : { [ORIGINAL_DATE_DETAIL]: tx.saleDate },
        };
      }),
    };
  },
};

export const marketSourceKind: SourceKind = {
  ...stagedCloser(staged),
  ...stagedReplayer(staged),
  kind: 'market',
  readsPastDays: true,
  entrySchema: marketEntry,
  vocabulary,
  resolve: (entry) => entry,
  probeSubject: 'transactions',
  addressField: 'url',
  probe: async () => 'the marketplace answered',
  reportFacts: () => ({}),
};
