import { afterEach, describe, expect, it } from 'vitest';
import { PANEL_FLAVOURS, phpFloatText, type PanelFlavourName } from '../../sandbox/panel-flavours.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import { postForm, send } from './sandbox-http.js';

const KEY = 'sandbox-panel-key';

/**
 * 23501: 3701 views at 0.0123 per 1000 = 0.0455223 (the world rounds it to 0.04552), Partial with
 * 1000 left on 03-02 (a DOUBLE panel keeps 0.0123 × 2701 / 1000 = 0.0332223). 23502: 1000 followers
 * at 0.90, Canceled on 03-02. 23503: one vote at 0.01 per 1000 = 0.00001, still Pending.
 */
const WORLD: WorldScript = {
  start: '2026-03-01',
  panel: {
    openingBalance: '10.00',
    services: [
      { service: '1', name: 'Followers', type: 'Default', rate: '0.90', min: 50, max: 10000 },
      { service: '9', name: 'Views', type: 'Default', rate: '0.0123', min: 1, max: 1000000 },
      { service: '10', name: 'Votes', type: 'Default', rate: '0.01', min: 1, max: 100 },
    ],
    orders: [
      {
        id: 23501,
        service: '9',
        quantity: 3701,
        placedOn: '2026-03-01',
        timeline: [{ on: '2026-03-02', status: 'Partial', remains: 1000 }],
      },
      {
        id: 23502,
        service: '1',
        quantity: 1000,
        placedOn: '2026-03-01',
        timeline: [{ on: '2026-03-02', status: 'Canceled' }],
      },
      { id: 23503, service: '10', quantity: 1, placedOn: '2026-03-01' },
    ],
  },
};

let sandbox: RunningSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(panelFlavour: PanelFlavourName, today = '2026-03-02'): Promise<RunningSandbox> {
  sandbox = await startSandbox({ script: WORLD, today, panelFlavour });
  return sandbox;
}

const panel = (running: RunningSandbox, fields: Record<string, string>) =>
  postForm(running.panelUrl, { key: KEY, ...fields });
const texts = async (running: RunningSandbox, requests: Record<string, string>[]) => {
  const answers = [];
  for (const fields of requests) {
    const answer = await panel(running, fields);
    answers.push(`${answer.status} ${answer.text}`);
  }
  return answers;
};

describe('each flavour answers as its family of panel scripts', () => {
  it('seed: the seed document exactly, 5-decimal text, HTTP error codes, an unknown id in a batch as {"error"}', async () => {
    const running = await start('seed', '2026-03-01');
    expect(
      await texts(running, [
        { action: 'balance' },
        { action: 'status', order: '23501' },
        { action: 'multiStatus', orders: '23503,999' },
        { action: 'status', order: '999' },
        { action: 'balance', key: 'wrong' },
      ]),
    ).toEqual([
      // 10.00 − 0.04552 − 0.90000 − 0.00001
      '200 {"balance":"9.05447","currency":"USD"}',
      '200 {"charge":"0.04552","start_count":"0","status":"Pending","remains":"3701","currency":"USD"}',
      // Keys that look like integers come out in ascending order (JavaScript's object order).
      '200 {"999":{"error":"Incorrect order ID"},"23503":{"charge":"0.00001","start_count":"0","status":"Pending","remains":"1","currency":"USD"}}',
      '404 {"error":"Incorrect order ID"}',
      '401 {"error":"Invalid API key"}',
    ]);
  });

  it('smartpanel: errors inside HTTP 200, PHP numbers (1.0e-5), unrounded DOUBLE money, "Refunded", a bare string for an unknown id', async () => {
    const running = await start('smartpanel');
    expect(
      await texts(running, [
        { action: 'balance' },
        { action: 'multiStatus', orders: '23501,23502,23503,999' },
        { action: 'status', order: '999' },
        { action: 'balance', key: 'wrong' },
        { action: 'frobnicate' },
      ]),
    ).toEqual([
      // 10.00 − 0.0332223 (kept of 23501) − 0 (23502 refunded) − 0.00001
      '200 {"status":"success","balance":9.9667677,"currency":"USD"}',
      '200 {"999":"Incorrect order ID","23501":{"charge":0.0332223,"start_count":0,"status":"Partial","remains":1000,"currency":"USD"},' +
        '"23502":{"charge":0.0,"start_count":0,"status":"Refunded","remains":1000,"currency":"USD"},' +
        '"23503":{"charge":1.0e-5,"start_count":0,"status":"Pending","remains":1,"currency":"USD"}}',
      '200 {"error":"Incorrect order ID"}',
      '200 {"error":"Invalid API key"}',
      '200 {"error":"Unsupported action: frobnicate"}',
    ]);
  });

  it('perfectpanel: DOUBLE money as text of 7 decimals, no currency anywhere, "Cancelled", errors inside HTTP 200', async () => {
    const running = await start('perfectpanel', '2026-03-01');
    expect(await texts(running, [{ action: 'balance' }, { action: 'status', order: '23501' }])).toEqual([
      // 10.00 − 0.0455223 − 0.90 − 0.00001
      '200 {"balance":"9.0544677"}',
      '200 {"charge":"0.0455223","start_count":"0","status":"Pending","remains":"3701"}',
    ]);
    running.setToday('2026-03-02');
    expect(
      await texts(running, [
        { action: 'balance' },
        { action: 'status', orders: '23501,23502,999' },
        { action: 'status', order: '999' },
      ]),
    ).toEqual([
      '200 {"balance":"9.9667677"}',
      '200 {"999":{"error":"Incorrect order ID"},"23501":{"charge":"0.0332223","start_count":"0","status":"Partial","remains":"1000"},' +
        '"23502":{"charge":"0.0","start_count":"0","status":"Cancelled","remains":"1000"}}',
      '200 {"error":"Incorrect order ID"}',
    ]);
  });

  it('single-status: no batch status (multiStatus a bare null, status&orders "Order not found." 104), one order at a time with PHP types', async () => {
    const running = await start('single-status', '2026-03-01');
    expect(
      await texts(running, [
        { action: 'multiStatus', orders: '23501,23502' },
        { action: 'status', orders: '23501,23502' },
        { action: 'status', order: '23501' },
        { action: 'status', order: '999' },
        { action: 'balance' },
      ]),
    ).toEqual([
      '200 null',
      '200 {"error":"Order not found.","status":"104"}',
      '200 {"charge":0.04552,"start_count":0,"status":"Pending","remains":3701}',
      '200 {"error":"Incorrect order ID"}',
      '200 {"balance":9.05447}',
    ]);
  });
});

