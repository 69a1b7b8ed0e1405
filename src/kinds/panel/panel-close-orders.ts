import { shouldRepoll, sortedByOrderId } from './rules/order-events.js';
import type { OrdersFileOrder, OrdersFileProblem } from './orders-file.js';
import { streamOrdersFile, unusableOrdersFile } from './orders-file-reading.js';
import type { SyncBooksReads } from '../../pipeline/sync/index.js';
import { panelReads, type AddAcrossBalanceRead, type FoundOrder, type NewOrder } from './books/panel-books.js';
import { ConfigError, CurrencyMismatchError, linkRawObservation } from '../../errors.js';
import { type Clock, pollUntil } from '../../http/index.js';
import type { Logger } from '../../log/index.js';
import type { PanelSourceConfig } from './panel-config.js';
import type { OrderObservation } from './rules/order-observation.js';
import type { PanelBalance, PanelClient, PanelOrderProblem, PanelStatusBatchReport } from './panel-client.js';
import type { PanelBatchMode } from './panel-batch-mode.js';
import { childOrderIds, observationsOf, roundedCharges } from './panel-wire.js';

/*
 * Which orders a panel close knows and asks about: those the ledger holds, and those it names
 * first in this close (from the orders file, a webhook, or a subscription's or drip-feed's reply).
 */

/** An order this close names first (the orders file, a webhook, the proxy's spool), not in the ledger before it: the row it is registered with. */
export type FreshOrder = NewOrder;

/**
 * The orders a close asks about, in polling order: those a backfill asked about again, and the open
 * and fresh ones placed by the close's date that are not finished nor unknown for longer than the retention.
 */
export async function ordersToPoll(
  books: SyncBooksReads,
  sourceId: string,
  close: { fresh: ReadonlyMap<string, FreshOrder>; repoll: ReadonlySet<string>; asOf: string; retentionDays: number },
): Promise<string[]> {
  const placedBy = (createdAt: string | null | undefined) =>
    createdAt === null || createdAt === undefined || createdAt.slice(0, 10) <= close.asOf;
  const toPoll = new Set<string>();
  for (const orderId of await books.of(panelReads).knownOrderIds(sourceId, [...close.repoll])) toPoll.add(orderId);
  for (const orderId of close.repoll) if (close.fresh.has(orderId)) toPoll.add(orderId);
  for await (const orders of books.of(panelReads).openOrderHeads(sourceId)) {
    for (const order of orders) {
      const unknownSince = order.unknownSince ?? undefined;
      if (placedBy(order.createdAt) && shouldRepoll({ terminal: false, unknownSince }, close.asOf, close.retentionDays))
        toPoll.add(order.orderId);
    }
  }
  for (const [orderId, order] of close.fresh) if (placedBy(order.createdAt)) toPoll.add(orderId);
  return sortedByOrderId(toPoll);
}

/** The children the replies named that the ledger neither holds nor was told of in this close: still to be polled. */
export async function childrenNotHeld(
  books: SyncBooksReads,
  sourceId: string,
  named: readonly string[],
  fresh: ReadonlyMap<string, FreshOrder>,
): Promise<string[]> {
  const unknown = named.filter((orderId) => !fresh.has(orderId));
  const registered = await books.of(panelReads).knownOrderIds(sourceId, unknown);
  return unknown.filter((orderId) => !registered.has(orderId));
}

/**
 * The orders this close found first (those the file or a webhook named, and
 * drip-feed children) that no chunk registered with a state: not polled, or
 * polled with no answer.
 */
export function* unobservedNewOrders(
  fresh: ReadonlyMap<string, FreshOrder>,
  children: readonly string[],
): Generator<FoundOrder> {
  for (const order of fresh.values()) yield { order, next: undefined };
  for (const childId of children) yield { order: childOrder(childId), next: undefined };
}

/** The row an order the orders file (or a webhook: null) names first is registered with. */
export function freshRow(orderId: string, order: OrdersFileOrder | null): NewOrder {
  if (order === null) return { orderId, service: null, quantity: null, createdAt: null, discoveredVia: 'webhook' };
  return {
    orderId,
    service: order.service,
    quantity: order.quantity ?? null,
    createdAt: order.createdAt ?? null,
    discoveredVia: 'orders-file',
  };
}

export function childOrder(orderId: string): NewOrder {
  return { orderId, service: null, quantity: null, createdAt: null, discoveredVia: 'drip-feed' };
}

/**
 * Reads the orders files a backfill names, handing their good rows to `onOrders` a batch at a time,
 * and returns their problems ("orders.csv line 7: …"); a file whose header is unusable stops the
 * run before any call is made.
 */
export async function readPanelOrdersFiles(
  paths: readonly string[],
  onOrders: (orders: OrdersFileOrder[]) => Promise<void>,
): Promise<string[]> {
  const problems: string[] = [];
  for (const path of paths) {
    const reading = await streamOrdersFile(path, onOrders);
    if (!reading.headerUsable) throw new ConfigError(reading.problems);
    for (const problem of problemLines(reading.problems)) problems.push(problem);
  }
  return problems;
}

/** Stops the run before any call is made when one of a panel sync's orders files has no usable header; the rows are read by its close. */
export async function refuseUnusableOrdersFiles(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const problems = await unusableOrdersFile(path);
    if (problems !== undefined) throw new ConfigError(problems);
  }
}

/** The problems of an orders file as lines ("orders.csv line 7: …"). */
export function problemLines(problems: readonly OrdersFileProblem[]): string[] {
  return problems.map((problem) => `${problem.file} line ${problem.line}: ${problem.message}`);
}

/** A balance round trip by the machine's clock (milliseconds): the request sent, the reply arrived. */
interface BalanceRead {
  sentAt: number;
  arrivedAt: number;
}

