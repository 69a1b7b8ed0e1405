import { z } from 'zod';
import type { PanelSourceConfig } from '../../config/index.js';
import { ConfigError, CurrencyMismatchError, InvalidReplyError, LedgerlineError, linkRawObservation, rawObservationOf } from '../../errors.js';
import type { LedgerStore } from '../../ledger/index.js';
import {
  interruptedCloseEvents,
  knownOrderIds,
  latestLoggedClose,
  logClose,
  markWebhooksProcessed,
  openOrderHeads,
  ordersNamed,
  quarantine,
  readSourceState,
  recordFallExplanations,
  recordPanelBalanceByClose,
  registerObservedOrders,
  registerOrders,
  saveOrderStates,
  writeSourceState,
  type FallExplanationRow,
  type NewObservedOrderRow,
  type NewOrderRow,
  type OrderStateRow,
} from '../../store/index.js';
import {
  DEFAULT_UNKNOWN_RETENTION_DAYS,
  OrderLedgerStateSchema,
  JournalDraft,
  PANEL_PREPAID_ACCOUNT,
  closeBalanceEvents,
  lateChargesOf,
  orderObservationEvents,
  PanelBalanceStateSchema,
  shouldRepoll,
  SourceEventSchema,
  toStoredJson,
  type CloseBalanceEvents,
  type Finding,
  type JournalEntry,
  type LateCharge,
  type OpenFall,
  type OrderLedgerState,
  type OrderObservation,
  type PanelBalanceState,
  type SourceEvent,
} from '../../rules/index.js';
import {
  PANEL_BATCH_MODES,
  streamOrdersFile,
  unusableOrdersFile,
  type OrdersFileOrder,
  type OrdersFileProblem,
  type PanelBalance,
  type PanelBatchMode,
  type PanelClient,
  type PanelInvalidOrder,
  type PanelStatusBatchReport,
} from '../../sources/index.js';
import { importSpooledAdds } from '../panel-proxy/index.js';
import { storedPanelUpdates } from '../landing/index.js';
import { appendDraft, refuseDayBeforeLatestClose, storeNewEvents, storeNewFindings } from './book-close.js';
import { bookOrRehearse, type CloseContext, type SourceSyncReport } from './close-context.js';
import { childOrderIds, observationsOf, roundedCharges } from '../landing/index.js';

const BALANCE_STATE = 'balance';
const BATCH_MODE_STATE = 'batchMode';
const REPOLL_STATE = 'repollRequested';
const RepollRequestSchema = z.array(z.string());

/** An order this close names first (the orders file, or a webhook: null), not in the ledger before it. */
type FreshOrder = OrdersFileOrder | null;

/**
 * Reads the orders files a backfill names, handing their good rows to `onOrders` a batch at a time,
 * and returns their problems ("orders.csv line 7: …"); a file whose header is unusable stops the
 * run before any call is made.
 */
