import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { addDays, isCalendarDate } from '../src/calendar/index.js';
import { UsageError } from '../src/errors.js';
import { listenOn } from '../src/http/index.js';
import { ADMIN_PREFIX, createAdminMount } from './admin-mount.js';
import { BANK_PREFIX, createBankMount } from './bank/bank-mount.js';
import { SANDBOX_BANK_ACCOUNT } from './bank/world-bank.js';
import { createFaultInjector, type FaultRequest, type PendingFaults } from './fault-injector.js';
import type { SandboxMount } from './mount.js';
import { REFUND_MODES } from './order-refund.js';
import { PANEL_FLAVOUR_WIRES, PANEL_FLAVOURS, type PanelFlavourName } from './panel-flavours.js';
import { createPanelMount, PANEL_API_PATH, PANEL_PREFIX } from './panel-mount.js';
import { createPayelancerMount, PAYELANCER_PREFIX } from './payelancer-mount.js';
import { createWitnessMount, WITNESS_PREFIX } from './witness-mount.js';
import { createRateLimiter } from './rate-limiter.js';
import { createRequestLog, type RequestLogEntry } from './request-log.js';
import { SANDBOX_KEYS, type SandboxKeys } from './sandbox-keys.js';
import { ReplyHolds } from './reply-holds.js';
import {
  BATCH_STATUS_SUPPORT,
  createSandboxRuntime,
  PANEL_ERROR_STYLES,
  UNKNOWN_SINGLE_STATUS_REPLIES,
  type PanelBehaviour,
  type SandboxRuntime,
  type WebhookTargets,
} from './sandbox-runtime.js';
import type { World } from './sandbox-world.js';
import { jsonReply, writeReply, type SimulatedService } from './simulated-service.js';
import { createWebhookDispatcher, type WebhookCounts, type WebhookDispatcherOptions } from './webhook-dispatcher.js';
import { generateWorld } from './world-generator.js';
import { UNKNOWN_ORDER_SHAPES, type WorldState } from './world-model.js';
import { scriptedWorld } from './world-script.js';

/** Request bodies above this are refused with 413. */
export const MAX_BODY_BYTES = 1_048_576;
export const DEFAULT_SEED = 1;
export const DEFAULT_START_DATE = '2026-03-01';
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1000;

const IsoDate = z.string().refine(isCalendarDate, 'expected a calendar date YYYY-MM-DD');

const OptionsSchema = z.object({
  seed: z.number().int().optional(),
  startDate: IsoDate.optional(),
  today: IsoDate.optional(),
  port: z.number().int().min(0).max(65535).optional(),
  host: z.literal('127.0.0.1').optional(),
  rateLimitPerMinute: z.number().int().positive().optional(),
  /** Which family of panel scripts to answer as (panel-flavours.ts); its behaviour is the default of `panel`'s. */
  panelFlavour: z.enum(PANEL_FLAVOURS).optional(),
  /**
   * The business also advertises at the ad network, topping its balance up by card: those top-ups are in the bank's
   * lines (world-bank.ts). Off by default: the configuration `init --sandbox-url` writes has no advertiser source.
   */
  advertiserTopUps: z.boolean().optional(),
  panel: z
    .object({
      refundMode: z.enum(REFUND_MODES).optional(),
      errorStyle: z.enum(PANEL_ERROR_STYLES).optional(),
      unknownOrderInBatch: z.enum(UNKNOWN_ORDER_SHAPES).optional(),
      unknownSingleStatus: z.enum(UNKNOWN_SINGLE_STATUS_REPLIES).optional(),
      batchStatus: z.enum(BATCH_STATUS_SUPPORT).optional(),
    })
    .strict()
    .optional(),
  webhooks: z
    .object({
      panelUrl: z.url({ protocol: /^https?$/ }).optional(),
      payelancerUrl: z.url({ protocol: /^https?$/ }).optional(),
      secret: z.string().min(1).optional(),
      maxAttempts: z.number().int().min(1).max(10).optional(),
      retryDelaysMs: z.array(z.number().int().min(0).max(60_000)).min(1).optional(),
      timeoutMs: z.number().int().min(1).max(60_000).optional(),
      autoDeliver: z.boolean().optional(),
    })
    .strict()
    .optional(),
  requestLogCapacity: z.number().int().positive().optional(),
  /** Every reply of the panel and the ad network waits this long first, as a distant server's would (benches of many sources). */
  replyLatencyMs: z.number().int().min(0).max(60_000).optional(),
  /** A generated world with nothing new from this day on (world-generator.ts). */
  silentFrom: IsoDate.optional(),
  /** The generated world's panel currency (`sandbox --region uk` → GBP, the organisation's base currency). */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
});

