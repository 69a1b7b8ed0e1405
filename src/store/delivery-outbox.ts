import { sql, type Selectable } from 'kysely';
import type { LedgerStore } from './ledger-store.js';
import type { Delivery, DeliveryOutcome, DeliveryState, DeliveryWindow, SentRate } from '../ledger/index.js';
import { rowsOfIds } from './id-lists.js';
import { queryBuilder } from './query-builder.js';
import type { DeliveryTable } from './schema.js';

/**
 * The deliveries table as an outbox for one destination. Every state change
 * is one transaction: a request's entries become 'sending' (with its key and
 * one more attempt) before it leaves, and its outcomes are recorded together
 * after. A crash anywhere leaves rows that say exactly what may have
 * happened: 'sending' means "look it up before doing anything else".
 */
export class DeliveryOutbox {
  constructor(
    private readonly store: LedgerStore,
    readonly destination: string,
    private readonly now: () => string,
  ) {}

  /** Ids of the entries in the window that still need delivering (no row yet, pending, or refused before). */
  async undeliveredIds(window: DeliveryWindow): Promise<Set<string>> {
    const db = queryBuilder(this.store);
    let query = db
      .selectFrom('journal_entries as e')
      .leftJoin('deliveries as d', (join) =>
        join.onRef('d.entry_id', '=', 'e.id').on('d.destination', '=', this.destination),
      )
      .select('e.id')
      .where((where) => where.or([where('d.state', 'is', null), where('d.state', 'in', ['pending', 'refused'])]));
    if (window.from) query = query.where('e.date', '>=', window.from);
    if (window.until) query = query.where('e.date', '<=', window.until);
    return new Set((await this.store.all(query)).map((row) => row.id));
  }

  /** Deliveries whose request may or may not have been carried out, whatever their date. */
  sending(): Promise<Delivery[]> {
    return this.inState('sending', 'updated_at');
  }

  async rows(entryIds: readonly string[]): Promise<Map<string, Delivery>> {
    const found = new Map<string, Delivery>();
    const rows = rowsOfIds(this.store, entryIds, (ids) =>
      queryBuilder(this.store)
        .selectFrom('deliveries')
        .selectAll()
        .where('destination', '=', this.destination)
        .where('entry_id', 'in', ids),
    );
    for await (const row of rows) found.set(row.entry_id, toDeliveryRow(row));
    return found;
  }

  /** Before a request leaves: its entries are 'sending' under its key, one attempt more each, with the rate each goes out at. */
  async markSending(
    entryIds: readonly string[],
    requestKey: string,
    rates: ReadonlyMap<string, SentRate> = new Map(),
  ): Promise<void> {
    const updatedAt = this.now();
    await this.store.unitOfWork(async (tx) => {
      for (const entryId of entryIds) {
        const rate = rates.get(entryId);
        const sentRate = { exchange_rate: rate?.rate ?? null, rate_source: rate?.source ?? null };
        await tx.run(
          queryBuilder(tx)
            .insertInto('deliveries')
            .values({
              entry_id: entryId,
              destination: this.destination,
              state: 'sending',
              request_key: requestKey,
              attempts: 1n,
              remote_id: null,
              last_error: null,
              updated_at: updatedAt,
              ...sentRate,
            })
            .onConflict((conflict) =>
              conflict.columns(['entry_id', 'destination']).doUpdateSet({
                state: 'sending',
                request_key: requestKey,
                attempts: sql<bigint>`deliveries.attempts + 1`,
                updated_at: updatedAt,
                ...sentRate,
              }),
            ),
        );
      }
    });
  }

  /** Every posted delivery, in entry order: what `reconcile --with` reads back from the destination. */
  posted(): Promise<Delivery[]> {
    return this.inState('posted', 'entry_id');
  }

