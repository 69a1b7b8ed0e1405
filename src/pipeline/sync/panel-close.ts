import { z } from 'zod';
import type { PanelSourceConfig } from '../../config/index.js';
import { ConfigError, CurrencyMismatchError, InvalidReplyError, LedgerlineError, linkRawObservation, rawObservationOf } from '../../errors.js';
import type { LedgerStore } from '../../ledger/index.js';
import {
  knownOrderIds,
  logClose,
  markWebhooksProcessed,
  openOrders,
  orderState,
  ordersNamed,
  quarantine,
  readSourceState,
  registerObservedOrders,
  registerOrders,
  saveOrderStates,
  writeSourceState,
  type NewObservedOrderRow,
  type StoredOrder,
  type OrderStateRow,
} from '../../store/index.js';
import {
  DEFAULT_UNKNOWN_RETENTION_DAYS,
  OrderLedgerStateSchema,
  PanelBalanceStateSchema,
  shouldRepoll,
  toStoredJson,
  type DaySequence,
  type OrderLedgerState,
  type OrderObservation,
} from '../../rules/index.js';
import { PANEL_BATCH_MODES, type PanelBatchMode } from '../../sources/panel/panel-batch-mode.js';
import type { PanelBalance, PanelClient, PanelInvalidOrder } from '../../sources/panel/panel-client.js';
import { readOrdersFile, type OrdersFileOrder } from '../../sources/panel/orders-file.js';
import { storedPanelUpdates } from '../../sources/webhooks/index.js';
import { bookClose, refuseDayBeforeLatestClose } from './book-close.js';
import { bookOrRehearse, type CloseContext, type SourceSyncReport } from './close-context.js';
import { childOrderIds, mergeStatusReports, observationsOf, panelCloseEvents, roundedFigures } from './panel-close-events.js';

const BALANCE_STATE = 'balance';
const BATCH_MODE_STATE = 'batchMode';
const PREPAID_ACCOUNT = 'panel_prepaid';
const REPOLL_STATE = 'repollRequested';
const RepollRequestSchema = z.array(z.string());

interface KnownOrder {
  orderId: string;
  service: string | null;
  quantity: bigint | null;
  createdAt: string | null;
  discoveredVia: string;
  state: OrderLedgerState | undefined;
  isNew: boolean;
}

/** Reads the orders files a panel sync uses; a file whose header is unusable stops the run before any call is made. */
export async function readPanelOrdersFiles(paths: readonly string[]): Promise<{ orders: OrdersFileOrder[]; problems: string[] }> {
  const orders: OrdersFileOrder[] = [];
  const problems: string[] = [];
  for (const path of paths) {
    const reading = await readOrdersFile(path);
    if (!reading.headerUsable) throw new ConfigError(reading.problems);
    // A loop, not push(...rows): spreading a file of 125,000 rows overflows the call stack.
    for (const order of reading.orders) orders.push(order);
    for (const problem of reading.problems) problems.push(`${problem.file} line ${problem.line}: ${problem.message}`);
  }
  return { orders, problems };
}

/**
 * One panel close: learn the orders (file, webhooks, earlier syncs, and those
 * the panel proxy recorded, already among the known orders), poll the
 * open ones in batches of 100, move each order's booked net charge to its
 * target, and finally book the balance difference so that the ledger's
 * panel_prepaid equals the balance the panel reports.
 */
