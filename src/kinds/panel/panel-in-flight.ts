import { type Clock, pollUntil } from '../../http/index.js';
import type { Logger } from '../../log/index.js';
import type { AddAcrossBalanceRead, SyncBooksTx } from '../../pipeline/sync/index.js';

/** A balance round trip by the machine's clock (milliseconds): the request sent, the reply arrived. */
export interface BalanceRead {
  sentAt: number;
  arrivedAt: number;
}

/**
 * How long the panel proxy waits for the panel (its DEFAULT_UPSTREAM_TIMEOUT_MS, which the CLI never changes): by
 * then it has kept what came of an add, "no answer" at worst, so an add unanswered after it has no proxy left.
 */
export const PROXY_ANSWER_BOUND_MS = 60_000;
/** How far before a balance request an add may have been received and still be answered after it: the proxy's three upstream timeouts (connect, headers, body) and a margin. */
const LOOK_BACK_MS = 4 * PROXY_ANSWER_BOUND_MS;
/** How often the close looks again for the outcome of an add the panel still holds. */
const ANSWER_POLL_MS = 50;

export interface InFlightWatch {
  books: SyncBooksTx;
  sourceId: string;
  clock: Clock;
  logger: Logger;
  /** Whether a panel proxy that can still answer a held add is running for this source (false: the one that took it is gone). */
  proxyAnswering: () => boolean;
}

/**
 * The orders in flight at a balance read: placed through the panel proxy by an add received before the
 * reply arrived and answered after the request was sent, so the balance may or may not hold their charge
 * (settleOrdersInFlight decides). An add the panel still holds is waited for while a proxy can answer it,
 * and at most until the proxy would have given up on the panel (its upstream timeout): without its order
 * id the close could not book its charge, and the fall it made would read as unexplained tonight.
 */
export async function ordersInFlightAt(watch: InFlightWatch, read: BalanceRead): Promise<Set<string>> {
  const window = {
    sentAt: new Date(read.sentAt).toISOString(),
    arrivedAt: new Date(read.arrivedAt).toISOString(),
    lookBackMs: LOOK_BACK_MS,
  };
  let adds: AddAcrossBalanceRead[] = [];
  let told = false;
  const stillHeld = new Error('an add the panel held is still unanswered');
  try {
    await pollUntil(
      async () => {
        adds = await watch.books.addsAcrossBalanceRead(watch.sourceId, window);
        const held = adds.filter(
          (add) => !add.answered && Date.parse(add.receivedAt) + PROXY_ANSWER_BOUND_MS > watch.clock.now(),
        );
        if (held.length === 0 || !watch.proxyAnswering()) return { done: true, value: undefined };
        if (!told)
          watch.logger.info(
            `waiting for ${held.length} order(s) the panel held while it read the balance: their charges may be in it`,
          );
        told = true;
        return { done: false, timedOut: stillHeld };
      },
      { clock: watch.clock, maxWaitMs: PROXY_ANSWER_BOUND_MS, pollMs: ANSWER_POLL_MS },
    );
  } catch (error) {
    if (error !== stillHeld) throw error;
  }
  return placedOrders(adds);
}

function placedOrders(adds: readonly AddAcrossBalanceRead[]): Set<string> {
  return new Set(adds.flatMap((add) => (add.orderId === null ? [] : [add.orderId])));
}
