import type { ChunkReads, SyncBooksReads, SyncBooksTx } from '../../pipeline/sync/index.js';
import type { Logger } from '../../log/index.js';
import { panelBooks, panelReads, type NewOrder } from './books/panel-books.js';
import { proxyBooks } from './books/proxy-books-store.js';
import type { AddRequestRecord } from '../../ledger/index.js';
import { ordersFileBatches } from './orders-file-reading.js';
import type { OrdersFileOrder } from './orders-file.js';
import { freshRow, problemLines } from './panel-close-orders.js';
import { withoutFresh, type PanelOrdersDay } from './panel-balance-chunk.js';
import {
  importSpoolRecords,
  readProxySpool,
  spooledRequest,
  tellSpoolImport,
  type SpoolRecord,
} from './proxy/proxy-spool.js';

/*
 * A panel close's opening, its first chunks: the adds the panel proxy kept in its spool, the orders the
 * orders files name (a batch at a time), and the orders the stored webhooks name. Each is extracted
 * (read, never written), normalized into the orders the close learns (`fresh` on the day it leaves) and,
 * outside a dry run, loaded by the pipeline's one loader in a unit of its own like any other chunk: the
 * spool's records imported and the files' orders registered, so the ledger holds them and the day the
 * load returns no longer carries them. A webhook's order is registered with the balance step, as the
 * orders this close finds first are. A dry run is the same path without the loads: the day goes on
 * with every order the opening learned, so the polls that follow ask about them as the real run does.
 */

/** An opening chunk, as the extract yields it before it reads the panel. */
export type OpeningChunk =
  | { type: 'spool'; path: string; records: SpoolRecord[]; unreadableLines: number[] }
  | { type: 'orders-file'; orders: OrdersFileOrder[] }
  | { type: 'webhooks'; orderIds: readonly string[] };

/** Whether a chunk is one of the opening's (its other chunks are the panel's reads). */
export function isOpening<Chunk extends { type: string }>(chunk: OpeningChunk | Chunk): chunk is OpeningChunk {
  return chunk.type === 'spool' || chunk.type === 'orders-file' || chunk.type === 'webhooks';
}

/** What the ledger held of an opening chunk's orders: those it knows, and the requests the spool's outcomes answer. */
export interface OpeningHeld {
  type: 'opening';
  known: ReadonlySet<string>;
  requests: ReadonlyMap<string, AddRequestRecord>;
}

/** What an opening chunk's load writes: the spool's records, the orders a file named that the ledger does not hold. */
export type OpeningProgress =
  | { type: 'spool'; path: string; records: SpoolRecord[]; unreadableLines: number[]; placed: readonly string[] }
  | { type: 'orders-file'; orders: readonly NewOrder[] }
  | { type: 'webhooks' };

/** The day an opening is normalized and loaded over. */
export interface OpeningDay extends PanelOrdersDay {
  /** The ledger held no order of the source when the close began: a file's batches are not looked up (all are new). */
  readonly firstImport: boolean;
  readonly logger: Logger;
}

/** What the opening reads: the source's spool and orders files, and the orders the stored webhooks name. */
export interface OpeningSources {
  proxySpool: string;
  ordersFiles: readonly string[];
  /** Told the rows of the orders files that were skipped ("orders.csv line 7: …"), once the files are read. */
  onOrdersFileProblems: (problems: string[]) => void;
  webhookOrderIds: readonly string[];
}

/**
 * The opening's extract: the spool (when it holds anything), each file's batches (the files read last first,
 * since first sight wins: a row of the later file counts), the files' problems told, then the webhooks' orders.
 */
export async function* readOpening(sources: OpeningSources): AsyncGenerator<OpeningChunk, void> {
  const spool = await readProxySpool(sources.proxySpool);
  // Most nights the proxy kept nothing: no chunk, so no unit of work (no write lock taken) for an empty spool.
  if (spool.records.length > 0 || spool.unreadableLines.length > 0)
    yield { type: 'spool', path: sources.proxySpool, ...spool };
  const problems = new Map<string, string[]>();
  for (const path of [...sources.ordersFiles].reverse()) {
    const batches = ordersFileBatches(path);
    for (;;) {
      const next = await batches.next();
      if (next.done === true) {
        problems.set(path, problemLines(next.value.problems));
        break;
      }
      yield { type: 'orders-file', orders: next.value };
    }
  }
  sources.onOrdersFileProblems(sources.ordersFiles.flatMap((path) => problems.get(path) ?? []));
  if (sources.webhookOrderIds.length > 0) yield { type: 'webhooks', orderIds: sources.webhookOrderIds };
}

