import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, InvalidReplyError, RateLimitedError, rawObservationOf } from '../../../src/errors.js';
import type { HttpClient } from '../../../src/http/http-client.js';
import { createPayelancerClient } from '../../../src/kinds/payelancer/payelancer-client.js';
import { reply, startLocalServer, type LocalServer } from '../../http/local-server.js';
import { caught, createRawLog, createTestHttp } from '../../sources/source-harness.js';

const KEY = 'pk_live_3c2b1a0f9e8d';

let server: LocalServer | undefined;
let http: HttpClient | undefined;
afterEach(async () => {
  await http?.close();
  await server?.close();
  server = undefined;
  http = undefined;
});

async function setup(answer: (res: ServerResponse, index: number) => void) {
  server = await startLocalServer((_, res, index) => answer(res, index));
  const test = createTestHttp('ads-publisher');
  http = test.http;
  const raw = createRawLog();
  const client = createPayelancerClient({
    sourceId: 'ads-publisher',
    baseUrl: `${server.url}/`,
    apiKey: KEY,
    http,
    clock: test.clock,
    onRawReply: raw.onRawReply,
  });
  return { client, raw, clock: test.clock };
}

const body = (res: ServerResponse, text: string, status = 200, headers: Record<string, string> = {}) =>
  reply(res, status, text, headers);

describe('stats', () => {
  it('reads a publisher snapshot with the key in X-API-KEY and earnings in micro-units', async () => {
    const { client, raw, clock } = await setup((res) =>
      body(
        res,
        '{"success": true, "role": "publisher", "stats": {"impressions": 1402, "clicks": 52, "earnings": 4.15}}',
      ),
    );
    expect(await client.stats()).toEqual({
      role: 'publisher',
      impressions: 1402n,
      clicks: 52n,
      earningsMicros: 4_150_000n,
      rawObservationId: 1,
    });
    const [request] = server!.received;
    expect([request!.method, request!.url, request!.headers['x-api-key']]).toEqual([
      'GET',
      '/backend/api/v1/stats.php',
      KEY,
    ]);
    expect(raw.replies).toEqual([
      {
        sourceId: 'ads-publisher',
        action: 'stats',
        request: { method: 'GET', path: '/backend/api/v1/stats.php', params: {} },
        httpStatus: 200,
        bodyText:
          '{"success": true, "role": "publisher", "stats": {"impressions": 1402, "clicks": 52, "earnings": 4.15}}',
        fetchedAt: new Date(clock.now()).toISOString(),
      },
    ]);
  });

  it('reads an advertiser snapshot, counters sent as text', async () => {
    const { client } = await setup((res) =>
      body(
        res,
        '{"success": true, "role": "advertiser", "stats": {"impressions": "90210", "clicks": "77", "spent": "123.456789"}}',
      ),
    );
    expect(await client.stats()).toEqual({
      role: 'advertiser',
      impressions: 90_210n,
      clicks: 77n,
      spentMicros: 123_456_789n,
      rawObservationId: 1,
    });
  });

  for (const message of ['API key required', 'Invalid API key']) {
    it(`maps 401 "${message}" to an AuthError naming the source, never the key`, async () => {
      const { client } = await setup((res) => body(res, JSON.stringify({ success: false, error: message }), 401));
      const error = await caught(client.stats());
      expect(error).toBeInstanceOf(AuthError);
      expect(error.message).toBe(
        `ads-publisher: authentication failed (HTTP 401: ${message}); check the API key or credentials configured for ads-publisher`,
      );
      expect(rawObservationOf(error)).toBe(1);
    });
  }

  it('keeps the key out of messages and landed bodies even when the service echoes it', async () => {
    const { client, raw } = await setup((res) =>
      body(res, JSON.stringify({ success: false, error: `Invalid API key ${KEY}` }), 401),
    );
    const error = await caught(client.stats());
    expect(error.message).not.toContain(KEY);
    expect(JSON.stringify(raw.replies)).not.toContain(KEY);
  });

  it('waits out a 429 as Retry-After says, then reads the snapshot', async () => {
    const { client, clock, raw } = await setup((res, index) =>
      index === 0
        ? body(res, '{"success": false, "error": "Rate limit exceeded"}', 429, { 'retry-after': '30' })
        : body(
            res,
            '{"success": true, "role": "publisher", "stats": {"impressions": 1, "clicks": 0, "earnings": "0.01"}}',
          ),
    );
    expect((await client.stats()).rawObservationId).toBe(2);
    expect(clock.sleeps).toEqual([30_000]);
    expect(raw.replies.map((landed) => landed.httpStatus)).toEqual([429, 200]);
  });

  it('gives up on endless 429 with RateLimitedError', async () => {
    const { client } = await setup((res) => body(res, '{"success": false, "error": "Rate limit exceeded"}', 429));
    expect(await caught(client.stats())).toBeInstanceOf(RateLimitedError);
  });

  it('maps {"success": false} in a 200 to RequestRejectedError', async () => {
    const { client } = await setup((res) => body(res, '{"success": false, "error": "Account suspended"}'));
    const error = await caught(client.stats());
    expect(error).toEqual(
      expect.objectContaining({ name: 'RequestRejectedError', status: 200, serviceMessage: 'Account suspended' }),
    );
  });

  const unreadable: Array<[string, string]> = [
    ['<html>oops</html>', 'the body is not JSON (it starts "<html>oops</html>")'],
    ['', 'the body is empty'],
    ['{"success": true, "role": "publisher", "stats": {"impressions": 1402, "clicks": 52}}', 'stats.earnings: missing'],
    [
      '{"success": true, "role": "publisher", "stats": {"impressions": 1402, "clicks": 52, "earnings": "4,15"}}',
      'stats.earnings: not an amount: "4,15" (expected digits with an optional decimal point)',
    ],
    [
      '{"success": true, "role": "publisher", "stats": {"impressions": -3, "clicks": 52, "earnings": 1}}',
      'stats.impressions: expected a whole number, got "-3"',
    ],
    [
      '{"success": true, "role": "publisher", "stats": {"impressions": 1, "clicks": 5, "earnings": 1.2345678}}',
      'stats.earnings: not an amount: "1.2345678" (more than 6 decimal places)',
    ],
    [
      '{"success": true, "role": "agency", "stats": {}}',
      `role: Invalid discriminator value. Expected 'publisher' | 'advertiser'`,
    ],
    ['[1, 2]', 'the reply: expected object, got a list'],
  ];
  for (const [text, reason] of unreadable) {
    it(`throws InvalidReplyError saying "${reason}"`, async () => {
      const { client, raw } = await setup((res) => body(res, text));
      const error = await caught(client.stats());
      expect(error).toBeInstanceOf(InvalidReplyError);
      expect(error).toMatchObject({ service: 'ads-publisher', what: 'stats', reason });
      expect(rawObservationOf(error)).toBe(1);
      expect(raw.replies[0]!.bodyText).toBe(text);
    });
  }
});
