import { sql } from 'kysely';
import type { Delivery, DeliveryOutcome, DeliveryState, DeliveryWindow, SentRate } from '../../../ledger/index.js';
import {
  adjustmentRows,
  deliveriesTo,
  journalReadsOver,
  queryBuilder,
  type StoreHandle,
  type StoreTx,
} from '../../../store/index.js';

export type { Delivery, DeliveryOutcome, DeliveryState, DeliveryWindow, SentRate };

/** What a post reads of one destination's outbox: on the port itself and in its unit alike. */
export interface PostOutboxReads {
  /** Ids of the entries in the window still to deliver: none recorded yet, pending, or refused before. */
  undeliveredIds(window: DeliveryWindow): Promise<Set<string>>;
  /** Deliveries an earlier request may or may not have carried out ('sending'), whatever their date. */
  openDeliveries(): Promise<Delivery[]>;
  deliveries(entryIds: readonly string[]): Promise<Map<string, Delivery>>;
  /** Adjusting entries waiting for a second person's approval (`adjust approve ID`): not sent until approved. */
  awaitingApproval?(): Promise<ReadonlySet<string>>;
  /** Each entry's chain hash as the ledger keeps it, by entry id: what its journal carries as the ledger's witness. */
  chainHashes(entryIds: readonly string[]): Promise<Map<string, string>>;
  /** The calls the destination's organisation answered on a UTC day, as counted and as the vendor last said. */
  callsUsed?(organisation: string, day: string): Promise<CallsUsed | undefined>;
}

/** The outbox's writes, only in a unit of work (`PostOutbox.unit` hands them). `at` is the write's time, ISO 8601. */
export interface PostOutboxTx extends PostOutboxReads {
  /** Before a request leaves: its entries 'sending' under its key, one attempt more each, with their rates. */
  recordAttempt(
    entryIds: readonly string[],
    requestKey: string,
    rates: ReadonlyMap<string, SentRate>,
    at: string,
  ): Promise<void>;
  /** After a request: each entry's definite outcome. */
  recordOutcomes(outcomes: ReadonlyMap<string, DeliveryOutcome>, at: string): Promise<void>;
  /** Entries a look-up found at the destination, by remote id: posted. */
  recordFound(found: ReadonlyMap<string, string>, at: string): Promise<void>;
  /** Held back unsent (a locked period, an entry the destination cannot take); later posts try again. */
  recordRefusals(refusals: readonly { entryId: string; reason: string }[], at: string): Promise<void>;
  /** Entries with nothing to deliver (every line rounds to 0.00). */
  recordSkipped(entryIds: readonly string[], at: string): Promise<void>;
  /** A request certainly not carried out: its entries back as they were before recordAttempt. */
  restore(entryIds: readonly string[], before: ReadonlyMap<string, Delivery>): Promise<void>;
  /** Adds a run's calls to the day's count, keeping the vendor's remaining-call figure when it sent one. */
  recordCalls?(organisation: string, day: string, used: CallsSpent, at: string): Promise<void>;
}

/**
 * What a post needs of the books: one destination's outbox. Reads on the port; the writes only on the `tx` its
 * unit hands (issue 53 item 4). Each write is a unit of its own and commits before the post goes on, since a
 * delivery is recorded before it is sent and its answer after: a crash between them leaves 'sending', which the
 * next post looks up before sending again.
 */
export interface PostOutbox extends PostOutboxReads {
  unit<T>(work: (tx: PostOutboxTx) => Promise<T>): Promise<T>;
}

/** One organisation's calls on one UTC day: counted by ledgerline, and the remaining calls the vendor last reported. */
export interface CallsUsed {
  callsUsed: number;
  vendorRemaining: number | undefined;
}

/** What one run spent: its calls, and the vendor's last remaining-call figure (X-DayLimit-Remaining) if sent. */
interface CallsSpent {
  calls: number;
  vendorRemaining: number | undefined;
}

/** What choosing the entries to post reads of the outbox (a dry run reads only this). */
export type PostSelectionReads = Pick<
  PostOutboxReads,
  'undeliveredIds' | 'openDeliveries' | 'deliveries' | 'awaitingApproval' | 'callsUsed'
>;