/**
 * How long the panel proxy waits for the panel (its DEFAULT_UPSTREAM_TIMEOUT_MS, which the CLI never changes): by
 * then it has kept what came of an add, "no answer" at worst, so an add unanswered after it has no proxy left.
 */
export const PROXY_ANSWER_BOUND_MS = 60_000;
/**
 * How far before a balance request an add may have been received and still be answered after it: the proxy's
 * three upstream timeouts (connect, headers, body) and a margin.
 */
const LOOK_BACK_MS = 4 * PROXY_ANSWER_BOUND_MS;
/** How often the close looks again for the outcome of an add the panel still holds. */
const ANSWER_POLL_MS = 50;

export interface InFlightWatch {
  books: SyncBooksReads;
  sourceId: string;
  clock: Clock;
  logger: Logger;
  /** Whether a panel proxy that can still answer a held add is running for this source (false: the one that took it is gone). */
  proxyAnswering: () => boolean;
}

/**
 * The orders in flight at a balance read: placed through the panel proxy by an add received before the
 * reply arrived and answered after the request was sent, so the balance may or may not hold their charge
 * (settleOrdersInFlight decides). An add the panel still holds is waited for while a proxy can answer it,
 * and at most until the proxy would have given up on the panel (its upstream timeout): without its order
 * id the close could not book its charge, and the fall it made would read as unexplained tonight.
 */
export async function ordersInFlightAt(watch: InFlightWatch, read: BalanceRead): Promise<Set<string>> {
  const window = {
    sentAt: new Date(read.sentAt).toISOString(),
    arrivedAt: new Date(read.arrivedAt).toISOString(),
    lookBackMs: LOOK_BACK_MS,
  };
  let adds: AddAcrossBalanceRead[] = [];
  let told = false;
  const stillHeld = new Error('an add the panel held is still unanswered');
  try {
    await pollUntil(
      async () => {
        adds = await watch.books.of(panelReads).addsAcrossBalanceRead(watch.sourceId, window);
        const held = adds.filter(
          (add) => !add.answered && Date.parse(add.receivedAt) + PROXY_ANSWER_BOUND_MS > watch.clock.now(),
        );
        if (held.length === 0 || !watch.proxyAnswering()) return { done: true, value: undefined };
        if (!told)
          watch.logger.info(
            `waiting for ${held.length} order(s) the panel held while it read the balance: their charges may be in it`,
          );
        told = true;
        return { done: false, timedOut: stillHeld };
      },
      { clock: watch.clock, maxWaitMs: PROXY_ANSWER_BOUND_MS, pollMs: ANSWER_POLL_MS },
    );
  } catch (error) {
    if (error !== stillHeld) throw error;
  }
  return placedOrders(adds);
}

function placedOrders(adds: readonly AddAcrossBalanceRead[]): Set<string> {
  return new Set(adds.flatMap((add) => (add.orderId === null ? [] : [add.orderId])));
}

/** What one close read from the panel besides the observations of its orders, which its order chunks carry. */
export interface PanelReading {
  balance: PanelBalance;
  currency: string;
  children: string[];
  invalid: PanelOrderProblem[];
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

/** The orders a close named first, as the day an extract is answered with carries them. */
interface FreshOrders {
  readonly fresh: ReadonlyMap<string, FreshOrder>;
}

/**
 * The ledger's reads an extract takes once the balance is read, never a write: the orders the panel
 * proxy records while the balance reply is awaited are charged inside it, so what to poll is listed then.
 * Each takes the fresh orders of the day as the loader last answered the extract with it.
 */
export interface PanelPollReads {
  /** The orders in flight at the balance read (placed through the proxy across it); waits for an add the panel holds. */
  inFlightAt(read: BalanceRead): Promise<Set<string>>;
  /** The orders to poll, in polling order. */
  ordersToPoll(day: FreshOrders): Promise<string[]>;
  /** Of the children the replies named, those the ledger does not hold nor this close knows of. */
  childrenNotHeld(named: readonly string[], day: FreshOrders): Promise<string[]>;
}

interface PanelPolling {
  /** The currency of a balance reply that names none. */
  defaultCurrency: string;
  /** Times the balance round trip by the machine's clock. */
  clock: Clock;
  reads: PanelPollReads;
}

/**
 * The panel's extract: the balance, then the orders to poll as the ledger knows them once it is read,
 * a chunk at a time, each chunk's report (every order's reply, landed as sent) read into observations
 * and yielded, so a first import never holds 200,000 replies at once; last, the balance chunk. Each
 * `yield` is answered with the day as its chunk left it; `day` is the day before the balance is read.
 */
export async function* readPanel(
  client: PanelClient,
  source: PanelSourceConfig,
  polling: PanelPolling,
  opened: FreshOrders,
): AsyncGenerator<PanelChunk, void, FreshOrders> {
  let day = opened;
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
  async function* poll(orderIds: readonly string[]): AsyncGenerator<PanelChunk, void, FreshOrders> {
    const batch = await client.statusBatch(orderIds);
    const observations = addBatch(reading, orderIds, batch);
    const settled: OrderObservation[] = [];
    for (const observation of observations)
      (inFlightIds.has(observation.orderId) ? inFlight : settled).push(observation);
    day = yield { type: 'orders', observations: settled };
    for (const child of childOrderIds(batch)) named.add(child);
  }
  const toPoll = await polling.reads.ordersToPoll(day);
  for (let start = 0; start < toPoll.length; start += POLLING_CHUNK)
    yield* poll(toPoll.slice(start, start + POLLING_CHUNK));
  // A subscription's or drip-feed's child named for the first time was charged in this very
  // balance: poll it in this close, or its charge reads as an unexplained fall tonight.
  const discovered = await polling.reads.childrenNotHeld([...named], day);
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
