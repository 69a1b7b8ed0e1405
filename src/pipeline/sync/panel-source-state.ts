import { z } from 'zod';
import type { LedgerStore } from '../../ledger/index.js';
import { sortedByOrderId, type PanelBalanceState } from '../../rules/index.js';
import { PANEL_BATCH_MODES, type OrdersFileOrder, type PanelBatchMode } from '../../sources/index.js';
import { readPanelBalanceState, readSourceState, recordPanelBalanceByClose, registerOrders, writePanelBalanceState, writeSourceState } from '../../store/index.js';
import { freshRow } from './panel-close-orders.js';

/*
 * What a panel carries from one close to the next besides its orders: the balance state (opening,
 * event sequence, open falls), the batch form the panel accepted, and the orders a backfill asked
 * about again.
 */

const RepollRequestSchema = z.array(z.string());
// A mode this version does not know is forgotten, not an error: the next sync finds the form again.
const StoredBatchModeSchema = z.enum(PANEL_BATCH_MODES).optional().catch(undefined);

/** The panel's balance state after its latest close; undefined before its first close commits. */
export function storedPanelBalance(store: LedgerStore, sourceId: string): Promise<PanelBalanceState | undefined> {
  return readPanelBalanceState(store, sourceId);
}

/** Keeps the balance state a close ends with, as the latest and as that close's (a replay starts from it). */
export async function writePanelBalance(store: LedgerStore, sourceId: string, close: { date: string; balance: PanelBalanceState }, now: Date): Promise<void> {
  await writePanelBalanceState(store, sourceId, close.balance, now);
  await recordPanelBalanceByClose(store, sourceId, close.date, close.balance);
}

/** The batch form the panel accepted last time, so the next sync does not try the other one first. */
export async function storedBatchMode(store: LedgerStore, sourceId: string): Promise<PanelBatchMode | undefined> {
  return readSourceState(store, sourceId, 'batchMode', StoredBatchModeSchema);
}

export async function writeBatchMode(store: LedgerStore, sourceId: string, batchMode: PanelBatchMode, now: Date): Promise<void> {
  await writeSourceState(store, sourceId, 'batchMode', batchMode, now);
}

/** The orders a backfill asked the next close to poll again. */
export async function repollRequested(store: LedgerStore, sourceId: string): Promise<string[]> {
  return (await readSourceState(store, sourceId, 'repollRequested', RepollRequestSchema)) ?? [];
}

/** A close polled the orders a backfill asked about: the request is answered. */
export async function clearRepollRequests(store: LedgerStore, sourceId: string, now: Date): Promise<void> {
  await writeSourceState(store, sourceId, 'repollRequested', [], now);
}

/**
 * A backfill's request to ask about these orders again. They are polled at the
 * next close, finished or not, so whatever changed is booked on the day it was
 * seen and checked against that day's balance: polling them now and booking on
 * the latest close's date would put today's balance moves into a closed day.
 * Orders the ledger did not know yet are registered.
 */
export async function requestRepoll(store: LedgerStore, sourceId: string, orders: readonly OrdersFileOrder[], asOf: string, now: Date): Promise<void> {
  await store.unitOfWork(async () => {
    await registerOrders(
      store,
      sourceId,
      orders.map((order) => freshRow(order.orderId, order)),
      { firstSeenDate: asOf, now: now.toISOString() },
    );
    const pending = await repollRequested(store, sourceId);
    await writeSourceState(store, sourceId, 'repollRequested', sortedByOrderId(new Set([...pending, ...orders.map((order) => order.orderId)])), now);
  });
}
