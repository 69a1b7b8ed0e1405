import type { PostOutbox, PostOutboxTx } from '../pipeline/post/post-outbox.js';
import type { Delivery, DeliveryOutcome, DeliveryWindow, SentRate } from '../ledger/index.js';
import { adjustmentsAwaitingApproval } from './adjustments.js';
import { addCallsUsed, callsUsed } from './call-budgets.js';
import { DeliveryOutbox } from './delivery-outbox.js';
import { entryChainHashes } from './entry-chain-hashes.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';

/** The outbox's reads over the store or a unit's `tx`; they stamp nothing. */
function postOutboxReadsOver(store: LedgerStore, destination: string) {
  const outbox = new DeliveryOutbox(store, destination, () => new Date(0).toISOString());
  return {
    undeliveredIds: (window: DeliveryWindow) => outbox.undeliveredIds(window),
    openDeliveries: () => outbox.sending(),
    deliveries: (entryIds: readonly string[]) => outbox.rows(entryIds),
    awaitingApproval: () => adjustmentsAwaitingApproval(store),
    chainHashes: (entryIds: readonly string[]) => entryChainHashes(store, entryIds),
    // The port's two fields (CallsUsed), not the call_budgets row they are read from.
    callsUsed: async (organisation: string, day: string) => {
      const row = await callsUsed(store, { destination, organisation, day });
      return row && { callsUsed: row.callsUsed, vendorRemaining: row.vendorRemaining };
    },
  };
}

/** The writes and reads of one unit of work, over its `tx`: each write stamped with the time the post gives it. */
function postOutboxTxOver(tx: LedgerTx, destination: string) {
  const at = (time: string) => new DeliveryOutbox(tx, destination, () => time);
  return {
    ...postOutboxReadsOver(tx, destination),
    recordAttempt: (
      entryIds: readonly string[],
      requestKey: string,
      rates: ReadonlyMap<string, SentRate>,
      time: string,
    ) => at(time).markSending(entryIds, requestKey, rates),
    recordOutcomes: (outcomes: ReadonlyMap<string, DeliveryOutcome>, time: string) => at(time).record(outcomes),
    recordFound: (found: ReadonlyMap<string, string>, time: string) => at(time).markPosted(found),
    recordRefusals: (refusals: readonly { entryId: string; reason: string }[], time: string) =>
      at(time).markRefused(refusals),
    recordSkipped: (entryIds: readonly string[], time: string) => at(time).markSkipped(entryIds),
    restore: (entryIds: readonly string[], before: ReadonlyMap<string, Delivery>) =>
      at(new Date(0).toISOString()).restore(entryIds, before),
    recordCalls: (
      organisation: string,
      day: string,
      used: { calls: number; vendorRemaining: number | undefined },
      time: string,
    ) => addCallsUsed(tx, { destination, organisation, day, ...used }, time),
  } satisfies PostOutboxTx;
}

/** The post's outbox over the store (`PostOutbox`): one destination's deliveries, reads, and the writes in a unit. */
export const postOutboxOver = (store: LedgerStore, destination: string) =>
  ({
    ...postOutboxReadsOver(store, destination),
    unit: <T>(work: (tx: PostOutboxTx) => Promise<T>): Promise<T> =>
      store.unitOfWork((tx) => work(postOutboxTxOver(tx, destination))),
  }) satisfies PostOutbox;
