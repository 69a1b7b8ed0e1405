import type { PanelSourceConfig } from '../../sources/index.js';
import { InvalidReplyError, LedgerlineError, rawObservationOf } from '../../errors.js';
import { createSystemClock, type Clock } from '../../http/index.js';
import {
  DEFAULT_UNKNOWN_RETENTION_DAYS,
  PANEL_PREPAID_ACCOUNT,
  PanelCloseDraft,
  assertInvariant,
  type PanelBalanceFigures,
  type CloseBalanceEvents,
  type Finding,
  type JournalEntry,
  type OrderObservation,
  type PanelBalanceState,
} from '../../rules/index.js';
import type { PanelClient } from '../../sources/index.js';
import { storedPanelUpdates } from '../landing/index.js';
import { appendDraft, refuseDayBeforeLatestClose, storeNewEvents, storeNewFindings } from './book-close.js';
import { assertBookedPrepaid } from './booked-prepaid.js';
import { bookOrRehearse, type CloseContext, type SourceSyncReport } from './close-context.js';
import { childrenNotHeld, ordersToPoll, unobservedNewOrders, withWebhookOrders } from './panel-close-orders.js';
import { ordersInFlightAt } from './panel-in-flight.js';
import { bookOrderChunk, type OrderBooking } from './panel-order-chunk.js';
import { fileOrdersNotHeld } from './panel-orders-files.js';
import { POLLING_CHUNK, readPanel, type PanelReading } from './panel-polling.js';
import { clearRepollRequests, repollRequested, storedPanelBalance, writeBatchMode, writePanelBalance } from './panel-source-state.js';
import type { BookedFallExplanation, SyncBooksTx } from './sync-books.js';

/** How the balance settled the orders in flight at its read (orders-in-flight.ts). */
type InFlightSettlement = ReturnType<PanelCloseDraft['settleInFlight']>;

/** What the sync and the backfill take from the panel's close besides the close itself. */
export { readPanelOrdersFiles, refuseUnusableOrdersFiles } from './panel-orders-files.js';
export { requestRepoll, storedBatchMode } from './panel-source-state.js';

export interface PanelCloseRequest {
  /** The orders files this close reads (their headers checked before the run's first call). */
  ordersFiles: readonly string[];
  /** Told the rows of the orders files that were skipped ("orders.csv line 7: …"), once the files are read. */
  onOrdersFileProblems: (problems: string[]) => void;
  defaultCurrency: string;
  /** Orders a backfill names: asked about again even when finished (DESIGN §4: "unless a backfill asks"). */
  repoll?: readonly string[];
  /** The machine's clock, as the panel proxy dates the adds it keeps (default: the system's). */
  clock?: Clock;
}

/**
 * One panel close, read → pure close → write: learn the orders (file, webhooks, earlier syncs,
 * and those the panel proxy recorded, already among the known orders), poll the open ones a
 * chunk at a time, each chunk drafted by the rules (PanelCloseDraft) and booked in a unit of
 * work of its own, then the balance step in the last unit, so that the ledger's panel_prepaid
 * equals the balance the panel reports.
 */
export async function syncPanelClose(context: CloseContext, source: PanelSourceConfig, client: PanelClient, request: PanelCloseRequest): Promise<SourceSyncReport> {
  const books = context.books;
  await refuseDayBeforeLatestClose(books, source.id, context.asOf);
  if (!context.dryRun) await context.importSpool(source);
  const close = await openPanelClose(context, source, request);
  const { booking } = close;
  // A dry run writes nothing, so it holds what the panel said and rehearses the booking once it has all of it.
  const held: OrderObservation[] = [];
  const book = context.dryRun
    ? async (observations: readonly OrderObservation[]) => {
        for (const observation of observations) held.push(observation);
      }
    : (observations: readonly OrderObservation[]) => books.unit((tx) => bookOrderChunk(booking, tx, observations));
  // The orders in flight at the balance read wait for the balance step, where the balance says whether it holds them.
  const inFlight = { orderIds: new Set<string>(), observations: [] as OrderObservation[] };
  const clock = request.clock ?? createSystemClock();
  const watch = { books, sourceId: source.id, clock, logger: context.logger, proxyAnswering: () => context.proxyAnswering?.(source.id) ?? true };
  let reading: PanelReading;
  try {
    reading = await readPanel(client, source, {
      defaultCurrency: request.defaultCurrency,
      // Listed once the balance is read: an order the proxy recorded while the balance reply was awaited is in flight.
      listToPoll: () => ordersToPoll(books, source.id, { fresh: booking.fresh, repoll: close.repoll, asOf: context.asOf, retentionDays: close.retentionDays }),
      childrenToPoll: (named) => childrenNotHeld(books, source.id, named, booking.fresh),
      onObservations: (observations) => {
        for (const observation of observations) if (inFlight.orderIds.has(observation.orderId)) inFlight.observations.push(observation);
        return book(observations.filter((observation) => !inFlight.orderIds.has(observation.orderId)));
      },
      clock,
      onBalanceRead: async (read) => {
        inFlight.orderIds = await ordersInFlightAt(watch, read);
      },
    });
  } catch (error) {
    return failedPanelClose(context, source.id, error);
  }
  const booked = await bookOrRehearse(context, async () => {
    // Inside the rehearsal's own unit of work when dry: the chunks then join it.
    for (let start = 0; start < held.length; start += POLLING_CHUNK) await bookOrderChunk(booking, books, held.slice(start, start + POLLING_CHUNK));
    return bookPanelBalance(booking, reading, inFlight.observations, (tx, nextBalance) => writeCloseProgress(close, tx, reading, nextBalance));
  });
  return { sourceId: source.id, outcome: 'booked', events: booked.events, entries: booked.entries, findings: booked.findings, quarantined: reading.invalid.length, polled: reading.polled };
}

