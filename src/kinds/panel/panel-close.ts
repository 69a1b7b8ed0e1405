import { panelBooks, panelReads } from './books/panel-books.js';
import { type PanelSourceConfig, PANEL_KIND, asPanelSource } from './panel-config.js';
import { ConfigError, InvalidReplyError, rawObservationOf, type LedgerlineError } from '../../errors.js';
import type { Clock } from '../../http/index.js';
import { DEFAULT_UNKNOWN_RETENTION_DAYS } from './rules/order-events.js';
import { PanelCloseDraft } from './rules/panel-close-draft.js';
import { createPanelClient } from './panel-client.js';
import type { PanelBatchMode } from './panel-batch-mode.js';
import {
  refuseDayBeforeLatestClose,
  loadChunkedDay,
  type ChunkReads,
  type ChunkedKind,
  type DayExtractIo,
  type CloseContext,
  type SourceSyncReport,
  type SyncBooksTx,
} from '../../pipeline/sync/index.js';
import {
  heldAtBalance,
  normalizeBalance,
  type BalanceHeld,
  type BalanceProgress,
  heldOrders,
  loadOrderStates,
  normalizeOrders,
  type HeldOrders,
  type OrderStates,
  storedPanelDay,
} from './panel-balance-chunk.js';
import {
  heldAtOpening,
  isOpening,
  loadOpening,
  normalizeOpening,
  readOpening,
  type OpeningChunk,
  type OpeningDay,
  type OpeningHeld,
  type OpeningProgress,
  type OpeningSources,
} from './panel-opening.js';
import {
  childrenNotHeld,
  ordersToPoll,
  unobservedNewOrders,
  ordersInFlightAt,
  readPanel,
  type PanelChunk,
  type PanelPollReads,
  type PanelReading,
} from './panel-close-orders.js';
import { calendarDateIn } from '../../calendar/index.js';
import type { LandingBooksTx, StoredWebhookRow, UnreadableStoredWebhook } from '../../pipeline/landing/index.js';
import { panelOrderUpdateFormat, type PanelOrderUpdateWebhook } from './panel-order-update.js';

interface PanelCloseRequest {
  /** The orders files this close reads (their headers checked before the run's first call). */
  ordersFiles: readonly string[];
  /** Told the rows of the orders files that were skipped ("orders.csv line 7: …"), once the files are read. */
  onOrdersFileProblems: (problems: string[]) => void;
  defaultCurrency: string;
  /** Orders a backfill names: asked about again even when finished (DESIGN §4: "unless a backfill asks"). */
  repoll?: readonly string[];
}

/** A panel's day: what its chunks book into, the ledger's reads its extract takes, and what it read. A value. */
interface PanelDay extends OpeningDay {
  /** What the extract's opening reads: the spool, the orders files, the orders the stored webhooks name. */
  readonly opening: OpeningSources;
  readonly runId: string;
  readonly defaultCurrency: string;
  readonly batchMode: PanelBatchMode | undefined;
  readonly reads: PanelPollReads;
  /** The stored webhook deliveries this close takes in, marked processed with it. */
  readonly webhookIds: readonly bigint[];
  /** Whether a backfill's request to poll orders again is answered by this close. */
  readonly repolls: boolean;
  /** What the extract read: the day the balance chunk leaves carries it. */
  readonly reading?: PanelReading;
}

type PanelHeld = OpeningHeld | { type: 'orders'; orders: HeldOrders } | ({ type: 'balance' } & BalanceHeld);
type PanelProgress =
  | { type: 'opening'; opening: OpeningProgress }
  | { type: 'orders'; states: OrderStates }
  | ({ type: 'balance' } & BalanceProgress);

/**
 * The panel on the chunked staged shape: extract = its reads (its opening: the spool, the orders files and
 * the webhooks' orders; then the balance, the orders to poll a chunk at a time, the balance chunk last);
 * before = the chunk's orders as the ledger holds them (and, for the balance, its figures); normalize = the
 * orders the opening learns, PanelCloseDraft over a polled chunk; load = the opening's imports and orders,
 * the order states, and with the balance, the close's progress.
 */
