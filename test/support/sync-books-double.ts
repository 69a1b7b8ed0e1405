import type { z } from 'zod';
import { LedgerIntegrityError } from '../../src/errors.js';
import { Ledger, type BookedFallExplanation, type CloseTaken } from '../../src/ledger/index.js';
import type { LandedReply } from '../../src/pipeline/landing/books/landing-books.js';
import {
  panelBooks,
  panelReads,
  type AddAcrossBalanceRead,
  type NewOrder,
  type ObservedOrderState,
  type PanelBooksReads,
  type PanelBooksTx,
} from '../../src/kinds/panel/books/panel-books.js';
import type {
  QuarantinedItem,
  SyncBooks,
  SyncBooksReads,
  SyncBooksUnit,
} from '../../src/pipeline/sync/books/sync-books.js';
import { OrderLedgerStateSchema } from '../../src/kinds/panel/rules/order-ledger-state.js';
import { PanelBalanceStateSchema } from '../../src/kinds/panel/rules/balance-reconciliation.js';
import { toStoredJson, type Finding, type SourceEvent } from '../../src/rules/index.js';
import { boundTo, clonedPart } from './in-memory-units.js';
import { journalBooksInMemory, type JournalBooksDouble } from './journal-books-double.js';
import type { KeptDelivery } from './landing-books-double.js';

/** An order as the double keeps it (the store's `orders` row): its state as stored JSON text, null until observed. */
export interface KeptOrder {
  sourceId: string;
  order: NewOrder;
  firstSeenDate: string;
  state: string | null;
  terminal: boolean;
  unknownSince: string | null;
  lastObservedDate: string | null;
}

/** A proxied `add` as the double keeps it: when it came, and when and what it was answered (undefined: not yet). */
export interface PlantedAdd {
  sourceId: string;
  receivedAt: string;
  answer?: { answeredAt: string; orderId: string | null };
}

/** A close as the double's close log keeps it (the store's `close_log` row). */
export interface LoggedCloseRow extends Omit<CloseTaken, 'now'> {
  closeId: bigint;
}

/** What the double keeps, for the doubles built over it (backfill-books-double.ts): the store's rows, as plain data. */
export interface SyncHeld {
  events: Map<string, { event: SourceEvent; runId: string }>;
  findings: Map<string, Finding>;
  explanations: Map<string, BookedFallExplanation>;
  closes: LoggedCloseRow[];
  /** A replay's re-read figure of a close, by close id (the store's `close_rereads`, the latest kept). */
  rereads: Map<bigint, bigint>;
  quarantined: QuarantinedItem[];
  /** Carried states as stored JSON, by JSON [sourceId, key]. */
  states: Map<string, unknown>;
  balancesByClose: Map<string, unknown>;
  orders: Map<string, KeptOrder>;
  /** An order's state a close of another date replaced, kept under its date (migration 0016's trigger). */
  replacedStates: { sourceId: string; orderId: string; date: string; state: string }[];
  /** What replays' corrections changed for each order (the store's `order_corrections`). */
  corrections: { sourceId: string; orderId: string; date: string; amountMicros: bigint }[];
  deliveries: KeptDelivery[];
  replies: (LandedReply & { id: bigint })[];
  adds: PlantedAdd[];
  summaries: Map<string, unknown>;
  nextReply: bigint;
  nextClose: bigint;
}

/** The double's own seams, for what a test plants or looks at beneath the port (as ledger-tables.ts does on books). */
export interface SyncBooksDouble extends SyncBooks {
  /** The journal the units book into: `new Ledger(journal)` is the books' journal outside a unit. */
  readonly journal: JournalBooksDouble;
  readonly ledger: Ledger;
  events(): SourceEvent[];
  findings(): Finding[];
  closes(): LoggedCloseRow[];
  /** Everything the double keeps, for the doubles over it; a test reads the seams above. */
  readonly held: SyncHeld;
  quarantined(): QuarantinedItem[];
  orders(sourceId: string): KeptOrder[];
  replies(): (LandedReply & { id: bigint })[];
  plantDelivery(delivery: Omit<KeptDelivery, 'id'>): bigint;
  plantAdd(add: PlantedAdd): void;
  plantRunSummary(runId: string, summary: unknown): void;
}

