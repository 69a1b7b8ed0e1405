import { afterEach, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../sandbox/rate-limiter.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import { postForm, send } from './sandbox-http.js';

describe('the rate limiter', () => {
  it('allows the limit per minute per bucket, then says how long until the next minute', () => {
    const limiter = createRateLimiter(3);
    const at = new Date('2026-03-01T10:00:20Z');
    expect([1, 2, 3, 4].map(() => limiter.take('panel|127.0.0.1', at))).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: true },
      { allowed: false, retryAfterSeconds: 40 },
    ]);
    expect(limiter.take('panel|10.0.0.2', at)).toEqual({ allowed: true });
    expect(limiter.take('payelancer|127.0.0.1', at)).toEqual({ allowed: true });
    expect(limiter.take('panel|127.0.0.1', new Date('2026-03-01T10:01:00Z'))).toEqual({ allowed: true });
    expect(limiter.refusedCount()).toBe(1);
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => createRateLimiter(0)).toThrow(RangeError);
    expect(() => createRateLimiter(1.5)).toThrow(RangeError);
  });
});

describe('the sandbox rate limit over HTTP', () => {
  let sandbox: RunningSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('answers 429 with Retry-After past the limit, per service, counts and logs it, and lets requests through in the next minute', async () => {
    let now = new Date('2026-03-01T10:00:45Z');
    sandbox = await startSandbox({ seed: 1, rateLimitPerMinute: 5, clock: () => now });
    const running = sandbox;
    const balance = () => postForm(running.panelUrl, { key: running.keys.panel, action: 'balance' });
    const stats = () =>
      send(`${running.payelancerBaseUrl}/backend/api/v1/stats.php`, {
        headers: { 'X-API-KEY': running.keys.publisher },
      });
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) statuses.push((await balance()).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await balance();
    expect([limited.status, limited.headers.get('retry-after'), limited.json]).toEqual([
      429,
      '15',
      { error: 'Rate limit exceeded' },
    ]);
    expect((await stats()).status).toBe(200);
    for (let index = 0; index < 4; index += 1) await stats();
    const limitedStats = await stats();
    expect([limitedStats.status, limitedStats.headers.get('retry-after'), limitedStats.text]).toEqual([
      429,
      '15',
      '{"success":false,"error":"Rate limit exceeded"}',
    ]);
    const log = (await send(`${running.adminUrl}/requests`)).json as {
      rateLimited: number;
      entries: { status: number; fault?: string }[];
    };
    expect(log.rateLimited).toBe(2);
    expect(log.entries.filter((entry) => entry.status === 429).map((entry) => entry.fault)).toEqual([
      'rateLimit',
      'rateLimit',
    ]);
    now = new Date('2026-03-01T10:01:00Z');
    expect((await balance()).status).toBe(200);
  });
});
