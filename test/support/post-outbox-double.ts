import { LedgerIntegrityError } from '../../src/errors.js';
import { Ledger } from '../../src/ledger/index.js';
import type {
  CallsUsed,
  Delivery,
  DeliveryState,
  PostOutbox,
  PostOutboxReads,
  PostOutboxTx,
} from '../../src/pipeline/post/books/post-outbox.js';
import { boundTo, clonedPart } from './in-memory-units.js';
import { journalBooksInMemory, type JournalBooksDouble } from './journal-books-double.js';

interface OutboxHeld {
  /** Each destination's deliveries, by JSON [destination, entryId]. */
  deliveries: Map<string, Delivery & { destination: string }>;
  /** Calls per JSON [destination, organisation, day], kept as the store reads its row back. */
  calls: Map<string, CallsUsed & { destination: string; organisation: string; day: string }>;
  awaitingApproval: Set<string>;
}

/** The outboxes of in-memory books, with the journal they deliver from and the double's seams. */
export interface PostBooksDouble {
  readonly journal: JournalBooksDouble;
  /** The books' journal: what `post` reads the entries from. */
  readonly ledger: Ledger;
  postOutbox(destination: string): PostOutbox;
  /** Each entry's delivery state at `destination`, by entry id in id order (as deliveryStates reads the table). */
  deliveryStates(destination: string): Record<string, DeliveryState>;
  /** The entries posted to `destination` with their remote ids (what evidence-attachments-double.ts reads). */
  postedRemoteIds(destination: string): Map<string, string>;
  /** Adjusting entries planted as waiting for a second person's approval. */
  plantAwaitingApproval(entryIds: readonly string[]): void;
}

/**
 * The post's port (PostOutbox) in memory, for the unit tier (issue 53 item 5): one destination's deliveries over a
 * journal double (journal-books-double.ts), each write stamped with the time the post gives it, 'sending' rows in
 * the order they were stamped, the calls of each organisation's UTC day (the vendor's remaining figure wins when
 * sent). A delivery of an entry the journal does not hold is refused, as the table's reference refuses it. Units
 * run one at a time, a unit that throws keeps nothing; test/store/post-outbox-contract.test.ts holds it to both
 * engines' adapter.
 */
export function postBooksInMemory(journal: JournalBooksDouble = journalBooksInMemory()): PostBooksDouble {
  const held: OutboxHeld = { deliveries: new Map(), calls: new Map(), awaitingApproval: new Set() };
  journal.units.join(clonedPart(held));
  return {
    journal,
    ledger: new Ledger(journal),
    postOutbox: (destination) => {
      const tx = outboxTx(held, journal, destination);
      return {
        ...outboxReads(held, journal, destination),
        unit: (work) => journal.units.run((unit) => work(boundTo(unit, tx))),
      };
    },
    deliveryStates: (destination) =>
      Object.fromEntries(
        [...held.deliveries.values()]
          .filter((row) => row.destination === destination)
          .sort((a, b) => (a.entryId < b.entryId ? -1 : 1))
          .map((row) => [row.entryId, row.state]),
      ),
    postedRemoteIds: (destination) =>
      new Map(
        [...held.deliveries.values()]
          .filter((row) => row.destination === destination && row.state === 'posted' && row.remoteId !== null)
          .map((row) => [row.entryId, row.remoteId!]),
      ),
    plantAwaitingApproval: (entryIds) => {
      for (const id of entryIds) held.awaitingApproval.add(id);
    },
  };
}

const deliveryKey = (destination: string, entryId: string) => JSON.stringify([destination, entryId]);
const callsKey = (destination: string, organisation: string, day: string) =>
  JSON.stringify([destination, organisation, day]);