describe('every flavour', () => {
  for (const flavour of PANEL_FLAVOURS) {
    it(`${flavour}: takes a GET with a trailing slash and a multipart/form-data body, and serves refill, refill_status and cancel`, async () => {
      const running = await start(flavour);
      const viaPost = await panel(running, { action: 'balance' });
      const viaGet = await send(
        `${running.panelUrl}/?${new URLSearchParams({ key: KEY, action: 'balance' }).toString()}`,
      );
      const multipart = new FormData();
      multipart.append('key', KEY);
      multipart.append('action', 'balance');
      const viaMultipart = await send(running.panelUrl, { method: 'POST', body: multipart });
      expect([viaGet.status, viaGet.text, viaMultipart.status, viaMultipart.text]).toEqual([
        200,
        viaPost.text,
        200,
        viaPost.text,
      ]);
      expect(
        await texts(running, [
          { action: 'refill', order: '23501' },
          { action: 'refill_status', refill: '23501' },
          { action: 'refill', order: '23503' },
          { action: 'refill', order: '999' },
          { action: 'cancel', orders: '23503,999' },
        ]),
      ).toEqual([
        '200 {"refill":23501}',
        '200 {"status":"Completed"}',
        '200 {"error":"Order is not eligible for refill: it is Pending"}',
        '200 {"error":"Incorrect order ID"}',
        '200 [{"order":23503,"cancel":{"status":"success"}},{"order":999,"error":"Incorrect order ID"}]',
      ]);
    });
  }
});

describe('subscriptions and drip-feeds', () => {
  /** Subscription 700 places 701 on 03-01 and 702 on 03-02; drip-feed 800 runs 801. Only 700 and 800 are in the reseller's records. */
  const parents: WorldScript = {
    start: '2026-03-01',
    panel: {
      openingBalance: '10.00',
      services: [
        { service: '1', name: 'Followers', type: 'Default', rate: '0.90', min: 1, max: 10000 },
        { service: '8', name: 'Auto Likes', type: 'Subscriptions', rate: '4.00', min: 1, max: 5000 },
      ],
      orders: [
        {
          id: 700,
          service: '8',
          quantity: 100,
          placedOn: '2026-03-01',
          timeline: [{ on: '2026-03-01', status: 'Active' }],
          orders: [701, 702],
        },
        { id: 701, service: '1', quantity: 100, placedOn: '2026-03-01' },
        { id: 702, service: '1', quantity: 200, placedOn: '2026-03-02' },
        { id: 800, service: '1', quantity: 300, placedOn: '2026-03-01', orders: [801] },
        { id: 801, service: '1', quantity: 300, placedOn: '2026-03-01' },
      ],
    },
  };

  it('a parent names the child orders placed so far and holds no money; its children are charged and left out of orders.csv', async () => {
    sandbox = await startSandbox({ script: parents, today: '2026-03-01', panelFlavour: 'smartpanel' });
    expect(
      await texts(sandbox, [
        { action: 'status', order: '700' },
        { action: 'status', order: '800' },
        { action: 'balance' },
      ]),
    ).toEqual([
      '200 {"status":"Active","expiry":false,"posts":1,"orders":[701]}',
      '200 {"status":"Pending","runs":1,"orders":[801]}',
      // 10.00 − 0.09 (701) − 0.27 (801)
      '200 {"status":"success","balance":9.64,"currency":"USD"}',
    ]);
    sandbox.setToday('2026-03-02');
    expect(await texts(sandbox, [{ action: 'status', order: '700' }])).toEqual([
      '200 {"status":"Active","expiry":false,"posts":2,"orders":[701,702]}',
    ]);
    const csv = await send(`${sandbox.adminUrl}/orders.csv?date=2026-03-02`);
    expect(
      csv.text
        .trim()
        .split('\n')
        .map((line) => line.split(',')[0]),
    ).toEqual(['order_id', '700', '800']);
  });

  it('the seed flavour writes the same shapes as text', async () => {
    sandbox = await startSandbox({ script: parents, today: '2026-03-02', panelFlavour: 'seed' });
    expect(await texts(sandbox, [{ action: 'status', order: '700' }])).toEqual([
      '200 {"status":"Active","expiry":null,"posts":"2","orders":[701,702]}',
    ]);
  });
});

describe('PHP floats', () => {
  it.each([
    [1_000_000_000n, '100.0'],
    [455_223n, '0.0455223'],
    [100n, '1.0e-5'],
    [12n, '1.2e-6'],
    [1_000n, '0.0001'],
    [0n, '0.0'],
    [-455_223n, '-0.0455223'],
  ])('%d ten-millionths are written as json_encode writes the float: %s', (units, text) => {
    expect(phpFloatText(units, 7)).toBe(text);
  });
});
