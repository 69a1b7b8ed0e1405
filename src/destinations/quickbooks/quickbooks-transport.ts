import { QUICKBOOKS_SUBJECT, type QuickBooksDestinationConfig } from './quickbooks-config.js';
import {
  type Clock,
  createHttpClient,
  type HttpClient,
  type HttpReply,
  attemptResult,
  decideRetry,
  type Exchange,
  retryLoop,
  createCallWindow,
  createInFlightLimit,
} from '../../http/index.js';
import { createAccessTokens, type AccessTokens } from '../access-tokens.js';
import type { DestinationCallCounts, DestinationLimits } from '../destination-client.js';
import { DEFAULT_CALL_TIMEOUT_MS, type DestinationClientOptions } from '../destination-client-options.js';
import {
  concernsToken,
  DEFAULT_WAIT_BUDGET,
  destinationRetryOptions,
  destinationPace,
  destinationStop,
  renewalOn401,
} from '../destination-retry.js';
import { QUICKBOOKS_WAITS, quickbooksWording } from './quickbooks-faults.js';
import type { QuickbooksAccount } from './quickbooks-payload.js';
import { createQuickbooksTokenRequester } from './quickbooks-token-endpoint.js';

/** Intuit also throttles a company and app at 10 calls a second. */
const QUICKBOOKS_CALLS_PER_SECOND = 10;

export interface QuickbooksRequest {
  method: 'GET' | 'POST';
  url: string;
  /** JSON text, or an upload's multipart bytes with their `contentType`. */
  body?: string | Uint8Array;
  /** application/json unless given. */
  contentType?: string;
}

/** How ledgerline reaches one QuickBooks company: every call paced, waited out and authorised; answers other than 401/403 come back as they are. */
export interface QuickbooksTransport {
  call(what: string, request: QuickbooksRequest): Promise<HttpReply>;
  counts(): DestinationCallCounts;
  tokens: AccessTokens;
  close(): Promise<void>;
}

/**
 * The calls of one client: Intuit's windows (calls a minute, batch calls a minute, calls a second), the in-flight
 * limit, the bearer token, and the waits `decideRetry` asks for. One attempt per HTTP request: the waits
 * (429, transient failures) are QuickBooks' own, where Intuit's 60 s rule lives.
 */
export function createQuickbooksTransport(
  options: DestinationClientOptions<QuickBooksDestinationConfig, QuickbooksAccount>,
  limits: DestinationLimits,
  realmId: string,
): QuickbooksTransport {
  const { clock, redact } = options;
  const http = createHttpClient({
    service: 'QuickBooks',
    timeoutMs: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    retry: { maxAttempts: 1, maxTotalMs: 0, baseDelayMs: 0, maxDelayMs: 0 },
    clock,
    redact,
  });
  const tokens = quickbooksTokens(options, clock);
  const budget = options.waitBudget ?? DEFAULT_WAIT_BUDGET;
  const windows = quickbooksWindows(options, limits);

  async function call(what: string, request: QuickbooksRequest): Promise<HttpReply> {
    const renewal = renewalOn401(tokens, 'QuickBooks', what);
    const wording = quickbooksWording(what, realmId);
    return retryLoop<HttpReply>(
      async (attemptNumber) => {
        const token = await tokens.current();
        const exchange = await windows.pass(request.method === 'POST', () => attempt(http, token, what, request));
        const verdict = decideRetry(
          exchange,
          { attemptNumber, idempotent: request.method === 'GET', nowMs: clock.now(), token: { renewed: false } },
          QUICKBOOKS_WAITS,
        );
        if (concernsToken(verdict)) return renewal(token, 'HTTP 401');
        return attemptResult(verdict, () => exchange.reply!, wording);
      },
      destinationRetryOptions(`QuickBooks ${what}`, { ...options, clock, budget, service: 'QuickBooks' }),
    );
  }

  return { call, counts: windows.counts, tokens, close: () => http.close() };
}

/**
 * The windows every request waits for, Intuit's limits per company: the calls a minute, the writes a minute, the
 * calls a second and the calls at once; and the reads and writes that went through them.
 */
function quickbooksWindows(
  options: DestinationClientOptions<QuickBooksDestinationConfig, QuickbooksAccount>,
  limits: DestinationLimits,
) {
  const { clock } = options;
  const pace = destinationPace('QuickBooks', limits.requestsPerMinute, clock, options);
  const perSecond = quickbooksPerSecond(clock, options.stopSignal);
  const writes = limits.writesPerMinute ?? limits.requestsPerMinute;
  const writePace = destinationPace('QuickBooks', writes, clock, { ...options, what: 'writes' });
  const inFlight = createInFlightLimit(limits.maxInFlight);
  const counts = { reads: 0, writes: 0 };
  return {
    /** `send` run once a read (or a write) may go, and counted. */
    pass<T>(write: boolean, send: () => Promise<T>): Promise<T> {
      return inFlight.run(async () => {
        await pace.acquire();
        if (write) await writePace.acquire();
        await perSecond.acquire();
        counts[write ? 'writes' : 'reads'] += 1;
        return send();
      });
    },
    counts: () => ({ ...counts }),
  };
}

/** One HTTP request; a failure the HTTP layer threw comes back as what it is, for the retry decision. */
async function attempt(
  http: HttpClient,
  token: string,
  what: string,
  request: QuickbooksRequest,
): Promise<Exchange & { reply?: HttpReply }> {
  const headers = {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
    ...(request.body === undefined ? {} : { 'content-type': request.contentType ?? 'application/json' }),
  };
  try {
    const reply = await http.request({
      method: request.method,
      url: request.url,
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      what,
    });
    return { kind: 'reply' as const, status: reply.status, headers: reply.headers, reply };
  } catch (error) {
    return { kind: 'failed' as const, error };
  }
}

/** Intuit's calls a second: a wait of under a second, yet a stop still ends it, as it ends the minute's. */
function quickbooksPerSecond(clock: Clock, stopSignal: AbortSignal | undefined): ReturnType<typeof createCallWindow> {
  return createCallWindow(
    { calls: QUICKBOOKS_CALLS_PER_SECOND, windowMs: 1_000 },
    clock,
    undefined,
    destinationStop('QuickBooks', stopSignal, 'for its calls a second'),
  );
}

function quickbooksTokens(
  options: DestinationClientOptions<QuickBooksDestinationConfig, QuickbooksAccount>,
  clock: Clock,
): AccessTokens {
  const { config } = options;
  return createAccessTokens({
    subject: QUICKBOOKS_SUBJECT,
    customConnection: false,
    store: options.tokenStore,
    configRefreshToken: config.refreshToken,
    requestGrant: createQuickbooksTokenRequester(
      config,
      // A failure's backoff must not hold a stopped post: the token request is not sent again.
      {
        clock,
        log: options.log && ((line) => options.log?.(options.redact(line))),
        stop: destinationStop('QuickBooks', options.stopSignal, 'to try its token request again'),
      },
    ),
    clock,
    onSecrets: options.onSecrets,
  });
}
