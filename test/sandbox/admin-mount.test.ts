import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import { postForm, postJson, send } from './sandbox-http.js';

const script: WorldScript = {
  start: '2026-03-01',
  panel: {
    openingBalance: '20.00',
    topUps: [{ on: '2026-03-02', amount: '5.00' }],
    orders: [
      {
        id: '23501',
        service: '1',
        quantity: 1000,
        placedOn: '2026-03-01',
        placedAt: '2026-03-01T09:30:00Z',
        timeline: [{ on: '2026-03-03', status: 'Partial', remains: 157 }],
      },
      { id: 'ord_2', service: '4', placedOn: '2026-03-02', placedAt: '2026-03-02T18:00:00Z' },
    ],
  },
  payelancer: {
    publisher: { earnings: { '2026-03-01': '1.00', '2026-03-02': '2.25' } },
    conversions: [{ campaign_id: '982734A', ad_id: '459021B', payout: '1.25', timestamp: '2026-03-02T20:55:00Z' }],
  },
};

let sandbox: RunningSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(): Promise<RunningSandbox> {
  sandbox = await startSandbox({ script, clock: () => new Date('2026-03-01T12:00:00Z') });
  return sandbox;
}

describe('day', () => {
  it('reports the day, sets it to a date, advances it and refuses days outside the world', async () => {
    const running = await start();
    const url = `${running.adminUrl}/day`;
    expect((await send(url)).json).toEqual({ date: '2026-03-01', start: '2026-03-01', world: 'script' });
    expect((await postJson(url, { date: '2026-03-10' })).json).toEqual({
      date: '2026-03-10',
      start: '2026-03-01',
      webhooksQueued: 0,
    });
    expect((await postJson(url, { advance: 3 })).json).toEqual({
      date: '2026-03-13',
      start: '2026-03-01',
      webhooksQueued: 0,
    });
    expect(await postJson(url, { date: '2026-02-28' }).then((reply) => [reply.status, reply.json])).toEqual([
      400,
      { error: "2026-02-28 is before the world's first day 2026-03-01" },
    ]);
    expect(await postJson(url, { date: '2026-03-02', advance: 1 }).then((reply) => [reply.status, reply.json])).toEqual(
      [400, { error: 'give either date or advance' }],
    );
    expect(await postJson(url, { date: 'tomorrow' }).then((reply) => reply.status)).toBe(400);
    expect(running.today()).toBe('2026-03-13');
  });
});

describe('state', () => {
  it('shows balances, counters and every order with its charge, status and remains, for today or a given date', async () => {
    const running = await start();
    running.setToday('2026-03-03');
    const state = (await send(`${running.adminUrl}/state`)).json;
    expect(state).toEqual({
      today: '2026-03-03',
      date: '2026-03-03',
      start: '2026-03-01',
      world: 'script',
      panel: {
        currency: 'USD',
        refundMode: 'lowerCharge',
        balance: '21.49130',
        openingBalance: '20.00000',
        topUpTotal: '5.00000',
        netChargeTotal: '3.50870',
        topUps: [{ on: '2026-03-02', amount: '5.00000' }],
        orders: [
          {
            id: '23501',
            service: '1',
            serviceType: 'Default',
            quantity: 1000,
            placedOn: '2026-03-01',
            placedAt: '2026-03-01T09:30:00Z',
            origin: 'world',
            refundMode: 'lowerCharge',
            status: 'Partial',
            remains: '157',
            startCount: 0,
            charge: '0.90000',
            reportedCharge: '0.75870',
            netCharge: '0.75870',
            refunded: '0.14130',
          },
          {
            id: 'ord_2',
            service: '4',
            serviceType: 'Package',
            quantity: 1000,
            placedOn: '2026-03-02',
            placedAt: '2026-03-02T18:00:00Z',
            origin: 'world',
            refundMode: 'lowerCharge',
            status: 'Pending',
            remains: '1000',
            startCount: 0,
            charge: '2.75000',
            reportedCharge: '2.75000',
            netCharge: '2.75000',
            refunded: '0.00000',
          },
        ],
      },
      payelancer: {
        publisher: { impressions: 0, clicks: 0, earnings: '2.25' },
        advertiser: { impressions: 0, clicks: 0, spent: '0.00' },
        earningsDelta: '0.00',
        spentDelta: '0.00',
        publisherDayKind: 'matched',
        conversions: [],
      },
    });
    const earlier = (await send(`${running.adminUrl}/state?date=2026-03-02`)).json as {
      date: string;
      panel: { balance: string };
      payelancer: { conversions: unknown[] };
    };
    expect([earlier.date, earlier.panel.balance, earlier.payelancer.conversions]).toEqual([
      '2026-03-02',
      '21.35000',
      [{ campaign_id: '982734A', ad_id: '459021B', payout: '1.25', timestamp: '2026-03-02T20:55:00Z' }],
    ]);
  });
});

