import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookDispatcher, webhookSignature } from '../../sandbox/webhook-dispatcher.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import { postForm, postJson } from './sandbox-http.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver answering each request with the next status in `statuses` (the last repeats); 0 means never answer. */
async function startReceiver(
  statuses: number[] = [200],
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const status = statuses[Math.min(received.length - 1, statuses.length - 1)] ?? 200;
      if (status !== 0) response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 4_000 && !condition(); attempt += 1)
    await new Promise((resolve) => setTimeout(resolve, 5));
}

const script: WorldScript = {
  start: '2026-03-01',
  panel: {
    openingBalance: '50.00',
    orders: [
      {
        id: '23501',
        service: '1',
        quantity: 1000,
        placedOn: '2026-03-01',
        startCount: 3572,
        timeline: [
          { on: '2026-03-02', status: 'In progress', remains: 500 },
          { on: '2026-03-03', status: 'Partial', remains: 157 },
        ],
      },
      { id: 'ord_2', service: '4', placedOn: '2026-03-02' },
    ],
  },
  payelancer: {
    conversions: [{ campaign_id: '982734A', ad_id: '459021B', payout: '1.25', timestamp: '2026-03-02T20:55:00Z' }],
  },
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(options: Parameters<typeof startSandbox>[0]): Promise<RunningSandbox> {
  const sandbox = await startSandbox(options);
  cleanups.push(() => sandbox.close());
  return sandbox;
}

async function receiver(statuses?: number[]) {
  const running = await startReceiver(statuses);
  cleanups.push(() => running.close());
  return running;
}

describe('webhooks of the days passed', () => {
  it('posts every order status change and conversion as the seeds show them, signed with HMAC-SHA256, on flush', async () => {
    const target = await receiver();
    const sandbox = await started({
      script,
      webhooks: {
        panelUrl: `${target.url}/panel-hook`,
        payelancerUrl: `${target.url}/ads-hook`,
        secret: 's3cret',
        autoDeliver: false,
      },
    });
    expect((await postJson(`${sandbox.adminUrl}/day`, { date: '2026-03-03' })).json).toEqual({
      date: '2026-03-03',
      start: '2026-03-01',
      webhooksQueued: 4,
    });
    expect(target.received).toEqual([]);
    expect((await postJson(`${sandbox.adminUrl}/webhooks/flush`, {})).json).toEqual({
      configured: true,
      delivered: 4,
      failed: 0,
      pending: 0,
    });
    expect(target.received.map((request) => [request.path, request.body])).toEqual([
      ['/panel-hook', '{"order_id":23501,"status":"In progress","remains":500,"start_count":3572,"charge":0.9}'],
      ['/panel-hook', '{"order_id":"ord_2","status":"Pending","remains":1000,"start_count":0,"charge":2.75}'],
      [
        '/ads-hook',
        '{"event":"conversion.tracked","data":{"campaign_id":"982734A","ad_id":"459021B","payout":1.25,"timestamp":"2026-03-02T20:55:00Z"}}',
      ],
      ['/panel-hook', '{"order_id":23501,"status":"Partial","remains":157,"start_count":3572,"charge":0.7587}'],
    ]);
    for (const request of target.received) {
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-ledgerline-signature']).toBe(
        `sha256=${createHmac('sha256', 's3cret').update(request.body).digest('hex')}`,
      );
    }
    expect((await postJson(`${sandbox.adminUrl}/day`, { date: '2026-03-01' })).json).toMatchObject({
      webhooksQueued: 0,
    });
  });

  it('delivers in the background and retries a failing receiver until it answers 2xx', async () => {
    const target = await receiver([500, 503, 200]);
    const sandbox = await started({
      script,
      webhooks: { payelancerUrl: target.url, retryDelaysMs: [1], maxAttempts: 3 },
    });
    sandbox.setToday('2026-03-02');
    await until(() => target.received.length === 3);
    expect(target.received.map((request) => request.body)).toEqual(Array(3).fill(target.received[0]?.body));
    expect(target.received[0]?.headers['x-ledgerline-signature']).toBeUndefined();
    expect(await sandbox.flushWebhooks()).toEqual({ delivered: 1, failed: 0, pending: 0 });
  });

  it('gives up after the last attempt', async () => {
    const target = await receiver([503]);
    const sandbox = await started({
      script,
      webhooks: { payelancerUrl: target.url, maxAttempts: 2, autoDeliver: false },
    });
    sandbox.setToday('2026-03-02');
    expect(await sandbox.flushWebhooks()).toEqual({ delivered: 0, failed: 0, pending: 1 });
    expect(await sandbox.flushWebhooks()).toEqual({ delivered: 0, failed: 1, pending: 0 });
    expect(target.received).toHaveLength(2);
  });

  it('never makes the API wait for a receiver that does not answer', async () => {
    const target = await receiver([0]);
    const sandbox = await started({ script, webhooks: { panelUrl: target.url, timeoutMs: 200, maxAttempts: 1 } });
    expect((await postJson(`${sandbox.adminUrl}/day`, { advance: 2 })).status).toBe(200);
    expect((await postForm(sandbox.panelUrl, { key: sandbox.keys.panel, action: 'balance' })).status).toBe(200);
    await until(() => target.received.length > 0);
    expect(target.received.length).toBeGreaterThan(0);
  });
});

describe('the webhook signature', () => {
  it('is the hex HMAC-SHA256 of the raw body', () => {
    expect(webhookSignature('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('counts an unreachable receiver as a failed attempt', async () => {
    const dispatcher = createWebhookDispatcher({ maxAttempts: 1, autoDeliver: false, timeoutMs: 500 });
    cleanups.push(() => dispatcher.close());
    dispatcher.enqueue('http://127.0.0.1:9/nothing-listens-here', '{}');
    expect(await dispatcher.flush()).toEqual({ delivered: 0, failed: 1, pending: 0 });
  });

  it('holds a bounded number of webhooks, dropping the oldest as failed', async () => {
    const target = await receiver();
    const dispatcher = createWebhookDispatcher({ autoDeliver: false, maxPending: 2 });
    cleanups.push(() => dispatcher.close());
    for (const body of ['{"n":1}', '{"n":2}', '{"n":3}']) dispatcher.enqueue(target.url, body);
    expect(dispatcher.counts()).toEqual({ delivered: 0, failed: 1, pending: 2 });
    expect(await dispatcher.flush()).toEqual({ delivered: 2, failed: 1, pending: 0 });
    expect(target.received.map((request) => request.body)).toEqual(['{"n":2}', '{"n":3}']);
  });
});
