import type { PanelSourceConfig } from '../../sources/index.js';
import { CurrencyMismatchError, linkRawObservation } from '../../errors.js';
import type { OrderObservation } from '../../rules/index.js';
import type { PanelBalance, PanelBatchMode, PanelClient, PanelInvalidOrder, PanelStatusBatchReport } from '../../sources/index.js';
import type { Clock } from '../../http/index.js';
import { childOrderIds, observationsOf, roundedCharges } from '../landing/index.js';
import type { BalanceRead } from './panel-in-flight.js';

/** What one close reads from the panel besides the observations of its orders, which are booked as each chunk is polled. */
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
 * Orders asked about per statusBatch call, and booked per unit of work (a multiple of the panel's 100 ids a
 * request, so the requests are the same). Everything a chunk holds (replies, observations, events, states)
 * outlives V8's young collections: at 5,000 a first import of 200,000 orders spent 1.9 s collecting garbage,
 * at 2,000 1.6 s, with 13.5 s against 15.8 s in all (`--trace-gc`); 1,000 saved nothing more.
 */
export const POLLING_CHUNK = 2_000;

export interface PanelPolling {
  /** The currency of a balance reply that names none. */
  defaultCurrency: string;
  /** The orders to poll, in polling order, listed once the balance is read. */
  listToPoll: () => Promise<string[]>;
  /** Of the children the replies named, those still to be polled. */
  childrenToPoll: (named: string[]) => Promise<string[]>;
  /** Books a chunk's observations (or holds them, in a dry run). */
  onObservations: (observations: readonly OrderObservation[]) => Promise<void>;
  /** Times the balance round trip by the machine's clock. */
  clock: Clock;
  /** Told the balance round trip before the orders to poll are listed: the orders in flight during it are found then. */
  onBalanceRead: (read: BalanceRead) => Promise<void>;
}

/**
 * The balance, then the orders to poll as the ledger knows them once it is read (an order
 * recorded while the reply was awaited was charged inside it), a chunk at a time: each chunk's
 * report (every order's reply as sent) is read into observations, handed to
 * `onObservations` (which books them) and let go, so a first import never
 * holds 200,000 replies and their observations at once.
 */
export async function readPanel(client: PanelClient, source: PanelSourceConfig, polling: PanelPolling): Promise<PanelReading> {
  const sentAt = polling.clock.now();
  const balance = await client.balance();
  const arrivedAt = polling.clock.now();
  if (source.currency !== undefined && balance.currency !== undefined && balance.currency !== source.currency) {
    throw linkRawObservation(new CurrencyMismatchError(source.id, source.currency, balance.currency), balance.rawObservationId);
  }
  const currency = balance.currency ?? polling.defaultCurrency;
  const reading: PanelReading = { balance, currency, children: [], invalid: [], batchMode: client.batchMode, rounded: balance.exact ? 0 : 1, polled: 0 };
  const named = new Set<string>();
  const poll = async (orderIds: readonly string[]): Promise<void> => {
    const batch = await client.statusBatch(orderIds);
    await polling.onObservations(addBatch(reading, orderIds, batch));
    for (const child of childOrderIds(batch)) named.add(child);
  };
  await polling.onBalanceRead({ sentAt, arrivedAt });
  const toPoll = await polling.listToPoll();
  for (let start = 0; start < toPoll.length; start += POLLING_CHUNK) await poll(toPoll.slice(start, start + POLLING_CHUNK));
  // A subscription's or drip-feed's child named for the first time was charged in this very
  // balance: poll it in this close, or its charge reads as an unexplained fall tonight.
  const discovered = await polling.childrenToPoll([...named]);
  if (discovered.length > 0) await poll(discovered);
  return reading;
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
