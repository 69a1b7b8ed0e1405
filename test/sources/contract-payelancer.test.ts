import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, InvalidReplyError, rawObservationOf } from '../../src/errors.js';
import type { HttpClient } from '../../src/http/http-client.js';
import { createPayelancerClient } from '../../src/kinds/payelancer/payelancer-client.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import { caught, createRawLog, createTestHttp } from './source-harness.js';

let sandbox: RunningSandbox | undefined;
let http: HttpClient | undefined;
afterEach(async () => {
  await http?.close();
  await sandbox?.close();
  sandbox = undefined;
  http = undefined;
});

async function setup(role: 'publisher' | 'advertiser' | 'wrong', days = 0) {
  sandbox = await startSandbox({ seed: 42 });
  if (days > 0) sandbox.advanceDays(days);
  const test = createTestHttp('ads');
  http = test.http;
  const raw = createRawLog();
  const apiKey = role === 'wrong' ? 'revoked-key-1c9d' : sandbox.keys[role];
  const client = createPayelancerClient({
    sourceId: 'ads',
    baseUrl: sandbox.payelancerBaseUrl,
    apiKey,
    http,
    clock: test.clock,
    onRawReply: raw.onRawReply,
  });
  const requests = () =>
    sandbox!
      .requestLog('payelancer')
      .map((entry) => `${entry.action} ${entry.status}${entry.fault ? ` ${entry.fault}` : ''}`);
  return { sandbox, client, raw, clock: test.clock, requests };
}

describe('Payelancer client against the sandbox', () => {
  it('reads the publisher counters the world holds, day after day', async () => {
    const { sandbox, client } = await setup('publisher');
    for (let day = 0; day < 3; day += 1) {
      const { publisher } = sandbox.stateOn().payelancer;
      expect(await client.stats()).toEqual({
        role: 'publisher',
        impressions: BigInt(publisher.impressions),
        clicks: BigInt(publisher.clicks),
        earningsMicros: publisher.amount,
        rawObservationId: day + 1,
      });
      sandbox.advanceDays(1);
    }
  });

  it('reads the advertiser counters', async () => {
    const { sandbox, client } = await setup('advertiser', 4);
    const { advertiser } = sandbox.stateOn().payelancer;
    expect(await client.stats()).toEqual({
      role: 'advertiser',
      impressions: BigInt(advertiser.impressions),
      clicks: BigInt(advertiser.clicks),
      spentMicros: advertiser.amount,
      rawObservationId: 1,
    });
  });

  it('refuses a wrong key with an AuthError naming the source and not the key, and lands the reply without it', async () => {
    const { client, raw } = await setup('wrong');
    const error = await caught(client.stats());
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe(
      'ads: authentication failed (HTTP 401: Invalid API key); check the API key or credentials configured for ads',
    );
    expect(JSON.stringify(raw.replies)).not.toContain('revoked-key-1c9d');
  });

  it('waits out an injected 429 and retries a 502', async () => {
    const { sandbox, client, clock, requests } = await setup('publisher');
    sandbox.injectFaults({ service: 'payelancer', rateLimit: { count: 1, retryAfterSeconds: 3 }, upstreamErrors: 1 });
    await client.stats();
    expect(clock.sleeps).toEqual([3_000, 200]);
    expect(requests()).toEqual(['stats 429 rateLimit', 'stats 502 upstreamError', 'stats 200']);
  });

  it('quarantines a maintenance page as InvalidReplyError linked to the landed body', async () => {
    const { sandbox, client, raw } = await setup('publisher');
    sandbox.injectFaults({ service: 'payelancer', malformed: { count: 1, shape: 'htmlPage' } });
    const error = await caught(client.stats());
    expect(error).toBeInstanceOf(InvalidReplyError);
    expect((error as InvalidReplyError).reason).toMatch(/^the body is not JSON \(it starts "<!DOCTYPE html>/);
    expect(rawObservationOf(error)).toBe(1);
    expect(raw.replies[0]!.bodyText).toContain('Service temporarily unavailable');
  });

  it('treats {"success": false} inside a 200 as a refusal', async () => {
    const { sandbox, client } = await setup('publisher');
    sandbox.injectFaults({ service: 'payelancer', errorInside200: 1 });
    const error = await caught(client.stats());
    expect(error).toEqual(
      expect.objectContaining({
        name: 'RequestRejectedError',
        status: 200,
        serviceMessage: 'Temporary error, please try again later',
      }),
    );
  });
});
