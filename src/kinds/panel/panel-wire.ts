import { z } from 'zod';
import {
  textReader,
  optionalWireText,
  wireAmount,
  wireFields,
  wireId,
  wireReads,
  wireText,
  readJson,
  readWire,
  type JsonReading,
  type LandedReply,
  describeValue,
} from '../../http/index.js';
import type { PanelBatchMode } from './panel-batch-mode.js';
import type { PanelStatusBatchReport, PanelStatusReading } from './panel-client.js';
import { classifyPanelError } from './panel-error-message.js';
import type { PanelExchange } from './panel-client.js';
import type { OrderObservation } from './rules/order-observation.js';

/** action=balance: {"balance": "100.84292", "currency": "USD"}; some panels send a number and no currency. */
export const PanelBalanceReplySchema = z.object({ balance: wireAmount, currency: optionalWireText }).loose();

/** One entry of action=services; `rate` is the price per 1000 (a flat price for package types). */
const PanelServiceSchema = z
  .object({
    service: wireId,
    name: wireText,
    type: optionalWireText,
    rate: wireAmount,
    min: optionalWireText,
    max: optionalWireText,
    category: optionalWireText,
  })
  .loose();
export const PanelServicesReplySchema = z.array(PanelServiceSchema);

/**
 * One order's status, alone (action=status) or as a value of a batch reply. Everything but
 * `status` may be absent: drip-feed replies are {status, runs, orders}, subscriptions
 * {status, expiry, posts, orders}, and some panels send "remains": "Unknown" or no currency.
 */
const PanelStatusEntrySchema = wireFields(
  {
    required: { status: textReader({ blank: 'empty status' }) },
    optional: {
      charge: wireReads.amount,
      start_count: wireReads.info,
      remains: wireReads.text,
      currency: wireReads.text,
      runs: wireReads.info,
      expiry: wireReads.info,
      posts: wireReads.info,
      order: wireReads.id,
    },
  },
  { orders: z.array(wireId).optional() },
);
type PanelStatusEntry = z.infer<typeof PanelStatusEntrySchema>;

/** action=add: {"order": 23501} */
export const PanelAddReplySchema = z.object({ order: wireId }).loose();

/** action=cancel: [{"order": 9, "cancel": {"status": "success"} | 1}, {"order": 2, "error": "Incorrect order ID"}] */
export const PanelCancelReplySchema = z.array(
  z.object({ order: wireId, cancel: z.unknown().optional(), error: z.unknown().optional() }).loose(),
);

/** What a status entry describes: drip-feed and subscription replies carry child orders and no charge. */
const PANEL_STATUS_SHAPES = ['order', 'drip-feed', 'subscription'] as const;
type PanelStatusShape = (typeof PANEL_STATUS_SHAPES)[number];

/**
 * One order as the panel reported it. Text stays as sent: normalising the status name
 * and `remains` ("+12", "-3", "Unknown") is the rules' job; only the charge is read, exactly.
 */
export interface PanelOrderStatus {
  orderId: string;
  shape: PanelStatusShape;
  /** "Partial", "In progress", "Cancelled" … as sent. */
  statusRaw: string;
  /** Micro-units: "0.27819" → 278190n. Absent for drip-feed and subscription replies. */
  charge?: bigint;
  /** The charge as sent, which shows the panel's precision. */
  chargeText?: string;
  /** False when the charge was finer than a micro-unit and rounded half-even. */
  chargeExact?: boolean;
  startCount?: string;
  remainsRaw?: string;
  currency?: string;
  /** Child order ids of a drip-feed or subscription; each is tracked as its own order. */
  childOrderIds?: string[];
  runs?: string;
  posts?: string;
  expiry?: string;
}

function toPanelOrderStatus(orderId: string, entry: PanelStatusEntry): PanelOrderStatus {
  const shape: PanelStatusShape =
    entry.expiry !== undefined || entry.posts !== undefined
      ? 'subscription'
      : entry.runs !== undefined || entry.orders !== undefined
        ? 'drip-feed'
        : 'order';
  return {
    orderId,
    shape,
    statusRaw: entry.status,
    charge: entry.charge?.micros,
    chargeText: entry.charge?.text,
    chargeExact: entry.charge?.exact,
    startCount: entry.start_count,
    remainsRaw: entry.remains,
    currency: entry.currency,
    childOrderIds: entry.orders,
    runs: entry.runs,
    posts: entry.posts,
    expiry: entry.expiry,
  };
}