const panelStaged: ChunkedKind<OpeningChunk | PanelChunk, PanelDay, PanelHeld, PanelProgress> = {
  kind: PANEL_KIND,
  async *extract(io: DayExtractIo, day: PanelDay) {
    const source = asPanelSource(io.source);
    let opened = day;
    for await (const chunk of readOpening(day.opening)) opened = yield chunk;
    const client = createPanelClient({
      sourceId: source.id,
      url: source.url,
      apiKey: source.apiKey,
      http: io.http,
      clock: io.clock,
      onRawReply: io.onRawReply,
      batchMode: day.batchMode,
    });
    const polling = { defaultCurrency: day.defaultCurrency, clock: io.clock, reads: day.reads };
    yield* readPanel(client, source, polling, opened);
  },
  async before(reads: ChunkReads, chunk: OpeningChunk | PanelChunk, day: PanelDay): Promise<PanelHeld> {
    if (isOpening(chunk)) return heldAtOpening(reads, chunk, day);
    if (chunk.type === 'orders')
      return { type: 'orders', orders: await heldOrders(reads.books, day.sourceId, chunk.observations) };
    return { type: 'balance', ...(await heldAtBalance(reads, chunk.reading, chunk.inFlight, day.sourceId)) };
  },
  normalize(chunk, held, day) {
    if (isOpening(chunk) && held.type === 'opening') {
      const opened = normalizeOpening(chunk, held, day);
      return { events: [], findings: [], progress: { type: 'opening', opening: opened.progress }, day: opened.day };
    }
    if (chunk.type === 'orders' && held.type === 'orders') {
      const orders = normalizeOrders(chunk.observations, held.orders, day);
      return {
        events: orders.events,
        findings: orders.findings,
        progress: { type: 'orders', states: orders.progress },
        day,
      };
    }
    if (chunk.type !== 'balance' || held.type !== 'balance')
      throw new Error(
        `panel close ${day.sourceId}: a ${chunk.type} chunk was read with what the ledger holds for a ${held.type} chunk`,
      );
    const balance = normalizeBalance(chunk, held, day);
    return { ...balance, progress: { type: 'balance', ...balance.progress }, day: { ...day, reading: chunk.reading } };
  },
  async load(tx, progress, day) {
    if (progress.type === 'opening') return loadOpening(tx, progress.opening, day);
    if (progress.type === 'orders') return loadOrderStates(tx, progress.states, day);
    return loadBalance(tx, progress, day);
  },
};

/**
 * One panel close, the panel's chunked staged close loaded by the pipeline's one loader: its opening
 * (the proxy's spool, the orders files, the webhooks' orders), then each polled chunk, each in a unit of
 * work of its own, the balance step last, so that the ledger's panel_prepaid equals the balance the panel
 * reports. A dry run is the same path without the units: it lands nothing and loads nothing.
 */
export async function syncPanelClose(
  context: CloseContext,
  source: PanelSourceConfig,
  io: Omit<DayExtractIo, 'source' | 'day' | 'timeZone'>,
  request: PanelCloseRequest,
): Promise<SourceSyncReport> {
  const latestClose = await refuseDayBeforeLatestClose(context.books, source.id, context.asOf);
  const day = await openPanelDay(context, { source, latestClose }, request, io.clock);
  const loaded = await loadChunkedDay(
    context,
    panelStaged,
    { ...io, source, day: context.asOf, timeZone: context.timezone },
    day,
  );
  // An orders file that cannot be read (gone since the check before the run) is the user's to fix, not the panel's failure: it stops the run.
  if (loaded.outcome === 'failed' && loaded.error instanceof ConfigError) throw loaded.error;
  if (loaded.outcome === 'failed') return failedPanelClose(context, source.id, loaded.error);
  const { events, entries, findings, day: closed } = loaded;
  return {
    sourceId: source.id,
    outcome: 'booked',
    events,
    entries,
    findings,
    quarantined: closed.reading?.invalid.length ?? 0,
    polled: closed.reading?.polled ?? 0,
  };
}

/**
 * Reads what a close starts from: the webhooks stored by its date, the orders a backfill asked
 * about again, whether the ledger holds any order of the source, the events an interrupted close
 * left unjournalized (since `latestClose`, as the sync read it), and the balance state, which says
 * whether this is the panel's baseline. The orders the close names first are its opening's.
 */
async function openPanelDay(
  context: CloseContext,
  { source, latestClose }: { source: PanelSourceConfig; latestClose: string | undefined },
  request: PanelCloseRequest,
  clock: Clock,
): Promise<PanelDay> {
  const { books, asOf } = context;
  const retentionDays = source.unknownOrderRetentionDays ?? DEFAULT_UNKNOWN_RETENTION_DAYS;
  const webhookUpdates = (
    await storedPanelUpdates(books, { sourceId: source.id, timeZone: context.timezone })
  ).updates.filter((update) => update.status === 'stored' && update.date <= asOf);
  const stored = await storedPanelDay(books, source.id);
  const repoll = new Set([...(request.repoll ?? []), ...stored.repoll]);
  const firstImport = !(await books.of(panelReads).holdsOrders(source.id));
  const interrupted = await books.interruptedCloseEvents(source.id, {
    fromDate: latestClose,
    runId: context.runId,
  });
  const balanceBefore = stored.balance;
  const draft = new PanelCloseDraft({
    sourceId: source.id,
    date: asOf,
    chart: context.chart,
    taxBook: context.taxBook,
    granularity: context.granularity,
    isBaselineSync: balanceBefore === undefined,
    openFalls: balanceBefore?.openFalls ?? [],
    interruptedEvents: interrupted,
  });
  const watch = {
    books,
    sourceId: source.id,
    clock,
    logger: context.logger,
    proxyAnswering: () => context.proxyAnswering?.(source.id) ?? true,
  };
  const reads: PanelPollReads = {
    inFlightAt: (read) => ordersInFlightAt(watch, read),
    ordersToPoll: (day) => ordersToPoll(books, source.id, { fresh: day.fresh, repoll, asOf, retentionDays }),
    childrenNotHeld: (named, day) => childrenNotHeld(books, source.id, named, day.fresh),
  };
  const opening = {
    proxySpool: source.proxySpool,
    ordersFiles: request.ordersFiles,
    onOrdersFileProblems: request.onOrdersFileProblems,
    webhookOrderIds: webhookUpdates.map((update) => update.orderId),
  };
  return {
    sourceId: source.id,
    asOf,
    runId: context.runId,
    opening,
    fresh: new Map(),
    firstImport,
    bookedAt: context.now(),
    draft,
    defaultCurrency: request.defaultCurrency,
    batchMode: stored.batchMode,
    reads,
    logger: context.logger,
    webhookIds: webhookUpdates.map((update) => update.webhookId),
    repolls: repoll.size > 0,
  };
}

