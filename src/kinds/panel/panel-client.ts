import type { z } from 'zod';
import {
  InvalidReplyError,
  RequestRejectedError,
  linkRawObservation,
  rawObservationOf,
  type RawObservationId,
  AuthError,
  RateLimitedError,
  UpstreamError,
  type LedgerlineError,
} from '../../errors.js';
import {
  readJson,
  type LandedReply,
  type Clock,
  type HttpClient,
  readWire,
  type JsonReading,
  createLandedExchange,
  type OnRawReply,
  describeValue,
} from '../../http/index.js';
import { PANEL_BATCH_LIMIT, type PanelBatchMode } from './panel-batch-mode.js';
import {
  type PanelOrderStatus,
  readStatusBatchReply,
  readStatusReply,
  refusalOf,
  refusesBatchAction,
  PanelBalanceReplySchema,
  errorField,
} from './panel-wire.js';
import { classifyPanelError } from './panel-error-message.js';

interface PanelClientOptions extends PanelExchangeOptions {
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

/** An order a status reply says nothing usable of, and why. */
export interface PanelOrderProblem {
  orderId: string;
  /** Unknown: "Incorrect order ID", "missing from the reply" …; invalid: which field was wrong and how ("charge: not an amount: "abc" (…)"). */
  reason: string;
  rawObservationId: RawObservationId | undefined;
}

/** What one statusBatch found out; it never throws for a single order. */
export interface PanelStatusBatchReport {
  orders: Map<string, PanelOrderStatus>;
  /** The panel does not know these (per-order {"error"}, a bare string, or the id left out). Never a refund. */
  unknown: PanelOrderProblem[];
  /** The panel answered for these, but not in a form we can read: quarantine them. */
  invalid: PanelOrderProblem[];
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
    return post(mode === 'multiStatus' ? 'multiStatus' : 'status', { orders: orderIds.join(',') }, true);
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
        `the panel refused action=multiStatus (${multi}), action=status with orders (${orders}) and ` +
          `action=status with one order (${error.serviceMessage ?? error.message})`,
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

export interface PanelExchangeOptions {
  sourceId: string;
  /** The API endpoint, e.g. https://panel.example.com/api/v2 */
  url: string;
  apiKey: string;
  http: HttpClient;
  clock: Clock;
  onRawReply?: OnRawReply;
}

/**
 * The API v2 transport and what every action's reply shares: one form POST per action (each reply landed
 * before it is read), the service's own words from an error body, and the error each refusal is. The
 * panel client builds its reads on it; the sandbox kit's order desk its add, cancel and services.
 */
export interface PanelExchange {
  readonly sourceId: string;
  /** `idempotent: false` for a request that may create something (an add): never retried after it may have arrived. */
  post(action: string, fields: Record<string, string>, idempotent: boolean): Promise<LandedReply>;
  /** The service's own words from an error body: {"error": …}, a JSON string, or short plain text; `json` is the body read, when it was. */
  serviceMessage(bodyText: string, json?: JsonReading<unknown>): string | undefined;
  /** A refusal by HTTP status (DESIGN's table: 400, 401, 402, 404, and whatever else a panel sends). */
  failureFor(action: string, reply: LandedReply): LedgerlineError;
  /** An {"error": …} inside a 2xx: an error, not data (DESIGN §4). */
  rejectionFor(reply: LandedReply, message: string): LedgerlineError;
  invalid(action: string, reply: LandedReply, reason: string): LedgerlineError;
  /** A 2xx JSON body of `schema`'s shape, not a top-level {"error"}; throws the right error otherwise. */
  readSchema<S extends z.ZodType>(action: string, reply: LandedReply, schema: S): z.output<S>;
  /** The text without the API key in any of its forms. */
  scrub(text: string): string;
}

export function createPanelExchange(options: PanelExchangeOptions): PanelExchange {
  const { sourceId, url, apiKey } = options;
  const exchange = createLandedExchange(options);

  function post(action: string, fields: Record<string, string>, idempotent: boolean): Promise<LandedReply> {
    const params = { action, ...fields };
    return exchange.send({
      action,
      method: 'POST',
      url,
      params,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ key: apiKey, ...params }).toString(),
      idempotent,
    });
  }