/** A reply to `action=status&order=ID`, read: found, unknown to the panel, or a refusal thrown as the right error. */
export function readStatusReply(panel: PanelExchange, orderId: string, reply: LandedReply): PanelStatusReading {
  const rawObservationId = reply.rawObservationId;
  if (reply.status === 404) {
    return { kind: 'unknown', orderId, reason: panel.serviceMessage(reply.bodyText) ?? 'HTTP 404', rawObservationId };
  }
  if (reply.status < 200 || reply.status >= 300) throw panel.failureFor('status', reply);
  const json = readJson(reply.bodyText);
  if (!json.ok) throw panel.invalid('status', reply, json.reason);
  if (typeof json.value === 'string')
    return { kind: 'unknown', orderId, reason: panel.scrub(json.value), rawObservationId };
  const error = errorField(json.value);
  if (error !== undefined) {
    const message = panel.serviceMessage(reply.bodyText) ?? describeValue(error);
    if (classifyPanelError(message) === 'unknown-order')
      return { kind: 'unknown', orderId, reason: message, rawObservationId };
    throw panel.rejectionFor(reply, message);
  }
  const read = readWire(PanelStatusEntrySchema, json.value);
  if (!read.ok) throw panel.invalid('status', reply, read.reason);
  return { kind: 'found', status: toPanelOrderStatus(orderId, read.value), rawObservationId };
}

/**
 * The panel does not take this batch form: HTTP 400, an {"error"} about the action itself,
 * a bare `null` (what PHP's json_encode gives for an action the script does not handle),
 * or, to status&orders, a top-level "order not found" (the script read `order`, found none).
 */
export function refusesBatchAction(
  panel: PanelExchange,
  mode: PanelBatchMode,
  reply: LandedReply,
  json: JsonReading<unknown>,
  orderIds: readonly string[],
): boolean {
  if (reply.status === 400) {
    const message = panel.serviceMessage(reply.bodyText, json);
    return !(message && classifyPanelError(message) === 'auth');
  }
  if (!(reply.status === 200 || reply.status === 404)) return false;
  if (!json.ok) return false;
  if (reply.status === 200 && json.value === null) return true;
  if (errorField(json.value, orderIds) === undefined) return false;
  const message = panel.serviceMessage(reply.bodyText, json);
  if (message === undefined) return false;
  const kind = classifyPanelError(message);
  return kind === 'unsupported-action' || (mode === 'status-orders' && kind === 'unknown-order');
}

/** What the panel said when it refused a batch form, for the message that names every form refused. */
export function refusalOf(panel: PanelExchange, reply: LandedReply, json: JsonReading<unknown>): string {
  return panel.serviceMessage(reply.bodyText, json) ?? (reply.status === 200 ? 'null' : `HTTP ${reply.status}`);
}

/**
 * A batch reply (`multiStatus`, or `status` with orders) read into `report`: each asked-for order found, unknown
 * (left out, null, a bare string or its own {"error"}) or invalid (quarantined); never a throw for a single order.
 */
