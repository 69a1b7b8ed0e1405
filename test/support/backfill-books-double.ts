import { z } from 'zod';
import { LedgerIntegrityError } from '../../src/errors.js';
import { Ledger } from '../../src/ledger/index.js';
import type {
  BackfillBooks,
  BackfillBooksReads,
  BackfillBooksTx,
} from '../../src/pipeline/backfill/books/backfill-books.js';
import {
  panelBooks,
  panelReads,
  type PanelBooksReads,
  type PanelBooksTx,
} from '../../src/kinds/panel/books/panel-books.js';
import { OrderLedgerStateSchema } from '../../src/kinds/panel/rules/order-ledger-state.js';
import { PanelBalanceStateSchema } from '../../src/kinds/panel/rules/balance-reconciliation.js';
import { toStoredJson } from '../../src/rules/index.js';
import { boundTo } from './in-memory-units.js';
import { observeOrder, type SyncBooksDouble } from './sync-books-double.js';

const StoredRequestSchema = z.object({ params: z.record(z.string(), z.string()) });

/**
 * The backfill's port (BackfillBooks) over in-memory books (sync-books-double.ts and its journal), for the unit tier
 * (issue 53 item 5): the close log in commit order with the figures replays re-read, each close run's replies, the
 * panel's balance and its orders' states as they stood after each close, what the books hold of each order, and the
 * corrections replays book. Units are the sync double's. test/pipeline/backfill/books/backfill-books-contract.test.ts holds it to both
 * engines.
 */
export function backfillBooksInMemory(books: SyncBooksDouble): BackfillBooks {
  const reads = backfillReads(books);
  const writes = backfillWrites(books);
  return {
    ...reads,
    unit: (work) =>
      books.journal.units.run((unit) =>
        work({ ...boundTo(unit, { ...reads, ...writes }), ledger: new Ledger(books.journal.txIn(unit)) }),
      ),
  };
}

const keyOf = (...parts: string[]) => JSON.stringify(parts);

function backfillReads(books: SyncBooksDouble): BackfillBooksReads {
  const { held, journal } = books;
  const closesOf = (sourceId: string, dates: { from?: string | undefined; to: string }) =>
    held.closes.filter(
      (close) =>
        close.sourceId === sourceId && close.date <= dates.to && (dates.from === undefined || close.date >= dates.from),
    );
  return {
    latestClose: (sourceId) => books.latestClose(sourceId),
    firstClose: (sourceId) => books.firstClose(sourceId),
    bankLinesWithin: (window) => books.bankLinesWithin(window),
    interruptedCloseDates: async (sourceId, meta) =>
      (await books.interruptedCloseEvents(sourceId, meta)).map((event) => event.date),
    closeCount: async (sourceId, dates) => closesOf(sourceId, dates).length,
    // By day, then in commit order (a stable sort keeps the order they were logged in), as the store reads them.
    loggedCloses: async (sourceId, to) =>
      [...closesOf(sourceId, { to })]
        .sort((a, b) => a.date.localeCompare(b.date))
        .map(({ closeId, date, runId, metric, valueMicros, currency }) => ({
          closeId,
          date,
          runId,
          metric,
          valueMicros: held.rereads.get(closeId) ?? valueMicros,
          currency,
        })),
    closeReplies: async (sourceId, runId) =>
      held.replies
        .filter((reply) => reply.runId === runId && reply.sourceId === sourceId)
        .map((reply) => ({
          id: BigInt(reply.id),
          action: reply.action,
          params: StoredRequestSchema.parse(reply.request).params,
          httpStatus: reply.httpStatus,
          body: reply.body,
        })),
    dayNetByAccount: (sourceId, date) => journal.dayNetByAccount(sourceId, date),
    dayTreatedLines: (sourceId, date) => journal.dayTreatedLines(sourceId, date),
    countEntriesWithIdPrefix: (sourceId, date, idPrefix) => journal.countEntriesWithIdPrefix(sourceId, date, idPrefix),
    closeState: (sourceId, schema) => books.closeState(sourceId, schema),
    of: (open, ..._args) => replayKind(books, open, panelReplayReads(books)),
  };
}

function backfillWrites(books: SyncBooksDouble): Omit<BackfillBooksTx, Exclude<keyof BackfillBooksReads, 'of'>> {
  const { held } = books;
  return {
    recordReread: async ({ closeId, valueMicros }) => {
      if (!held.closes.some((close) => close.closeId === closeId))
        throw new LedgerIntegrityError(`the ledger refused the write: no close ${closeId} to re-read`);
      held.rereads.set(closeId, valueMicros);
    },
    saveCloseState: async (sourceId, state) =>
      void held.states.set(keyOf(sourceId, 'closeState'), JSON.parse(toStoredJson(state))),
    of: (open, ..._args) => replayKind(books, open, { ...panelReplayReads(books), ...panelReplayWrites(books) }),
  };
}

