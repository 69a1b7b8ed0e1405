import type { z } from 'zod';
import {
  InvalidReplyError,
  RequestRejectedError,
  linkRawObservation,
  rawObservationOf,
  type RawObservationId,
} from '../../errors.js';
import { readJson, type LandedReply } from '../../http/index.js';
import { PANEL_BATCH_LIMIT, type PanelBatchMode } from './panel-batch-mode.js';
import { createPanelExchange, type PanelExchange, type PanelExchangeOptions } from './panel-exchange.js';
import type { PanelOrderStatus } from './panel-order-status.js';
import { readStatusBatchReply, readStatusReply, refusalOf, refusesBatchAction } from './panel-status-reply.js';
import { PanelBalanceReplySchema } from './panel-wire.js';

export interface PanelClientOptions extends PanelExchangeOptions {
  /** The batch form that worked last time (from the source's stored state); multiStatus when unknown. */
  batchMode?: PanelBatchMode;
}

export interface PanelBalance {
  /** Micro-units: "100.84292" → 100_842_920n. */
  balance: bigint;
  balanceText: string;
  /** False when the panel wrote the balance finer than a micro-unit (rounded half-even). */
  exact: boolean;
  currency?: string;
  rawObservationId: RawObservationId | undefined;
}

/** A single status: found, or unknown (HTTP 404 or {"error": "Incorrect order ID"}: both mean the panel does not know it). */
export type PanelStatusReading =
  | { kind: 'found'; status: PanelOrderStatus; rawObservationId: RawObservationId | undefined }
  | { kind: 'unknown'; orderId: string; reason: string; rawObservationId: RawObservationId | undefined };

export interface PanelUnknownOrder {
  orderId: string;
  /** "Incorrect order ID", "missing from the reply" … */
  reason: string;
  rawObservationId: RawObservationId | undefined;
}

export interface PanelInvalidOrder {
  orderId: string;
  /** Which field was wrong and how: "charge: not an amount: "abc" (…)". */
  reason: string;
  rawObservationId: RawObservationId | undefined;
}

/** What one statusBatch found out; it never throws for a single order. */
export interface PanelStatusBatchReport {
  orders: Map<string, PanelOrderStatus>;
  /** The panel does not know these (per-order {"error"}, a bare string, or the id left out). Never a refund. */
  unknown: PanelUnknownOrder[];
  /** The panel answered for these, but not in a form we can read: quarantine them. */
  invalid: PanelInvalidOrder[];
  /** Every raw row landed for this batch, fallback attempts and retried answers included. */
  rawObservationIds: RawObservationId[];
  /** The batch form that worked; store it in the source's state. */
  batchMode: PanelBatchMode;
}

export interface PanelClient {
  readonly sourceId: string;
  /** The batch form that worked last; starts as the one passed in. */
  readonly batchMode: PanelBatchMode;
  balance(): Promise<PanelBalance>;
  status(orderId: string): Promise<PanelStatusReading>;
  /** Polls in batches of at most 100; falls back from multiStatus to status&orders if the panel refuses the action. */
  statusBatch(orderIds: readonly string[]): Promise<PanelStatusBatchReport>;
}

/** An id must survive being joined with commas into the orders list. */
const USABLE_ORDER_ID = /^[^\s,]+$/;

