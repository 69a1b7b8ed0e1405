import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { addDays, isCalendarDate } from '../src/calendar/index.js';
import type { SandboxMount } from './mount.js';
import { HoldRequestSchema, type ReplyHolds } from './reply-holds.js';
import type { SandboxRuntime } from './sandbox-runtime.js';
import { jsonReply, SIMULATED_SERVICES, writeReply, type Reply } from './simulated-service.js';
import { MAX_WORLD_DAYS } from './sandbox-world.js';
import { worldStateView } from './world-state-view.js';

export const ADMIN_PREFIX = '/__admin';

const IsoDate = z.string().refine(isCalendarDate, 'expected a calendar date YYYY-MM-DD');

export const DayRequestSchema = z
  .object({ date: IsoDate.optional(), advance: z.number().int().min(0).max(MAX_WORLD_DAYS).optional() })
  .strict()
  .refine((request) => (request.date === undefined) !== (request.advance === undefined), 'give either date or advance');

const ENDPOINTS = [
  'GET /day',
  'POST /day {"date": "YYYY-MM-DD"} | {"advance": n}',
  'GET /state?date=YYYY-MM-DD',
  'GET /orders.csv?date=YYYY-MM-DD',
  'GET /requests?service=panel|payelancer',
  'DELETE /requests',
  'GET /faults',
  'POST /faults {"service": "panel"|"payelancer", ...}',
  'GET /panel-behaviour',
  'POST /panel-behaviour {"errorStyle"?, "unknownOrderInBatch"?, "unknownSingleStatus"?, "batchStatus"?}',
  'POST /webhooks/flush',
  'POST /holds {"service": "panel"|"payelancer", "action": "balance"|"add"|…, "timeoutMs"?}',
  'GET /holds/held?service=…&action=… (answers once that reply is held, or after 60 s)',
  'POST /holds/release {"service", "action"}',
];

/**
 * How long GET /holds/held waits for a request to arrive and be held: it answers as soon as one is, so this bounds
 * only a request that never comes, and is long enough for a loaded machine to start the processes that send it.
 */
const HELD_WAIT_MS = 60_000;

/**
 * Controls and inspects the sandbox: the day, the world's state (what tests
 * compare a ledger with), an orders file, the request log, faults, the
 * panel's error behaviour, pending webhooks, and replies held in transit. JSON in and out.
 */
export function createAdminMount(runtime: SandboxRuntime): SandboxMount {
  return {
    prefix: ADMIN_PREFIX,
    async handle(request, response, subPath, body) {
      const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
      let reply: Reply;
      try {
        reply = await adminRoute(runtime, request.method ?? 'GET', subPath, query, body);
      } catch (error) {
        // Bad input surfaces as zod, JSON or date-range errors; anything else is a sandbox bug.
        const badInput = error instanceof z.ZodError || error instanceof SyntaxError || error instanceof RangeError;
        reply = jsonReply(badInput ? 400 : 500, { error: describeError(error) });
      }
      writeReply(response, reply);
    },
  };
}

