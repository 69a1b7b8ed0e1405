import type { Clock } from '../../http/clock.js';
import type { Logger } from '../../log/logger.js';
import { DEFAULT_UPSTREAM_TIMEOUT_MS } from '../../sources/index.js';
import type { AddAcrossBalanceRead, SyncBooksTx } from './sync-books.js';

/** A balance round trip by the machine's clock (milliseconds): the request sent, the reply arrived. */
export interface BalanceRead {
  sentAt: number;
  arrivedAt: number;
}

/** How far before a balance request an add may have been received and still be answered after it: the proxy's three upstream timeouts (connect, headers, body) and a margin. */
const LOOK_BACK_MS = 4 * DEFAULT_UPSTREAM_TIMEOUT_MS;
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
  const window = { sentAt: new Date(read.sentAt).toISOString(), arrivedAt: new Date(read.arrivedAt).toISOString(), lookBackMs: LOOK_BACK_MS };
  let told = false;
  for (;;) {
    const adds = await watch.books.addsAcrossBalanceRead(watch.sourceId, window);
    const held = adds.filter((add) => !add.answered && Date.parse(add.receivedAt) + DEFAULT_UPSTREAM_TIMEOUT_MS > watch.clock.now());
    if (held.length === 0 || !watch.proxyAnswering()) return placedOrders(adds);
    if (!told) watch.logger.info(`waiting for ${held.length} order(s) the panel held while it read the balance: their charges may be in it`);
    told = true;
    await watch.clock.sleep(ANSWER_POLL_MS);
  }
}

function placedOrders(adds: readonly AddAcrossBalanceRead[]): Set<string> {
  return new Set(adds.flatMap((add) => (add.orderId === null ? [] : [add.orderId])));
}
