import { afterEach, describe, expect, it } from 'vitest';
import { OutcomeUnknownError, RateLimitedError, UpstreamError } from '../../src/errors.js';
import { createHttpClient, type HttpClientOptions, type HttpReply } from '../../src/http/http-client.js';
import { createRateLimiter } from '../../src/http/throttle.js';
import { createFakeClock, type FakeClock } from './fake-clock.js';
import { closedPortUrl, reply, startLocalServer, type Handler, type LocalServer } from './local-server.js';

const SECRET = 'sk_live_9f8e7d6c5b4a';
const redact = (text: string) => text.split(SECRET).join('[redacted]');

let server: LocalServer | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await server?.close();
  server = undefined;
});

async function setup(handler: Handler, overrides: Partial<HttpClientOptions> = {}) {
  server = await startLocalServer(handler);
  const clock: FakeClock = createFakeClock();
  const logs: string[] = [];
  const http = createHttpClient({
    service: 'smm-panel',
    timeoutMs: 2_000,
    retry: { maxAttempts: 4, maxTotalMs: 60_000, baseDelayMs: 500, maxDelayMs: 8_000 },
    clock,
    random: () => 1,
    redact,
    log: (line) => logs.push(line),
    ...overrides,
  });
  closers.push(() => http.close());
  return { http, clock, logs, url: server.url };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('retries', () => {
  it('waits as long as Retry-After says (in seconds) before retrying a 429', async () => {
    const { http, clock } = await setup((_, res, i) =>
      i === 0 ? reply(res, 429, '{"error":"slow down"}', { 'retry-after': '3' }) : reply(res, 200, '{"ok":true}'),
    );
    const answer = await http.request({ method: 'GET', url: `${server!.url}/x` });
    expect(answer).toMatchObject({ status: 200, bodyText: '{"ok":true}' });
    expect(clock.sleeps).toEqual([3_000]);
    expect(http.counters()).toEqual({
      requests: 2,
      retries: 1,
      rateLimited: 1,
      serverErrors: 0,
      networkErrors: 0,
      backoffMs: 3_000,
    });
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const { http, clock } = await setup((_, res, i) =>
      i === 0
        ? reply(res, 429, '', { 'retry-after': new Date(clock.now() + 12_000).toUTCString() })
        : reply(res, 200, 'fine'),
    );
    await http.request({ method: 'GET', url: `${server!.url}/x` });
    expect(clock.sleeps).toEqual([12_000]);
  });

  it('never sleeps less than Retry-After even when the backoff would be shorter, nor less than the backoff', async () => {
    const { http, clock } = await setup((_, res, i) =>
      i < 3 ? reply(res, 503, '', { 'retry-after': '1' }) : reply(res, 200, 'fine'),
    );
    await http.request({ method: 'GET', url: `${server!.url}/x` });
    // backoff ceilings 500, 1000, 2000 ms against a 1000 ms floor
    expect(clock.sleeps).toEqual([1_000, 1_000, 2_000]);
  });

  it('retries a 502 with exponential backoff and returns the success', async () => {
    const { http, clock, logs } = await setup((_, res, i) =>
      i < 2 ? reply(res, 502, '<html>bad gateway</html>') : reply(res, 200, '{"balance":"1.00"}'),
    );
    const answer = await http.request({
      method: 'POST',
      url: `${server!.url}/api/v2`,
      body: 'action=balance',
      idempotent: true,
      what: 'balance',
    });
    expect(answer.bodyText).toBe('{"balance":"1.00"}');
    expect(clock.sleeps).toEqual([500, 1_000]);
    expect(logs).toEqual([
      'smm-panel: balance: HTTP 502 on attempt 1; retrying in 500 ms',
      'smm-panel: balance: HTTP 502 on attempt 2; retrying in 1000 ms',
    ]);
  });

  it('draws the backoff with full jitter between 0 and the ceiling', async () => {
    const draws = [0.5, 0.25, 0];
    const { http, clock } = await setup((_, res, i) => (i < 3 ? reply(res, 500, '') : reply(res, 200, '')), {
      random: () => draws.shift()!,
    });
    await http.request({ method: 'GET', url: `${server!.url}/x` });
    expect(clock.sleeps).toEqual([250, 250, 0]);
  });

  it('gives up on 5xx after the attempt bound with an UpstreamError naming the service and the status', async () => {
    const { http, clock } = await setup((_, res) => reply(res, 502, 'bad gateway'));
    const error = await caught(http.request({ method: 'GET', url: `${server!.url}/x`, what: 'multiStatus' }));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({
      service: 'smm-panel',
      status: 502,
      transient: true,
      exitCode: 3,
      message: 'smm-panel: multiStatus: HTTP 502 after 4 attempts',
    });
    expect(server!.received).toHaveLength(4);
    expect(clock.sleeps).toEqual([500, 1_000, 2_000]);
  });

  it('gives up on repeated 429 with a RateLimitedError that carries the last Retry-After', async () => {
    const { http } = await setup((_, res) => reply(res, 429, '', { 'retry-after': '2' }));
    const error = await caught(http.request({ method: 'GET', url: `${server!.url}/x`, what: 'stats' }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({
      service: 'smm-panel',
      retryAfterMs: 2_000,
      message: 'smm-panel: stats: rate limited (HTTP 429) after 4 attempts; retry after 2 s',
    });
  });

  it('stops as soon as the next wait would pass the total time bound', async () => {
    const { http, clock } = await setup((_, res) => reply(res, 429, '', { 'retry-after': '120' }), {
      retry: { maxAttempts: 10, maxTotalMs: 60_000, baseDelayMs: 500, maxDelayMs: 8_000 },
    });
    const error = await caught(http.request({ method: 'GET', url: `${server!.url}/x`, what: 'stats' }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(120_000);
    expect(clock.sleeps).toEqual([]);
    expect(server!.received).toHaveLength(1);
  });

  it('returns 4xx answers other than 429 to the caller without retrying', async () => {
    const { http } = await setup((_, res) => reply(res, 401, '{"error":"Invalid API key"}'));
    const answer = await http.request({ method: 'GET', url: `${server!.url}/x` });
    expect(answer).toEqual({
      status: 401,
      headers: expect.objectContaining({ 'content-type': 'application/json' }),
      bodyText: '{"error":"Invalid API key"}',
    });
    expect(server!.received).toHaveLength(1);
  });

  it('shows every answer to onReply, the retried ones included, before returning', async () => {
    const { http } = await setup((_, res, i) => (i === 0 ? reply(res, 502, 'oops') : reply(res, 200, 'fine')));
    const seen: HttpReply[] = [];
    await http.request({ method: 'GET', url: `${server!.url}/x`, onReply: (answer) => void seen.push(answer) });
    expect(seen.map((answer) => [answer.status, answer.bodyText])).toEqual([
      [502, 'oops'],
      [200, 'fine'],
    ]);
  });
});

describe('network failures', () => {
  it('retries an idempotent request after the connection dropped', async () => {
    const { http, clock } = await setup((_, res, i) => (i === 0 ? res.socket?.destroy() : reply(res, 200, 'fine')));
    const answer = await http.request({ method: 'GET', url: `${server!.url}/x` });
    expect(answer.bodyText).toBe('fine');
    expect(clock.sleeps).toEqual([500]);
    expect(http.counters().networkErrors).toBe(1);
  });

  it('does not resend a non-idempotent request after the connection dropped: the outcome is unknown', async () => {
    const { http } = await setup((_, res) => res.socket?.destroy());
    const error = await caught(
      http.request({ method: 'POST', url: `${server!.url}/api/v2`, body: `key=${SECRET}&action=add`, what: 'add' }),
    );
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error).toMatchObject({ service: 'smm-panel', what: 'add', exitCode: 3, transient: true });
    expect((error as Error).message).toMatch(
      /^smm-panel: the outcome of add is unknown \(connection closed before the answer, UND_ERR_SOCKET\)/,
    );
    expect(server!.received).toHaveLength(1);
  });

  it('does not resend a non-idempotent POST answered 502: the server or a proxy had it, so the outcome is unknown', async () => {
    const { http, clock } = await setup((_, res) => reply(res, 502, '<html>Bad Gateway</html>'));
    const error = await caught(
      http.request({ method: 'POST', url: `${server!.url}/api/v2`, body: 'action=add', what: 'add' }),
    );
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as Error).message).toMatch(/^smm-panel: the outcome of add is unknown \(HTTP 502\)/);
    expect(server!.received).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('still retries a POST marked idempotent (a read sent as POST) on 502, and any request on 429', async () => {
    const { http } = await setup((_, res, i) =>
      i === 0 ? reply(res, 502, '') : i === 1 ? reply(res, 429, '') : reply(res, 200, '{"balance":"1"}'),
    );
    const answer = await http.request({
      method: 'POST',
      url: `${server!.url}/api/v2`,
      body: 'action=balance',
      idempotent: true,
    });
    expect(answer.status).toBe(200);
    expect(server!.received).toHaveLength(3);
  });

  it('does not resend a non-idempotent request that timed out waiting for the answer', async () => {
    const { http } = await setup(() => undefined, { timeoutMs: 40 });
    const error = await caught(
      http.request({ method: 'POST', url: `${server!.url}/campaigns`, body: '{}', what: 'createCampaign' }),
    );
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as Error).message).toContain('timed out waiting for the answer');
    expect(server!.received).toHaveLength(1);
  });

  it('retries an idempotent request that timed out', async () => {
    // The second try's answer comes at once: a timeout it can meet on a loaded machine (the first try waits it out).
    const { http } = await setup((_, res, i) => (i === 0 ? undefined : reply(res, 200, 'late but fine')), {
      timeoutMs: 1_000,
    });
    const answer = await http.request({
      method: 'POST',
      url: `${server!.url}/api/v2`,
      body: 'action=status',
      idempotent: true,
    });
    expect(answer.bodyText).toBe('late but fine');
    expect(server!.received).toHaveLength(2);
  });

  it('retries even a write when the connection was refused (it never left), then gives up with an UpstreamError', async () => {
    const { http, clock } = await setup(() => undefined);
    const url = await closedPortUrl();
    const error = await caught(http.request({ method: 'POST', url: `${url}/api/v2`, body: 'action=add', what: 'add' }));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({
      service: 'smm-panel',
      status: undefined,
      message: 'smm-panel: add: connection refused (ECONNREFUSED) after 4 attempts',
    });
    expect(clock.sleeps).toEqual([500, 1_000, 2_000]);
  });
});

describe('secrets', () => {
  it('never lets the key into error messages or log lines', async () => {
    const { http, logs } = await setup((_, res) => reply(res, 502, `upstream said: bad key ${SECRET}`));
    const error = await caught(
      http.request({ method: 'GET', url: `${server!.url}/x?key=${SECRET}`, what: `status key=${SECRET}` }),
    );
    expect(error).toBeInstanceOf(UpstreamError);
    const everything = [(error as Error).message, JSON.stringify(error), ...logs].join('\n');
    expect(everything).not.toContain(SECRET);
    expect((error as Error).message).toBe('smm-panel: status key=[redacted]: HTTP 502 after 4 attempts');
  });

  it('redacts the outcome-unknown error too', async () => {
    const { http } = await setup((_, res) => res.socket?.destroy());
    const error = await caught(http.request({ method: 'POST', url: `${server!.url}/x`, what: `add ${SECRET}` }));
    expect((error as Error).message).not.toContain(SECRET);
    expect((error as OutcomeUnknownError).what).toBe('add [redacted]');
  });
});

describe('rate limiting', () => {
  it('spaces requests by the token bucket on the injected clock', async () => {
    const clock = createFakeClock();
    const { http } = await setup((_, res) => reply(res, 200, 'fine'), {
      clock,
      rateLimiter: createRateLimiter({ requestsPerMinute: 11, burst: 1 }, clock),
    });
    for (let i = 0; i < 3; i += 1) await http.request({ method: 'GET', url: `${server!.url}/x` });
    // 1 in the bucket, then (11 − 1) per minute: one every 6 s
    expect(clock.sleeps).toEqual([6_000, 6_000]);
  });
});
