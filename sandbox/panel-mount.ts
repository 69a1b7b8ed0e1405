import type { IncomingMessage } from 'node:http';
import type { SandboxMount } from './mount.js';
import { parseAddOrder } from './panel-add-order.js';
import { statusClass } from './order-refund.js';
import { balanceReply, statusReplyText } from './panel-flavours.js';
import { orderCharge } from './panel-service.js';
import { jsonText, objectText, orderIdValue, type JsonValue } from './json-text.js';
import type { SandboxRuntime } from './sandbox-runtime.js';
import type { World } from './sandbox-world.js';
import type { OrderState } from './world-model.js';
import { jsonReply, jsonTextReply, serveThroughGate, type Reply, type ServiceDialect } from './simulated-service.js';

export const PANEL_PREFIX = '/panel';
export const PANEL_API_PATH = '/api/v2';
/** The seed's limit for multiStatus (and the status form of a batch). */
export const MAX_ORDERS_PER_BATCH = 100;

const INCORRECT_ORDER_ID = 'Incorrect order ID';
const UNKNOWN_ORDER_OBJECT = jsonText({ error: INCORRECT_ORDER_ID });
const UNKNOWN_ORDER_STRING = jsonText(INCORRECT_ORDER_ID);

/**
 * The SMM panel's "API v2" (seed smm-panel-api-v2.txt): POST {prefix}/api/v2,
 * form-encoded (or GET with the same fields in the query, and with a trailing
 * slash, as PHP panels accept), `key` + `action` = balance | services | add | status |
 * multiStatus | cancel. A batch is accepted both as `multiStatus` and as
 * `status&orders=…` (what the common PHP client sends).
 */
export function createPanelMount(runtime: SandboxRuntime): SandboxMount {
  const dialect: ServiceDialect = {
    service: 'panel',
    error: (status, message) => jsonReply(status, { error: message }),
  };
  return {
    prefix: PANEL_PREFIX,
    async handle(request, response, subPath, body) {
      const form = request.method === 'GET' ? queryOf(request) : await formOf(request, body);
      const action = form?.get('action') ?? '';
      const logged = /^[A-Za-z_]{1,40}$/.test(action) ? action : action === '' ? '(none)' : '(invalid)';
      return serveThroughGate(runtime, dialect, request, response, logged, () =>
        answer(runtime, request, subPath, form),
      );
    },
  };
}

/** PHP scripts read $_REQUEST, so a GET with the fields in its query string is answered like the POST. */
function queryOf(request: IncomingMessage): URLSearchParams {
  return new URL(request.url ?? '/', 'http://sandbox').searchParams;
}