export async function readPanelOrdersFiles(paths: readonly string[], onOrders: (orders: OrdersFileOrder[]) => Promise<void>): Promise<string[]> {
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

function problemLines(problems: readonly OrdersFileProblem[]): string[] {
  return problems.map((problem) => `${problem.file} line ${problem.line}: ${problem.message}`);
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
    /** The orders files this close reads (their headers checked before the run's first call). */
    ordersFiles: readonly string[];
    /** Told the rows of the orders files that were skipped ("orders.csv line 7: …"), once the files are read. */
    onOrdersFileProblems: (problems: string[]) => void;
    defaultCurrency: string;
    /** Orders a backfill names: asked about again even when finished (DESIGN §4: "unless a backfill asks"). */
    repoll?: readonly string[];
  },
): Promise<SourceSyncReport> {
  const { ledger, asOf } = context;
  const store = ledger.store;
  await refuseDayBeforeLatestClose(ledger, source.id, asOf);
  if (!context.dryRun) await importSpooledAdds(context, source);
  const retentionDays = source.unknownOrderRetentionDays ?? DEFAULT_UNKNOWN_RETENTION_DAYS;
  const webhookUpdates = (await storedPanelUpdates(store, { sourceId: source.id, timeZone: context.timezone })).updates.filter(
    (update) => update.status === 'stored' && update.date <= asOf,
  );
  const repoll = new Set([...(input.repoll ?? []), ...((await readSourceState(store, source.id, REPOLL_STATE, RepollRequestSchema)) ?? [])]);
  const fresh = await freshOrders(store, source.id, await fileOrdersNotHeld(context, source.id, input.ordersFiles, input.onOrdersFileProblems), webhookUpdates.map((update) => update.orderId));
  const interrupted = await interruptedCloseEvents(store, source.id, { fromDate: await latestLoggedClose(store, source.id), runId: context.runId });

  const balanceBefore = await readSourceState(store, source.id, BALANCE_STATE, PanelBalanceStateSchema);
  const orders: OrderBooking = {
    context,
    sourceId: source.id,
    fresh,
    bookedAt: context.now(),
    isBaselineSync: balanceBefore === undefined,
    openFalls: balanceBefore?.openFalls ?? [],
    lateCharges: [],
    journal: new JournalDraft(context.chart, context.granularity),
    awaitingOrder: interrupted.length === 0 ? undefined : interrupted.map((row) => SourceEventSchema.parse({ ...row, detail: NO_DETAIL })),
    findings: [],
  };
  // A dry run writes nothing, so it holds what the panel said and rehearses the booking once it has all of it.
  const held: OrderObservation[] = [];
  const onObservations = context.dryRun
    ? async (observations: readonly OrderObservation[]) => {
        for (const observation of observations) held.push(observation);
      }
    : (observations: readonly OrderObservation[]) => store.unitOfWork(() => bookOrders(orders, observations));

  let reading: PanelReading;
  try {
    reading = await readPanel(
      client,
      source,
      // Listed once the balance is read: an order the proxy recorded while the balance reply was awaited is in that balance.
      () => ordersToPoll(store, source.id, { fresh, repoll, asOf, retentionDays }),
      input.defaultCurrency,
      async (named) => {
        const unknown = named.filter((orderId) => !fresh.has(orderId));
        const registered = await knownOrderIds(store, source.id, unknown);
        return unknown.filter((orderId) => !registered.has(orderId));
      },
      onObservations,
    );
  } catch (error) {
    if (!(error instanceof LedgerlineError)) throw error;
    let quarantined = 0;
    if (error instanceof InvalidReplyError && !context.dryRun) {
      await quarantine(store, { sourceId: source.id, rawObservationId: rawObservationOf(error), itemRef: error.what, reason: error.reason, asOf }, context.now());
      quarantined = 1;
    }
    return { sourceId: source.id, outcome: 'failed', events: 0, entries: [], findings: [], quarantined, error };
  }
  const { balance, currency, invalid, batchMode, polled } = reading;

  const booked = await bookOrRehearse(context, async () => {
    for (let start = 0; start < held.length; start += POLLING_CHUNK) await bookOrders(orders, held.slice(start, start + POLLING_CHUNK));
    return bookPanelBalance(orders, reading, {
      writeProgress: async (nextBalance) => {
        for (const order of invalid) {
          await quarantine(store, { sourceId: source.id, rawObservationId: order.rawObservationId, itemRef: `order ${order.orderId}`, reason: order.reason, asOf }, context.now());
        }
        await markWebhooksProcessed(
          store,
          webhookUpdates.map((update) => update.webhookId),
        );
        if (repoll.size > 0) await writeSourceState(store, source.id, REPOLL_STATE, [], context.now());
        await writeSourceState(store, source.id, BALANCE_STATE, nextBalance, context.now());
        await recordPanelBalanceByClose(store, source.id, asOf, nextBalance);
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
    events: booked.events,
    entries: booked.entries,
    findings: booked.findings,
    quarantined: invalid.length,
    polled,
  };
}

/** A close's booking of its orders, a polled chunk at a time, and what it has booked so far. */
interface OrderBooking {
  context: CloseContext;
  sourceId: string;
  /** Dropped from as each is registered, with its state once observed. */
  fresh: Map<string, FreshOrder>;
  bookedAt: Date;
  isBaselineSync: boolean;
  /** The journal of the new order events, drafted as each chunk is booked (a first import's 200,000 events are not held). */
  journal: JournalDraft;
  /**
   * The events of an interrupted close of this source (stored, never journalized), when there are any,
   * followed by this close's: the journal takes them all at the end in polling order (numeric order
   * ids), as one close would have journalized them.
   */
  awaitingOrder: SourceEvent[] | undefined;
  findings: Finding[];
  /** The falls the close before this one left open: late-learned orders may explain them. */
  openFalls: readonly OpenFall[];
  /** The charges of orders first learned in this close that an open fall may cover, as each chunk is booked. */
  lateCharges: LateCharge[];
}

/**
 * Books one polled chunk of orders (in a unit of work of its own, outside a dry run): their new
 * events and findings and their next states, from their states as the ledger holds them (read for
 * the chunk alone). The events wait for the close's last unit to be journalized with its balance;
 * a close that stops before it leaves them to the next close (interruptedCloseEvents), whose orders
 * start from the states written here, so nothing is booked twice.
 */
async function bookOrders(orders: OrderBooking, observations: readonly OrderObservation[]): Promise<void> {
  const { context, sourceId, bookedAt, fresh } = orders;
  const store = context.ledger.store;
  const stored = new Map<string, { state: OrderLedgerState | undefined; quantity: bigint | null; createdAt: string | null }>();
  for (const order of await ordersNamed(
    store,
    sourceId,
    observations.map((observation) => observation.orderId),
  )) {
    stored.set(order.orderId, { state: order.state === null ? undefined : OrderLedgerStateSchema.parse(JSON.parse(order.state)), quantity: order.quantity, createdAt: order.createdAt });
  }
  const chunk = orderObservationEvents(observations, {
    sourceId,
    date: context.asOf,
    isBaselineSync: orders.isBaselineSync,
    stateOf: (orderId) => stored.get(orderId)?.state,
    quantityOf: (orderId) => stored.get(orderId)?.quantity ?? fresh.get(orderId)?.quantity ?? undefined,
  });
  const late = lateChargesOf(
    observations,
    chunk.events,
    {
      learnedNow: (orderId) => !orders.isBaselineSync && stored.get(orderId)?.state === undefined,
      placedOn: (orderId) => (stored.get(orderId)?.createdAt ?? fresh.get(orderId)?.createdAt ?? undefined)?.slice(0, 10),
    },
    orders.openFalls,
  );
  for (const charge of late) orders.lateCharges.push(charge);
  for (const event of await storeNewEvents(context, chunk.events, bookedAt)) {
    if (orders.awaitingOrder) orders.awaitingOrder.push(withoutDetail(event));
    else orders.journal.add(withoutDetail(event));
  }
  for (const found of await storeNewFindings(context, chunk.findings, bookedAt)) orders.findings.push(found);
  await writeOrderStates(store, sourceId, chunk.nextStates, { stored, fresh }, { asOf: context.asOf, now: bookedAt.toISOString() });
}

/**
 * The close's last unit of work, its marker: the orders' events (with those of an interrupted
 * close of this source before it) journalized once with the balance step, which books whatever
 * they do not explain in the balance the panel reports; the orders found but not observed are
 * registered, and the rest of the close's progress (quarantine, webhooks, source states, the close
 * log) written by the caller. It books exactly what panelCloseEvents derives for the whole close.
 */
async function bookPanelBalance(
  orders: OrderBooking,
  reading: PanelReading,
  progress: { writeProgress: (nextBalance: PanelBalanceState) => Promise<void> },
): Promise<BookedPanelClose> {
  const { context, sourceId, bookedAt, journal } = orders;
  const { ledger, asOf, chart } = context;
  const store = ledger.store;
  const { balance, currency, children, rounded } = reading;
  return store.unitOfWork(async () => {
    const previousBalance = await readSourceState(store, sourceId, BALANCE_STATE, PanelBalanceStateSchema);
    const prepaidBeforeMicros = await ledger.balanceOf(PANEL_PREPAID_ACCOUNT, currency, { sourceId });
    for (const event of (orders.awaitingOrder ?? []).sort((a, b) => compareOrderIds(a.ref, b.ref))) journal.add(event);
    const findings = orders.findings;
    const closed = closeBalanceEvents({
      sourceId,
      date: asOf,
      currency,
      chart,
      previousBalance,
      prepaidBeforeMicros,
      reportedBalanceMicros: balance.balance,
      roundedFigures: rounded,
      orderEffectMicros: journal.netOf(PANEL_PREPAID_ACCOUNT, currency),
      orderEvents: journal.eventCount,
      lateCharges: orders.lateCharges,
    });
    const storedEvents = await storeNewEvents(context, closed.events, bookedAt);
    for (const event of storedEvents) journal.add(event);
    await recordFallExplanations(store, explanationRows(sourceId, asOf, closed, new Set(storedEvents.map((event) => event.id))), { runId: context.runId, now: bookedAt.toISOString() });
    for (const found of await storeNewFindings(context, closed.findings, bookedAt)) findings.push(found);
    const entries = await appendDraft(context, sourceId, journal, bookedAt);
    await registerObservedOrders(store, sourceId, unobservedNewOrders(orders.fresh, children), { firstSeenDate: asOf, now: bookedAt.toISOString() });
    await progress.writeProgress(closed.nextBalance);
    return { events: journal.eventCount, entries, findings };
  });
}

/** The close's explanations whose panel_fall_explained event was new to the ledger, each named by its event (they come in the same order). */
function explanationRows(sourceId: string, date: string, closed: CloseBalanceEvents, storedIds: ReadonlySet<string>): FallExplanationRow[] {
  const events = closed.events.filter((event) => event.kind === 'panel_fall_explained');
  return closed.explanations.flatMap((explanation, index) => {
    const eventId = events[index]!.id;
    return storedIds.has(eventId) ? [{ sourceId, date, eventId, findingId: explanation.findingId, orderId: explanation.orderId, amountMicros: explanation.amountMicros, currency: explanation.currency }] : [];
  });
}

/** What a panel close booked: how many events, in which entries, and its findings. */
interface BookedPanelClose {
  events: number;
  entries: JournalEntry[];
  findings: Finding[];
}

/** An event as the journal takes it: the detail is stored with the event and not needed again. */
function withoutDetail(event: SourceEvent): SourceEvent {
  return { id: event.id, sourceId: event.sourceId, kind: event.kind, date: event.date, currency: event.currency, amountMicros: event.amountMicros, ref: event.ref, detail: NO_DETAIL };
}
const NO_DETAIL: Record<string, string> = {};

/** A chunk's next order states: the orders the ledger holds are updated, the others registered with theirs (and no longer fresh). */
async function writeOrderStates(
  store: LedgerStore,
  sourceId: string,
  states: ReadonlyMap<string, OrderLedgerState>,
  orders: { stored: ReadonlyMap<string, unknown>; fresh: Map<string, FreshOrder> },
  meta: { asOf: string; now: string },
): Promise<void> {
  const found: NewObservedOrderRow[] = [];
  const updated: OrderStateRow[] = [];
  for (const [orderId, next] of states) {
    const row = storedState(orderId, next, meta.asOf);
    if (orders.stored.has(orderId)) updated.push(row);
    else {
      // Neither stored nor fresh: a drip-feed or subscription child discovered and polled in this close.
      found.push({ order: orders.fresh.has(orderId) ? freshRow(orderId, orders.fresh.get(orderId)!) : childOrder(orderId), next: row });
      orders.fresh.delete(orderId);
    }
  }
  await registerObservedOrders(store, sourceId, found, { firstSeenDate: meta.asOf, now: meta.now });
  await saveOrderStates(store, sourceId, updated, meta.now);
}

/** What one close reads from the panel besides the observations of its orders, which are booked as each chunk is polled. */
interface PanelReading {
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

/** Orders asked about per statusBatch call (a multiple of the panel's 100 ids a request, so the requests are the same). */
const POLLING_CHUNK = 5_000;

/**
 * The balance, then the orders to poll as the ledger knows them once it is read (an order
 * recorded while the reply was awaited was charged inside it), a chunk at a time: each chunk's
 * report (every order's reply as sent) is read into observations, handed to
 * `onObservations` (which books them) and let go, so a first import never
 * holds 200,000 replies and their observations at once.
 */
async function readPanel(
  client: PanelClient,
  source: PanelSourceConfig,
  listToPoll: () => Promise<string[]>,
  defaultCurrency: string,
  unregistered: (orderIds: string[]) => Promise<string[]>,
  onObservations: (observations: readonly OrderObservation[]) => Promise<void>,
): Promise<PanelReading> {
  const balance = await client.balance();
  if (source.currency !== undefined && balance.currency !== undefined && balance.currency !== source.currency) {
    throw linkRawObservation(new CurrencyMismatchError(source.id, source.currency, balance.currency), balance.rawObservationId);
  }
  const currency = balance.currency ?? defaultCurrency;
  const reading: PanelReading = { balance, currency, children: [], invalid: [], batchMode: client.batchMode, rounded: balance.exact ? 0 : 1, polled: 0 };
  const named = new Set<string>();
  const poll = async (orderIds: readonly string[]): Promise<void> => {
    const batch = await client.statusBatch(orderIds);
    await onObservations(addBatch(reading, orderIds, batch));
    for (const child of childOrderIds(batch)) named.add(child);
  };
  const toPoll = await listToPoll();
  for (let start = 0; start < toPoll.length; start += POLLING_CHUNK) await poll(toPoll.slice(start, start + POLLING_CHUNK));
  // A subscription's or drip-feed's child named for the first time was charged in this very
  // balance: poll it in this close, or its charge reads as an unexplained fall tonight.
  const discovered = await unregistered([...named]);
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
    await writeSourceState(store, sourceId, REPOLL_STATE, sortedByOrderId(new Set([...pending, ...orders.map((order) => order.orderId)])), now);
  });
}

// A mode this version does not know is forgotten, not an error: the next sync finds the form again.
const StoredBatchModeSchema = z.enum(PANEL_BATCH_MODES).optional().catch(undefined);

/** The batch form the panel accepted last time, so the next sync does not try the other one first. */
export async function storedBatchMode(store: LedgerStore, sourceId: string): Promise<PanelBatchMode | undefined> {
  return readSourceState(store, sourceId, BATCH_MODE_STATE, StoredBatchModeSchema);
}

/**
 * The orders the files name that the ledger does not hold. Outside a dry run each batch read is
 * registered at once, so a first import never holds its 200,000 rows and none is left fresh: the
 * close finds what to poll and their quantities in the orders table (a close that fails after
 * leaves them registered, never booked). A dry run writes nothing and keeps them. The files are
 * read last first, since first sight wins: a row of the later file counts, as it always has.
 */
async function fileOrdersNotHeld(
  context: CloseContext,
  sourceId: string,
  paths: readonly string[],
  onProblems: (problems: string[]) => void,
): Promise<Map<string, FreshOrder>> {
  const store = context.ledger.store;
  const meta = { firstSeenDate: context.asOf, now: context.now().toISOString() };
  const fresh = new Map<string, FreshOrder>();
  const problems = new Map<string, OrdersFileProblem[]>();
  for (const path of [...paths].reverse()) {
    const reading = await streamOrdersFile(path, async (orders) => {
      // A read first: a cumulative file lists every order ever placed, and writing each known one again
      // (even as a no-op) made such a nightly sync about four times slower.
      const held = await knownOrderIds(store, sourceId, orders.map((order) => order.orderId));
      const unheld = orders.filter((order) => !held.has(order.orderId));
      if (!context.dryRun) {
        if (unheld.length > 0) await store.unitOfWork(() => registerOrders(store, sourceId, unheld.map((order) => freshRow(order.orderId, order)), meta));
        return;
      }
      for (const order of unheld) if (!fresh.has(order.orderId)) fresh.set(order.orderId, order);
    });
    problems.set(path, reading.problems);
  }
  onProblems(paths.flatMap((path) => problemLines(problems.get(path) ?? [])));
  return fresh;
}

/** The orders the files and the webhooks name that the ledger does not hold. */
async function freshOrders(store: LedgerStore, sourceId: string, fileOrders: Map<string, FreshOrder>, webhookOrderIds: readonly string[]): Promise<Map<string, FreshOrder>> {
  const held = await knownOrderIds(store, sourceId, webhookOrderIds);
  for (const orderId of webhookOrderIds) if (!held.has(orderId) && !fileOrders.has(orderId)) fileOrders.set(orderId, null);
  return fileOrders;
}

/**
 * The orders a close asks about, in polling order: those a backfill asked about again, and the open
 * and fresh ones placed by the close's date that are not finished nor unknown for longer than the retention.
 */
async function ordersToPoll(
  store: LedgerStore,
  sourceId: string,
  close: { fresh: ReadonlyMap<string, FreshOrder>; repoll: ReadonlySet<string>; asOf: string; retentionDays: number },
): Promise<string[]> {
  const placedBy = (createdAt: string | null | undefined) => createdAt === null || createdAt === undefined || createdAt.slice(0, 10) <= close.asOf;
  const toPoll = new Set<string>();
  for (const order of await ordersNamed(store, sourceId, [...close.repoll])) toPoll.add(order.orderId);
  for (const orderId of close.repoll) if (close.fresh.has(orderId)) toPoll.add(orderId);
  for await (const order of openOrderHeads(store, sourceId)) {
    if (placedBy(order.createdAt) && shouldRepoll({ terminal: false, unknownSince: order.unknownSince ?? undefined }, close.asOf, close.retentionDays)) toPoll.add(order.orderId);
  }
  for (const [orderId, order] of close.fresh) if (placedBy(order?.createdAt)) toPoll.add(orderId);
  return sortedByOrderId(toPoll);
}

/**
 * The orders this close found first (those the file or a webhook named, and
 * drip-feed children) that no chunk registered with a state: not polled, or
 * polled with no answer.
 */
function* unobservedNewOrders(fresh: ReadonlyMap<string, FreshOrder>, children: readonly string[]): Generator<NewObservedOrderRow> {
  for (const [orderId, order] of fresh) yield { order: freshRow(orderId, order), next: undefined };
  for (const childId of children) yield { order: childOrder(childId), next: undefined };
}

function freshRow(orderId: string, order: FreshOrder): NewOrderRow {
  if (order === null) return { orderId, service: null, quantity: null, createdAt: null, discoveredVia: 'webhook' };
  return { orderId, service: order.service, quantity: order.quantity ?? null, createdAt: order.createdAt ?? null, discoveredVia: 'orders-file' };
}

function childOrder(orderId: string): NewOrderRow {
  return { orderId, service: null, quantity: null, createdAt: null, discoveredVia: 'drip-feed' };
}

function storedState(orderId: string, next: OrderLedgerState, asOf: string): OrderStateRow {
  return { orderId, state: toStoredJson(next), terminal: next.terminal, unknownSince: next.unknownSince ?? null, lastObservedDate: asOf };
}

/** Numeric ids in numeric order, then the rest as text: a stable polling and booking order. */
function compareOrderIds(a: string, b: string): number {
  return compareKeyed(orderIdKey(a), orderIdKey(b));
}

/** The ids in compareOrderIds order, each id tested once rather than at every comparison (a first import sorts 200,000). */
function sortedByOrderId(orderIds: Iterable<string>): string[] {
  return Array.from(orderIds, orderIdKey)
    .sort(compareKeyed)
    .map((key) => key.id);
}

interface OrderIdKey {
  id: string;
  numeric: boolean;
}

function orderIdKey(id: string): OrderIdKey {
  return { id, numeric: /^\d+$/.test(id) };
}

function compareKeyed(a: OrderIdKey, b: OrderIdKey): number {
  if (a.numeric && b.numeric && a.id.length !== b.id.length) return a.id.length - b.id.length;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