/** A close as it stands before the panel is asked anything: what it books into, and what it answers once booked. */
interface OpenedPanelClose {
  booking: OrderBooking;
  /** The stored webhook deliveries this close takes in, marked processed with it. */
  webhookIds: bigint[];
  /** The orders polled again whatever their state (a backfill's request). */
  repoll: Set<string>;
  retentionDays: number;
}

/**
 * Reads what a close starts from: the webhooks stored by its date, the orders a backfill asked
 * about again, the orders the files and webhooks name first, the events an interrupted close
 * left unjournalized, and the balance state, which says whether this is the panel's baseline.
 */
async function openPanelClose(context: CloseContext, source: PanelSourceConfig, request: PanelCloseRequest): Promise<OpenedPanelClose> {
  const books = context.books;
  const retentionDays = source.unknownOrderRetentionDays ?? DEFAULT_UNKNOWN_RETENTION_DAYS;
  const webhookUpdates = (await storedPanelUpdates(books, { sourceId: source.id, timeZone: context.timezone })).updates.filter(
    (update) => update.status === 'stored' && update.date <= context.asOf,
  );
  const repoll = new Set([...(request.repoll ?? []), ...(await repollRequested(books, source.id))]);
  const fileOrders = await fileOrdersNotHeld(context, source.id, request.ordersFiles, request.onOrdersFileProblems);
  const fresh = await withWebhookOrders(
    books,
    source.id,
    fileOrders,
    webhookUpdates.map((update) => update.orderId),
  );
  const interrupted = await books.interruptedCloseEvents(source.id, { fromDate: await books.latestClose(source.id), runId: context.runId });
  const balanceBefore = await storedPanelBalance(books, source.id);
  const draft = new PanelCloseDraft({
    sourceId: source.id,
    date: context.asOf,
    chart: context.chart,
    granularity: context.granularity,
    isBaselineSync: balanceBefore === undefined,
    openFalls: balanceBefore?.openFalls ?? [],
    interruptedEvents: interrupted,
  });
  const booking: OrderBooking = { context, sourceId: source.id, fresh, bookedAt: context.now(), draft, findings: [] };
  return { booking, webhookIds: webhookUpdates.map((update) => update.webhookId), repoll, retentionDays };
}

/** A close the panel's replies stopped: a reply that does not read is quarantined (outside a dry run), and nothing is booked. */
async function failedPanelClose(context: CloseContext, sourceId: string, error: unknown): Promise<SourceSyncReport> {
  if (!(error instanceof LedgerlineError)) throw error;
  let quarantined = 0;
  if (error instanceof InvalidReplyError && !context.dryRun) {
    await context.books.quarantine({ sourceId, rawObservationId: rawObservationOf(error), itemRef: error.what, reason: error.reason, asOf: context.asOf }, context.now());
    quarantined = 1;
  }
  return { sourceId, outcome: 'failed', events: 0, entries: [], findings: [], quarantined, error };
}

/** What a panel close booked: how many events, in which entries, and its findings. */
interface BookedPanelClose {
  events: number;
  entries: JournalEntry[];
  findings: Finding[];
}

/**
 * The close's last unit of work, its marker: the orders' events (with those of an interrupted
 * close of this source before it) journalized once with the balance step, which books whatever
 * they do not explain in the balance the panel reports; the orders found but not observed are
 * registered, and the rest of the close's progress written by `writeProgress`. It books exactly
 * what panelCloseEvents derives for the whole close.
 */