/**
 * The nightly sync's port (SyncBooks) in memory, for the unit tier (issue 53 item 5): events (a replayed id skipped),
 * findings, fall explanations, the close log, quarantine, carried states (kept as stored JSON and read through the
 * caller's schema), orders (first sight wins), raw replies and webhooks, and a unit's journal (`tx.ledger`) over
 * journal-books-double.ts, whose refusals are the database's. Units run one at a time and a unit that throws keeps
 * nothing of its own nor of its journal. test/pipeline/sync/books/sync-books-contract.test.ts holds it to both engines' adapter.
 */
export function syncBooksInMemory(journal: JournalBooksDouble = journalBooksInMemory()): SyncBooksDouble {
  const held: SyncHeld = {
    events: new Map(),
    findings: new Map(),
    explanations: new Map(),
    closes: [],
    rereads: new Map(),
    quarantined: [],
    states: new Map(),
    balancesByClose: new Map(),
    orders: new Map(),
    replacedStates: [],
    corrections: [],
    deliveries: [],
    replies: [],
    adds: [],
    summaries: new Map(),
    nextReply: 1n,
    nextClose: 1n,
  };
  journal.units.join(clonedPart(held));
  const reads = syncReads(held, journal);
  const verbs = { ...reads, ...syncWrites(held) };
  let nextDelivery = 1n;
  return {
    ...reads,
    unit: (work) =>
      journal.units.run((unit) => work({ ...boundTo(unit, verbs), ledger: new Ledger(journal.txIn(unit)) })),
    journal,
    ledger: new Ledger(journal),
    events: () => [...held.events.values()].map(({ event }) => event),
    findings: () => [...held.findings.values()],
    closes: () => [...held.closes],
    held,
    quarantined: () => [...held.quarantined],
    orders: (sourceId) => [...held.orders.values()].filter((kept) => kept.sourceId === sourceId),
    replies: () => [...held.replies],
    plantDelivery: (delivery) => {
      held.deliveries.push({ ...delivery, id: nextDelivery });
      return (nextDelivery += 1n) - 1n;
    },
    plantAdd: (add) => void held.adds.push(add),
    plantRunSummary: (runId, summary) => void held.summaries.set(runId, JSON.parse(toStoredJson(summary))),
  };
}

const orderKey = (sourceId: string, orderId: string) => JSON.stringify([sourceId, orderId]);
const stateKey = (sourceId: string, key: string) => JSON.stringify([sourceId, key]);

function storedState<S extends z.ZodType>(held: SyncHeld, sourceId: string, key: string, schema: S) {
  if (!held.states.has(stateKey(sourceId, key))) return undefined;
  const parsed = schema.safeParse(held.states.get(stateKey(sourceId, key)));
  if (!parsed.success)
    throw new LedgerIntegrityError(`stored state ${key} of source ${sourceId} is unreadable: ${parsed.error.message}`);
  return parsed.data as z.output<S>;
}

function syncReads(held: SyncHeld, journal: JournalBooksDouble): SyncBooksReads {
  return {
    async *readableWebhooks(sourceId, kind, since) {
      for (const row of held.deliveries.filter(
        (row) =>
          row.sourceId === sourceId &&
          row.kind === kind &&
          row.status !== 'invalid' &&
          (since === undefined || row.receivedAt >= since),
      ))
        yield { id: row.id, status: row.status as 'stored' | 'processed', receivedAt: row.receivedAt, body: row.body };
    },
    latestClose: async (sourceId) =>
      held.closes
        .filter((close) => close.sourceId === sourceId)
        .map((close) => close.date)
        .sort()
        .at(-1),
    firstClose: async (sourceId) =>
      held.closes
        .filter((close) => close.sourceId === sourceId)
        .map((close) => close.date)
        .sort()
        .at(0),
    // The double lands no bank statements: an advertiser's close finds no top-up in it.
    bankLinesWithin: async () => [],
    interruptedCloseEvents: async (sourceId, meta) =>
      [...held.events.values()]
        .filter(
          ({ event, runId }) =>
            event.sourceId === sourceId &&
            !journal.linksEvent(event.id) &&
            runId !== meta.runId &&
            (meta.fromDate === undefined || event.date >= meta.fromDate),
        )
        .map(({ event }) => ({ ...event, detail: {} }))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    hasEvent: async (eventId) => held.events.has(eventId),
    entryIdsOn: async (sourceId, dates) =>
      new Set(
        journal
          .entries()
          .filter((entry) => entry.sourceId === sourceId && dates.includes(entry.date))
          .map((entry) => entry.id),
      ),
    closeState: async (sourceId, schema) => storedState(held, sourceId, 'closeState', schema),
    of: (open, ..._args) => kindInMemory(open, heldPanelReads(held)),
    runSummaries: async (runIds) =>
      new Map(runIds.filter((id) => held.summaries.has(id)).map((id) => [id, held.summaries.get(id)])),
  };
}

