import type { LedgerStore } from '../../ledger/index.js';
import {
  OrderLedgerStateSchema,
  toStoredJson,
  type CounterState,
  type DaySequence,
  type OrderLedgerState,
} from '../../rules/index.js';
import { orderState, readCounterState, saveOrderStates, writeCounterState } from '../../store/index.js';

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
export async function writeReplayedOrderStates(store: LedgerStore, sourceId: string, states: ReadonlyMap<string, OrderLedgerState>, now: Date): Promise<void> {
  for (const [orderId, replayed] of states) {
    const stored = await orderState(store, sourceId, orderId);
    if (stored === undefined) continue;
    const live = stored === null ? undefined : OrderLedgerStateSchema.parse(JSON.parse(stored));
    const eventSequence = laterSequence(live?.eventSequence, replayed.eventSequence);
    const { eventSequence: _replayedSequence, ...rest } = replayed;
    const next: OrderLedgerState = eventSequence === undefined ? rest : { ...rest, eventSequence };
    const text = toStoredJson(next);
    if (text === stored) continue;
    await saveOrderStates(store, sourceId, [{ orderId, state: text, terminal: next.terminal, unknownSince: next.unknownSince ?? null, lastObservedDate: next.lastObservedOn }], now.toISOString());
  }
}

function laterSequence(a: DaySequence | undefined, b: DaySequence | undefined): DaySequence | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  if (a.date !== b.date) return a.date > b.date ? a : b;
  return a.count >= b.count ? a : b;
}

/** After a replay through the latest close, the counter's state holds the value the replay re-read there, so the next delta starts from it. */
export async function replaceCounterState(store: LedgerStore, sourceId: string, counter: CounterState, now: Date): Promise<void> {
  const live = await readCounterState(store, sourceId);
  await writeCounterState(store, sourceId, live ? { ...live, valueMicros: counter.valueMicros } : counter, now);
}
