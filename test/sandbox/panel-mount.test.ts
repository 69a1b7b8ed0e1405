import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import { postForm, send } from './sandbox-http.js';

const KEY = 'sandbox-panel-key';

/** 1000 followers at 0.90 (charge 0.90000) end Partial with remains 157: kept 0.75870, refunded 0.14130. */
function workedExample(refundMode: 'lowerCharge' | 'keepCharge'): WorldScript {
  return {
    start: '2026-03-01',
    panel: {
      openingBalance: '10.00',
      refundMode,
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
        { id: 'ord_7', service: '1', quantity: 100, placedOn: '2026-03-02' },
        { id: '23503', service: '1', quantity: 100, placedOn: '2026-03-05' },
      ],
    },
  };
}

let sandbox: RunningSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(options: SandboxOptions): Promise<RunningSandbox> {
  sandbox = await startSandbox(options);
  return sandbox;
}

const panel = (running: RunningSandbox, fields: Record<string, string>) =>
  postForm(running.panelUrl, { key: KEY, ...fields });

describe('the worked example over HTTP', () => {
  for (const refundMode of ['lowerCharge', 'keepCharge'] as const) {
    it(`credits the 0.14130 refund to the balance and reports the charge per ${refundMode}`, async () => {
      const running = await start({ script: workedExample(refundMode), today: '2026-03-02' });
      expect((await panel(running, { action: 'status', order: '23501' })).text).toBe(
        '{"charge":"0.90000","start_count":"3572","status":"In progress","remains":"500","currency":"USD"}',
      );
      expect((await panel(running, { action: 'balance' })).text).toBe('{"balance":"9.01000","currency":"USD"}');
      running.setToday('2026-03-03');
      expect((await panel(running, { action: 'status', order: '23501' })).json).toEqual({
        charge: refundMode === 'lowerCharge' ? '0.75870' : '0.90000',
        start_count: '3572',
        status: 'Partial',
        remains: '157',
        currency: 'USD',
      });
      // 10.00 − 0.90000 − 0.09000 + 0.14130
      expect((await panel(running, { action: 'balance' })).json).toEqual({ balance: '9.15130', currency: 'USD' });
    });
  }
});

describe('balance and services', () => {
  it('answers the balance as 5-decimal text with the currency', async () => {
    const running = await start({ seed: 3 });
    const balance = await panel(running, { action: 'balance' });
    expect(balance.status).toBe(200);
    expect(balance.headers.get('content-type')).toMatch(/^application\/json/);
    expect(balance.json).toEqual({ balance: expect.stringMatching(/^\d+\.\d{5}$/), currency: 'USD' });
  });

  it('lists the catalogue with every field as text, one service of each type', async () => {
    const running = await start({ seed: 3 });
    const services = (await panel(running, { action: 'services' })).json as Record<string, string>[];
    expect(services[0]).toEqual({
      service: '1',
      name: 'Instagram Followers',
      type: 'Default',
      rate: '0.90',
      min: '50',
      max: '10000',
      category: 'Instagram',
    });
    expect(services.map((service) => service.type)).toEqual([
      'Default',
      'Custom Comments',
      'Custom Comments Package',
      'Package',
      'Poll',
      'SEO',
      'Invites from Groups',
      'Subscriptions',
      'Default',
    ]);
  });
});

