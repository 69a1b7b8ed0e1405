import { PANEL_PREPAID_ACCOUNT, assertInvariant, type Finding, type SourceEvent } from '../../rules/index.js';
import { type CloseBalanceEvents } from './rules/panel-close-events.js';
import { type OrderObservation } from './rules/order-observation.js';
import { type PanelBalanceFigures, type PanelCloseDraft } from './rules/panel-close-draft.js';
import { type PanelBalanceState } from './rules/balance-reconciliation.js';
import type { JournalEntry } from '../../rules/index.js';
import { assertBookedPrepaid } from './booked-prepaid.js';
import type { ChunkReads } from '../../pipeline/sync/index.js';
import {
  heldOrders,
  normalizeOrders,
  type HeldOrders,
  type OrderStates,
  type PanelOrdersDay,
} from './panel-order-chunk.js';
import type { PanelReading } from './panel-polling.js';
import { storedPanelBalance } from './panel-source-state.js';
import type { BookedFallExplanation } from '../../pipeline/sync/index.js';

/** How the balance settled the orders in flight at its read (orders-in-flight.ts). */
type InFlightSettlement = ReturnType<PanelCloseDraft['settleInFlight']>;

/** What the balance step reads of the ledger before it: the balance figures, and the orders in flight as held. */
export interface BalanceHeld {
  figures: PanelBalanceFigures;
  inFlight: HeldOrders;
}

/** What the balance chunk's load writes: the orders in flight it settled, the explanations, and the close's progress. */
export interface BalanceProgress {
  settled: OrderStates;
  explanations: BookedFallExplanation[];
  reading: PanelReading;
  nextBalance: PanelBalanceState;
  /** The orders in flight the balance does not hold: the next close books them. */
  nextClose: readonly string[];
}

export async function heldAtBalance(
  reads: ChunkReads,
  reading: PanelReading,
  inFlight: readonly OrderObservation[],
  sourceId: string,
): Promise<BalanceHeld> {
  const figures = {
    currency: reading.currency,
    previousBalance: await storedPanelBalance(reads.books, sourceId),
    prepaidBeforeMicros: await reads.ledger.balanceOf(PANEL_PREPAID_ACCOUNT, reading.currency, { sourceId }),
    reportedBalanceMicros: reading.balance.balance,
    roundedFigures: reading.rounded,
  };
  return { figures, inFlight: await heldOrders(reads.books, sourceId, inFlight) };
}

/**
 * The balance step (pure), the close's last chunk: the orders in flight at the balance read that the
 * reported balance holds are booked as one more chunk (the others are left for the next close), then
 * whatever the day's journal does not explain in the balance the panel reports is booked. Its journal is
 * the day's, checked to move panel_prepaid by what the draft reconciled before anything is appended.
 */
export function normalizeBalance(
  chunk: { reading: PanelReading; inFlight: readonly OrderObservation[] },
  held: BalanceHeld,
  day: PanelOrdersDay,
) {
  const { reading, inFlight } = chunk;
  const { draft, sourceId, asOf } = day;
  const settlement = inFlight.length === 0 ? undefined : draft.settleInFlight(inFlight, held.figures);
  const inBalance = new Set(settlement?.inBalance ?? []);
  const settled = normalizeOrders(
    inFlight.filter((observation) => inBalance.has(observation.orderId)),
    held.inFlight,
    day,
  );
  const closed = draft.balance(held.figures);
  assertInFlightSettled(settlement, closed, { sourceId, date: asOf });
  draft.journalize(closed.events);
  // Kept with this close so a replay settles its orders in flight as tonight did.
  const nextBalance =
    inFlight.length > 0
      ? { ...closed.nextBalance, ordersInFlight: inFlight.map((observation) => observation.orderId) }
      : closed.nextBalance;
  const events: SourceEvent[] = [...settled.events, ...closed.events];
  const findings: Finding[] = [...settled.findings, ...closed.findings];
  const progress: BalanceProgress = {
    settled: settled.progress,
    explanations: explanationRows(sourceId, asOf, closed),
    reading,
    nextBalance,
    nextClose: settlement?.nextClose ?? [],
  };
  const check = (entries: readonly JournalEntry[]) =>
    assertBookedPrepaid(entries, draft.journal, { sourceId, date: asOf, currency: reading.currency });
  return { events, findings, progress, journal: { sourceId, draft: draft.journal, check } };
}

/** Where the money is decided: orders in flight that the balance settled leave no rise or fall for the balance step to book. */
function assertInFlightSettled(
  settled: InFlightSettlement | undefined,
  closed: CloseBalanceEvents,
  close: { sourceId: string; date: string },
): void {
  if (settled === undefined || !settled.explained) return;
  const moved = closed.findings.filter((found) => found.kind === 'balance_rise' || found.kind === 'balance_fall');
  assertInvariant(
    moved.length === 0,
    () =>
      `panel close ${close.sourceId} ${close.date}: the orders in flight (${[...settled.inBalance, ...settled.nextClose].join(', ')}) were settled by the balance, yet it books ${moved.map((found) => found.kind).join(', ')}; nothing of the close's last unit was committed`,
  );
}

/** The close's explanations, each named by its panel_fall_explained event (they come in the same order). */
function explanationRows(sourceId: string, date: string, closed: CloseBalanceEvents): BookedFallExplanation[] {
  const events = closed.events.filter((event) => event.kind === 'panel_fall_explained');
  return closed.explanations.map((explanation, index) => ({
    sourceId,
    date,
    eventId: events[index]!.id,
    findingId: explanation.findingId,
    orderId: explanation.orderId,
    amountMicros: explanation.amountMicros,
    currency: explanation.currency,
  }));
}
