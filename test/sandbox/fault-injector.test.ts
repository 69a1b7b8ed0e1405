import { afterEach, describe, expect, it } from 'vitest';
import { createFaultInjector } from '../../sandbox/fault-injector.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import { postForm, send } from './sandbox-http.js';

let sandbox: RunningSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(): Promise<RunningSandbox> {
  sandbox = await startSandbox({ script: { start: '2026-03-01', panel: { openingBalance: '100.84292' } } });
  return sandbox;
}

const balance = (running: RunningSandbox) => postForm(running.panelUrl, { key: running.keys.panel, action: 'balance' });
const stats = (running: RunningSandbox) =>
  send(`${running.payelancerBaseUrl}/backend/api/v1/stats.php`, { headers: { 'X-API-KEY': running.keys.advertiser } });

describe('injected faults', () => {
  it('answer n× 429 with the given Retry-After, then the real answer', async () => {
    const running = await start();
    running.injectFaults({ service: 'panel', rateLimit: { count: 2, retryAfterSeconds: 7 } });
    const replies = [await balance(running), await balance(running), await balance(running)];
    expect(replies.map((reply) => [reply.status, reply.headers.get('retry-after'), reply.text])).toEqual([
      [429, '7', '{"error":"Rate limit exceeded"}'],
      [429, '7', '{"error":"Rate limit exceeded"}'],
      [200, null, '{"balance":"100.84292","currency":"USD"}'],
    ]);
  });

  it('answer n× 502 in each service’s error shape, and only for the service named', async () => {
    const running = await start();
    running.injectFaults({ service: 'panel', upstreamErrors: 1 });
    running.injectFaults({ service: 'payelancer', upstreamErrors: 1 });
    expect(await balance(running).then((reply) => [reply.status, reply.text])).toEqual([
      502,
      '{"error":"Upstream provider returned an error"}',
    ]);
    expect(await stats(running).then((reply) => [reply.status, reply.text])).toEqual([
      502,
      '{"success":false,"error":"Upstream provider returned an error"}',
    ]);
    expect((await balance(running)).status).toBe(200);
    expect((await stats(running)).status).toBe(200);
  });

  it('slow a reply down by the given milliseconds', async () => {
    const running = await start();
    running.injectFaults({ service: 'panel', slow: { count: 1, delayMs: 60 } });
    const started = performance.now();
    const reply = await balance(running);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(reply.status).toBe(200);
    expect(running.injectFaults({ service: 'panel' }).slow.count).toBe(0);
  });

  it('send a truncated JSON body or an HTML error page instead of the answer', async () => {
    const running = await start();
    running.injectFaults({ service: 'panel', malformed: { count: 1 } });
    const truncated = await balance(running);
    expect([truncated.status, truncated.text, truncated.json]).toEqual([200, '{"balance":"100.8429', undefined]);
    running.injectFaults({ service: 'payelancer', malformed: { count: 1, shape: 'htmlPage' } });
    const html = await stats(running);
    expect([html.status, html.headers.get('content-type'), html.text.startsWith('<!DOCTYPE html>'), html.json]).toEqual(
      [200, 'text/html; charset=utf-8', true, undefined],
    );
  });

  it('send an error inside an HTTP 200', async () => {
    const running = await start();
    running.injectFaults({ service: 'panel', errorInside200: 1 });
    running.injectFaults({ service: 'payelancer', errorInside200: 1 });
    expect(await balance(running).then((reply) => [reply.status, reply.json])).toEqual([
      200,
      { error: 'Temporary error, please try again later' },
    ]);
    expect(await stats(running).then((reply) => [reply.status, reply.json])).toEqual([
      200,
      { success: false, error: 'Temporary error, please try again later' },
    ]);
  });

  it('are marked in the request log', async () => {
    const running = await start();
    running.injectFaults({ service: 'panel', upstreamErrors: 1, errorInside200: 1 });
    await balance(running);
    await balance(running);
    await balance(running);
    expect(running.requestLog('panel').map((entry) => [entry.status, entry.fault])).toEqual([
      [502, 'upstreamError'],
      [200, 'errorInside200'],
      [200, undefined],
    ]);
  });
});

describe('the fault injector', () => {
  it('replaces only the fields given, clears on request, and takes a 429 before a 502 before a malformed body', () => {
    const faults = createFaultInjector();
    faults.inject({
      service: 'panel',
      upstreamErrors: 1,
      malformed: { count: 1 },
      rateLimit: { count: 1, retryAfterSeconds: 3 },
    });
    expect([faults.take('panel'), faults.take('panel'), faults.take('panel'), faults.take('panel')]).toEqual([
      { delayMs: 0, replacement: { kind: 'rateLimit', retryAfterSeconds: 3 } },
      { delayMs: 0, replacement: { kind: 'upstreamError' } },
      { delayMs: 0, replacement: { kind: 'malformed', shape: 'truncatedJson' } },
      { delayMs: 0 },
    ]);
    faults.inject({ service: 'panel', upstreamErrors: 4, rejectMultiStatus: true });
    expect(faults.inject({ service: 'panel', errorInside200: 1 })).toMatchObject({
      upstreamErrors: 4,
      errorInside200: 1,
      rejectMultiStatus: true,
    });
    expect(faults.inject({ service: 'panel', clear: true })).toMatchObject({
      upstreamErrors: 0,
      errorInside200: 0,
      rejectMultiStatus: false,
    });
    expect(() => faults.inject({ service: 'panel', upstreamErrors: -1 })).toThrow();
  });
});
