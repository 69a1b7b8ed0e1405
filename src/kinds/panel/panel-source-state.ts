import { z } from 'zod';
import { sortedByOrderId } from './rules/polling-order.js';
import { type PanelBalanceState } from './rules/balance-reconciliation.js';
import { PANEL_BATCH_MODES, type PanelBatchMode } from './panel-batch-mode.js';
import { type OrdersFileOrder } from './orders-file.js';
import { freshRow } from './panel-close-orders.js';
import type { SyncBooks, SyncBooksTx } from '../../pipeline/sync/index.js';

/*
 * What a panel carries from one close to the next besides its orders: the balance state (opening,
 * event sequence, open falls), the batch form the panel accepted, and the orders a backfill asked
 * about again.
 */

const RepollRequestSchema = z.array(z.string());
// A mode this version does not know is forgotten, not an error: the next sync finds the form again.
const StoredBatchModeSchema = z.enum(PANEL_BATCH_MODES).optional().catch(undefined);

/** The panel's balance state after its latest close; undefined before its first close commits. */
export function storedPanelBalance(books: SyncBooksTx, sourceId: string): Promise<PanelBalanceState | undefined> {
  return books.panelBalance(sourceId);
}

/** Keeps the balance state a close ends with, as the latest and as that close's (a replay starts from it). */
export async function writePanelBalance(
  books: SyncBooksTx,
  sourceId: string,
  close: { date: string; balance: PanelBalanceState },
  now: Date,
): Promise<void> {
  await books.savePanelBalance(sourceId, close, now);
}

/** The batch form the panel accepted last time, so the next sync does not try the other one first. */
export async function storedBatchMode(books: SyncBooksTx, sourceId: string): Promise<PanelBatchMode | undefined> {
  return books.carriedState(sourceId, 'batchMode', StoredBatchModeSchema);
}

export async function writeBatchMode(
  books: SyncBooksTx,
  sourceId: string,
  batchMode: PanelBatchMode,
  now: Date,
): Promise<void> {
  await books.saveCarriedState(sourceId, 'batchMode', batchMode, now);
}

/** The orders a backfill asked the next close to poll again. */
export async function repollRequested(books: SyncBooksTx, sourceId: string): Promise<string[]> {
  return (await books.carriedState(sourceId, 'repollRequested', RepollRequestSchema)) ?? [];
}

/** A close polled the orders a backfill asked about: the request is answered. */
export async function clearRepollRequests(books: SyncBooksTx, sourceId: string, now: Date): Promise<void> {
  await books.saveCarriedState(sourceId, 'repollRequested', [], now);
}

/**
 * A backfill's request to ask about these orders again. They are polled at the
 * next close, finished or not, so whatever changed is booked on the day it was
 * seen and checked against that day's balance: polling them now and booking on
 * the latest close's date would put today's balance moves into a closed day.
 * Orders the ledger did not know yet are registered.
 */
export async function requestRepoll(
  books: SyncBooks,
  sourceId: string,
  orders: readonly OrdersFileOrder[],
  asOf: string,
  now: Date,
): Promise<void> {
  await books.unit(async (tx) => {
    await tx.registerOrders(
      sourceId,
      orders.map((order) => freshRow(order.orderId, order)),
      { firstSeenDate: asOf, now },
    );
    const pending = await repollRequested(tx, sourceId);
    await tx.saveCarriedState(
      sourceId,
      'repollRequested',
      sortedByOrderId(new Set([...pending, ...orders.map((order) => order.orderId)])),
      now,
    );
  });
}