export function readStatusBatchReply(
  panel: PanelExchange,
  action: 'multiStatus' | 'status',
  orderIds: readonly string[],
  reply: LandedReply,
  json: JsonReading<unknown>,
  report: PanelStatusBatchReport,
): void {
  if (reply.status < 200 || reply.status >= 300) throw panel.failureFor(action, reply);
  if (!json.ok) throw panel.invalid(action, reply, json.reason);
  const body = json.value;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw panel.invalid(action, reply, `expected an object keyed by order id, got ${describeValue(body)}`);
  }
  const error = errorField(body, orderIds);
  if (error !== undefined)
    throw panel.rejectionFor(reply, panel.serviceMessage(reply.bodyText, json) ?? describeValue(error));
  const entries = body as Record<string, unknown>;
  if (!orderIds.some((id) => Object.hasOwn(entries, id)) && Object.hasOwn(entries, 'status')) {
    throw panel.invalid(action, reply, 'the reply is a single order status, not an object keyed by order id');
  }
  const rawObservationId = reply.rawObservationId;
  for (const orderId of orderIds) {
    const entry = Object.hasOwn(entries, orderId) ? entries[orderId] : undefined;
    const unknown = unknownReason(panel, entry);
    if (unknown !== undefined) {
      report.unknown.push({ orderId, reason: unknown, rawObservationId });
      continue;
    }
    const read = readWire(PanelStatusEntrySchema, entry);
    if (read.ok) report.orders.set(orderId, toPanelOrderStatus(orderId, read.value));
    else report.invalid.push({ orderId, reason: panel.scrub(read.reason), rawObservationId });
  }
}

/** Why a batch reply's entry says the panel does not know the order (left out, null, a bare string or its own {"error"}); undefined for a status. */
function unknownReason(panel: PanelExchange, entry: unknown): string | undefined {
  if (entry === undefined) return 'missing from the reply';
  if (entry === null) return 'null in the reply';
  if (typeof entry === 'string') return panel.scrub(entry);
  const message = errorField(entry);
  if (message === undefined) return undefined;
  return panel.scrub(typeof message === 'string' ? message : JSON.stringify(message));
}

// A panel's status replies as the rules take them: the nightly close (pipeline/sync) and the replay of stored replies (pipeline/backfill) both read them so.

/**
 * What the panel said of each polled order, as the rules take it, in polling
 * order; drip-feed parents carry no money and only name their children.
 */
export function observationsOf(
  polled: readonly string[],
  batch: Pick<PanelStatusBatchReport, 'orders' | 'unknown'>,
  currency: string,
): { observations: OrderObservation[]; children: string[] } {
  const observations: OrderObservation[] = [];
  const children: string[] = [];
  const unknown = new Map<string, string>();
  for (const order of batch.unknown) if (!unknown.has(order.orderId)) unknown.set(order.orderId, order.reason);
  for (const orderId of polled) {
    const status = batch.orders.get(orderId);
    if (status) {
      if (status.charge === undefined) {
        for (const child of status.childOrderIds ?? []) children.push(child);
        continue;
      }
      observations.push({
        kind: 'status',
        orderId,
        statusRaw: status.statusRaw,
        chargeMicros: status.charge,
        remainsRaw: status.remainsRaw,
        currency: status.currency ?? currency,
      });
      continue;
    }
    const reason = unknown.get(orderId);
    if (reason !== undefined) observations.push({ kind: 'unknown', orderId, reason });
  }
  return { observations, children };
}

/** The child orders the parents in a status report name, each once, in the order named. */
export function childOrderIds(batch: Pick<PanelStatusBatchReport, 'orders'>): string[] {
  const children = new Set<string>();
  for (const status of batch.orders.values()) for (const child of status.childOrderIds ?? []) children.add(child);
  return [...children];
}

/** How many of a close's figures, its balance and each polled order's charge, the panel wrote finer than a micro-unit. */
export function roundedFigures(balance: { exact: boolean }, batch: Pick<PanelStatusBatchReport, 'orders'>): number {
  return (balance.exact ? 0 : 1) + roundedCharges(batch);
}

/** How many of a report's charges the panel wrote finer than a micro-unit. */
export function roundedCharges(batch: Pick<PanelStatusBatchReport, 'orders'>): number {
  let rounded = 0;
  for (const status of batch.orders.values()) if (status.chargeExact === false) rounded += 1;
  return rounded;
}

/**
 * The value of a top-level "error" key, if the body is an object that has one. In a batch reply an
 * order literally named "error" is data, so `orderIds` lists the keys that are not errors.
 */
export function errorField(value: unknown, orderIds: readonly string[] = []): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (!Object.hasOwn(value, 'error') || orderIds.includes('error')) return undefined;
  const error = (value as { error: unknown }).error;
  return error === null ? undefined : error;
}