  function serviceMessage(bodyText: string, json: JsonReading<unknown> = readJson(bodyText)): string | undefined {
    let text: string | undefined;
    if (json.ok) {
      if (typeof json.value === 'string') text = json.value;
      else {
        const error = errorField(json.value);
        if (error !== undefined) text = typeof error === 'string' ? error : JSON.stringify(error);
      }
    } else if (bodyText.trim() !== '' && bodyText.length <= 200 && !bodyText.includes('<')) {
      text = bodyText.trim();
    }
    return text === undefined ? undefined : exchange.scrub(text.length > 200 ? `${text.slice(0, 200)}…` : text);
  }

  const failureFor = (action: string, reply: LandedReply): LedgerlineError =>
    refusalByStatus(sourceId, action, reply, serviceMessage(reply.bodyText));
  const rejectionFor = (reply: LandedReply, message: string): LedgerlineError =>
    rejectionInReply(sourceId, reply, message);
  const invalid = (action: string, reply: LandedReply, reason: string): LedgerlineError =>
    linkRawObservation(new InvalidReplyError(sourceId, action, exchange.scrub(reason)), reply.rawObservationId);

  /** A 2xx JSON body that is not a top-level {"error"}; throws the right error otherwise. */
  function readOk(action: string, reply: LandedReply): unknown {
    if (reply.status < 200 || reply.status >= 300) throw failureFor(action, reply);
    const json = readJson(reply.bodyText);
    if (!json.ok) throw invalid(action, reply, json.reason);
    const error = errorField(json.value);
    if (error !== undefined) throw rejectionFor(reply, serviceMessage(reply.bodyText) ?? describeValue(error));
    return json.value;
  }

  function readSchema<S extends z.ZodType>(action: string, reply: LandedReply, schema: S): z.output<S> {
    const result = readWire(schema, readOk(action, reply));
    if (!result.ok) throw invalid(action, reply, result.reason);
    return result.value;
  }

  return {
    sourceId,
    post,
    serviceMessage,
    failureFor,
    rejectionFor,
    invalid,
    readSchema,
    scrub: (text) => exchange.scrub(text),
  };
}

/** A refusal by HTTP status (DESIGN's table: 400, 401, 402, 404, and whatever else a panel sends), in the service's words when it gave some. */
function refusalByStatus(
  sourceId: string,
  action: string,
  reply: LandedReply,
  message: string | undefined,
): LedgerlineError {
  const said = message ? `: ${message}` : '';
  let error: LedgerlineError;
  if (
    reply.status === 401 ||
    (reply.status >= 400 && reply.status < 500 && message && classifyPanelError(message) === 'auth')
  ) {
    error = new AuthError(sourceId, `HTTP ${reply.status}${said}`);
  } else if (reply.status === 400) error = new RequestRejectedError(sourceId, 400, `${action}: request refused${said}`);
  else if (reply.status === 402)
    error = new RequestRejectedError(sourceId, 402, `${action}: insufficient balance${said}`);
  else if (reply.status === 404)
    error = new RequestRejectedError(sourceId, 404, `${action}: unknown order or service${said}`);
  else if (reply.status >= 400 && reply.status < 500)
    error = new RequestRejectedError(sourceId, reply.status, `${action}: refused${said}`);
  else error = new UpstreamError(sourceId, `${action}: unexpected HTTP ${reply.status}${said}`, reply.status);
  return linkRawObservation(error, reply.rawObservationId);
}

/** An {"error": …} inside a 2xx: an error, not data (DESIGN §4). */
function rejectionInReply(sourceId: string, reply: LandedReply, message: string): LedgerlineError {
  const kind = classifyPanelError(message);
  const error =
    kind === 'auth'
      ? new AuthError(sourceId, message)
      : kind === 'rate-limit'
        ? new RateLimitedError(sourceId, undefined, `rate limit exceeded (the panel said: ${message})`)
        : new RequestRejectedError(sourceId, reply.status, message);
  return linkRawObservation(error, reply.rawObservationId);
}