/** The adds received within `lookBackMs` before the read was sent and before its reply arrived, not answered before it was sent. */
function addsAcross(
  held: SyncHeld,
  sourceId: string,
  read: { sentAt: string; arrivedAt: string; lookBackMs: number },
): AddAcrossBalanceRead[] {
  const from = new Date(Date.parse(read.sentAt) - read.lookBackMs).toISOString();
  return held.adds
    .map((add, index) => ({ add, index }))
    .filter(
      ({ add }) =>
        add.sourceId === sourceId &&
        add.receivedAt < read.arrivedAt &&
        add.receivedAt > from &&
        (add.answer === undefined || add.answer.answeredAt > read.sentAt),
    )
    .sort((a, b) =>
      a.add.receivedAt < b.add.receivedAt ? -1 : a.add.receivedAt > b.add.receivedAt ? 1 : a.index - b.index,
    )
    .map(({ add }) => ({
      receivedAt: add.receivedAt,
      answered: add.answer !== undefined,
      orderId: add.answer?.orderId ?? null,
    }));
}

/**
 * What a close learnt of an order, kept as the store keeps it: the state as JSON text, and a state of another date
 * it replaces moved aside under that date, any kept for the new date dropped (migration 0016's trigger).
 */
export function observeOrder(held: SyncHeld, kept: KeptOrder, next: ObservedOrderState): void {
  const { sourceId, order } = kept;
  if (kept.state !== null && kept.lastObservedDate !== null && kept.lastObservedDate !== next.lastObservedDate) {
    held.replacedStates.push({ sourceId, orderId: order.orderId, date: kept.lastObservedDate, state: kept.state });
    held.replacedStates = held.replacedStates.filter(
      (row) => !(row.sourceId === sourceId && row.orderId === order.orderId && row.date === next.lastObservedDate),
    );
  }
  kept.state = toStoredJson(next.state);
  kept.terminal = next.state.terminal;
  kept.unknownSince = next.state.unknownSince ?? null;
  kept.lastObservedDate = next.lastObservedDate;
}

function syncWrites(held: SyncHeld): Omit<SyncBooksUnit, Exclude<keyof SyncBooksReads, 'of'> | 'ledger'> {
  const recordNew = (events: readonly SourceEvent[], meta: { runId: string }) =>
    events.filter((event) => {
      if (held.events.has(event.id)) return false;
      held.events.set(event.id, {
        event: { ...event, detail: JSON.parse(toStoredJson(event.detail)) },
        runId: meta.runId,
      });
      return true;
    });
  return {
    landRawReply: async (reply) => {
      held.replies.push({
        ...reply,
        request: JSON.parse(JSON.stringify(reply.request)) as unknown,
        id: held.nextReply,
      });
      return (held.nextReply += 1n) - 1n;
    },
    markWebhooksProcessed: async (ids) => {
      for (const row of held.deliveries) if (ids.includes(row.id)) row.status = 'processed';
    },
    recordNewEvents: async (events, meta) => recordNew(events, meta),
    recordChunkEvents: async (events, meta) => recordNew(events, meta).length,
    recordNewFindings: async (findings) =>
      findings.filter(
        (finding) => !held.findings.has(finding.id) && Boolean(held.findings.set(finding.id, { ...finding })),
      ),
    recordFallExplanations: async (explanations) => {
      for (const row of explanations)
        if (!held.explanations.has(row.eventId)) held.explanations.set(row.eventId, { ...row });
    },
    logClose: async ({ now: _now, ...close }) => {
      held.closes.push({ ...close, closeId: held.nextClose });
      held.nextClose += 1n;
    },
    quarantine: async (item) => void held.quarantined.push({ ...item }),
    saveCloseState: async (sourceId, state) =>
      void held.states.set(stateKey(sourceId, 'closeState'), JSON.parse(toStoredJson(state))),
    of: (open, ..._args) => kindInMemory(open, { ...heldPanelReads(held), ...heldPanelWrites(held) }),
  };
}

