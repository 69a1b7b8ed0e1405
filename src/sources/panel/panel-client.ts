import type { z } from 'zod';
import { InvalidReplyError, RequestRejectedError, linkRawObservation, rawObservationOf, type RawObservationId } from '../../errors.js';
import { readJson, readWire, type JsonReading } from '../../http/json-reply.js';
import type { LandedReply } from '../../http/landed-exchange.js';
import { describeValue } from '../../http/wire-readers.js';
import { PANEL_BATCH_LIMIT, type PanelBatchMode } from './panel-batch-mode.js';
import { classifyPanelError } from './panel-error-message.js';
import { createPanelExchange, errorField, type PanelExchangeOptions } from './panel-exchange.js';
import { toPanelOrderStatus, type PanelOrderStatus } from './panel-order-status.js';
import { PanelBalanceReplySchema, PanelStatusEntrySchema } from './panel-wire.js';

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
  const { sourceId } = panel;
  const { post, serviceMessage, failureFor, rejectionFor, invalid, readSchema } = panel;
  let batchMode: PanelBatchMode = options.batchMode ?? 'multiStatus';

  function sendBatch(mode: PanelBatchMode, orderIds: readonly string[]): Promise<LandedReply> {
    const orders = orderIds.join(',');
    return mode === 'multiStatus' ? post('multiStatus', { orders }, true) : post('status', { orders }, true);
  }

  /**
   * The panel does not take this batch form: HTTP 400, an {"error"} about the action itself,
   * a bare `null` (what PHP's json_encode gives for an action the script does not handle),
   * or, to status&orders, a top-level "order not found" (the script read `order`, found none).
   */
  function refusesAction(mode: PanelBatchMode, reply: LandedReply, json: JsonReading<unknown>, orderIds: readonly string[]): boolean {
    if (reply.status === 400) {
      const message = serviceMessage(reply.bodyText, json);
      return !(message && classifyPanelError(message) === 'auth');
    }
    if (!(reply.status === 200 || reply.status === 404)) return false;
    if (!json.ok) return false;
    if (reply.status === 200 && json.value === null) return true;
    if (errorField(json.value, orderIds) === undefined) return false;
    const message = serviceMessage(reply.bodyText, json);
    if (message === undefined) return false;
    const kind = classifyPanelError(message);
    return kind === 'unsupported-action' || (mode === 'status-orders' && kind === 'unknown-order');
  }

  async function statusOf(orderId: string): Promise<PanelStatusReading> {
    const reply = await post('status', { order: orderId }, true);
    const rawObservationId = reply.rawObservationId;
    if (reply.status === 404) {
      return { kind: 'unknown', orderId, reason: serviceMessage(reply.bodyText) ?? 'HTTP 404', rawObservationId };
    }
    if (reply.status < 200 || reply.status >= 300) throw failureFor('status', reply);
    const json = readJson(reply.bodyText);
    if (!json.ok) throw invalid('status', reply, json.reason);
    if (typeof json.value === 'string') return { kind: 'unknown', orderId, reason: panel.scrub(json.value), rawObservationId };
    const error = errorField(json.value);
    if (error !== undefined) {
      const message = serviceMessage(reply.bodyText) ?? describeValue(error);
      if (classifyPanelError(message) === 'unknown-order') return { kind: 'unknown', orderId, reason: message, rawObservationId };
      throw rejectionFor(reply, message);
    }
    const read = readWire(PanelStatusEntrySchema, json.value);
    if (!read.ok) throw invalid('status', reply, read.reason);
    return { kind: 'found', status: toPanelOrderStatus(orderId, read.value), rawObservationId };
  }

  function refusalOf(reply: LandedReply, json: JsonReading<unknown>): string {
    return serviceMessage(reply.bodyText, json) ?? (reply.status === 200 ? 'null' : `HTTP ${reply.status}`);
  }

  /** Each batch reply's body is read once here, for the refusal checks and the orders alike: a first import reads 2,000 of 10 kB. */
  async function pollBatch(orderIds: readonly string[], report: PanelStatusBatchReport): Promise<void> {
    if (batchMode === 'single') return pollEach(orderIds, report);
    let reply = await sendBatch(batchMode, orderIds);
    let json = readJson(reply.bodyText);
    report.rawObservationIds.push(...reply.rawObservationIds);
    if (batchMode === 'multiStatus' && refusesAction('multiStatus', reply, json, orderIds)) {
      const refusal = refusalOf(reply, json);
      reply = await sendBatch('status-orders', orderIds);
      json = readJson(reply.bodyText);
      report.rawObservationIds.push(...reply.rawObservationIds);
      if (refusesAction('status-orders', reply, json, orderIds)) {
        const again = refusalOf(reply, json);
        try {
          await pollEach(orderIds, report);
        } catch (error) {
          if (!(error instanceof RequestRejectedError)) throw error;
          throw linkRawObservation(
            new RequestRejectedError(sourceId, error.status, `the panel refused action=multiStatus (${refusal}), action=status with orders (${again}) and action=status with one order (${error.serviceMessage ?? error.message})`),
            rawObservationOf(error),
          );
        }
        batchMode = 'single';
        report.batchMode = batchMode;
        return;
      }
      batchMode = 'status-orders';
      report.batchMode = batchMode;
    }
    readBatch(orderIds, reply, json, report);
  }

  /** One `action=status&order=ID` per order, each through the same throttle as every request. */
  async function pollEach(orderIds: readonly string[], report: PanelStatusBatchReport): Promise<void> {
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

  function readBatch(orderIds: readonly string[], reply: LandedReply, json: JsonReading<unknown>, report: PanelStatusBatchReport): void {
    const action = batchMode === 'multiStatus' ? 'multiStatus' : 'status';
    if (reply.status < 200 || reply.status >= 300) throw failureFor(action, reply);
    if (!json.ok) throw invalid(action, reply, json.reason);
    const body = json.value;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw invalid(action, reply, `expected an object keyed by order id, got ${describeValue(body)}`);
    }
    const error = errorField(body, orderIds);
    if (error !== undefined) throw rejectionFor(reply, serviceMessage(reply.bodyText, json) ?? describeValue(error));
    const entries = body as Record<string, unknown>;
    if (!orderIds.some((id) => Object.hasOwn(entries, id)) && Object.hasOwn(entries, 'status')) {
      throw invalid(action, reply, 'the reply is a single order status, not an object keyed by order id');
    }
    const rawObservationId = reply.rawObservationId;
    for (const orderId of orderIds) {
      const entry = Object.hasOwn(entries, orderId) ? entries[orderId] : undefined;
      if (entry === undefined) report.unknown.push({ orderId, reason: 'missing from the reply', rawObservationId });
      else if (entry === null) report.unknown.push({ orderId, reason: 'null in the reply', rawObservationId });
      else if (typeof entry === 'string') report.unknown.push({ orderId, reason: panel.scrub(entry), rawObservationId });
      else if (errorField(entry) !== undefined) {
        const message = errorField(entry);
        report.unknown.push({ orderId, reason: panel.scrub(typeof message === 'string' ? message : JSON.stringify(message)), rawObservationId });
      } else {
        const read = readWire(PanelStatusEntrySchema, entry);
        if (read.ok) report.orders.set(orderId, toPanelOrderStatus(orderId, read.value));
        else report.invalid.push({ orderId, reason: panel.scrub(read.reason), rawObservationId });
      }
    }
  }

  return {
    sourceId,
    get batchMode() {
      return batchMode;
    },

    async balance() {
      const reply = await post('balance', {}, true);
      let body: z.output<typeof PanelBalanceReplySchema>;
      try {
        body = readSchema('balance', reply, PanelBalanceReplySchema);
      } catch (error) {
        // The first call of every close: an error nobody recognises here is most often a wrong key or URL.
        if (!(error instanceof RequestRejectedError) || reply.status !== 200) throw error;
        throw linkRawObservation(
          new RequestRejectedError(sourceId, reply.status, `${error.serviceMessage} (asked for its balance; check the source's url and apiKey in ledgerline.yaml)`),
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
    },

    status: statusOf,

    async statusBatch(orderIds) {
      const report: PanelStatusBatchReport = { orders: new Map(), unknown: [], invalid: [], rawObservationIds: [], batchMode };
      const wanted: string[] = [];
      for (const orderId of new Set(orderIds)) {
        if (USABLE_ORDER_ID.test(orderId)) wanted.push(orderId);
        else report.unknown.push({ orderId, reason: 'not a usable order id (empty, or contains a comma or a space)', rawObservationId: undefined });
      }
      for (let start = 0; start < wanted.length; start += PANEL_BATCH_LIMIT) {
        await pollBatch(wanted.slice(start, start + PANEL_BATCH_LIMIT), report);
      }
      return report;
    },
  };
}