export interface SandboxOptions extends z.input<typeof OptionsSchema> {
  /** A world script (see world-script.ts); when given, `seed` and `startDate` must not be. */
  script?: unknown;
  /** Other services on the same port (the QuickBooks/Xero fakes), by prefix. */
  extraMounts?: readonly SandboxMount[];
  /** Wall clock for the rate-limit windows, the request log and order times (default: the real clock). */
  clock?: () => Date;
  /** Another sandbox's day, taken up before each request: a fleet's members keep the day of its lead. */
  followDay?: () => string;
  /** Told each day the sandbox moves to (by the admin's POST /day, setToday or advanceDays). */
  onDayMoved?: (date: string) => void;
}

export interface RunningSandbox {
  readonly baseUrl: string;
  /** …/panel/api/v2 */
  readonly panelUrl: string;
  /** …/payelancer; the API is under …/payelancer/backend/api/v1 */
  readonly payelancerBaseUrl: string;
  /** …/__admin */
  readonly adminUrl: string;
  /** …/bank/statement: the world's bank statement (?from=&to=&format=camt053|ofx|ofx1|csv). */
  readonly bankStatementUrl: string;
  /** …/witness: append-only witness logs, one per ledger name (`witness.url: …/witness/NAME`). */
  readonly witnessUrl: string;
  readonly keys: SandboxKeys;
  readonly world: World;
  /** The family of panel scripts the panel answers as. */
  readonly panelFlavour: PanelFlavourName;
  today(): string;
  /** Moves the sandbox day (forward queues that period's webhooks). */
  setToday(date: string): void;
  advanceDays(days: number): string;
  /** The world on `date` (default: today). */
  stateOn(date?: string): WorldState;
  requestLog(service?: SimulatedService): readonly RequestLogEntry[];
  clearRequestLog(): number;
  injectFaults(request: FaultRequest): PendingFaults;
  changePanelBehaviour(change: Partial<PanelBehaviour>): PanelBehaviour;
  flushWebhooks(): Promise<WebhookCounts>;
  close(): Promise<void>;
}

/**
 * Starts `ledgerline sandbox`: the SMM panel, the ad network and the admin
 * endpoints (plus any extra mounts) on one 127.0.0.1 port, over a world
 * generated from a seed or written as a script.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const settings = checkedSettings(options);
  const { world, today } = sandboxWorld(options, settings);
  const webhookSettings = settings.webhooks;
  const dispatcher =
    webhookSettings === undefined ? undefined : createWebhookDispatcher(dispatcherOptions(webhookSettings));
  const flavour = PANEL_FLAVOUR_WIRES[settings.panelFlavour ?? 'seed'];
  const runtime = createSandboxRuntime({
    world,
    keys: SANDBOX_KEYS,
    today,
    panelFlavour: flavour,
    panelBehaviour: panelBehaviourOf(settings, flavour, world),
    advertiserTopUps: settings.advertiserTopUps,
    limiter: createRateLimiter(settings.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE),
    faults: createFaultInjector(),
    log: createRequestLog(settings.requestLogCapacity),
    clock: options.clock ?? (() => new Date()),
    holds: new ReplyHolds(),
    onDayMoved: options.onDayMoved,
    ...(dispatcher === undefined || webhookSettings === undefined
      ? {}
      : { webhooks: { dispatcher, targets: webhookTargets(webhookSettings) } }),
  });

  const mounts = sandboxMounts(runtime, options.extraMounts);
  const server = createServer((request, response) => {
    followTheDay(runtime, options.followDay);
    void dispatch(mounts, request, response, settings.replyLatencyMs ?? 0);
  });
  await listenOn(server, settings.port ?? 0, settings.host ?? '127.0.0.1', 'sandbox');
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    panelUrl: `${baseUrl}${PANEL_PREFIX}${PANEL_API_PATH}`,
    payelancerBaseUrl: `${baseUrl}${PAYELANCER_PREFIX}`,
    adminUrl: `${baseUrl}/__admin`,
    bankStatementUrl: `${baseUrl}${BANK_PREFIX}/statement`,
    witnessUrl: `${baseUrl}${WITNESS_PREFIX}`,
    keys: SANDBOX_KEYS,
    world,
    panelFlavour: flavour.name,
    today: runtime.today,
    setToday: (date) => {
      runtime.setToday(date);
    },
    advanceDays(days) {
      return runtime.setToday(addDays(runtime.today(), days)).date;
    },
    stateOn: (date) => world.stateOn(date ?? runtime.today()),
    requestLog: (service) => runtime.log.entries(service),
    clearRequestLog: () => runtime.log.clear(),
    injectFaults: (request) => runtime.faults.inject(request),
    changePanelBehaviour: (change) => runtime.changePanelBehaviour(change),
    flushWebhooks: async () =>
      dispatcher === undefined ? { delivered: 0, failed: 0, pending: 0 } : dispatcher.flush(),
    async close() {
      await dispatcher?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The options read by their schema; a world script with a seed, a start date or a refund mode of its own is refused. */