export function createPanelClient(options: PanelClientOptions): PanelClient {
  const panel = createPanelExchange(options);
  const { sourceId, post } = panel;
  let batchMode: PanelBatchMode = options.batchMode ?? 'multiStatus';

  function sendBatch(mode: PanelBatchMode, orderIds: readonly string[]): Promise<LandedReply> {
    const orders = orderIds.join(',');
    return mode === 'multiStatus' ? post('multiStatus', { orders }, true) : post('status', { orders }, true);
  }

  async function statusOf(orderId: string): Promise<PanelStatusReading> {
    return readStatusReply(panel, orderId, await post('status', { order: orderId }, true));
  }

  /** Each batch reply's body is read once here, for the refusal checks and the orders alike: a first import reads 2,000 of 10 kB. */
  async function pollBatch(orderIds: readonly string[], report: PanelStatusBatchReport): Promise<void> {
    if (batchMode === 'single') return pollEachOrder(statusOf, orderIds, report);
    let reply = await sendBatch(batchMode, orderIds);
    let json = readJson(reply.bodyText);
    report.rawObservationIds.push(...reply.rawObservationIds);
    if (batchMode === 'multiStatus' && refusesBatchAction(panel, 'multiStatus', reply, json, orderIds)) {
      const refusal = refusalOf(panel, reply, json);
      reply = await sendBatch('status-orders', orderIds);
      json = readJson(reply.bodyText);
      report.rawObservationIds.push(...reply.rawObservationIds);
      if (refusesBatchAction(panel, 'status-orders', reply, json, orderIds)) {
        await pollEachAfterRefusals(sourceId, statusOf, orderIds, report, [refusal, refusalOf(panel, reply, json)]);
        batchMode = 'single';
        report.batchMode = batchMode;
        return;
      }
      batchMode = 'status-orders';
      report.batchMode = batchMode;
    }
    readStatusBatchReply(panel, batchMode === 'multiStatus' ? 'multiStatus' : 'status', orderIds, reply, json, report);
  }

  return {
    sourceId,
    get batchMode() {
      return batchMode;
    },
    balance: () => readBalance(panel),
    status: statusOf,
    async statusBatch(orderIds) {
      const report: PanelStatusBatchReport = {
        orders: new Map(),
        unknown: [],
        invalid: [],
        rawObservationIds: [],
        batchMode,
      };
      const wanted: string[] = [];
      for (const orderId of new Set(orderIds)) {
        if (USABLE_ORDER_ID.test(orderId)) wanted.push(orderId);
        else
          report.unknown.push({
            orderId,
            reason: 'not a usable order id (empty, or contains a comma or a space)',
            rawObservationId: undefined,
          });
      }
      for (let start = 0; start < wanted.length; start += PANEL_BATCH_LIMIT) {
        await pollBatch(wanted.slice(start, start + PANEL_BATCH_LIMIT), report);
      }
      return report;
    },
  };
}

/** The panel's balance: the first call of every close. */
async function readBalance(panel: PanelExchange): Promise<PanelBalance> {
  const reply = await panel.post('balance', {}, true);
  let body: z.output<typeof PanelBalanceReplySchema>;
  try {
    body = panel.readSchema('balance', reply, PanelBalanceReplySchema);
  } catch (error) {
    // An error nobody recognises here is most often a wrong key or URL.
    if (!(error instanceof RequestRejectedError) || reply.status !== 200) throw error;
    throw linkRawObservation(
      new RequestRejectedError(
        panel.sourceId,
        reply.status,
        `${error.serviceMessage} (asked for its balance; check the source's url and apiKey in ledgerline.yaml)`,
      ),
      reply.rawObservationId,
    );
  }
  return {
    balance: body.balance.micros,
    balanceText: body.balance.text,
    exact: body.balance.exact,
    currency: body.currency,
    rawObservationId: reply.rawObservationId,
  };
}

/** The last batch form: one order at a time. A refusal of that too names all three forms the panel refused. */
async function pollEachAfterRefusals(
  sourceId: string,
  statusOf: (orderId: string) => Promise<PanelStatusReading>,
  orderIds: readonly string[],
  report: PanelStatusBatchReport,
  [multi, orders]: [string, string],
): Promise<void> {
  try {
    await pollEachOrder(statusOf, orderIds, report);
  } catch (error) {
    if (!(error instanceof RequestRejectedError)) throw error;
    throw linkRawObservation(
      new RequestRejectedError(
        sourceId,
        error.status,
        `the panel refused action=multiStatus (${multi}), action=status with orders (${orders}) and action=status with one order (${error.serviceMessage ?? error.message})`,
      ),
      rawObservationOf(error),
    );
  }
}

/** One `action=status&order=ID` per order, each through the same throttle as every request; an unreadable reply quarantines that order alone. */
async function pollEachOrder(
  statusOf: (orderId: string) => Promise<PanelStatusReading>,
  orderIds: readonly string[],
  report: PanelStatusBatchReport,
): Promise<void> {
  for (const orderId of orderIds) {
    let reading: PanelStatusReading;
    try {
      reading = await statusOf(orderId);
    } catch (error) {
      if (!(error instanceof InvalidReplyError)) throw error;
      const rawObservationId = rawObservationOf(error);
      if (rawObservationId !== undefined) report.rawObservationIds.push(rawObservationId);
      report.invalid.push({ orderId, reason: error.reason, rawObservationId });
      continue;
    }
    if (reading.rawObservationId !== undefined) report.rawObservationIds.push(reading.rawObservationId);
    if (reading.kind === 'found') report.orders.set(orderId, reading.status);
    else report.unknown.push({ orderId, reason: reading.reason, rawObservationId: reading.rawObservationId });
  }
}