/** A close the panel's replies stopped: a reply that does not read is quarantined (outside a dry run), and nothing more is booked. */
async function failedPanelClose(
  context: CloseContext,
  sourceId: string,
  error: LedgerlineError,
): Promise<SourceSyncReport> {
  let quarantined = 0;
  if (error instanceof InvalidReplyError && !context.dryRun) {
    const item = {
      sourceId,
      rawObservationId: rawObservationOf(error),
      itemRef: error.what,
      reason: error.reason,
      asOf: context.asOf,
    };
    await context.books.unit((tx) => tx.quarantine(item, context.now()));
    quarantined = 1;
  }
  return { sourceId, outcome: 'failed', events: 0, entries: [], findings: [], quarantined, error };
}

/**
 * The balance chunk's load, the close's marker: the orders in flight it settled, the explanations of the
 * falls, the orders found but not observed registered, the replies that did not read quarantined, the
 * webhooks processed, the panel's states carried and the close logged (the journal is appended after it).
 */
async function loadBalance(tx: SyncBooksTx, progress: BalanceProgress, settling: PanelDay): Promise<PanelDay> {
  const { sourceId, asOf, bookedAt: now } = settling;
  const { reading } = progress;
  const day = await loadOrderStates(tx, progress.settled, settling);
  if (progress.nextClose.length > 0)
    day.logger.info(
      `orders ${progress.nextClose.join(', ')} were placed while the panel read its balance and are not in it: the next close books them`,
    );
  await tx.recordFallExplanations(progress.explanations, { runId: day.runId, now });
  const panel = tx.of(panelBooks);
  await panel.registerFoundOrders(sourceId, unobservedNewOrders(day.fresh, reading.children), {
    firstSeenDate: asOf,
    now,
  });
  for (const order of reading.invalid)
    await tx.quarantine(
      {
        sourceId,
        rawObservationId: order.rawObservationId,
        itemRef: `order ${order.orderId}`,
        reason: order.reason,
        asOf,
      },
      now,
    );
  await tx.markWebhooksProcessed(day.webhookIds);
  // A close polled the orders a backfill asked about: the request is answered.
  if (day.repolls) await panel.saveCarriedState(sourceId, 'repollRequested', [], now);
  await panel.saveBalanceState(sourceId, { date: asOf, balance: progress.nextBalance }, now);
  // The batch form the panel accepted, so the next sync does not try the other one first.
  await panel.saveCarriedState(sourceId, 'batchMode', reading.batchMode, now);
  await tx.logClose({
    sourceId,
    date: asOf,
    runId: day.runId,
    metric: 'balance',
    valueMicros: reading.balance.balance,
    currency: reading.currency,
    rawObservationId: reading.balance.rawObservationId,
    now,
  });
  // Every order the close named first is held now.
  return { ...day, fresh: new Map() };
}

type StoredPanelUpdate = StoredWebhookRow &
  Omit<PanelOrderUpdateWebhook, 'kind'> & {
    /** The calendar date of `receivedAt` in the requested time zone: order updates carry no time of their own. */
    date: string;
  };

interface StoredPanelUpdatesQuery {
  sourceId: string;
  /** Only updates received at or after this ISO 8601 instant or date ("2026-03-13" is that day's start, UTC). */
  since?: string;
  timeZone?: string;
}

/** Order updates of a panel in order of receipt; several for one order show its successive states. */
export async function storedPanelUpdates(
  books: Pick<LandingBooksTx, 'readableWebhooks'>,
  query: StoredPanelUpdatesQuery,
): Promise<{ updates: StoredPanelUpdate[]; unreadable: UnreadableStoredWebhook[] }> {
  const dateOf = calendarDateIn(query.timeZone ?? 'UTC');
  const updates: StoredPanelUpdate[] = [];
  const unreadable: UnreadableStoredWebhook[] = [];
  for await (const row of books.readableWebhooks(query.sourceId, PANEL_KIND, query.since)) {
    const reading = panelOrderUpdateFormat.read(row.body);
    if (!reading.ok) {
      unreadable.push({ webhookId: row.id, reason: reading.reason });
      continue;
    }
    const { kind: _kind, ...update } = reading.event;
    updates.push({
      webhookId: row.id,
      status: row.status,
      receivedAt: row.receivedAt,
      ...update,
      date: dateOf(row.receivedAt),
    });
  }
  return { updates, unreadable };
}