function checkedSettings(options: SandboxOptions) {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new UsageError(
      `sandbox options: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  const settings = parsed.data;
  if (
    options.script !== undefined &&
    (settings.seed !== undefined || settings.startDate !== undefined || settings.panel?.refundMode !== undefined)
  ) {
    throw new UsageError(
      'sandbox options: a world script sets its own start date and refund mode; do not combine it with seed, startDate or panel.refundMode',
    );
  }
  return settings;
}

/** The services one sandbox serves on its port: the simulators, the admin, the bank, the witness, and any extra. */
function sandboxMounts(runtime: SandboxRuntime, extra: readonly SandboxMount[] = []): SandboxMount[] {
  return [
    createPanelMount(runtime),
    createPayelancerMount(runtime),
    createAdminMount(runtime),
    createBankMount(runtime),
    createWitnessMount(),
    ...extra,
  ];
}

/** A fleet member takes up its lead's day when the lead has moved on (a day only moves forward). */
function followTheDay(runtime: { today(): string; setToday(date: string): unknown }, followDay?: () => string): void {
  const day = followDay?.();
  if (day !== undefined && day > runtime.today()) runtime.setToday(day);
}

type SandboxSettings = z.output<typeof OptionsSchema>;
type WebhookSettings = NonNullable<SandboxSettings['webhooks']>;

/** The world the options ask for (a script's, or one generated from a seed) and its first day open, refused when the world cannot reach it. */
function sandboxWorld(options: SandboxOptions, settings: SandboxSettings): { world: World; today: string } {
  const world =
    options.script !== undefined
      ? scriptedWorld(options.script)
      : generateWorld(settings.seed ?? DEFAULT_SEED, settings.startDate ?? DEFAULT_START_DATE, {
          ...(settings.panel?.refundMode === undefined ? {} : { refundMode: settings.panel.refundMode }),
          ...(settings.silentFrom === undefined ? {} : { silentFrom: settings.silentFrom }),
          ...(settings.currency === undefined ? {} : { currency: settings.currency }),
        });
  const today = settings.today ?? world.start;
  try {
    world.balanceOn(today);
  } catch (error) {
    throw new UsageError(`sandbox options: today: ${(error as Error).message}`);
  }
  return { world, today };
}

/** The dispatcher's options: only those the settings give, so its own defaults hold for the rest. */
function dispatcherOptions(webhookSettings: WebhookSettings): WebhookDispatcherOptions {
  return {
    ...(webhookSettings.secret === undefined ? {} : { secret: webhookSettings.secret }),
    ...(webhookSettings.maxAttempts === undefined ? {} : { maxAttempts: webhookSettings.maxAttempts }),
    ...(webhookSettings.retryDelaysMs === undefined ? {} : { retryDelaysMs: webhookSettings.retryDelaysMs }),
    ...(webhookSettings.timeoutMs === undefined ? {} : { timeoutMs: webhookSettings.timeoutMs }),
    ...(webhookSettings.autoDeliver === undefined ? {} : { autoDeliver: webhookSettings.autoDeliver }),
  };
}

function webhookTargets(webhookSettings: WebhookSettings): WebhookTargets {
  return {
    ...(webhookSettings.panelUrl === undefined ? {} : { panelUrl: webhookSettings.panelUrl }),
    ...(webhookSettings.payelancerUrl === undefined ? {} : { payelancerUrl: webhookSettings.payelancerUrl }),
  };
}

/** The panel's behaviour: each setting given, else the flavour's. */
function panelBehaviourOf(
  settings: SandboxSettings,
  flavour: (typeof PANEL_FLAVOUR_WIRES)[PanelFlavourName],
  world: World,
): PanelBehaviour {
  return {
    errorStyle: settings.panel?.errorStyle ?? flavour.behaviour.errorStyle,
    // Without a flavour named, a generated world keeps the shape it drew.
    unknownOrderInBatch:
      settings.panel?.unknownOrderInBatch ??
      (settings.panelFlavour === undefined
        ? world.source.panel.unknownOrderInBatch
        : flavour.behaviour.unknownOrderInBatch),
    unknownSingleStatus: settings.panel?.unknownSingleStatus ?? flavour.behaviour.unknownSingleStatus,
    batchStatus: settings.panel?.batchStatus ?? flavour.behaviour.batchStatus,
  };
}

/** Finds the mount whose prefix matches (the longest wins), reads the body up to the cap, and hands the request over. */
async function dispatch(
  mounts: readonly SandboxMount[],
  request: IncomingMessage,
  response: ServerResponse,
  latencyMs: number,
): Promise<void> {
  try {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const mount = mounts
      .filter((candidate) => path === candidate.prefix || path.startsWith(`${candidate.prefix}/`))
      .sort((a, b) => b.prefix.length - a.prefix.length)[0];
    if (mount === undefined) {
      request.resume();
      writeReply(response, jsonReply(404, { error: `Not found: ${path.slice(0, 200)}` }));
      return;
    }
    const body = await readBody(request);
    if (body === undefined) {
      writeReply(response, {
        ...jsonReply(413, { error: `Request body too large (limit ${MAX_BODY_BYTES} bytes)` }),
        headers: { connection: 'close' },
      });
      return;
    }
    if (latencyMs > 0 && mount.prefix !== ADMIN_PREFIX) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    await mount.handle(request, response, path.slice(mount.prefix.length) || '/', body);
  } catch (error) {
    if (!response.headersSent)
      writeReply(response, jsonReply(500, { error: `sandbox error: ${(error as Error).message}` }));
    else response.destroy();
  }
}

/** The body, or undefined once it passes the cap (the rest is drained unread so the client still gets the 413). */
function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        // Past eight times the cap the client is not going to stop: hang up.
        if (size > 8 * MAX_BODY_BYTES) request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The text `ledgerline sandbox` prints at startup: where each API is and which keys it accepts. */
export function sandboxBanner(sandbox: RunningSandbox): string {
  return [
    `ledgerline sandbox listening on ${sandbox.baseUrl} (${sandbox.world.source.description}, first day ${sandbox.world.start}, today ${sandbox.today()})`,
    '',
    `  SMM panel API v2   POST ${sandbox.panelUrl}  (answers as ${sandbox.panelFlavour})`,
    `                     key: ${sandbox.keys.panel}`,
    `  Payelancer API     ${sandbox.payelancerBaseUrl}/backend/api/v1/{stats,campaigns,ad-formats}.php`,
    `                     X-API-KEY: ${sandbox.keys.publisher} (publisher), ${sandbox.keys.advertiser} (advertiser)`,
    `  Admin              ${sandbox.adminUrl}/  (day, state, orders.csv, requests, faults, panel-behaviour, webhooks/flush)`,
    `  Bank statement     GET ${sandbox.bankStatementUrl}?from=YYYY-MM-DD&to=YYYY-MM-DD&format=camt053|ofx|ofx1|csv`,
    `                     account ${SANDBOX_BANK_ACCOUNT} (to: at most the sandbox's day; default this month so far)`,
    `  Witness            ${sandbox.witnessUrl}/NAME  (witness.url of a ledger: POST appends a head, GET reads them)`,
    '',
    'These keys only open this sandbox. Advance the day with:',
    `  curl -X POST ${sandbox.adminUrl}/day -H 'content-type: application/json' -d '{"advance": 1}'`,
    '',
  ].join('\n');
}