async function bookPanelBalance(
  booking: OrderBooking,
  reading: PanelReading,
  inFlight: readonly OrderObservation[],
  writeProgress: (tx: SyncBooksTx, nextBalance: PanelBalanceState) => Promise<void>,
): Promise<BookedPanelClose> {
  const { sourceId, bookedAt, draft } = booking;
  const { ledger, asOf } = booking.context;
  return booking.context.books.unit(async (tx) => {
    const context = { ...booking.context, books: tx };
    const figures = {
      currency: reading.currency,
      previousBalance: await storedPanelBalance(tx, sourceId),
      prepaidBeforeMicros: await ledger.balanceOf(PANEL_PREPAID_ACCOUNT, reading.currency, { sourceId }),
      reportedBalanceMicros: reading.balance.balance,
      roundedFigures: reading.rounded,
    };
    const settled = await bookOrdersInBalance(booking, tx, inFlight, figures);
    const closed = draft.balance(figures);
    assertInFlightSettled(settled, closed, { sourceId, date: asOf });
    const storedEvents = await storeNewEvents(context, closed.events, bookedAt);
    draft.journalize(storedEvents);
    await tx.recordFallExplanations(explanationRows(sourceId, asOf, closed, new Set(storedEvents.map((event) => event.id))), { runId: context.runId, now: bookedAt });
    for (const found of await storeNewFindings(context, closed.findings, bookedAt)) booking.findings.push(found);
    await tx.registerFoundOrders(sourceId, unobservedNewOrders(booking.fresh, reading.children), { firstSeenDate: asOf, now: bookedAt });
    // Kept with this close so a replay settles its orders in flight as tonight did.
    await writeProgress(tx, inFlight.length > 0 ? { ...closed.nextBalance, ordersInFlight: inFlight.map((observation) => observation.orderId) } : closed.nextBalance);
    // Last, as in bookClose: the append holds the journal's chain until the commit.
    const entries = await appendDraft(context, sourceId, draft.journal, bookedAt, (drafted) => assertBookedPrepaid(drafted, draft.journal, { sourceId, date: asOf, currency: reading.currency }));
    return { events: draft.journal.eventCount, entries, findings: booking.findings };
  });
}

/**
 * Books, as one more chunk, the orders in flight at the balance read that the reported balance holds
 * (PanelCloseDraft.settleInFlight); the others are left unobserved, so the next close polls and books them.
 */
async function bookOrdersInBalance(booking: OrderBooking, tx: SyncBooksTx, inFlight: readonly OrderObservation[], figures: PanelBalanceFigures): Promise<InFlightSettlement | undefined> {
  if (inFlight.length === 0) return undefined;
  const settled = booking.draft.settleInFlight(inFlight, figures);
  const inBalance = new Set(settled.inBalance);
  await bookOrderChunk(booking, tx, inFlight.filter((observation) => inBalance.has(observation.orderId)));
  if (settled.nextClose.length > 0) booking.context.logger.info(`orders ${settled.nextClose.join(', ')} were placed while the panel read its balance and are not in it: the next close books them`);
  return settled;
}

/** Where the money is decided: orders in flight that the balance settled leave no rise or fall for the balance step to book. */
function assertInFlightSettled(settled: InFlightSettlement | undefined, closed: CloseBalanceEvents, close: { sourceId: string; date: string }): void {
  if (settled === undefined || !settled.explained) return;
  const moved = closed.findings.filter((found) => found.kind === 'balance_rise' || found.kind === 'balance_fall');
  assertInvariant(
    moved.length === 0,
    () => `panel close ${close.sourceId} ${close.date}: the orders in flight (${[...settled.inBalance, ...settled.nextClose].join(', ')}) were settled by the balance, yet it books ${moved.map((found) => found.kind).join(', ')}; nothing of the close's last unit was committed`,
  );
}

/** The close's explanations whose panel_fall_explained event was new to the ledger, each named by its event (they come in the same order). */
function explanationRows(sourceId: string, date: string, closed: CloseBalanceEvents, storedIds: ReadonlySet<string>): BookedFallExplanation[] {
  const events = closed.events.filter((event) => event.kind === 'panel_fall_explained');
  return closed.explanations.flatMap((explanation, index) => {
    const eventId = events[index]!.id;
    return storedIds.has(eventId) ? [{ sourceId, date, eventId, findingId: explanation.findingId, orderId: explanation.orderId, amountMicros: explanation.amountMicros, currency: explanation.currency }] : [];
  });
}

/** The rest of a booked close, in its last unit: orders that did not read quarantined, webhooks processed, the panel's states carried, the close logged. */
async function writeCloseProgress(close: OpenedPanelClose, tx: SyncBooksTx, reading: PanelReading, nextBalance: PanelBalanceState): Promise<void> {
  const { context, sourceId } = close.booking;
  const { asOf } = context;
  for (const order of reading.invalid) {
    await tx.quarantine({ sourceId, rawObservationId: order.rawObservationId, itemRef: `order ${order.orderId}`, reason: order.reason, asOf }, context.now());
  }
  await tx.markWebhooksProcessed(close.webhookIds);
  if (close.repoll.size > 0) await clearRepollRequests(tx, sourceId, context.now());
  await writePanelBalance(tx, sourceId, { date: asOf, balance: nextBalance }, context.now());
  await writeBatchMode(tx, sourceId, reading.batchMode, context.now());
  await tx.logClose({
    sourceId,
    date: asOf,
    runId: context.runId,
    metric: 'balance',
    valueMicros: reading.balance.balance,
    currency: reading.currency,
    rawObservationId: reading.balance.rawObservationId,
    now: context.now(),
  });
}