/** What a replay reads of the panel's own books, beside what the sync's double keeps of its orders. */
function panelReplayReads(books: SyncBooksDouble): Partial<PanelBooksReads> {
  const { held } = books;
  return {
    balanceStatesByClose: async (sourceId, dates) =>
      new Map(
        [...new Set(dates)]
          .filter((date) => held.balancesByClose.has(keyOf(sourceId, date)))
          .map((date) => [date, PanelBalanceStateSchema.parse(held.balancesByClose.get(keyOf(sourceId, date)))]),
      ),
    orderStatesAsOf: async (sourceId, asOf, orderIds) => {
      const named = (orderId: string) => orderIds === undefined || orderIds.includes(orderId);
      const latest = new Map<string, { date: string; state: string }>();
      const current = [...held.orders.values()].flatMap((kept) =>
        kept.sourceId === sourceId && kept.state !== null && kept.lastObservedDate !== null
          ? [{ orderId: kept.order.orderId, date: kept.lastObservedDate, state: kept.state }]
          : [],
      );
      // The current states last: on one date the orders row wins.
      for (const row of [...held.replacedStates.filter((kept) => kept.sourceId === sourceId), ...current]) {
        const kept = latest.get(row.orderId);
        if (row.date <= asOf && named(row.orderId) && (kept === undefined || row.date >= kept.date))
          latest.set(row.orderId, { date: row.date, state: row.state });
      }
      return new Map(
        [...latest].map(([orderId, { state }]) => [orderId, OrderLedgerStateSchema.parse(JSON.parse(state))]),
      );
    },
    readOrderFacts: async (sourceId, orderIds, into) => {
      for (const { sourceId: of, order } of held.orders.values()) {
        if (of !== sourceId || (orderIds !== undefined && !orderIds.includes(order.orderId))) continue;
        if (order.quantity !== null) into.quantities.set(order.orderId, order.quantity);
        if (order.createdAt !== null) into.placingDates.set(order.orderId, order.createdAt.slice(0, 10));
      }
      return into;
    },
    forEachBookedOrderAmount: async (sourceId, dates, add) => {
      const within = (date: string) => date >= (dates.from ?? '') && date < dates.before;
      for (const { event } of held.events.values())
        if (event.sourceId === sourceId && ['order_charge', 'order_refund'].includes(event.kind) && within(event.date))
          add(event.date, event.ref, event.kind === 'order_charge' ? event.amountMicros : -event.amountMicros);
      for (const correction of held.corrections)
        if (correction.sourceId === sourceId && within(correction.date))
          add(correction.date, correction.orderId, correction.amountMicros);
    },
    wasQuarantined: async (sourceId, date, orderId) =>
      held.quarantined.some(
        (item) => item.sourceId === sourceId && item.asOf === date && item.itemRef === `order ${orderId}`,
      ),
    orderState: async (sourceId, orderId) => {
      const text = held.orders.get(keyOf(sourceId, orderId))?.state;
      if (text === undefined) return undefined;
      return {
        state: text === null ? undefined : OrderLedgerStateSchema.parse(JSON.parse(text)),
        unchangedBy: (next) => toStoredJson(next) === text,
      };
    },
  } satisfies Pick<
    PanelBooksReads,
    | 'balanceStatesByClose'
    | 'orderStatesAsOf'
    | 'readOrderFacts'
    | 'forEachBookedOrderAmount'
    | 'wasQuarantined'
    | 'orderState'
  >;
}

/** What a replay writes of the panel's own books: the corrections per order and each order's replayed state. */
function panelReplayWrites(books: SyncBooksDouble): Pick<PanelBooksTx, 'recordOrderCorrections' | 'saveOrderStates'> {
  const { held } = books;
  return {
    recordOrderCorrections: async (sourceId, corrections) => {
      for (const { orderId, date, amountMicros } of corrections)
        held.corrections.push({ sourceId, orderId, date, amountMicros });
    },
    saveOrderStates: async (sourceId, states) => {
      for (const next of states) {
        const kept = held.orders.get(keyOf(sourceId, next.orderId));
        if (kept !== undefined) observeOrder(held, kept, next);
      }
    },
  };
}

/** A kind's books in the replay's double: the panel's, its orders from the sync's double with the replay's own; other books as the sync's double keeps them. */
function replayKind(books: SyncBooksDouble, open: unknown, replay: Partial<PanelBooksTx>): never {
  const panel = open === panelReads || open === panelBooks;
  const kept = books.of((panel ? panelReads : open) as typeof panelReads);
  return (panel ? { ...kept, ...replay } : kept) as never;
}
