import type { RawObservationId } from '../../src/errors.js';
import type {
  InboxDelivery,
  LandedReply,
  LandingBooks,
  LandingBooksTx,
  QuarantinedDelivery,
} from '../../src/pipeline/landing/books/landing-books.js';

/** A delivery as the double's inbox keeps it (the store's `webhook_inbox` row). */
export interface KeptDelivery extends Omit<InboxDelivery, 'status'> {
  id: bigint;
  status: 'stored' | 'invalid' | 'processed';
}

interface Held {
  deliveries: KeptDelivery[];
  replies: (LandedReply & { id: bigint })[];
  quarantined: QuarantinedDelivery[];
  nextDelivery: bigint;
  nextReply: bigint;
}

/** The double's own seams, for what a test plants or looks at beneath the port (as ledger-tables.ts does on books). */
export interface LandingBooksDouble extends LandingBooks {
  readonly deliveries: readonly KeptDelivery[];
  readonly replies: readonly (LandedReply & { id: bigint })[];
  readonly quarantined: readonly QuarantinedDelivery[];
  /** Plants a delivery as an older version or another process left it; returns its id. */
  plantDelivery(delivery: Omit<KeptDelivery, 'id'>): bigint;
}

/**
 * The LandingBooks port in memory, for the unit tier (issue 53 item 5): the webhook inbox (one delivery per dedupe
 * key, ids in order of insertion from 1, a refused duplicate spending one as the engines do), the raw replies and
 * the quarantine, without a ledger file. Units run one at a time and a unit that throws leaves nothing.
 * test/store/landing-books-contract.test.ts runs one spec over it and both engines' adapter, so it cannot drift.
 */
export function landingBooksInMemory(): LandingBooksDouble {
  const held: Held = { deliveries: [], replies: [], quarantined: [], nextDelivery: 1n, nextReply: 1n };
  let queue: Promise<unknown> = Promise.resolve();
  const unit = <T>(work: (tx: LandingBooksTx) => Promise<T>): Promise<T> => {
    const turn = queue.then(async () => {
      const before = {
        deliveries: held.deliveries.map((row) => ({ ...row })),
        replies: [...held.replies],
        quarantined: [...held.quarantined],
      };
      try {
        return await work(txOver(held));
      } catch (error) {
        held.deliveries.splice(0, held.deliveries.length, ...before.deliveries);
        held.replies.splice(0, held.replies.length, ...before.replies);
        held.quarantined.splice(0, held.quarantined.length, ...before.quarantined);
        throw error;
      }
    });
    queue = turn.catch(() => undefined);
    return turn;
  };
  return {
    deliveries: held.deliveries,
    replies: held.replies,
    quarantined: held.quarantined,
    plantDelivery: (delivery) => kept(held, delivery).id,
    readableWebhooks: (sourceId, kind, since) => readable(held, sourceId, kind, since),
    unit,
  };
}

function kept(held: Held, delivery: Omit<KeptDelivery, 'id'>): KeptDelivery {
  const row = { ...delivery, id: held.nextDelivery };
  held.nextDelivery += 1n;
  held.deliveries.push(row);
  return row;
}

async function* readable(held: Held, sourceId: string, kind: string, since: string | undefined) {
  const rows = held.deliveries.filter(
    (row) =>
      row.sourceId === sourceId &&
      row.kind === kind &&
      row.status !== 'invalid' &&
      (since === undefined || row.receivedAt >= since),
  );
  for (const row of rows)
    yield { id: row.id, status: row.status as 'stored' | 'processed', receivedAt: row.receivedAt, body: row.body };
}

function txOver(held: Held): LandingBooksTx {
  return {
    readableWebhooks: (sourceId, kind, since) => readable(held, sourceId, kind, since),
    landRawReply: async (reply): Promise<RawObservationId> => {
      const id = held.nextReply;
      held.nextReply += 1n;
      held.replies.push({ ...reply, request: JSON.parse(JSON.stringify(reply.request)) as unknown, id });
      return id;
    },
    recordDelivery: async (delivery) => {
      const existing = held.deliveries.find((row) => row.dedupeKey === delivery.dedupeKey);
      // A refused insert spends an id on both engines (SQLite's autoincrement, PostgreSQL's sequence).
      if (existing !== undefined) held.nextDelivery += 1n;
      if (existing !== undefined) return { id: existing.id, duplicate: true };
      return { id: kept(held, delivery).id, duplicate: false };
    },
    quarantineDelivery: async (delivery) => void held.quarantined.push({ ...delivery }),
    markWebhooksProcessed: async (webhookIds) => {
      for (const row of held.deliveries) if (webhookIds.includes(row.id)) row.status = 'processed';
    },
  };
}