/** What the ledger holds of an opening chunk's orders (and of the requests a spool's outcomes answer). */
export async function heldAtOpening(reads: ChunkReads, chunk: OpeningChunk, day: OpeningDay): Promise<OpeningHeld> {
  const requests = new Map<string, AddRequestRecord>();
  if (chunk.type === 'spool')
    for (const record of chunk.records) {
      if (record.record !== 'add_answered') continue;
      const request = await reads.books.of(proxyBooks).heldAddRequest(record.request);
      if (request !== undefined) requests.set(record.request, request);
    }
  // A first import's rows are all new: 150 ms of 50,000 orders not spent on a read (one listed twice keeps its
  // first sight by the insert's ON CONFLICT DO NOTHING, as the read kept it).
  if (chunk.type === 'orders-file' && day.firstImport) return { type: 'opening', known: new Set(), requests };
  const named = learnedOrders(chunk, requests, day.sourceId).map((order) => order.orderId);
  return { type: 'opening', known: await knownOrders(reads.books, day.sourceId, named), requests };
}

/** An opening chunk in the close's words (pure): the orders it names that neither the ledger nor the day holds become fresh. */
export function normalizeOpening<Day extends OpeningDay>(
  chunk: OpeningChunk,
  held: OpeningHeld,
  day: Day,
): { progress: OpeningProgress; day: Day } {
  const learned = learnedOrders(chunk, held.requests, day.sourceId).filter(
    (order) => !held.known.has(order.orderId) && !day.fresh.has(order.orderId),
  );
  const next = learned.length === 0 ? day : { ...day, fresh: new Map([...day.fresh, ...learned.map(byId)]) };
  if (chunk.type === 'webhooks') return { progress: { type: 'webhooks' }, day: next };
  if (chunk.type === 'orders-file') return { progress: { type: 'orders-file', orders: learned }, day: next };
  const placed = learned.map((order) => order.orderId);
  return { progress: { ...chunk, placed }, day: next };
}

/**
 * An opening chunk's load: the spool's records imported (its requests, outcomes and the orders they placed,
 * said in the log), a file's new orders registered. Returns the day without the orders the ledger now holds.
 */
export async function loadOpening<Day extends OpeningDay>(
  tx: SyncBooksTx,
  progress: OpeningProgress,
  day: Day,
): Promise<Day> {
  if (progress.type === 'webhooks') return day;
  if (progress.type === 'orders-file') {
    const seen = { firstSeenDate: day.asOf, now: day.bookedAt };
    if (progress.orders.length > 0) await tx.of(panelBooks).registerOrders(day.sourceId, progress.orders, seen);
    return withoutFresh(
      day,
      progress.orders.map((order) => order.orderId),
    );
  }
  const imported = await importSpoolRecords(tx.of(proxyBooks), day.sourceId, progress, day.bookedAt);
  tellSpoolImport(day.logger, progress.path, imported);
  // The spool's orders are the ledger's now, and it holds orders: a file's batches are looked up.
  return { ...withoutFresh(day, progress.placed), firstImport: day.firstImport && imported.outcomes === 0 };
}

function byId(order: NewOrder): [string, NewOrder] {
  return [order.orderId, order];
}

async function knownOrders(books: SyncBooksReads, sourceId: string, orderIds: readonly string[]): Promise<Set<string>> {
  if (orderIds.length === 0) return new Set();
  return books.of(panelReads).knownOrderIds(sourceId, orderIds);
}

/** The orders an opening chunk names, in its order, each once (first sight wins), as the ledger would register them. */
function learnedOrders(
  chunk: OpeningChunk,
  requests: ReadonlyMap<string, AddRequestRecord>,
  sourceId: string,
): NewOrder[] {
  const named = new Map<string, NewOrder>();
  const name = (order: NewOrder) => {
    if (!named.has(order.orderId)) named.set(order.orderId, order);
  };
  if (chunk.type === 'orders-file') for (const order of chunk.orders) name(freshRow(order.orderId, order));
  if (chunk.type === 'webhooks') for (const orderId of chunk.orderIds) name(freshRow(orderId, null));
  if (chunk.type === 'spool') for (const order of spooledPlacements(chunk.records, requests, sourceId)) name(order);
  return [...named.values()];
}

/**
 * The orders the spool's outcomes say were placed, each with its request (the ledger's, or the spool's own),
 * as the import registers them: created at the request's time, found by the proxy.
 */
function spooledPlacements(
  records: readonly SpoolRecord[],
  held: ReadonlyMap<string, AddRequestRecord>,
  sourceId: string,
): NewOrder[] {
  const requests = new Map(held);
  for (const record of records)
    if (record.record === 'add_requested' && !requests.has(record.id)) requests.set(record.id, spooledRequest(record));
  const placed: NewOrder[] = [];
  for (const record of records) {
    if (record.record !== 'add_answered' || record.outcome !== 'placed' || record.orderId === null) continue;
    const request = requests.get(record.request);
    if (request === undefined || request.sourceId !== sourceId) continue;
    const { service, quantity, requestedAt: createdAt } = request;
    placed.push({ orderId: record.orderId, service, quantity, createdAt, discoveredVia: 'proxy' });
  }
  return placed;
}