/** The outbox's reads over the store or a unit's `tx`; they stamp nothing. */
const postOutboxReads = (store: StoreHandle, destination: string): Required<PostOutboxReads> => {
  const deliveries = deliveriesTo(store, destination);
  return {
    undeliveredIds: (window) => deliveries.undeliveredIds(window),
    openDeliveries: () => deliveries.sending(),
    deliveries: (entryIds) => deliveries.rows(entryIds),
    awaitingApproval: async () =>
      new Set(
        (await adjustmentRows(store))
          .filter((row) => row.needsApproval && row.approval === null)
          .map((row) => row.entryId),
      ),
    chainHashes: journalReadsOver(store).entryChainHashes,
    callsUsed: (organisation, day) => callsUsed(store, { destination, organisation, day }),
  };
};

/** The writes and reads of one unit of work, over its `tx`: each write stamped with the time the post gives it. */
const postOutboxTx = (tx: StoreTx, destination: string): PostOutboxTx => ({
  ...postOutboxReads(tx, destination),
  recordAttempt: (entryIds, requestKey, rates, at) =>
    deliveryWrites(tx, destination, at).markSending(entryIds, requestKey, rates),
  recordOutcomes: (outcomes, at) => deliveryWrites(tx, destination, at).record(outcomes),
  recordFound: (found, at) => deliveryWrites(tx, destination, at).markPosted(found),
  recordRefusals: (refusals, at) => deliveryWrites(tx, destination, at).markRefused(refusals),
  recordSkipped: (entryIds, at) => deliveryWrites(tx, destination, at).markSkipped(entryIds),
  restore: (entryIds, before) => restoreDeliveries(tx, destination, entryIds, before),
  recordCalls: (organisation, day, used, at) => addCallsUsed(tx, { destination, organisation, day, ...used }, at),
});

/** The post's outbox over the store's handle (`books.of(postOutbox, destination)`): one destination's deliveries, read, and written in a unit. */
export const postOutbox = (store: StoreHandle, destination: string): PostOutbox => ({
  ...postOutboxReads(store, destination),
  unit: (work) => store.unitOfWork((tx) => work(postOutboxTx(tx, destination))),
});

/**
 * One destination's deliveries as the post writes them, each change one transaction stamped `at`: a request's
 * entries become 'sending' (with its key and one more attempt) before it leaves, and its outcomes are recorded
 * together after. A crash anywhere leaves rows that say exactly what may have happened: 'sending' means "look it
 * up before doing anything else".
 */
const deliveryWrites = (tx: StoreTx, destination: string, at: string) => {
  const set = (states: readonly (readonly [string, DeliveryStateSet])[]) => setEach(tx, destination, at, states);
  return {
    /** Before a request leaves: its entries are 'sending' under its key, one attempt more each, with the rate each goes out at. */
    markSending: (entryIds: readonly string[], requestKey: string, rates: ReadonlyMap<string, SentRate>) =>
      tx.unitOfWork(async (unit) => {
        for (const entryId of entryIds) {
          const rate = rates.get(entryId);
          const sentRate = { exchange_rate: rate?.rate ?? null, rate_source: rate?.source ?? null };
          await unit.run(
            queryBuilder(unit)
              .insertInto('deliveries')
              .values({
                entry_id: entryId,
                destination,
                state: 'sending',
                request_key: requestKey,
                attempts: 1n,
                remote_id: null,
                last_error: null,
                updated_at: at,
                ...sentRate,
              })
              .onConflict((conflict) =>
                conflict.columns(['entry_id', 'destination']).doUpdateSet({
                  state: 'sending',
                  request_key: requestKey,
                  attempts: sql<bigint>`deliveries.attempts + 1`,
                  updated_at: at,
                  ...sentRate,
                }),
              ),
          );
        }
      }),
    /** After a request: every entry's definite outcome, in one transaction. */
    record: (outcomes: ReadonlyMap<string, DeliveryOutcome>) =>
      set(
        [...outcomes].map(([entryId, outcome]) => [
          entryId,
          outcome.status === 'posted'
            ? { state: 'posted', remote_id: outcome.remoteId, last_error: null }
            : { state: 'refused', last_error: outcome.error.message },
        ]),
      ),
    /** Entries found at the destination by a look-up: posted, with their remote ids. */
    markPosted: (found: ReadonlyMap<string, string>) =>
      set(
        [...found].map(([entryId, remoteId]) => [entryId, { state: 'posted', remote_id: remoteId, last_error: null }]),
      ),
    /** Refused without sending (a locked period, an entry the destination cannot take); later posts try again. */
    markRefused: (refusals: readonly { entryId: string; reason: string }[]) =>
      set(refusals.map(({ entryId, reason }) => [entryId, { state: 'refused', last_error: reason }])),
    /** Entries with nothing to deliver (every line rounds to 0.00). */
    markSkipped: (entryIds: readonly string[]) =>
      set(entryIds.map((entryId) => [entryId, { state: 'skipped', last_error: null }])),
  };
};

