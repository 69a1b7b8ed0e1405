import { sql } from 'kysely';
import { type StoreHandle, type StoreTx } from '../../../store/index.js';
import { panelQueries } from './panel-tables.js';
import type {
  AddOutcomeRecord,
  AddRequestRecord,
  CloseAfterRequest,
  UnansweredAddRequest,
} from '../../../ledger/index.js';

/**
 * The `add` requests the panel proxy forwarded and what came of each
 * (migration 0008). Written by the proxy, or imported from its spool file by
 * a sync; either way once: a record already held is left as it is.
 */

/** Keeps a request; returns false when it was held already. */
export async function recordAddRequest(store: StoreTx, row: AddRequestRecord): Promise<boolean> {
  const { changes } = await store.run(
    panelQueries(store)
      .insertInto('add_requests')
      .values({
        id: row.requestId,
        source_id: row.sourceId,
        service: row.service,
        quantity: row.quantity,
        requested_at: row.requestedAt,
        received_at: row.receivedAt,
        kept_via: row.keptVia,
      })
      .onConflict((conflict) => conflict.column('id').doNothing()),
  );
  return changes === 1;
}

/** Keeps what came of a request; returns false when its outcome was held already. */
export async function recordAddOutcome(store: StoreTx, row: AddOutcomeRecord): Promise<boolean> {
  const { changes } = await store.run(
    panelQueries(store)
      .insertInto('add_outcomes')
      .values({
        request_id: row.requestId,
        outcome: row.outcome,
        order_id: row.orderId,
        http_status: row.httpStatus,
        raw_observation_id: row.rawObservationId,
        detail: row.detail,
        answered_at: row.answeredAt,
        kept_via: row.keptVia,
      })
      .onConflict((conflict) => conflict.column('request_id').doNothing()),
  );
  return changes === 1;
}

/** The request as held, when it is. */
export async function heldAddRequest(store: StoreHandle, requestId: string): Promise<AddRequestRecord | undefined> {
  const row = await store.first(panelQueries(store).selectFrom('add_requests').selectAll().where('id', '=', requestId));
  if (row === undefined) return undefined;
  return {
    requestId: row.id,
    sourceId: row.source_id,
    service: row.service,
    quantity: row.quantity === null ? null : BigInt(row.quantity),
    requestedAt: row.requested_at,
    receivedAt: row.received_at,
    keptVia: row.kept_via,
  };
}

/** Whether what came of the request is held. */
export async function addOutcomeHeld(store: StoreHandle, requestId: string): Promise<boolean> {
  return (
    (await store.first(
      panelQueries(store).selectFrom('add_outcomes').select('request_id').where('request_id', '=', requestId),
    )) !== undefined
  );
}

/** Every request without a known outcome whose date (in the books' time zone) is on or before `asOf`, oldest first. */
export async function unansweredAddRequests(store: StoreHandle, asOf: string): Promise<UnansweredAddRequest[]> {
  const rows = await store.all(
    panelQueries(store)
      .selectFrom('add_requests as r')
      .leftJoin('add_outcomes as o', 'o.request_id', 'r.id')
      .select([
        'r.id',
        'r.source_id',
        'r.service',
        'r.quantity',
        'r.requested_at',
        'r.received_at',
        'o.outcome',
        'o.detail',
      ])
      .where((eb) => eb.or([eb('o.outcome', 'is', null), eb('o.outcome', '=', 'unknown')]))
      .where(sql<string>`substr(r.requested_at, 1, 10)`, '<=', asOf)
      .orderBy('r.received_at')
      .orderBy('r.id'),
  );
  return rows.map((row) => ({
    requestId: row.id,
    sourceId: row.source_id,
    service: row.service,
    quantity: row.quantity === null ? null : BigInt(row.quantity),
    requestedAt: row.requested_at,
    receivedAt: row.received_at,
    detail: row.outcome === null ? null : row.detail,
  }));
}

/**
 * The first close of a source whose balance was read after `instant` (ISO UTC): the first balance the
 * charge of an order placed then can be in. Its balance_fall finding is the one such an order may explain.
 */
export async function firstCloseAfter(
  store: StoreHandle,
  sourceId: string,
  instant: string,
): Promise<CloseAfterRequest | undefined> {
  const readAt = sql<string>`COALESCE(raw.fetched_at, c.taken_at)`;
  const close = await store.first(
    panelQueries(store)
      .selectFrom('close_log as c')
      .leftJoin('raw_observations as raw', 'raw.id', 'c.raw_observation_id')
      .select(['c.date', readAt.as('read_at')])
      .where('c.source_id', '=', sourceId)
      .where('c.metric', '=', 'balance')
      .where(readAt, '>', instant)
      .orderBy(readAt)
      .orderBy('c.id')
      .limit(1),
  );
  if (close === undefined) return undefined;
  const fall = await store.first(
    panelQueries(store)
      .selectFrom('discrepancies')
      .select(['id', 'amount_micros', 'currency', 'resolved_at'])
      .where('source_id', '=', sourceId)
      .where('kind', '=', 'balance_fall')
      .where('date', '=', close.date)
      .orderBy('id')
      .limit(1),
  );
  return {
    date: close.date,
    readAt: close.read_at,
    fall:
      fall === undefined
        ? undefined
        : {
            id: fall.id,
            amountMicros: fall.amount_micros === null ? null : BigInt(fall.amount_micros),
            currency: fall.currency,
            resolvedAt: fall.resolved_at,
          },
  };
}

/**
 * The adds of a source whose round trip may overlap a balance read (sent at `sentAt`, arrived at
 * `arrivedAt`, ISO UTC by the machine's clock, as `received_at` is): received before the reply
 * arrived, within `lookBackMs` of the request, and not answered before it was sent. `orderId` is
 * null while no outcome is kept (the panel still holds the add) or when none was placed.
 */
export async function addsAcrossBalanceRead(
  store: StoreHandle,
  sourceId: string,
  read: { sentAt: string; arrivedAt: string; lookBackMs: number },
): Promise<{ receivedAt: string; answered: boolean; orderId: string | null }[]> {
  const from = new Date(Date.parse(read.sentAt) - read.lookBackMs).toISOString();
  const rows = await store.all(
    panelQueries(store)
      .selectFrom('add_requests as r')
      .leftJoin('add_outcomes as o', 'o.request_id', 'r.id')
      .select(['r.received_at', 'o.request_id', 'o.order_id'])
      .where('r.source_id', '=', sourceId)
      .where('r.received_at', '<', read.arrivedAt)
      .where('r.received_at', '>', from)
      .where((eb) => eb.or([eb('o.request_id', 'is', null), eb('o.answered_at', '>', read.sentAt)]))
      .orderBy('r.received_at')
      .orderBy('r.id'),
  );
  return rows.map((row) => ({
    receivedAt: row.received_at,
    answered: row.request_id !== null,
    orderId: row.order_id ?? null,
  }));
}
