import { readJson, readWire, type JsonReading, type LandedReply, describeValue } from '../../http/index.js';
import type { PanelBatchMode } from './panel-batch-mode.js';
import type { PanelStatusBatchReport, PanelStatusReading } from './panel-client.js';
import { classifyPanelError } from './panel-error-message.js';
import { errorField, type PanelExchange } from './panel-exchange.js';
import { toPanelOrderStatus } from './panel-order-status.js';
import { PanelStatusEntrySchema } from './panel-wire.js';

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
    if (entry === undefined) report.unknown.push({ orderId, reason: 'missing from the reply', rawObservationId });
    else if (entry === null) report.unknown.push({ orderId, reason: 'null in the reply', rawObservationId });
    else if (typeof entry === 'string') report.unknown.push({ orderId, reason: panel.scrub(entry), rawObservationId });
    else if (errorField(entry) !== undefined) {
      const message = errorField(entry);
      report.unknown.push({
        orderId,
        reason: panel.scrub(typeof message === 'string' ? message : JSON.stringify(message)),
        rawObservationId,
      });
    } else {
      const read = readWire(PanelStatusEntrySchema, entry);
      if (read.ok) report.orders.set(orderId, toPanelOrderStatus(orderId, read.value));
      else report.invalid.push({ orderId, reason: panel.scrub(read.reason), rawObservationId });
    }
  }
}