/** The fields of a form-encoded or a multipart/form-data body (PHP reads both into $_POST); undefined for anything else. */
async function formOf(request: IncomingMessage, body: Buffer): Promise<URLSearchParams | undefined> {
  const contentType = request.headers['content-type'] ?? '';
  const type = contentType.toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams(body.toString('utf8'));
  if (!type.startsWith('multipart/form-data')) return undefined;
  let parts: FormData;
  try {
    parts = await new Request('http://sandbox/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData();
  } catch {
    return undefined;
  }
  const form = new URLSearchParams();
  for (const [name, value] of parts) if (typeof value === 'string') form.append(name, value);
  return form;
}

function answer(
  runtime: SandboxRuntime,
  request: IncomingMessage,
  subPath: string,
  form: URLSearchParams | undefined,
): Reply {
  // Real panels serve /api/v2/ as well as /api/v2.
  if (subPath.replace(/\/+$/, '') !== PANEL_API_PATH) return jsonReply(404, { error: 'Not found' });
  if (request.method !== 'POST' && request.method !== 'GET') {
    return jsonReply(
      405,
      { error: 'Use POST with an application/x-www-form-urlencoded body, or GET with the fields in the query' },
      { allow: 'GET, POST' },
    );
  }
  const fail = (status: number, message: string): Reply =>
    jsonReply(runtime.panelBehaviour().errorStyle === 'inside200' ? 200 : status, { error: message });
  if (form === undefined)
    return fail(400, 'Send the request as application/x-www-form-urlencoded or multipart/form-data');
  const key = form.get('key');
  if (!key) return fail(401, 'API key is required');
  if (key !== runtime.keys.panel) return fail(401, 'Invalid API key');
  const action = form.get('action');
  if (!action) return fail(400, 'Missing required parameter: action');

  const today = runtime.today();
  const world = runtime.world;
  switch (action) {
    case 'balance':
      return jsonReply(200, balanceReply(runtime.panelFlavour, world, today));
    case 'services':
      return jsonReply(200, servicesReply(world));
    case 'add':
      return addReply(runtime, form, today, fail);
    case 'status':
      return statusReply(runtime, form, today, fail);
    case 'multiStatus':
      if (runtime.panelBehaviour().batchStatus === 'none')
        return { status: 200, contentType: 'application/json', body: 'null' };
      if (runtime.faults.rejectsMultiStatus()) return fail(400, 'Unsupported action: multiStatus');
      return batchStatus(runtime, form, fail);
    case 'cancel':
      return cancelReply(world, form, today, fail);
    // The seed names refill beside status and cancel; the shapes are the common docs template's
    // ({"refill": ID}, {"status": …}). Refills are free and move no money, so the world keeps none:
    // a refill's id is its order's.
    case 'refill':
      return refillReply(world, form, today, fail);
    case 'refill_status':
      return refillStatusReply(world, form, today, fail);
    default:
      return fail(400, `Unsupported action: ${action.slice(0, 40)}`);
  }
}

type Fail = (status: number, message: string) => Reply;

/** The add action: the order placed when the balance covers its charge. */
function addReply(runtime: SandboxRuntime, form: URLSearchParams, today: string, fail: Fail): Reply {
  const world = runtime.world;
  const parsed = parseAddOrder(form, world.source.panel.services);
  if (!parsed.ok) return fail(parsed.status, parsed.message);
  if (world.balanceOn(today) < orderCharge(parsed.draft.service, parsed.draft.quantity))
    return fail(402, 'Not enough funds on balance');
  const order = world.addOrder(parsed.draft, `${today}T${runtime.clock().toISOString().slice(11, 19)}Z`);
  return jsonReply(200, { order: orderIdValue(order.id) });
}

/** The status action: one order, or several under `orders` where the panel's flavour answers a batch. */
function statusReply(runtime: SandboxRuntime, form: URLSearchParams, today: string, fail: Fail): Reply {
  if (form.has('orders')) {
    if (runtime.panelBehaviour().batchStatus === 'none')
      return jsonReply(200, { error: 'Order not found.', status: '104' });
    return batchStatus(runtime, form, fail);
  }
  const id = form.get('order')?.trim();
  if (!id) return fail(400, 'Missing required parameter: order');
  const order = runtime.world.orderOn(id, today);
  if (order !== undefined) return jsonTextReply(200, orderReply(runtime, order, runtime.world.source.panel.currency));
  return runtime.panelBehaviour().unknownSingleStatus === 'http404'
    ? fail(404, INCORRECT_ORDER_ID)
    : jsonReply(200, { error: INCORRECT_ORDER_ID });
}

// The seed names refill beside status and cancel; the shapes are the common docs template's
// ({"refill": ID}, {"status": …}). Refills are free and move no money, so the world keeps none:
// a refill's id is its order's.
function refillReply(world: World, form: URLSearchParams, today: string, fail: Fail): Reply {
  const id = form.get('order')?.trim();
  if (!id) return fail(400, 'Missing required parameter: order');
  const order = world.orderOn(id, today);
  if (order === undefined) return jsonReply(200, { error: INCORRECT_ORDER_ID });
  if (!refillable(order.status))
    return jsonReply(200, { error: `Order is not eligible for refill: it is ${order.status}` });
  return jsonReply(200, { refill: orderIdValue(id) });
}

function refillStatusReply(world: World, form: URLSearchParams, today: string, fail: Fail): Reply {
  const id = form.get('refill')?.trim();
  if (!id) return fail(400, 'Missing required parameter: refill');
  const order = world.orderOn(id, today);
  if (order === undefined || !refillable(order.status)) return jsonReply(200, { error: 'Refill not found' });
  return jsonReply(200, { status: 'Completed' });
}

/** The services action: the catalogue, each number as text as panels send it. */
function servicesReply(world: World): JsonValue {
  return world.source.panel.services.map((service) => ({
    service: service.id,
    name: service.name,
    type: service.type,
    rate: service.rateText,
    min: String(service.min),
    max: String(service.max),
    category: service.category,
  }));
}

/** The cancel action: each order's outcome, in the order asked. */
function cancelReply(world: World, form: URLSearchParams, today: string, fail: Fail): Reply {
  const ids = orderIds(form.get('orders') ?? form.get('order'));
  if (ids.length === 0) return fail(400, 'Missing required parameter: orders');
  if (ids.length > MAX_ORDERS_PER_BATCH)
    return fail(400, `Too many orders: at most ${MAX_ORDERS_PER_BATCH} IDs per request (got ${ids.length})`);
  return jsonReply(
    200,
    ids.map((id) => {
      const outcome = world.cancelOrder(id, today);
      if (outcome === 'canceled') return { order: orderIdValue(id), cancel: { status: 'success' } };
      if (outcome === 'unknown') return { order: orderIdValue(id), error: INCORRECT_ORDER_ID };
      return {
        order: orderIdValue(id),
        error: `Order cannot be canceled: it is ${world.orderOn(id, today)?.status ?? 'not pending'}`,
      };
    }),
  );
}

function batchStatus(runtime: SandboxRuntime, form: URLSearchParams, fail: Fail): Reply {
  const ids = orderIds(form.get('orders'));
  if (ids.length === 0) return fail(400, 'Missing required parameter: orders');
  if (ids.length > MAX_ORDERS_PER_BATCH)
    return fail(400, `Too many orders: at most ${MAX_ORDERS_PER_BATCH} IDs per request (got ${ids.length})`);
  const today = runtime.today();
  const currency = runtime.world.source.panel.currency;
  const shape = runtime.panelBehaviour().unknownOrderInBatch;
  const members: { key: string; text: string }[] = [];
  for (const id of ids) {
    const order = runtime.world.orderOn(id, today);
    if (order !== undefined) members.push({ key: id, text: orderReply(runtime, order, currency) });
    else if (shape === 'errorObject') members.push({ key: id, text: UNKNOWN_ORDER_OBJECT });
    else if (shape === 'bareString') members.push({ key: id, text: UNKNOWN_ORDER_STRING });
  }
  return jsonTextReply(200, objectText(members));
}

/** An order's status as the flavour writes it, as JSON text; a parent names the child orders placed by today. */
function orderReply(runtime: SandboxRuntime, order: OrderState, currency: string): string {
  const children = order.childOrderIds?.filter((id) => runtime.world.orderOn(id, runtime.today()) !== undefined);
  return statusReplyText(runtime.panelFlavour, order, currency, children);
}

/** Only a delivered order can be refilled: Completed, or Partial for what was delivered. */
function refillable(status: string): boolean {
  const kind = statusClass(status);
  return kind === 'completed' || kind === 'partial';
}

/** Distinct ids of a comma list, in the order given. */
function orderIds(text: string | null): string[] {
  return [
    ...new Set(
      (text ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    ),
  ];
}
