// The accounting API alone: xero-node's index (XeroClient) loads its nine other APIs (payroll, assets, projects, …)
// and openid-client, 0.3 CPU-s of every post's start that ledgerline never calls.
import { AccountingApi } from 'xero-node/dist/gen/api/accountingApi.js';
import { RequestRejectedError } from '../../errors.js';
import { isXeroCustomConnection, XERO_SUBJECT, type XeroDestinationConfig } from './xero-config.js';
import { createHttpClient, attemptResult, decideRetry, retryLoop, createInFlightLimit } from '../../http/index.js';
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
import { readXeroFailure, xeroErrorText, type XeroFailure } from './xero-failure.js';
import { XERO_WAITS, xeroExchange, xeroWording } from './xero-faults.js';
import type { XeroAccount } from './xero-payload.js';
import { requestXeroGrant, XERO_TOKEN_URL } from './xero-token-endpoint.js';

export const XERO_API_URL = 'https://api.xero.com/api.xro/2.0';

/** A call Xero answered with a refusal no wait mends (400, 404 …): handed back for the caller to word. */
type XeroRefused = { kind: 'refused'; status: number; text: string };
type XeroCallResult<T> = { kind: 'ok'; value: T } | XeroRefused;

/** How ledgerline reaches one Xero organisation through xero-node: every call paced, authorised and waited out. */
export interface XeroTransport {
  /** xero-node's accounting API, its base path set; call it only inside `call`. */
  readonly api: AccountingApi;
  call<T>(what: string, write: boolean, invoke: () => Promise<T>): Promise<XeroCallResult<T>>;
  /** A read through `call`: its value, or RequestRejectedError for a refusal. */
  read<T>(what: string, invoke: () => Promise<T>): Promise<T>;
  counts(): DestinationCallCounts;
  /** The tenant's calls left today as Xero's last answer said (X-DayLimit-Remaining); undefined before any answer. */
  dayRemaining(): number | undefined;
  tokens: AccessTokens;
  close(): Promise<void>;
}

/**
 * ledgerline holds the tokens: xero-node's initialize() (whose discovery URL is hard-coded) is never called;
 * tokens come from the token endpoint and go to the SDK with setTokenSet just before each call. Every call passes
 * one pacing point: at most `maxInFlight` at once and `requestsPerMinute`, with the waits `decideRetry` asks for.
 */
export function createXeroTransport(
  options: DestinationClientOptions<XeroDestinationConfig, XeroAccount>,
  limits: DestinationLimits,
  tenantId: string,
): XeroTransport {
  const { config, clock, redact } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const budget = options.waitBudget ?? DEFAULT_WAIT_BUDGET;
  const api = new AccountingApi(config.apiUrl ?? XERO_API_URL);
  const { tokens, close } = xeroTokens(options);
  const pace = destinationPace('Xero', limits.requestsPerMinute, clock, options);
  const inFlight = createInFlightLimit(limits.maxInFlight);
  const meter = xeroCallMeter();

  async function attempt<T>(write: boolean, invoke: () => Promise<T>) {
    return inFlight.run(async () => {
      await pace.acquire();
      // The SDK keeps one token for every call; it is set from the freshest one just before each call builds its request.
      const token = await tokens.current();
      api.accessToken = token;
      meter.count(write);
      try {
        return { ok: true as const, token, value: meter.answered(await withTimeout(invoke(), timeoutMs)) };
      } catch (rejection) {
        return { ok: false as const, token, failure: meter.failed(readXeroFailure(rejection)) };
      }
    });
  }

  async function call<T>(what: string, write: boolean, invoke: () => Promise<T>): Promise<XeroCallResult<T>> {
    const renewal = renewalOn401(tokens, 'Xero', what);
    return retryLoop<XeroCallResult<T>>(
      async (attemptNumber) => {
        const outcome = await attempt(write, invoke);
        if (outcome.ok) return { kind: 'done', value: { kind: 'ok', value: outcome.value } };
        const { failure, token } = outcome;
        const nowMs = clock.now();
        const verdict = decideRetry(
          xeroExchange(failure, redact),
          { attemptNumber, idempotent: !write, nowMs, token: { renewed: false } },
          XERO_WAITS,
        );
        const text = failure.kind === 'reply' ? redact(xeroErrorText(failure.body)) : '';
        if (concernsToken(verdict)) return renewal(token, text);
        const refused = (): XeroCallResult<T> => ({
          kind: 'refused',
          status: failure.kind === 'reply' ? failure.status : 0,
          text,
        });
        return attemptResult(
          verdict,
          refused,
          xeroWording(failure, { what, tenantId, scopes: config.scopes, nowMs, redact }),
        );
      },
      destinationRetryOptions(`Xero ${what}`, { ...options, clock, budget, service: 'Xero' }),
    );
  }

  async function read<T>(what: string, invoke: () => Promise<T>): Promise<T> {
    const result = await call(what, false, invoke);
    if (result.kind === 'refused') throw new RequestRejectedError('Xero', result.status, `${what}: ${result.text}`);
    return result.value;
  }

  return { api, call, read, ...meter.readings, tokens, close };
}