describe('add', () => {
  const addCases: [string, Record<string, string>, string][] = [
    ['Default', { service: '1', link: 'https://instagram.com/a', quantity: '1000' }, '0.90000'],
    [
      'Default as a drip-feed',
      { service: '1', link: 'https://instagram.com/a', quantity: '100', runs: '5', interval: '30' },
      '0.45000',
    ],
    ['SEO', { service: '6', link: 'https://example.com', keywords: 'shoes,sale', quantity: '500' }, '1.20000'],
    [
      'Custom Comments',
      {
        service: '2',
        link: 'https://instagram.com/p/1',
        comments: 'nice\n\ngreat\nwow\nlove it\ncool\nyes\nok\nfine\ngood\nsuper',
      },
      '0.08000',
    ],
    [
      'Custom Comments Package',
      { service: '3', username: 'mychannel', min: '5', max: '20', delay: '30', posts: '3', expiry: '2026-04-01' },
      '0.39000',
    ],
    ['Poll', { service: '5', link: 'https://t.me/c/1', quantity: '1000', answer_number: '2' }, '1.20000'],
    [
      'Invites from Groups',
      { service: '7', link: 'https://t.me/mine', groups: 'group_a\ngroup_b', quantity: '100' },
      '0.34000',
    ],
    ['Package', { service: '4', link: 'https://tiktok.com/@a' }, '2.75000'],
  ];

  for (const [type, fields, charge] of addCases) {
    it(`creates a ${type} order that is charged and then evolves`, async () => {
      const running = await start({ seed: 8 });
      const before = running.world.balanceOn(running.today());
      const reply = await panel(running, { action: 'add', ...fields });
      expect([reply.status, reply.text]).toEqual([200, '{"order":90001}']);
      const status = (await panel(running, { action: 'status', order: '90001' })).json;
      expect(status).toMatchObject({ charge, status: 'Pending' });
      expect(before - running.world.balanceOn(running.today())).toBe(BigInt(charge.replace('.', '')) * 10n);
      running.advanceDays(14);
      expect(((await panel(running, { action: 'status', order: '90001' })).json as { status: string }).status).toMatch(
        /^(Completed|Partial|Canceled|Failed)$/,
      );
    });
  }

  it('refuses a Subscriptions service with 400 and a clear message', async () => {
    const running = await start({ seed: 8 });
    const reply = await panel(running, {
      action: 'add',
      service: '8',
      link: 'https://instagram.com/a',
      quantity: '100',
    });
    expect([reply.status, reply.json]).toEqual([
      400,
      {
        error:
          'Subscription orders must be created from the customer site; API creation of subscriptions is not supported',
      },
    ]);
  });

  it('answers 404 for an unknown service, 400 for missing or out-of-range parameters and 402 when the balance is short', async () => {
    const running = await start({ script: { start: '2026-03-01', panel: { openingBalance: '1.00' } } });
    const add = (fields: Record<string, string>) =>
      panel(running, { action: 'add', ...fields }).then((reply) => [reply.status, reply.json]);
    expect(await add({ service: '99', link: 'x', quantity: '100' })).toEqual([404, { error: 'Incorrect service ID' }]);
    expect(await add({ link: 'x', quantity: '100' })).toEqual([400, { error: 'Missing required parameter: service' }]);
    expect(await add({ service: '1', quantity: '100' })).toEqual([400, { error: 'Missing required parameter: link' }]);
    expect(await add({ service: '1', link: 'x', quantity: '10' })).toEqual([
      400,
      { error: 'Quantity must be between 50 and 10000' },
    ]);
    expect(await add({ service: '3', username: 'u', min: '30', max: '20', delay: '0' })).toEqual([
      400,
      { error: 'min must not be above max' },
    ]);
    expect(await add({ service: '5', link: 'x', quantity: '100' })).toEqual([
      400,
      { error: 'Missing required parameter: answer_number' },
    ]);
    expect(await add({ service: '1', link: 'x', quantity: '5000' })).toEqual([
      402,
      { error: 'Not enough funds on balance' },
    ]);
    expect(await add({ service: '1', link: 'x', quantity: '1000' })).toEqual([200, { order: 90001 }]);
  });
});