/**
 * Puts rows back as they were before markSending, for a request that was certainly not carried out (throttled,
 * refused whole, no token): nothing is left half-recorded.
 */
function restoreDeliveries(
  tx: StoreTx,
  destination: string,
  entryIds: readonly string[],
  before: ReadonlyMap<string, Delivery>,
): Promise<void> {
  return tx.unitOfWork(async (unit) => {
    for (const entryId of entryIds) {
      const row = before.get(entryId);
      if (!row) {
        await unit.run(
          queryBuilder(unit)
            .deleteFrom('deliveries')
            .where('entry_id', '=', entryId)
            .where('destination', '=', destination),
        );
        continue;
      }
      await unit.run(
        queryBuilder(unit)
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
          .where('destination', '=', destination),
      );
    }
  });
}

/** A delivery's state as an outcome sets it: the remote id only where one is known. */
interface DeliveryStateSet {
  state: DeliveryState;
  last_error: string | null;
  remote_id?: string | null;
}

/** Each entry's row set to its state (a row made where it has none), stamped `at`, in one transaction. */
function setEach(
  tx: StoreTx,
  destination: string,
  at: string,
  states: readonly (readonly [string, DeliveryStateSet])[],
): Promise<void> {
  return tx.unitOfWork(async (unit) => {
    for (const [entryId, state] of states) {
      const set = { ...state, updated_at: at };
      await unit.run(
        queryBuilder(unit)
          .insertInto('deliveries')
          .values({ entry_id: entryId, destination, remote_id: null, request_key: null, ...set })
          .onConflict((conflict) => conflict.columns(['entry_id', 'destination']).doUpdateSet(set)),
      );
    }
  });
}

/** One destination organisation's row of calls on one UTC day (migration 0032). */
interface CallBudgetKey {
  destination: string;
  organisation: string;
  day: string;
}

/** The day's calls of one destination organisation, as counted and as the vendor last said; undefined when no post called it that day. */
async function callsUsed(store: StoreHandle, key: CallBudgetKey): Promise<CallsUsed | undefined> {
  const row = await store.first(
    queryBuilder(store)
      .selectFrom('call_budgets')
      .select(['calls_used', 'vendor_remaining'])
      .where('destination', '=', key.destination)
      .where('organisation', '=', key.organisation)
      .where('day', '=', key.day),
  );
  return (
    row && {
      callsUsed: Number(row.calls_used),
      vendorRemaining: row.vendor_remaining === null ? undefined : Number(row.vendor_remaining),
    }
  );
}

/**
 * Adds a post's calls to its day's row, and keeps the vendor's last remaining-call figure when it sent one (the
 * vendor's word wins over the count): 40 calls after 4,000 counted make 4,040; a remaining of 960 replaces 1,000.
 */
async function addCallsUsed(
  store: StoreHandle,
  calls: CallBudgetKey & { calls: number; vendorRemaining: number | undefined },
  at: string,
): Promise<void> {
  const remaining = calls.vendorRemaining === undefined ? null : BigInt(calls.vendorRemaining);
  await store.unitOfWork(async (unit) => {
    await unit.run(
      queryBuilder(unit)
        .insertInto('call_budgets')
        .values({
          destination: calls.destination,
          organisation: calls.organisation,
          day: calls.day,
          calls_used: BigInt(calls.calls),
          vendor_remaining: remaining,
          updated_at: at,
        })
        .onConflict((conflict) =>
          conflict.columns(['destination', 'organisation', 'day']).doUpdateSet({
            calls_used: sql`call_budgets.calls_used + excluded.calls_used`,
            vendor_remaining: sql`COALESCE(excluded.vendor_remaining, call_budgets.vendor_remaining)`,
            updated_at: at,
          }),
        ),
    );
  });
}