function outboxReads(held: OutboxHeld, journal: JournalBooksDouble, destination: string): PostOutboxReads {
  const row = (entryId: string) => held.deliveries.get(deliveryKey(destination, entryId));
  const plain = ({ destination: _destination, ...delivery }: Delivery & { destination: string }): Delivery => ({
    ...delivery,
  });
  return {
    undeliveredIds: async (window) =>
      new Set(
        journal
          .entries()
          .filter(
            (entry) => (!window.from || entry.date >= window.from) && (!window.until || entry.date <= window.until),
          )
          .filter((entry) => ['pending', 'refused', undefined].includes(row(entry.id)?.state))
          .map((entry) => entry.id),
      ),
    openDeliveries: async () =>
      [...held.deliveries.values()]
        .filter((kept) => kept.destination === destination && kept.state === 'sending')
        .sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0))
        .map(plain),
    deliveries: async (entryIds) =>
      new Map(entryIds.flatMap((id) => (row(id) === undefined ? [] : [[id, plain(row(id)!)] as const]))),
    awaitingApproval: async () => new Set(held.awaitingApproval),
    chainHashes: async (entryIds) =>
      new Map(
        journal
          .entries()
          .filter((entry) => entryIds.includes(entry.id))
          .map((entry) => [entry.id, entry.chainHash]),
      ),
    callsUsed: async (organisation, day) => {
      const kept = held.calls.get(callsKey(destination, organisation, day));
      return kept && { callsUsed: kept.callsUsed, vendorRemaining: kept.vendorRemaining };
    },
  };
}

function outboxTx(held: OutboxHeld, journal: JournalBooksDouble, destination: string): PostOutboxTx {
  const upsert = (entryId: string, set: Partial<Delivery> & { state: DeliveryState; updatedAt: string }) => {
    if (!journal.entries().some((entry) => entry.id === entryId))
      throw new LedgerIntegrityError(`the ledger refused the write: no entry ${entryId} to deliver`);
    const key = deliveryKey(destination, entryId);
    const before = held.deliveries.get(key) ?? {
      destination,
      entryId,
      remoteId: null,
      requestKey: null,
      attempts: 0,
      lastError: null,
      exchangeRate: null,
      rateSource: null,
    };
    held.deliveries.set(key, { ...before, ...set });
  };
  return {
    ...outboxReads(held, journal, destination),
    recordAttempt: async (entryIds, requestKey, rates, at) => {
      for (const entryId of entryIds) {
        const attempts = (held.deliveries.get(deliveryKey(destination, entryId))?.attempts ?? 0) + 1;
        const rate = rates.get(entryId);
        upsert(entryId, {
          state: 'sending',
          requestKey,
          attempts,
          updatedAt: at,
          exchangeRate: rate?.rate ?? null,
          rateSource: rate?.source ?? null,
        });
      }
    },
    recordOutcomes: async (outcomes, at) => {
      for (const [entryId, outcome] of outcomes)
        upsert(
          entryId,
          outcome.status === 'posted'
            ? { state: 'posted', remoteId: outcome.remoteId, lastError: null, updatedAt: at }
            : { state: 'refused', lastError: outcome.error.message, updatedAt: at },
        );
    },
    recordFound: async (found, at) => {
      for (const [entryId, remoteId] of found)
        upsert(entryId, { state: 'posted', remoteId, lastError: null, updatedAt: at });
    },
    recordRefusals: async (refusals, at) => {
      for (const { entryId, reason } of refusals)
        upsert(entryId, { state: 'refused', lastError: reason, updatedAt: at });
    },
    recordSkipped: async (entryIds, at) => {
      for (const entryId of entryIds) upsert(entryId, { state: 'skipped', lastError: null, updatedAt: at });
    },
    restore: async (entryIds, before) => {
      for (const entryId of entryIds) {
        const row = before.get(entryId);
        const key = deliveryKey(destination, entryId);
        if (row === undefined) held.deliveries.delete(key);
        else if (held.deliveries.has(key)) held.deliveries.set(key, { ...row, destination, entryId });
      }
    },
    recordCalls: async (organisation, day, used) => {
      const key = callsKey(destination, organisation, day);
      const kept = held.calls.get(key);
      held.calls.set(key, {
        destination,
        organisation,
        day,
        callsUsed: (kept?.callsUsed ?? 0) + used.calls,
        vendorRemaining: used.vendorRemaining ?? kept?.vendorRemaining,
      });
    },
  };
}
