import type { PostOutbox } from '../pipeline/post/post-outbox.js';
import type { Delivery, DeliveryOutcome, SentRate } from '../ledger/index.js';
import { adjustmentsAwaitingApproval } from './adjustments.js';
import { addCallsUsed, callsUsed } from './call-budgets.js';
import { DeliveryOutbox } from './delivery-outbox.js';
import { entryChainHashes } from './entry-chain-hashes.js';
import type { LedgerStore } from './ledger-store.js';

/** The post's outbox over the store: one destination's deliveries, each write a unit of work of its own (DeliveryOutbox). */
export function postOutboxOver(store: LedgerStore, destination: string) {
  // The reads and restore stamp nothing; each write is stamped with the time the post gives it.
  const outbox = new DeliveryOutbox(store, destination, () => new Date(0).toISOString());
  const at = (time: string) => new DeliveryOutbox(store, destination, () => time);
  return {
    undeliveredIds: (window: { from?: string | undefined; until?: string | undefined }) =>
      outbox.undeliveredIds(window),
    openDeliveries: () => outbox.sending(),
    deliveries: (entryIds: readonly string[]) => outbox.rows(entryIds),
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
    awaitingApproval: () => adjustmentsAwaitingApproval(store),
    restore: (entryIds: readonly string[], before: ReadonlyMap<string, Delivery>) => outbox.restore(entryIds, before),
    chainHashes: (entryIds: readonly string[]) => entryChainHashes(store, entryIds),
    callsUsed: (organisation: string, day: string) => callsUsed(store, { destination, organisation, day }),
    recordCalls: (
      organisation: string,
      day: string,
      used: { calls: number; vendorRemaining: number | undefined },
      time: string,
    ) => addCallsUsed(store, { destination, organisation, day, ...used }, time),
  } satisfies PostOutbox;
}