  private async inState(state: DeliveryState, order: 'updated_at' | 'entry_id'): Promise<Delivery[]> {
    const rows = await this.store.all(
      queryBuilder(this.store)
        .selectFrom('deliveries')
        .selectAll()
        .where('destination', '=', this.destination)
        .where('state', '=', state)
        .orderBy(order),
    );
    return rows.map(toDeliveryRow);
  }

  /** After a request: every entry's definite outcome, in one transaction. */
  record(outcomes: ReadonlyMap<string, DeliveryOutcome>): Promise<void> {
    return this.setEach(
      [...outcomes].map(([entryId, outcome]) => [
        entryId,
        outcome.status === 'posted'
          ? { state: 'posted', remote_id: outcome.remoteId, last_error: null }
          : { state: 'refused', last_error: outcome.error.message },
      ]),
    );
  }

  /** Entries found at the destination by a look-up: posted, with their remote ids. */
  markPosted(found: ReadonlyMap<string, string>): Promise<void> {
    return this.setEach(
      [...found].map(([entryId, remoteId]) => [entryId, { state: 'posted', remote_id: remoteId, last_error: null }]),
    );
  }

  /** Refused without sending (a locked period, an entry the destination cannot take); later posts try again. */
  markRefused(refusals: readonly { entryId: string; reason: string }[]): Promise<void> {
    return this.setEach(refusals.map(({ entryId, reason }) => [entryId, { state: 'refused', last_error: reason }]));
  }

  /** Entries with nothing to deliver (every line rounds to 0.00). */
  markSkipped(entryIds: readonly string[]): Promise<void> {
    return this.setEach(entryIds.map((entryId) => [entryId, { state: 'skipped', last_error: null }]));
  }

  /**
   * Puts rows back as they were before markSending, for a request that was
   * certainly not carried out (throttled, refused whole, no token): nothing is
   * left half-recorded.
   */
  async restore(entryIds: readonly string[], before: ReadonlyMap<string, Delivery>): Promise<void> {
    await this.store.unitOfWork(async (tx) => {
      for (const entryId of entryIds) {
        const row = before.get(entryId);
        if (!row) {
          await tx.run(
            queryBuilder(tx)
              .deleteFrom('deliveries')
              .where('entry_id', '=', entryId)
              .where('destination', '=', this.destination),
          );
          continue;
        }
        await tx.run(
          queryBuilder(tx)
            .updateTable('deliveries')
            .set({
              state: row.state,
              remote_id: row.remoteId,
              request_key: row.requestKey,
              attempts: BigInt(row.attempts),
              last_error: row.lastError,
              updated_at: row.updatedAt,
              exchange_rate: row.exchangeRate,
              rate_source: row.rateSource,
            })
            .where('entry_id', '=', entryId)
            .where('destination', '=', this.destination),
        );
      }
    });
  }

  /** Each entry's row set to its state (a row made where it has none), stamped now, in one transaction. */
  private async setEach(states: readonly (readonly [string, DeliveryStateSet])[]): Promise<void> {
    const updatedAt = this.now();
    await this.store.unitOfWork(async (tx) => {
      for (const [entryId, state] of states) {
        const set = { ...state, updated_at: updatedAt };
        await tx.run(
          queryBuilder(tx)
            .insertInto('deliveries')
            .values({ entry_id: entryId, destination: this.destination, remote_id: null, request_key: null, ...set })
            .onConflict((conflict) => conflict.columns(['entry_id', 'destination']).doUpdateSet(set)),
        );
      }
    });
  }
}

/** A delivery's state as an outcome sets it: the remote id only where one is known. */
interface DeliveryStateSet {
  state: DeliveryState;
  last_error: string | null;
  remote_id?: string | null;
}

function toDeliveryRow(row: Selectable<DeliveryTable>): Delivery {
  return {
    entryId: row.entry_id,
    state: row.state,
    remoteId: row.remote_id,
    requestKey: row.request_key,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    updatedAt: row.updated_at,
    exchangeRate: row.exchange_rate,
    rateSource: row.rate_source,
  };
}