async function adminRoute(
  runtime: SandboxRuntime,
  method: string,
  path: string,
  query: URLSearchParams,
  body: Buffer,
): Promise<Reply> {
  const dateParam = (): string => query.get('date') ?? runtime.today();
  if (path.startsWith('/holds')) return holdsRoute(runtime.holds, `${method} ${path}`, query, body);
  switch (`${method} ${path}`) {
    case 'GET /':
      return jsonReply(200, {
        endpoints: ENDPOINTS.map(
          (endpoint) => `${endpoint.split(' ')[0]} ${ADMIN_PREFIX}${endpoint.slice(endpoint.indexOf(' ') + 1)}`,
        ),
      });
    case 'GET /day':
      return jsonReply(200, {
        date: runtime.today(),
        start: runtime.world.start,
        world: runtime.world.source.description,
      });
    case 'POST /day':
      return moveDay(runtime, body);
    case 'GET /state':
      return jsonReply(200, {
        today: runtime.today(),
        ...worldStateView(runtime.world.stateOn(dateParam()), runtime.world.source.description),
      });
    case 'GET /orders.csv':
      return ordersFile(runtime, dateParam());
    case 'GET /requests':
      return requestLog(runtime, query);
    case 'DELETE /requests':
      return jsonReply(200, { cleared: runtime.log.clear() });
    case 'GET /faults':
      return jsonReply(200, {
        panel: { ...runtime.faults.pending('panel') },
        payelancer: { ...runtime.faults.pending('payelancer') },
      });
    case 'POST /faults': {
      const request = readJson(body);
      const pending = runtime.faults.inject(request);
      return jsonReply(200, { service: (request as { service: string }).service, pending: { ...pending } });
    }
    case 'GET /panel-behaviour':
      return jsonReply(200, { ...runtime.panelBehaviour() });
    case 'POST /panel-behaviour':
      return jsonReply(200, { ...runtime.changePanelBehaviour(readJson(body)) });
    case 'POST /webhooks/flush': {
      if (runtime.webhooks === undefined)
        return jsonReply(200, { configured: false, delivered: 0, failed: 0, pending: 0 });
      return jsonReply(200, { configured: true, ...(await runtime.webhooks.flush()) });
    }
    default:
      return jsonReply(404, {
        error: `no admin endpoint ${method} ${ADMIN_PREFIX}${path}; GET ${ADMIN_PREFIX}/ lists them`,
      });
  }
}

function moveDay(runtime: SandboxRuntime, body: Buffer): Reply {
  const request = DayRequestSchema.parse(readJson(body));
  const target = request.date ?? addDays(runtime.today(), request.advance ?? 0);
  const moved = runtime.setToday(target);
  return jsonReply(200, { date: moved.date, start: runtime.world.start, webhooksQueued: moved.webhooksQueued });
}

/** The orders file a reseller keeps: each order placed through the day, without the children the panel placed. */
function ordersFile(runtime: SandboxRuntime, through: string): Reply {
  const placed = runtime.world.ordersThrough(through);
  // The panel places a subscription's or drip-feed's children; a reseller knows only the parent.
  const children = new Set(placed.flatMap((order) => order.childOrderIds ?? []));
  const rows = placed
    .filter((order) => !children.has(order.id))
    .map((order) => [order.id, order.service.id, String(order.quantity), order.placedAt]);
  return {
    status: 200,
    contentType: 'text/csv; charset=utf-8',
    body: stringify([['order_id', 'service', 'quantity', 'created_at'], ...rows]),
  };
}

function requestLog(runtime: SandboxRuntime, query: URLSearchParams): Reply {
  const service = z
    .enum(SIMULATED_SERVICES)
    .optional()
    .parse(query.get('service') ?? undefined);
  return jsonReply(200, {
    total: runtime.log.total(),
    rateLimited: runtime.limiter.refusedCount(),
    entries: runtime.log.entries(service).map((entry) => ({ ...entry })),
  });
}

/** Arms a hold, waits until it holds a reply, or releases it (reply-holds.ts). */
async function holdsRoute(holds: ReplyHolds, route: string, query: URLSearchParams, body: Buffer): Promise<Reply> {
  switch (route) {
    case 'POST /holds':
      holds.arm(HoldRequestSchema.parse(readJson(body)));
      return jsonReply(200, { armed: true });
    case 'GET /holds/held':
      return jsonReply(200, {
        held: await holds.whenHeld(query.get('service') ?? '', query.get('action') ?? '', HELD_WAIT_MS),
      });
    case 'POST /holds/release': {
      const { service, action } = HoldRequestSchema.omit({ timeoutMs: true }).parse(readJson(body));
      return jsonReply(200, { released: holds.release(service, action) });
    }
    default:
      return jsonReply(404, { error: `no admin endpoint ${route}; GET ${ADMIN_PREFIX}/ lists them` });
  }
}

function readJson(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new SyntaxError('the body is not valid JSON');
  }
}

function describeError(error: unknown): string {
  if (error instanceof z.ZodError)
    return error.issues
      .map((issue) => `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`)
      .join('; ');
  return error instanceof Error ? error.message : String(error);
}