/** The panel's own books as the double keeps them: its balance state, its orders and the planted adds. */
function heldPanelReads(held: SyncHeld): PanelBooksReads {
  return {
    balanceState: async (sourceId) => storedState(held, sourceId, 'balance', PanelBalanceStateSchema),
    carriedState: async (sourceId, key, schema) => storedState(held, sourceId, key, schema),
    carriedStates: async (sourceId, schemas) => {
      const states: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(schemas) as [string, z.ZodType][])
        if (held.states.has(stateKey(sourceId, key))) states[key] = storedState(held, sourceId, key, schema);
      return states as never;
    },
    balanceStatesByClose: unkept,
    orderStatesAsOf: unkept,
    knownOrderIds: async (sourceId, orderIds) =>
      new Set(orderIds.filter((id) => held.orders.has(orderKey(sourceId, id)))),
    holdsOrders: async (sourceId) => [...held.orders.values()].some((kept) => kept.sourceId === sourceId),
    ordersNamed: async (sourceId, orderIds) =>
      [...new Set(orderIds)].flatMap((orderId) => {
        const kept = held.orders.get(orderKey(sourceId, orderId));
        if (kept === undefined) return [];
        const state = kept.state === null ? undefined : OrderLedgerStateSchema.parse(JSON.parse(kept.state));
        return [{ orderId, quantity: kept.order.quantity, createdAt: kept.order.createdAt, state }];
      }),
    async *openOrderHeads(sourceId) {
      const heads = [...held.orders.values()]
        .filter((kept) => kept.sourceId === sourceId && !kept.terminal)
        .map((kept) => ({
          orderId: kept.order.orderId,
          createdAt: kept.order.createdAt,
          unknownSince: kept.unknownSince,
        }));
      if (heads.length > 0) yield heads;
    },
    addsAcrossBalanceRead: async (sourceId, read) => addsAcross(held, sourceId, read),
    orderState: unkept,
    readOrderFacts: unkept,
    forEachBookedOrderAmount: unkept,
    wasQuarantined: unkept,
    ordersOpenSince: unkept,
    ordersBySource: unkept,
  };
}

function heldPanelWrites(held: SyncHeld): Omit<PanelBooksTx, keyof PanelBooksReads> {
  const register = (sourceId: string, order: NewOrder, firstSeenDate: string): KeptOrder => {
    const key = orderKey(sourceId, order.orderId);
    const kept = held.orders.get(key) ?? {
      sourceId,
      order: { ...order },
      firstSeenDate,
      state: null,
      terminal: false,
      unknownSince: null,
      lastObservedDate: null,
    };
    held.orders.set(key, kept);
    return kept;
  };
  return {
    saveBalanceState: async (sourceId, close) => {
      held.states.set(stateKey(sourceId, 'balance'), JSON.parse(toStoredJson(close.balance)));
      held.balancesByClose.set(stateKey(sourceId, close.date), JSON.parse(toStoredJson(close.balance)));
    },
    saveCarriedState: async (sourceId, key, value) =>
      void held.states.set(stateKey(sourceId, key), JSON.parse(toStoredJson(value))),
    registerOrders: async (sourceId, orders, meta) => {
      for (const order of orders) register(sourceId, order, meta.firstSeenDate);
    },
    registerFoundOrders: async (sourceId, orders, meta) => {
      for (const { order, next } of orders) {
        const kept = register(sourceId, order, meta.firstSeenDate);
        if (next !== undefined) observeOrder(held, kept, next);
      }
    },
    saveOrderStates: async (sourceId, states) => {
      for (const next of states) {
        const kept = held.orders.get(orderKey(sourceId, next.orderId));
        if (kept !== undefined) observeOrder(held, kept, next);
      }
    },
    recordOrderCorrections: unkept,
  };
}

/** A replay's verb the sync's double does not keep (backfill-books-double.ts does). */
async function unkept(): Promise<never> {
  throw new Error("the sync's double keeps no replay of the panel's orders");
}

/**
 * A kind's books in the double: the panel's (its reads or its writes) as kept here; any other books (the proxy's)
 * refuse each verb, so a close that reaches them on the double says so.
 */
function kindInMemory(open: unknown, panel: PanelBooksReads): never {
  if (open === panelReads || open === panelBooks) return panel as never;
  return new Proxy(
    {},
    {
      get: (_target, verb) => () => {
        throw new Error(`the sync's double keeps no books of this kind (${String(verb)})`);
      },
    },
  ) as never;
}
