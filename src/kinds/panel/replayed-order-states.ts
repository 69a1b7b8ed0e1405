import type { BackfillBooksTx } from '../../pipeline/backfill/index.js';
import type { DaySequence } from '../../rules/index.js';
import type { OrderLedgerState } from './rules/order-ledger-state.js';
import { panelBooks } from './books/panel-books.js';

/**
 * After a replay through the latest close has booked its corrections, each
 * order it observed takes the state the replay ended with: the booked net
 * charge the books now hold and today's reading of its status, first charge
 * and terminal flag, so the next close goes on from there. Example: booked
 * 1.00, the replay re-reads 0.90 and corrects the day by −0.10; the order's
 * state says 0.90, and a later cancellation refunds 0.90, not 1.00. The ids
 * already used on a day are kept, so a re-run of the latest day never reuses
 * a stored event's id.
 */
export async function writeReplayedOrderStates(
  tx: BackfillBooksTx,
  sourceId: string,
  states: ReadonlyMap<string, OrderLedgerState>,
  now: Date,
): Promise<void> {
  const books = tx.of(panelBooks);
  for (const [orderId, replayed] of states) {
    const stored = await books.orderState(sourceId, orderId);
    if (stored === undefined) continue;
    const live = stored.state;
    const eventSequence = laterSequence(live?.eventSequence, replayed.eventSequence);
    const { eventSequence: _replayedSequence, ...rest } = replayed;
    const next: OrderLedgerState = eventSequence === undefined ? rest : { ...rest, eventSequence };
    if (stored.unchangedBy(next)) continue;
    await books.saveOrderStates(sourceId, [{ orderId, state: next, lastObservedDate: next.lastObservedOn }], now);
  }
}

function laterSequence(a: DaySequence | undefined, b: DaySequence | undefined): DaySequence | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  if (a.date !== b.date) return a.date > b.date ? a : b;
  return a.count >= b.count ? a : b;
}
