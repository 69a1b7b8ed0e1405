import { z } from 'zod';
import { configFields, type ConfiguredSource } from '../../../src/config/index.js';
import { AuthError, InvalidReplyError, UpstreamError, linkRawObservation } from '../../../src/errors.js';
import { readJson, readWire } from '../../../src/http/wire-readers.js';
import { createLandedExchange, type LandedExchange } from '../../../src/http/landed-exchange.js';
import { parseMicros } from '../../../src/money/index.js';
import { stagedReplayer } from '../../../src/pipeline/backfill/index.js';
import type { SourceKind } from '../../../src/pipeline/kinds/index.js';
import type { Extracted, StagedSource } from '../../../src/pipeline/runs/index.js';
import { stagedCloser } from '../../../src/pipeline/sync/index.js';
import type { SourceEvent } from '../../../src/rules/index.js';

/**
 * A source kind that lists transactions rather than reading one running total (`kind: listing`, served by
 * test/support/plug-ins/listing-api-fake.ts): a close reads the day's window, page by page, and books each
 * transaction as a listing sale (a negative one as a listing refund) under an event id named for the
 * transaction, so a day read twice lists the same ids again. Its event kinds and accounts are its own (its
 * vocabulary). use-listing-source.ts registers it.
 */

const vocabulary: NonNullable<SourceKind['vocabulary']> = {
  events: {
    listing_sale: { debit: 'listing_receivable', credit: 'listing_revenue', description: 'Listed sales' },
    listing_refund: { debit: 'listing_revenue', credit: 'listing_receivable', description: 'Listed refunds' },
  },
  accounts: {
    listing_receivable: { type: 'asset', name: 'Listed sales receivable' },
    listing_revenue: { type: 'revenue', name: 'Listed sales revenue' },
  },
};

const listingEntry = z.strictObject({
  id: configFields.sourceId,
  kind: z.literal('listing'),
  /** The API root; the kind adds /transactions. */
  url: configFields.httpUrl,
  apiKey: configFields.secret,
});
type ListingSource = z.output<typeof listingEntry>;

const Amount = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal amount such as "12.50"');
const PageSchema = z.object({
  data: z.array(
    z.object({
      ...{ id: z.string().min(1), posted_at: z.string(), amount: Amount, currency: z.string() },
      // A marketplace's listing (market-source.ts) says what each line is, and a refund's sale day.
      type: z.enum(['sale', 'fee', 'refund']).optional(),
      sale_date: z.string().optional(),
    }),
  ),
  // readJson keeps every JSON number as its text, so no amount goes through a float.
  next_page: z
    .string()
    .regex(/^[1-9]\d{0,3}$/, 'expected a page number')
    .transform(Number)
    .nullable(),
});
type Transaction = {
  id: string;
  amountMicros: bigint;
  currency: string;
  type?: 'sale' | 'fee' | 'refund' | undefined;
  saleDate?: string | undefined;
};

/** A day's listing is at most this many pages: a reply that keeps naming a next page is refused, not followed forever. */
const MAX_PAGES = 50;

function listingOf(source: ConfiguredSource): ListingSource {
  return source as ListingSource;
}

async function readPage(exchange: LandedExchange, source: ListingSource, params: Record<string, string>) {
  const query = new URLSearchParams(params).toString();
  const reply = await exchange.send({
    action: 'transactions',
    method: 'GET',
    url: `${source.url.replace(/\/+$/, '')}/transactions?${query}`,
    params,
    headers: { 'x-listing-key': source.apiKey, accept: 'application/json' },
    idempotent: true,
  });
  if (reply.status === 401)
    throw linkRawObservation(new AuthError(source.id, 'the listing API refused the key (401)'), reply.rawObservationId);
  if (reply.status !== 200)
    throw linkRawObservation(
      new UpstreamError(source.id, `the listing API answered HTTP ${reply.status}`),
      reply.rawObservationId,
    );
  const json = readJson(reply.bodyText);
  const wire = json.ok ? readWire(PageSchema, json.value) : json;
  if (!wire.ok)
    throw linkRawObservation(
      new InvalidReplyError(source.id, `transactions page ${params.page}`, wire.reason),
      reply.rawObservationId,
    );
  return { page: wire.value, rawObservationId: reply.rawObservationId };
}

const staged: StagedSource<Transaction[], Record<string, never>> = {
  kind: 'listing',
  stateSchema: z.object({}).strict() as z.ZodType<Record<string, never>>,
  async extract({ source, day, timeZone, http, clock, onRawReply }): Promise<Extracted<Transaction[]>> {
    const listing = listingOf(source);
    const exchange = createLandedExchange({
      sourceId: listing.id,
      http,
      clock,
      apiKey: listing.apiKey,
      ...(onRawReply === undefined ? {} : { onRawReply }),
    });
    const transactions: Transaction[] = [];
    let rawObservationId;
    for (let page: number | null = 1; page !== null;) {
      if (page > MAX_PAGES)
        throw new InvalidReplyError(
          listing.id,
          `transactions of ${day}`,
          `still naming a next page after ${MAX_PAGES} pages`,
        );
      const read = await readPage(exchange, listing, { from: day, to: day, tz: timeZone, page: String(page) });
      rawObservationId ??= read.rawObservationId;
      for (const tx of read.page.data)
        transactions.push({
          ...{ id: tx.id, amountMicros: parseMicros(tx.amount), currency: tx.currency },
          ...(tx.type === undefined ? {} : { type: tx.type }),
          ...(tx.sale_date === undefined ? {} : { saleDate: tx.sale_date }),
        });
      page = read.page.next_page;
    }
    return { reading: transactions, rawObservationId };
  },
  normalize({ source, date, reading }) {
    const events: SourceEvent[] = reading.map((tx) => ({
      id: `listing:${source.id}:${tx.id}`,
      sourceId: source.id,
      kind: tx.amountMicros >= 0n ? 'listing_sale' : 'listing_refund',
      date,
      currency: tx.currency,
      amountMicros: tx.amountMicros >= 0n ? tx.amountMicros : -tx.amountMicros,
      ref: `transaction ${tx.id}`,
      detail: {},
    }));
    const total = reading.reduce((sum, tx) => sum + tx.amountMicros, 0n);
    return { events, findings: [], next: {}, figure: { metric: 'listed', valueMicros: total } };
  },
};

export { staged as listingStaged };

export const listingSourceKind: SourceKind = {
  ...stagedCloser(staged),
  ...stagedReplayer(staged),
  kind: 'listing',
  // A listing with dates: any past day can be read, so a first close may be of one, and --from/--to reads them live.
  readsPastDays: true,
  entrySchema: listingEntry,
  vocabulary,
  resolve: (entry) => entry,
  probeSubject: 'transactions',
  addressField: 'url',
  async probe(source, io) {
    const { reading } = await staged.extract({ source, ...io });
    return `the listing API listed ${reading.length} transactions for ${io.day}`;
  },
  reportFacts: () => ({}),
};
