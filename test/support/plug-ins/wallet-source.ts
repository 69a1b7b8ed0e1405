import { z } from 'zod';
import { configFields, type ConfiguredSource } from '../../../src/config/index.js';
import { InvalidReplyError, UpstreamError, linkRawObservation } from '../../../src/errors.js';
import { createLandedExchange } from '../../../src/http/landed-exchange.js';
import { readJson, readWire } from '../../../src/http/wire-readers.js';
import { parseMicros } from '../../../src/money/index.js';
import { stagedReplayer } from '../../../src/pipeline/backfill/index.js';
import type { SourceKind } from '../../../src/pipeline/kinds/index.js';
import type { StagedSource } from '../../../src/pipeline/runs/index.js';
import { stagedCloser } from '../../../src/pipeline/sync/index.js';
import type { SourceEvent } from '../../../src/rules/index.js';
import { listingStaged } from './listing-source.js';

/**
 * A stored-value wallet whose API lists its transactions by date and tells its balance at the end of any day
 * (`kind: wallet`, served by listing-api-fake.ts started with an opening balance). Its first close books the wallet's
 * opening, what it held when that day began (the day's balance less the day's transactions), then each transaction;
 * every later close only the day's transactions. Since its API reads past days, `sync --from --to` before its first
 * close reads them, and the opening moves to the window's first day (issue 83 item 6). use-wallet-source.ts registers it.
 */

const vocabulary: NonNullable<SourceKind['vocabulary']> = {
  events: {
    wallet_opening_balance: {
      ...{ debit: 'wallet_cash', credit: 'opening_balance_equity' },
      description: 'Wallet balance when its books began',
    },
    wallet_receipt: { debit: 'wallet_cash', credit: 'wallet_revenue', description: 'Wallet receipts' },
    wallet_payment: { debit: 'wallet_expense', credit: 'wallet_cash', description: 'Wallet payments' },
  },
  accounts: {
    wallet_cash: { type: 'asset', name: 'Wallet balance' },
    wallet_revenue: { type: 'revenue', name: 'Wallet receipts' },
    wallet_expense: { type: 'expense', name: 'Wallet payments' },
  },
};

const walletEntry = z.strictObject({
  id: configFields.sourceId,
  kind: z.literal('wallet'),
  /** The API root; the kind adds /transactions and /balance. */
  url: configFields.httpUrl,
  apiKey: configFields.secret,
});
type WalletSource = z.output<typeof walletEntry>;

const BalanceSchema = z.object({ balance: z.string().regex(/^-?\d+(\.\d+)?$/), currency: z.string() });

type Reading = { transactions: Awaited<ReturnType<typeof listingStaged.extract>>['reading']; balanceMicros: bigint };

const staged: StagedSource<Reading, Record<string, never>> = {
  kind: 'wallet',
  stateSchema: z.object({}).strict() as z.ZodType<Record<string, never>>,
  async extract(io) {
    const { reading: transactions, rawObservationId } = await listingStaged.extract(io);
    const wallet = io.source as ConfiguredSource & WalletSource;
    const exchange = createLandedExchange({
      ...{ sourceId: wallet.id, http: io.http, clock: io.clock, apiKey: wallet.apiKey },
      ...(io.onRawReply === undefined ? {} : { onRawReply: io.onRawReply }),
    });
    const params = { at: io.day, tz: io.timeZone };
    const reply = await exchange.send({
      action: 'balance',
      method: 'GET',
      url: `${wallet.url.replace(/\/+$/, '')}/balance?${new URLSearchParams(params).toString()}`,
      params,
      headers: { 'x-listing-key': wallet.apiKey, accept: 'application/json' },
      idempotent: true,
    });
    if (reply.status !== 200)
      throw linkRawObservation(
        new UpstreamError(wallet.id, `the balance answered HTTP ${reply.status}`),
        reply.rawObservationId,
      );
    const json = readJson(reply.bodyText);
    const wire = json.ok ? readWire(BalanceSchema, json.value) : json;
    if (!wire.ok)
      throw linkRawObservation(
        new InvalidReplyError(wallet.id, `balance of ${io.day}`, wire.reason),
        reply.rawObservationId,
      );
    return { reading: { transactions, balanceMicros: parseMicros(wire.value.balance) }, rawObservationId };
  },
  normalize({ source, date, currency, reading, previous }) {
    const moved = reading.transactions.reduce((sum, tx) => sum + tx.amountMicros, 0n);
    const opening = reading.balanceMicros - moved;
    const events: SourceEvent[] = [];
    // The first close's opening: what the wallet held when the day began (a wallet never holds less than nothing).
    if (previous === undefined && opening > 0n)
      events.push({
        ...{ id: `wallet:${source.id}:opening:${date}`, sourceId: source.id, kind: 'wallet_opening_balance', date },
        ...{ currency, amountMicros: opening, ref: `balance at the start of ${date}`, detail: {} },
      });
    for (const tx of reading.transactions)
      events.push({
        ...{ id: `wallet:${source.id}:${tx.id}`, sourceId: source.id, date, currency: tx.currency },
        kind: tx.amountMicros >= 0n ? 'wallet_receipt' : 'wallet_payment',
        ...{ amountMicros: tx.amountMicros >= 0n ? tx.amountMicros : -tx.amountMicros, ref: `transaction ${tx.id}` },
        detail: {},
      });
    return { events, findings: [], next: {}, figure: { metric: 'balance', valueMicros: reading.balanceMicros } };
  },
};

export const walletSourceKind: SourceKind = {
  ...stagedCloser(staged),
  ...stagedReplayer(staged),
  kind: 'wallet',
  // Its API lists any past day's transactions and tells any past day's balance.
  readsPastDays: true,
  entrySchema: walletEntry,
  vocabulary,
  resolve: (entry) => entry,
  probeSubject: 'balance',
  addressField: 'url',
  async probe(source, io) {
    const { reading } = await staged.extract({ source, ...io });
    return `the wallet held ${reading.balanceMicros} micro-units at the end of ${io.day}`;
  },
  reportFacts: () => ({}),
};