describe('status and multiStatus', () => {
  it('answers a single unknown or not-yet-placed id with 404, or with an error inside a 200 when configured', async () => {
    const running = await start({ script: workedExample('lowerCharge'), today: '2026-03-02' });
    expect((await panel(running, { action: 'status', order: '23503' })).status).toBe(404);
    expect(
      await panel(running, { action: 'status', order: 'nope' }).then((reply) => [reply.status, reply.json]),
    ).toEqual([404, { error: 'Incorrect order ID' }]);
    running.changePanelBehaviour({ unknownSingleStatus: 'errorInside200' });
    expect(
      await panel(running, { action: 'status', order: 'nope' }).then((reply) => [reply.status, reply.json]),
    ).toEqual([200, { error: 'Incorrect order ID' }]);
    expect((await panel(running, { action: 'status', order: 'ord_7' })).json).toMatchObject({
      status: 'Pending',
      charge: '0.09000',
    });
  });

  it('answers a batch as multiStatus and as status&orders=, with unknown ids in each of the three shapes', async () => {
    const running = await start({ script: workedExample('keepCharge'), today: '2026-03-03' });
    const known = {
      '23501': { charge: '0.90000', start_count: '3572', status: 'Partial', remains: '157', currency: 'USD' },
      ord_7: { charge: '0.09000', start_count: '0', status: 'Pending', remains: '100', currency: 'USD' },
    };
    const expected = {
      errorObject: { ...known, '23503': { error: 'Incorrect order ID' }, x9: { error: 'Incorrect order ID' } },
      bareString: { ...known, '23503': 'Incorrect order ID', x9: 'Incorrect order ID' },
      missing: known,
    };
    for (const shape of ['errorObject', 'bareString', 'missing'] as const) {
      running.changePanelBehaviour({ unknownOrderInBatch: shape });
      for (const action of ['multiStatus', 'status']) {
        const reply = await panel(running, { action, orders: '23501, ord_7,23503,x9,23501' });
        expect([reply.status, reply.json], `${shape} ${action}`).toEqual([200, expected[shape]]);
      }
    }
  });

  it('accepts up to 100 ids in a batch and refuses 101 or none with 400', async () => {
    const running = await start({ seed: 2 });
    const ids = (count: number) => Array.from({ length: count }, (_, index) => String(23501 + index)).join(',');
    expect((await panel(running, { action: 'multiStatus', orders: ids(100) })).status).toBe(200);
    expect(
      await panel(running, { action: 'multiStatus', orders: ids(101) }).then((reply) => [reply.status, reply.json]),
    ).toEqual([400, { error: 'Too many orders: at most 100 IDs per request (got 101)' }]);
    expect((await panel(running, { action: 'status', orders: ids(101) })).status).toBe(400);
    expect(
      await panel(running, { action: 'multiStatus', orders: ' , ' }).then((reply) => [reply.status, reply.json]),
    ).toEqual([400, { error: 'Missing required parameter: orders' }]);
  });

  it('can reject multiStatus as an unsupported action while the status form keeps working', async () => {
    const running = await start({ script: workedExample('lowerCharge'), today: '2026-03-03' });
    running.injectFaults({ service: 'panel', rejectMultiStatus: true });
    expect(
      await panel(running, { action: 'multiStatus', orders: '23501' }).then((reply) => [reply.status, reply.json]),
    ).toEqual([400, { error: 'Unsupported action: multiStatus' }]);
    expect((await panel(running, { action: 'status', orders: '23501' })).json).toMatchObject({
      '23501': { status: 'Partial' },
    });
    running.changePanelBehaviour({ errorStyle: 'inside200' });
    expect(
      await panel(running, { action: 'multiStatus', orders: '23501' }).then((reply) => [reply.status, reply.json]),
    ).toEqual([200, { error: 'Unsupported action: multiStatus' }]);
    running.injectFaults({ service: 'panel', rejectMultiStatus: false });
    expect((await panel(running, { action: 'multiStatus', orders: '23501' })).json).toMatchObject({
      '23501': { status: 'Partial' },
    });
  });
});