export async function syncPanelClose(
  context: CloseContext,
  source: PanelSourceConfig,
  client: PanelClient,
  input: {
    fileOrders: readonly OrdersFileOrder[];
    defaultCurrency: string;
    /** Orders a backfill names: asked about again even when finished (DESIGN §4: "unless a backfill asks"). */
    repoll?: readonly string[];
  },
): Promise<SourceSyncReport> {
  const { ledger, asOf } = context;
  const store = ledger.store;
  await refuseDayBeforeLatestClose(ledger, source.id, asOf);
  const retentionDays = source.unknownOrderRetentionDays ?? DEFAULT_UNKNOWN_RETENTION_DAYS;
  const webhookUpdates = (await storedPanelUpdates(store, { sourceId: source.id, timeZone: context.timezone })).updates.filter(
    (update) => update.status === 'stored' && update.date <= asOf,
  );
  const repoll = new Set([...(input.repoll ?? []), ...((await readSourceState(store, source.id, REPOLL_STATE, RepollRequestSchema)) ?? [])]);
  const known = await knownOrders(store, source.id, input.fileOrders, webhookUpdates.map((update) => update.orderId), repoll);
  const toPoll = [...known.values()]
    .filter(
      (order) =>
        repoll.has(order.orderId) ||
        ((order.createdAt === null || order.createdAt.slice(0, 10) <= asOf) && (order.state === undefined || shouldRepoll(order.state, asOf, retentionDays))),
    )
    .map((order) => order.orderId)
    .sort(compareOrderIds);

  let reading: PanelReading;
  try {
    reading = await readPanel(client, source, toPoll, input.defaultCurrency, async (named) => {
      const unknown = named.filter((orderId) => !known.has(orderId));
      const registered = await knownOrderIds(store, source.id, unknown);
      return unknown.filter((orderId) => !registered.has(orderId));
    });
  } catch (error) {
    if (!(error instanceof LedgerlineError)) throw error;
    let quarantined = 0;
    if (error instanceof InvalidReplyError && !context.dryRun) {
      await quarantine(store, { sourceId: source.id, rawObservationId: rawObservationOf(error), itemRef: error.what, reason: error.reason, asOf }, context.now());
      quarantined = 1;
    }
    return { sourceId: source.id, outcome: 'failed', events: 0, entries: [], findings: [], quarantined, error };
  }
  const { balance, currency, observations, children, invalid, batchMode, rounded, polled } = reading;

  const booked = await bookOrRehearse(context, async () => {
    const previousBalance = await readSourceState(store, source.id, BALANCE_STATE, PanelBalanceStateSchema);
    const close = panelCloseEvents({
      sourceId: source.id,
      date: asOf,
      currency,
      chart: context.chart,
      isBaselineSync: previousBalance === undefined,
      observations,
      stateOf: (orderId) => known.get(orderId)?.state,
      quantityOf: (orderId) => known.get(orderId)?.quantity ?? undefined,
      previousBalance,
      prepaidBeforeMicros: await ledger.balanceOf(PREPAID_ACCOUNT, currency, { sourceId: source.id }),
      reportedBalanceMicros: balance.balance,
      roundedFigures: rounded,
    });
    return await bookClose(context, {
      sourceId: source.id,
      events: close.events,
      findings: close.findings,
      writeProgress: async () => {
        const now = context.now().toISOString();
        await registerObservedOrders(store, source.id, newOrders(known.values(), children, close.nextStates, asOf), { firstSeenDate: asOf, now });
        await saveOrderStates(
          store,
          source.id,
          storedStates(close.nextStates, asOf, (orderId) => known.get(orderId)?.isNew === true),
          now,
        );
        for (const order of invalid) {
          await quarantine(store, { sourceId: source.id, rawObservationId: order.rawObservationId, itemRef: `order ${order.orderId}`, reason: order.reason, asOf }, context.now());
        }
        const webhookIds = webhookUpdates.map((update) => update.webhookId);
        await markWebhooksProcessed(store, webhookIds);
        if (repoll.size > 0) await writeSourceState(store, source.id, REPOLL_STATE, [], context.now());
        await writeSourceState(store, source.id, BALANCE_STATE, close.nextBalance, context.now());
        await writeSourceState(store, source.id, BATCH_MODE_STATE, batchMode, context.now());
        await logClose(ledger.store, {
          sourceId: source.id,
          date: asOf,
          runId: context.runId,
          metric: 'balance',
          valueMicros: balance.balance,
          currency,
          rawObservationId: balance.rawObservationId,
          now: context.now(),
        });
      },
    });
  });
  return {
    sourceId: source.id,
    outcome: 'booked',
    events: booked.events.length,
    entries: booked.entries,
    findings: booked.findings,
    quarantined: invalid.length,
    polled,
  };
}