describe('orders.csv', () => {
  it('exports every order placed so far, including those created through add', async () => {
    const running = await start();
    running.setToday('2026-03-02');
    await postForm(running.panelUrl, {
      key: running.keys.panel,
      action: 'add',
      service: '1',
      link: 'https://x',
      quantity: '500',
    });
    const csv = await send(`${running.adminUrl}/orders.csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text).toBe(
      'order_id,service,quantity,created_at\n23501,1,1000,2026-03-01T09:30:00Z\n90001,1,500,2026-03-02T12:00:00Z\nord_2,4,1000,2026-03-02T18:00:00Z\n',
    );
    expect((await send(`${running.adminUrl}/orders.csv?date=2026-03-01`)).text).toBe(
      'order_id,service,quantity,created_at\n23501,1,1000,2026-03-01T09:30:00Z\n',
    );
  });
});

describe('requests', () => {
  it('logs service, action, path, status and time, never the key, and can be emptied', async () => {
    const running = await start();
    await postForm(running.panelUrl, { key: running.keys.panel, action: 'balance' });
    await postForm(running.panelUrl, { key: 'a-wrong-secret-key', action: 'status', order: '1' });
    await send(`${running.payelancerBaseUrl}/backend/api/v1/stats.php?key=${running.keys.publisher}`, {
      headers: { 'X-API-KEY': running.keys.publisher },
    });
    const log = await send(`${running.adminUrl}/requests`);
    expect(log.json).toEqual({
      total: 3,
      rateLimited: 0,
      entries: [
        {
          service: 'panel',
          action: 'balance',
          method: 'POST',
          path: '/panel/api/v2',
          status: 200,
          time: '2026-03-01T12:00:00.000Z',
          day: '2026-03-01',
        },
        {
          service: 'panel',
          action: 'status',
          method: 'POST',
          path: '/panel/api/v2',
          status: 401,
          time: '2026-03-01T12:00:00.000Z',
          day: '2026-03-01',
        },
        {
          service: 'payelancer',
          action: 'stats',
          method: 'GET',
          path: '/payelancer/backend/api/v1/stats.php',
          status: 200,
          time: '2026-03-01T12:00:00.000Z',
          day: '2026-03-01',
        },
      ],
    });
    for (const secret of [running.keys.panel, running.keys.publisher, 'a-wrong-secret-key'])
      expect(log.text).not.toContain(secret);
    expect(
      ((await send(`${running.adminUrl}/requests?service=payelancer`)).json as { entries: unknown[] }).entries,
    ).toHaveLength(1);
    expect((await send(`${running.adminUrl}/requests`, { method: 'DELETE' })).json).toEqual({ cleared: 3 });
    expect((await send(`${running.adminUrl}/requests`)).json).toEqual({ total: 0, rateLimited: 0, entries: [] });
  });
});

describe('faults, panel behaviour and webhooks', () => {
  it('shows and sets pending faults per service and refuses bad fault requests', async () => {
    const running = await start();
    const set = await postJson(`${running.adminUrl}/faults`, {
      service: 'payelancer',
      upstreamErrors: 2,
      rateLimit: { count: 1 },
    });
    expect(set.json).toEqual({
      service: 'payelancer',
      pending: {
        rateLimit: { count: 1, retryAfterSeconds: 1 },
        upstreamErrors: 2,
        slow: { count: 0, delayMs: 0 },
        malformed: { count: 0, shape: 'truncatedJson' },
        errorInside200: 0,
        rejectMultiStatus: false,
      },
    });
    expect(
      ((await send(`${running.adminUrl}/faults`)).json as { panel: { upstreamErrors: number } }).panel.upstreamErrors,
    ).toBe(0);
    expect(
      await postJson(`${running.adminUrl}/faults`, { service: 'payelancer', rejectMultiStatus: true }).then((reply) => [
        reply.status,
        reply.json,
      ]),
    ).toEqual([400, { error: 'rejectMultiStatus: rejectMultiStatus applies to the panel only' }]);
    expect((await postJson(`${running.adminUrl}/faults`, { service: 'bank' })).status).toBe(400);
    const bad = await send(`${running.adminUrl}/faults`, { method: 'POST', body: '{oops' });
    expect([bad.status, bad.json]).toEqual([400, { error: 'the body is not valid JSON' }]);
  });

  it('changes the panel’s error behaviour', async () => {
    const running = await start();
    expect((await send(`${running.adminUrl}/panel-behaviour`)).json).toEqual({
      errorStyle: 'httpStatus',
      unknownOrderInBatch: 'errorObject',
      unknownSingleStatus: 'http404',
      batchStatus: 'seed',
    });
    expect(
      (
        await postJson(`${running.adminUrl}/panel-behaviour`, {
          errorStyle: 'inside200',
          unknownOrderInBatch: 'missing',
          batchStatus: 'none',
        })
      ).json,
    ).toEqual({
      errorStyle: 'inside200',
      unknownOrderInBatch: 'missing',
      unknownSingleStatus: 'http404',
      batchStatus: 'none',
    });
    expect((await postJson(`${running.adminUrl}/panel-behaviour`, { errorStyle: 'loud' })).status).toBe(400);
  });

  it('says so when no webhook is configured, and lists its endpoints; unknown ones get 404', async () => {
    const running = await start();
    expect((await send(`${running.adminUrl}/webhooks/flush`, { method: 'POST' })).json).toEqual({
      configured: false,
      delivered: 0,
      failed: 0,
      pending: 0,
    });
    expect(((await send(`${running.adminUrl}/`)).json as { endpoints: string[] }).endpoints).toContain(
      'GET /__admin/orders.csv?date=YYYY-MM-DD',
    );
    expect((await send(`${running.adminUrl}/nothing`)).status).toBe(404);
  });
});

describe('holds', () => {
  it('holds the next add after the order is placed and charged, until released: the balance read meanwhile already holds the charge', async () => {
    const running = await start();
    const holds = `${running.adminUrl}/holds`;
    expect((await postJson(holds, { service: 'panel', action: 'add' })).json).toEqual({ armed: true });
    const add = postForm(running.panelUrl, {
      key: running.keys.panel,
      action: 'add',
      service: '1',
      link: 'https://x',
      quantity: '1000',
    });
    expect((await send(`${holds}/held?service=panel&action=add`)).json).toEqual({ held: true });
    const balance = (await postForm(running.panelUrl, { key: running.keys.panel, action: 'balance' })).json as {
      balance: string;
    };
    expect(balance.balance).not.toBe('20.00');
    expect((await postJson(`${holds}/release`, { service: 'panel', action: 'add' })).json).toEqual({ released: true });
    expect(((await add).json as { order: unknown }).order).toBeDefined();
    // One request per hold: the next add passes, and nothing is left to release.
    expect((await postJson(`${holds}/release`, { service: 'panel', action: 'add' })).json).toEqual({ released: false });
    expect((await send(`${holds}/held?service=panel&action=add`)).json).toEqual({ held: false });
  });

  it('a hold never released lets the reply go after its timeout; a bad hold is refused', async () => {
    const running = await start();
    await postJson(`${running.adminUrl}/holds`, { service: 'panel', action: 'balance', timeoutMs: 1 });
    expect((await postForm(running.panelUrl, { key: running.keys.panel, action: 'balance' })).status).toBe(200);
    expect((await postJson(`${running.adminUrl}/holds`, { service: 'xero', action: 'balance' })).status).toBe(400);
    expect(
      (await postJson(`${running.adminUrl}/holds`, { service: 'panel', action: 'balance', timeoutMs: 600_000 })).status,
    ).toBe(400);
  });
});