describe('cancel', () => {
  it('cancels Pending orders with a full refund and reports the others per order', async () => {
    const running = await start({ script: workedExample('lowerCharge'), today: '2026-03-02' });
    const reply = await panel(running, { action: 'cancel', orders: 'ord_7,23501,nope' });
    expect(reply.text).toBe(
      '[{"order":"ord_7","cancel":{"status":"success"}},{"order":23501,"error":"Order cannot be canceled: it is In progress"},{"order":"nope","error":"Incorrect order ID"}]',
    );
    expect((await panel(running, { action: 'status', order: 'ord_7' })).json).toMatchObject({
      status: 'Canceled',
      charge: '0.00000',
    });
    expect((await panel(running, { action: 'balance' })).json).toEqual({ balance: '9.10000', currency: 'USD' });
  });
});

describe('request errors', () => {
  it('answers the seed’s codes: 401 for a missing or wrong key, 400 for a bad shape or action, 405 and 404 outside the API', async () => {
    const running = await start({ seed: 1 });
    const result = async (reply: Promise<{ status: number; json: unknown }>) =>
      reply.then((answer) => [answer.status, answer.json]);
    expect(await result(postForm(running.panelUrl, { action: 'balance' }))).toEqual([
      401,
      { error: 'API key is required' },
    ]);
    expect(await result(postForm(running.panelUrl, { key: 'wrong', action: 'balance' }))).toEqual([
      401,
      { error: 'Invalid API key' },
    ]);
    expect(await result(panel(running, {}))).toEqual([400, { error: 'Missing required parameter: action' }]);
    expect(await result(panel(running, { action: 'refund' }))).toEqual([400, { error: 'Unsupported action: refund' }]);
    expect(await result(panel(running, { action: 'status' }))).toEqual([
      400,
      { error: 'Missing required parameter: order' },
    ]);
    expect(
      await result(
        send(running.panelUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ key: KEY, action: 'balance' }),
        }),
      ),
    ).toEqual([400, { error: 'Send the request as application/x-www-form-urlencoded or multipart/form-data' }]);
    const put = await send(running.panelUrl, { method: 'PUT' });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, POST']);
    expect((await send(`${running.baseUrl}/panel/api/v1`, { method: 'POST' })).status).toBe(404);
  });

  it('answers a GET with the fields in the query and a trailing slash as PHP panels do', async () => {
    const running = await start({ seed: 1 });
    const viaPost = await panel(running, { action: 'balance' });
    const viaGet = await send(`${running.panelUrl}/?key=${KEY}&action=balance`);
    expect([viaGet.status, viaGet.json]).toEqual([200, viaPost.json]);
    expect((await send(`${running.panelUrl}?action=balance`)).status).toBe(401);
    expect((await postForm(`${running.panelUrl}/`, { key: KEY, action: 'balance' })).json).toEqual(viaPost.json);
  });

  it('puts every request error inside an HTTP 200 in errors-inside-200 mode', async () => {
    const running = await start({
      script: { start: '2026-03-01', panel: { openingBalance: '0.10' } },
      panel: { errorStyle: 'inside200' },
    });
    const result = async (fields: Record<string, string>) =>
      postForm(running.panelUrl, fields).then((answer) => [answer.status, answer.json]);
    expect(await result({ action: 'balance' })).toEqual([200, { error: 'API key is required' }]);
    expect(await result({ key: 'wrong', action: 'balance' })).toEqual([200, { error: 'Invalid API key' }]);
    expect(await result({ key: KEY, action: 'nope' })).toEqual([200, { error: 'Unsupported action: nope' }]);
    expect(await result({ key: KEY, action: 'add', service: '1', link: 'x', quantity: '1000' })).toEqual([
      200,
      { error: 'Not enough funds on balance' },
    ]);
    expect(await result({ key: KEY, action: 'add', service: '77', link: 'x', quantity: '1000' })).toEqual([
      200,
      { error: 'Incorrect service ID' },
    ]);
    expect(await result({ key: KEY, action: 'status', order: '1' })).toEqual([200, { error: 'Incorrect order ID' }]);
  });
});