/** What one close reads from the panel, with the polled orders already read as observations. */
interface PanelReading {
  balance: PanelBalance;
  currency: string;
  observations: OrderObservation[];
  children: string[];
  invalid: PanelInvalidOrder[];
  batchMode: PanelBatchMode;
  /** How many figures the panel sent finer than a micro-unit (the balance check's rounding bound). */
  rounded: ReturnType<typeof roundedFigures>;
  /** Orders asked about, children found in this close included. */
  polled: number;
}

/**
 * The balance, then each order to poll. The batch report (every order's
 * reply as sent) is read into observations here and let go: the close that
 * follows holds only what it books from.
 */
async function readPanel(
  client: PanelClient,
  source: PanelSourceConfig,
  toPoll: readonly string[],
  defaultCurrency: string,
  unregistered: (orderIds: string[]) => Promise<string[]>,
): Promise<PanelReading> {
  const balance = await client.balance();
  if (source.currency !== undefined && balance.currency !== undefined && balance.currency !== source.currency) {
    throw linkRawObservation(new CurrencyMismatchError(source.id, source.currency, balance.currency), balance.rawObservationId);
  }
  const batch = await client.statusBatch(toPoll);
  const polled = [...toPoll];
  // A subscription's or drip-feed's child named for the first time was charged in this very
  // balance: poll it in this close, or its charge reads as an unexplained fall tonight.
  const discovered = await unregistered(childOrderIds(batch));
  if (discovered.length > 0) {
    mergeStatusReports(batch, await client.statusBatch(discovered));
    for (const orderId of discovered) polled.push(orderId);
  }
  const currency = balance.currency ?? defaultCurrency;
  const { observations, children } = observationsOf(polled, batch, currency);
  return { balance, currency, observations, children, invalid: batch.invalid, batchMode: batch.batchMode, rounded: roundedFigures(balance, batch), polled: polled.length };
}

/**
 * A backfill's request to ask about these orders again. They are polled at the
 * next close, finished or not, so whatever changed is booked on the day it was
 * seen and checked against that day's balance: polling them now and booking on
 * the latest close's date would put today's balance moves into a closed day.
 * Orders the ledger did not know yet are registered.
 */
export async function requestRepoll(store: LedgerStore, sourceId: string, orders: readonly OrdersFileOrder[], asOf: string, now: Date): Promise<void> {
  await store.unitOfWork(async () => {
    await registerOrders(
      store,
      sourceId,
      orders.map((order) => ({ orderId: order.orderId, service: order.service, quantity: order.quantity ?? null, createdAt: order.createdAt ?? null, discoveredVia: 'orders-file' })),
      { firstSeenDate: asOf, now: now.toISOString() },
    );
    const pending = (await readSourceState(store, sourceId, REPOLL_STATE, RepollRequestSchema)) ?? [];
    await writeSourceState(store, sourceId, REPOLL_STATE, [...new Set([...pending, ...orders.map((order) => order.orderId)])].sort(compareOrderIds), now);
  });
}

/**
 * After a replay through the latest close has booked its corrections, each
 * order it observed takes the state the replay ended with: the booked net
 * charge the books now hold and today's reading of its status, first charge
 * and terminal flag, so the next close goes on from there. Example: booked
 * 1.00, the replay re-reads 0.90 and corrects the day by −0.10; the order's
 * state says 0.90, and a later cancellation refunds 0.90, not 1.00. The ids
 * already used on a day are kept, so a re-run of the latest day never reuses
 * a stored event's id.
 */
