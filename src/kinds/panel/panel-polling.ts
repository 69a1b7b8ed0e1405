import type { PanelSourceConfig } from './panel-config.js';
import { CurrencyMismatchError, linkRawObservation } from '../../errors.js';
import type { OrderObservation } from './rules/order-observation.js';
import type { PanelBalance, PanelClient, PanelInvalidOrder, PanelStatusBatchReport } from './panel-client.js';
import type { PanelBatchMode } from './panel-batch-mode.js';
import type { Clock } from '../../http/index.js';
import { childOrderIds, observationsOf, roundedCharges } from './panel-status-replies.js';
import type { BalanceRead } from './panel-in-flight.js';

/** What one close read from the panel besides the observations of its orders, which its order chunks carry. */
export interface PanelReading {
  balance: PanelBalance;
  currency: string;
  children: string[];
  invalid: PanelInvalidOrder[];
  batchMode: PanelBatchMode;
  /** How many figures the panel sent finer than a micro-unit (the balance check's rounding bound). */
  rounded: number;
  /** Orders asked about, children found in this close included. */
  polled: number;
}

/**
 * What a panel's extract yields: each polled chunk's observations (the orders in flight at the balance read
 * held back), then, last, the balance with those orders in flight, which the balance step settles.
 */
export type PanelChunk =
  | { type: 'orders'; observations: OrderObservation[] }
  | { type: 'balance'; reading: PanelReading; inFlight: OrderObservation[] };

/**
 * Orders asked about per statusBatch call, and booked per unit of work (a multiple of the panel's 100 ids a
 * request, so the requests are the same). Everything a chunk holds (replies, observations, events, states)
 * outlives V8's young collections: at 5,000 a first import of 200,000 orders spent 1.9 s collecting garbage,
 * at 2,000 1.6 s, with 13.5 s against 15.8 s in all (`--trace-gc`); 1,000 saved nothing more.
 */
export const POLLING_CHUNK = 2_000;

/**
 * The ledger's reads an extract takes once the balance is read, never a write: the orders the panel
 * proxy records while the balance reply is awaited are charged inside it, so what to poll is listed then.
 */
export interface PanelPollReads {
  /** The orders in flight at the balance read (placed through the proxy across it); waits for an add the panel holds. */
  inFlightAt(read: BalanceRead): Promise<Set<string>>;
  /** The orders to poll, in polling order. */
  ordersToPoll(): Promise<string[]>;
  /** Of the children the replies named, those the ledger does not hold nor this close knows of. */
  childrenNotHeld(named: readonly string[]): Promise<string[]>;
}

export interface PanelPolling {
  /** The currency of a balance reply that names none. */
  defaultCurrency: string;
  /** Times the balance round trip by the machine's clock. */
  clock: Clock;
  reads: PanelPollReads;
}

/**
 * The panel's extract: the balance, then the orders to poll as the ledger knows them once it is read,
 * a chunk at a time, each chunk's report (every order's reply, landed as sent) read into observations
 * and yielded, so a first import never holds 200,000 replies at once; last, the balance chunk.
 */
export async function* readPanel(
  client: PanelClient,
  source: PanelSourceConfig,
  polling: PanelPolling,
): AsyncGenerator<PanelChunk> {
  const sentAt = polling.clock.now();
  const balance = await client.balance();
  const arrivedAt = polling.clock.now();
  if (source.currency !== undefined && balance.currency !== undefined && balance.currency !== source.currency) {
    throw linkRawObservation(
      new CurrencyMismatchError(source.id, source.currency, balance.currency),
      balance.rawObservationId,
    );
  }
  const currency = balance.currency ?? polling.defaultCurrency;
  const reading: PanelReading = {
    balance,
    currency,
    children: [],
    invalid: [],
    batchMode: client.batchMode,
    rounded: balance.exact ? 0 : 1,
    polled: 0,
  };
  // The orders in flight at the balance read wait for the balance step, where the balance says whether it holds them.
  const inFlightIds = await polling.reads.inFlightAt({ sentAt, arrivedAt });
  const inFlight: OrderObservation[] = [];
  const named = new Set<string>();
  async function* poll(orderIds: readonly string[]): AsyncGenerator<PanelChunk> {
    const batch = await client.statusBatch(orderIds);
    const observations = addBatch(reading, orderIds, batch);
    for (const observation of observations) if (inFlightIds.has(observation.orderId)) inFlight.push(observation);
    yield { type: 'orders', observations: observations.filter((observation) => !inFlightIds.has(observation.orderId)) };
    for (const child of childOrderIds(batch)) named.add(child);
  }
  const toPoll = await polling.reads.ordersToPoll();
  for (let start = 0; start < toPoll.length; start += POLLING_CHUNK)
    yield* poll(toPoll.slice(start, start + POLLING_CHUNK));
  // A subscription's or drip-feed's child named for the first time was charged in this very
  // balance: poll it in this close, or its charge reads as an unexplained fall tonight.
  const discovered = await polling.reads.childrenNotHeld([...named]);
  if (discovered.length > 0) yield* poll(discovered);
  yield { type: 'balance', reading, inFlight };
}

/** Adds one polled chunk's report to the close's reading and returns its observations, in polling order. */
function addBatch(reading: PanelReading, polled: readonly string[], batch: PanelStatusBatchReport): OrderObservation[] {
  const { observations, children } = observationsOf(polled, batch, reading.currency);
  for (const child of children) reading.children.push(child);
  for (const order of batch.invalid) reading.invalid.push(order);
  reading.batchMode = batch.batchMode;
  reading.rounded += roundedCharges(batch);
  reading.polled += polled.length;
  return observations;
}