/**
 * The organisation's access tokens from Xero's token endpoint, through their own HTTP client (its connections closed
 * by `close`): a refresh token's grant, or a custom connection's client credentials.
 */
function xeroTokens(options: DestinationClientOptions<XeroDestinationConfig, XeroAccount>): {
  tokens: AccessTokens;
  close: () => Promise<void>;
} {
  const { config, clock } = options;
  const tokenHttp = createHttpClient({
    service: 'Xero',
    timeoutMs: 30_000,
    retry: { maxAttempts: 3, maxTotalMs: 30_000, baseDelayMs: 500, maxDelayMs: 5_000 },
    clock,
    redact: options.redact,
    ...(options.log ? { log: options.log } : {}),
    // A 429's Retry-After or a failure's backoff must not hold a stopped post: the token request is not sent again.
    stop: destinationStop('Xero', options.stopSignal, 'to try its token request again'),
  });
  const tokens = createAccessTokens({
    subject: XERO_SUBJECT,
    customConnection: isXeroCustomConnection(config),
    store: options.tokenStore,
    configRefreshToken: config.refreshToken,
    requestGrant: (refreshToken) =>
      requestXeroGrant(
        tokenHttp,
        { tokenUrl: config.tokenUrl ?? XERO_TOKEN_URL, clientId: config.clientId, clientSecret: config.clientSecret },
        refreshToken,
      ),
    clock,
    onSecrets: options.onSecrets,
  });
  return { tokens, close: () => tokenHttp.close() };
}

/**
 * The calls made (reads, writes) and the tenant's calls left today as Xero's last answer said: X-DayLimit-Remaining
 * of a success ({response, body}) or of a refusal alike; a reply without it leaves the last figure.
 */
function xeroCallMeter() {
  const counts = { reads: 0, writes: 0 };
  let dayRemaining: number | undefined;
  const seen = (header: unknown) => {
    if (typeof header === 'string' && /^\d{1,9}$/.test(header)) dayRemaining = Number(header);
  };
  return {
    count: (write: boolean) => (counts[write ? 'writes' : 'reads'] += 1),
    answered<T>(value: T): T {
      // xero-node answers {response, body}; response is axios's, its headers an AxiosHeaders (not a plain object).
      const response: unknown =
        typeof value === 'object' && value !== null ? Reflect.get(value, 'response') : undefined;
      const headers: unknown =
        typeof response === 'object' && response !== null ? Reflect.get(response, 'headers') : undefined;
      if (typeof headers === 'object' && headers !== null) seen(Reflect.get(headers, 'x-daylimit-remaining'));
      return value;
    },
    failed(failure: XeroFailure): XeroFailure {
      if (failure.kind === 'reply') seen(failure.headers['x-daylimit-remaining']);
      return failure;
    },
    readings: { counts: (): DestinationCallCounts => ({ ...counts }), dayRemaining: () => dayRemaining },
  };
}

/** Rejects after `ms` with what xero-node would say of a timeout, so the caller reads it like any lost answer. */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(JSON.stringify({ response: { statusCode: 0, body: `no answer within ${ms} ms` } })),
      ms,
    );
  });
  // The SDK call keeps running after a timeout; its late failure must not surface as an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