export async function writeReplayedOrderStates(store: LedgerStore, sourceId: string, states: ReadonlyMap<string, OrderLedgerState>, now: Date): Promise<void> {
  for (const [orderId, replayed] of states) {
    const stored = await orderState(store, sourceId, orderId);
    if (stored === undefined) continue;
    const live = stored === null ? undefined : OrderLedgerStateSchema.parse(JSON.parse(stored));
    const eventSequence = laterSequence(live?.eventSequence, replayed.eventSequence);
    const { eventSequence: _replayedSequence, ...rest } = replayed;
    const next: OrderLedgerState = eventSequence === undefined ? rest : { ...rest, eventSequence };
    const text = toStoredJson(next);
    if (text === stored) continue;
    await saveOrderStates(store, sourceId, [{ orderId, state: text, terminal: next.terminal, unknownSince: next.unknownSince ?? null, lastObservedDate: next.lastObservedOn }], now.toISOString());
  }
}

function laterSequence(a: DaySequence | undefined, b: DaySequence | undefined): DaySequence | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  if (a.date !== b.date) return a.date > b.date ? a : b;
  return a.count >= b.count ? a : b;
}

// A mode this version does not know is forgotten, not an error: the next sync finds the form again.
const StoredBatchModeSchema = z.enum(PANEL_BATCH_MODES).optional().catch(undefined);

/** The batch form the panel accepted last time, so the next sync does not try the other one first. */
export function storedBatchMode(store: LedgerStore, sourceId: string): Promise<PanelBatchMode | undefined> {
  return readSourceState(store, sourceId, BATCH_MODE_STATE, StoredBatchModeSchema);
}

async function knownOrders(
  store: LedgerStore,
  sourceId: string,
  fileOrders: readonly OrdersFileOrder[],
  webhookOrderIds: readonly string[],
  repoll: ReadonlySet<string>,
): Promise<Map<string, KnownOrder>> {
  const known = new Map<string, KnownOrder>();
  const remember = (order: StoredOrder) =>
    known.set(order.orderId, { ...order, state: order.state === null ? undefined : OrderLedgerStateSchema.parse(JSON.parse(order.state)), isNew: false });
  for await (const order of openOrders(store, sourceId)) remember(order);
  for (const order of await ordersNamed(store, sourceId, [...repoll])) remember(order);
  const finished = await knownOrderIds(store, sourceId, [...fileOrders.map((order) => order.orderId), ...webhookOrderIds].filter((orderId) => !known.has(orderId)));
  for (const order of fileOrders) {
    if (known.has(order.orderId) || finished.has(order.orderId)) continue;
    known.set(order.orderId, {
      orderId: order.orderId,
      service: order.service,
      quantity: order.quantity ?? null,
      createdAt: order.createdAt ?? null,
      discoveredVia: 'orders-file',
      state: undefined,
      isNew: true,
    });
  }
  for (const orderId of webhookOrderIds) {
    if (known.has(orderId) || finished.has(orderId)) continue;
    known.set(orderId, { orderId, service: null, quantity: null, createdAt: null, discoveredVia: 'webhook', state: undefined, isNew: true });
  }
  return known;
}

/** The orders this close found first (those the file or a webhook named, and drip-feed children), each with the state it left them in. */
function* newOrders(known: Iterable<KnownOrder>, children: readonly string[], states: ReadonlyMap<string, OrderLedgerState>, asOf: string): Generator<NewObservedOrderRow> {
  for (const order of known) {
    if (!order.isNew) continue;
    const next = states.get(order.orderId);
    yield { order, next: next === undefined ? undefined : storedState(order.orderId, next, asOf) };
  }
  for (const childId of children) yield { order: { orderId: childId, service: null, quantity: null, createdAt: null, discoveredVia: 'drip-feed' }, next: undefined };
}

/** The next state of each order already known before this close, as the store keeps it, made one at a time. */
function* storedStates(states: ReadonlyMap<string, OrderLedgerState>, asOf: string, isNew: (orderId: string) => boolean): Generator<OrderStateRow> {
  for (const [orderId, next] of states) if (!isNew(orderId)) yield storedState(orderId, next, asOf);
}

function storedState(orderId: string, next: OrderLedgerState, asOf: string): OrderStateRow {
  return { orderId, state: toStoredJson(next), terminal: next.terminal, unknownSince: next.unknownSince ?? null, lastObservedDate: asOf };
}

/** Numeric ids in numeric order, then the rest as text: a stable polling and booking order. */
function compareOrderIds(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}
