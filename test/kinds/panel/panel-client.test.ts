import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  InvalidReplyError,
  OutcomeUnknownError,
  RateLimitedError,
  RequestRejectedError,
  UpstreamError,
  rawObservationOf,
} from '../../../src/errors.js';
import type { HttpClient } from '../../../src/http/http-client.js';
import type { PanelBatchMode } from '../../../src/kinds/panel/panel-batch-mode.js';
import { createPanelOrderDesk } from '../../../sandbox/panel-order-desk.js';
import { createPanelClient } from '../../../src/kinds/panel/panel-client.js';
import { reply, startLocalServer, type LocalServer } from '../../http/local-server.js';
import { caught, createRawLog, createTestHttp } from '../../sources/source-harness.js';

const KEY = 'panelkey_5b1d9c0e7a';
const SEED_STATUS = { charge: '0.27819', start_count: '3572', status: 'Partial', remains: '157', currency: 'USD' };

let server: LocalServer | undefined;
let http: HttpClient | undefined;
afterEach(async () => {
  await http?.close();
  await server?.close();
  server = undefined;
  http = undefined;
});

type PanelHandler = (form: URLSearchParams, res: ServerResponse, index: number) => void;

async function setup(handler: PanelHandler, batchMode?: PanelBatchMode) {
  server = await startLocalServer((request, res, index) => handler(new URLSearchParams(request.body), res, index));
  const test = createTestHttp('smm-panel');
  http = test.http;
  const raw = createRawLog();
  const client = createPanelClient({
    sourceId: 'smm-panel',
    url: `${server.url}/api/v2`,
    apiKey: KEY,
    http,
    clock: test.clock,
    onRawReply: raw.onRawReply,
    batchMode,
  });
  const desk = createPanelOrderDesk({
    sourceId: 'smm-panel',
    url: `${server.url}/api/v2`,
    apiKey: KEY,
    http,
    clock: test.clock,
    onRawReply: raw.onRawReply,
  });
  const forms = () => server!.received.map((request) => Object.fromEntries(new URLSearchParams(request.body)));
  return { client, desk, raw, forms, clock: test.clock };
}

const json = (res: ServerResponse, body: unknown, status = 200) =>
  reply(res, status, typeof body === 'string' ? body : JSON.stringify(body));

describe("errors in real panels' words", () => {
  it('a SmartPanel wrong-key answer (HTTP 200) is an authentication failure that says to check the key', async () => {
    const { client } = await setup((_, res) =>
      json(res, { error: 'API is Disable for this user or User Not Found! Contact the Support' }),
    );
    const error = await caught(client.balance());
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('check the API key');
  });

  it('"Too Many Attempts." in a 200 is the rate limit, not a refusal', async () => {
    const { client } = await setup((_, res) => json(res, { error: 'Too Many Attempts.' }));
    expect(await caught(client.balance())).toBeInstanceOf(RateLimitedError);
  });

  it('an error nobody recognises on the balance call says to check the url and the key', async () => {
    const { client } = await setup((_, res) => json(res, { error: 'Maintenance' }));
    const error = await caught(client.balance());
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error.message).toBe(
      "smm-panel: request refused (HTTP 200): Maintenance (asked for its balance; check the source's url and apiKey in ledgerline.yaml)",
    );
    expect(rawObservationOf(error)).toBe(1);
  });
});

describe('requests', () => {
  it('posts the key and action form-encoded and lands the reply without the key', async () => {
    const { client, raw, clock } = await setup((_, res) => json(res, '{"balance": "100.84292", "currency": "USD"}'));
    const balance = await client.balance();
    expect(balance).toEqual({
      balance: 100_842_920n,
      balanceText: '100.84292',
      exact: true,
      currency: 'USD',
      rawObservationId: 1,
    });
    const [request] = server!.received;
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request!.body).toBe(`key=${KEY}&action=balance`);
    expect(raw.replies).toEqual([
      {
        sourceId: 'smm-panel',
        action: 'balance',
        request: { method: 'POST', path: '/api/v2', params: { action: 'balance' } },
        httpStatus: 200,
        bodyText: '{"balance": "100.84292", "currency": "USD"}',
        fetchedAt: new Date(clock.now()).toISOString(),
      },
    ]);
  });

  it('reads a balance sent as a number, exactly, without a currency', async () => {
    const { client } = await setup((_, res) => json(res, '{"balance": 100.84292}'));
    expect(await client.balance()).toEqual({
      balance: 100_842_920n,
      balanceText: '100.84292',
      exact: true,
      currency: undefined,
      rawObservationId: 1,
    });
  });

  it('reads a balance a DOUBLE column wrote, rounded half-even to micro-units and marked not exact, keeping the text', async () => {
    const { client } = await setup((_, res) => json(res, '{"balance": 100.3682311, "currency": "USD"}'));
    expect(await client.balance()).toEqual({
      balance: 100_368_231n,
      balanceText: '100.3682311',
      exact: false,
      currency: 'USD',
      rawObservationId: 1,
    });
  });

  it('reads the service list with rates in micro-units', async () => {
    const { desk } = await setup((_, res) =>
      json(res, [
        {
          service: '1',
          name: 'Followers',
          type: 'Default',
          rate: '0.90',
          min: '50',
          max: '10000',
          category: 'First Category',
        },
        {
          service: 2,
          name: 'Comments',
          type: 'Custom Comments',
          rate: 8,
          min: 10,
          max: 1500,
          category: 'Second Category',
        },
      ]),
    );
    const { services } = await desk.services();
    expect(services).toEqual([
      {
        serviceId: '1',
        name: 'Followers',
        type: 'Default',
        rate: 900_000n,
        rateText: '0.90',
        min: '50',
        max: '10000',
        category: 'First Category',
      },
      {
        serviceId: '2',
        name: 'Comments',
        type: 'Custom Comments',
        rate: 8_000_000n,
        rateText: '8',
        min: '10',
        max: '1500',
        category: 'Second Category',
      },
    ]);
  });

  it('adds an order with the fields of its type and returns the id as text', async () => {
    const { desk, forms, raw } = await setup((_, res) => json(res, '{ "order": 23501 }'));
    const added = await desk.add({ service: '1', link: 'https://example.com/p', quantity: '1000' });
    expect(added).toEqual({ orderId: '23501', rawObservationId: 1 });
    expect(forms()).toEqual([
      { key: KEY, action: 'add', service: '1', link: 'https://example.com/p', quantity: '1000' },
    ]);
    expect(raw.replies[0]!.request.params).toEqual({
      action: 'add',
      service: '1',
      link: 'https://example.com/p',
      quantity: '1000',
    });
  });

  it('never sends an add twice after the connection dropped', async () => {
    const { desk } = await setup((_, res) => res.socket?.destroy());
    const error = await caught(desk.add({ service: '1', link: 'https://example.com/p', quantity: '1000' }));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error.message).not.toContain(KEY);
    expect(server!.received).toHaveLength(1);
  });

  it('reports each cancel result', async () => {
    const { desk, forms } = await setup((_, res) =>
      json(
        res,
        '[{ "order": 9, "cancel": { "status": "success" } }, { "order": 2, "error": "Incorrect order ID" }, { "order": 5, "cancel": 1 }, { "order": 6, "cancel": { "error": "Cannot cancel" } }]',
      ),
    );
    const { results } = await desk.cancel(['9', '2', '5', '6']);
    expect(results).toEqual([
      { orderId: '9', accepted: true },
      { orderId: '2', accepted: false, reason: 'Incorrect order ID' },
      { orderId: '5', accepted: true },
      { orderId: '6', accepted: false, reason: 'Cannot cancel' },
    ]);
    expect(forms()[0]).toEqual({ key: KEY, action: 'cancel', orders: '9,2,5,6' });
  });
});

describe('single status', () => {
  it('reads the seed example, keeping the text and the charge in micro-units', async () => {
    const { client, forms } = await setup((_, res) => json(res, SEED_STATUS));
    expect(await client.status('23501')).toEqual({
      kind: 'found',
      status: {
        orderId: '23501',
        shape: 'order',
        statusRaw: 'Partial',
        charge: 278_190n,
        chargeText: '0.27819',
        chargeExact: true,
        startCount: '3572',
        remainsRaw: '157',
        currency: 'USD',
      },
      rawObservationId: 1,
    });
    expect(forms()[0]).toEqual({ key: KEY, action: 'status', order: '23501' });
  });

  it('reads numbers as their decimal text and keeps odd remains raw', async () => {
    const bodies = [
      '{"charge": 0.27819, "start_count": 3572, "status": "Completed", "remains": 0}',
      '{"charge": "1.5", "status": "Completed", "remains": "+12", "currency": "USD"}',
      '{"charge": "1.5", "status": "Partial", "remains": -3}',
      '{"charge": "1.5", "status": "In progress", "remains": "Unknown"}',
      '{"charge": "1.5", "status": "Pending"}',
    ];
    const { client } = await setup((_, res, index) => json(res, bodies[index]!));
    const seen = [];
    for (let i = 0; i < bodies.length; i += 1) {
      const reading = await client.status('7');
      if (reading.kind !== 'found') throw new Error('expected found');
      seen.push([
        reading.status.statusRaw,
        reading.status.charge,
        reading.status.remainsRaw,
        reading.status.startCount,
      ]);
    }
    expect(seen).toEqual([
      ['Completed', 278_190n, '0', '3572'],
      ['Completed', 1_500_000n, '+12', undefined],
      ['Partial', 1_500_000n, '-3', undefined],
      ['In progress', 1_500_000n, 'Unknown', undefined],
      ['Pending', 1_500_000n, undefined, undefined],
    ]);
  });

  it('reads charges of any precision and in exponent notation, rounded half-even to micro-units', async () => {
    const bodies = [
      '{"charge": "0.0435789", "status": "Pending"}',
      '{"charge": 0.0367370127, "status": "Partial", "remains": 157}',
      '{"charge": 1.2e-6, "status": "Pending"}',
      '{"charge": "0.0000005", "status": "Pending"}',
      '{"charge": "0.4100000", "status": "Pending"}',
    ];
    const { client } = await setup((_, res, index) => json(res, bodies[index]!));
    const seen = [];
    for (let i = 0; i < bodies.length; i += 1) {
      const reading = await client.status('7');
      if (reading.kind !== 'found') throw new Error('expected found');
      seen.push([reading.status.chargeText, reading.status.charge, reading.status.chargeExact]);
    }
    expect(seen).toEqual([
      ['0.0435789', 43_579n, false],
      ['0.0367370127', 36_737n, false],
      ['1.2e-6', 1n, false],
      ['0.0000005', 0n, false],
      ['0.4100000', 410_000n, true],
    ]);
  });

  it('reads null fields as absent, as PHP sends an unset value', async () => {
    const { client } = await setup((_, res) =>
      json(res, '{"charge": "1.5", "status": "Pending", "remains": null, "start_count": null, "currency": null}'),
    );
    expect(await client.status('7')).toMatchObject({
      kind: 'found',
      status: { charge: 1_500_000n, remainsRaw: undefined, startCount: undefined, currency: undefined },
    });
  });

  it('reads drip-feed and subscription replies, which carry child orders and no charge', async () => {
    const bodies = [
      '{"status": "In progress", "runs": "2", "orders": [1, 2, "3"]}',
      '{"status": "Active", "expiry": "2026-04-01", "posts": "5", "orders": [10]}',
    ];
    const { client } = await setup((_, res, index) => json(res, bodies[index]!));
    expect(await client.status('100')).toMatchObject({
      kind: 'found',
      status: {
        orderId: '100',
        shape: 'drip-feed',
        statusRaw: 'In progress',
        childOrderIds: ['1', '2', '3'],
        runs: '2',
        charge: undefined,
      },
    });
    expect(await client.status('200')).toMatchObject({
      kind: 'found',
      status: {
        orderId: '200',
        shape: 'subscription',
        statusRaw: 'Active',
        childOrderIds: ['10'],
        posts: '5',
        expiry: '2026-04-01',
      },
    });
  });

  it('reads a reply with a byte-order mark sent as text/html, as PHP scripts often do', async () => {
    const { client } = await setup((_, res) =>
      reply(res, 200, '\uFEFF{"balance": 100.84292}', { 'content-type': 'text/html; charset=UTF-8' }),
    );
    expect(await client.balance()).toMatchObject({ balance: 100_842_920n, currency: undefined });
  });

  it('reads a SmartPanel subscription whose expiry is a PHP boolean and whose counts are JSON numbers, instead of quarantining it', async () => {
    const { client } = await setup((_, res) =>
      json(res, '{"status": "Active", "expiry": false, "posts": 5, "start_count": true, "orders": [10, 11]}'),
    );
    expect(await client.status('300')).toMatchObject({
      kind: 'found',
      status: { shape: 'subscription', childOrderIds: ['10', '11'], posts: '5', expiry: 'false' },
    });
  });

  it('answers unknown for a 404, an {"error"} in a 200 and a bare string alike', async () => {
    const answers: Array<(res: ServerResponse) => void> = [
      (res) => json(res, { error: 'Order not found' }, 404),
      (res) => json(res, { error: 'Incorrect order ID' }),
      (res) => json(res, '"Incorrect order ID"'),
    ];
    const { client } = await setup((_, res, index) => answers[index]!(res));
    expect(await client.status('1')).toEqual({
      kind: 'unknown',
      orderId: '1',
      reason: 'Order not found',
      rawObservationId: 1,
    });
    expect(await client.status('2')).toEqual({
      kind: 'unknown',
      orderId: '2',
      reason: 'Incorrect order ID',
      rawObservationId: 2,
    });
    expect(await client.status('3')).toEqual({
      kind: 'unknown',
      orderId: '3',
      reason: 'Incorrect order ID',
      rawObservationId: 3,
    });
  });

  it('throws InvalidReplyError naming the field when the status cannot be read', async () => {
    const { client } = await setup((_, res) => json(res, '{"charge": "0.2.7", "status": "Partial"}'));
    const error = await caught(client.status('9'));
    expect(error).toBeInstanceOf(InvalidReplyError);
    expect((error as InvalidReplyError).reason).toBe(
      'charge: not an amount: "0.2.7" (expected digits with an optional decimal point)',
    );
    expect(rawObservationOf(error)).toBe(1);
  });
});

describe('error mapping', () => {
  const cases: Array<[string, number, string, (error: Error) => void]> = [
    [
      '400',
      400,
      '{"error":"Missing field: link"}',
      (e) =>
        expect(e).toEqual(
          expect.objectContaining({
            name: 'RequestRejectedError',
            status: 400,
            serviceMessage: 'add: request refused: Missing field: link',
          }),
        ),
    ],
    [
      '401',
      401,
      '{"error":"Invalid API key"}',
      (e) =>
        expect(e.message).toBe(
          'smm-panel: authentication failed (HTTP 401: Invalid API key); check the API key or credentials configured for smm-panel',
        ),
    ],
    [
      '402',
      402,
      '{"error":"Not enough funds"}',
      (e) =>
        expect(e).toEqual(
          expect.objectContaining({
            name: 'RequestRejectedError',
            status: 402,
            serviceMessage: 'add: insufficient balance: Not enough funds',
          }),
        ),
    ],
    [
      '404',
      404,
      '{"error":"Service not found"}',
      (e) =>
        expect(e).toEqual(
          expect.objectContaining({
            name: 'RequestRejectedError',
            status: 404,
            serviceMessage: 'add: unknown order or service: Service not found',
          }),
        ),
    ],
    [
      '200 with {"error"}',
      200,
      '{"error":"Link is invalid"}',
      (e) =>
        expect(e).toEqual(
          expect.objectContaining({ name: 'RequestRejectedError', status: 200, serviceMessage: 'Link is invalid' }),
        ),
    ],
    ['200 with a key error', 200, '{"error":"Invalid API key"}', (e) => expect(e).toBeInstanceOf(AuthError)],
  ];
  for (const [name, status, body, check] of cases) {
    it(`maps ${name} to the error that says what to do, linked to the raw row`, async () => {
      const { desk } = await setup((_, res) => json(res, body, status));
      const error = await caught(desk.add({ service: '1', link: 'x', quantity: '10' }));
      check(error);
      expect(rawObservationOf(error)).toBe(1);
      expect(server!.received).toHaveLength(1);
    });
  }

  it('retries 429 and then gives up with RateLimitedError, landing every answer', async () => {
    const { client, raw, clock } = await setup((_, res) =>
      reply(res, 429, '{"error":"Rate limit exceeded"}', { 'retry-after': '2' }),
    );
    const error = await caught(client.balance());
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.message).toBe('smm-panel: balance: rate limited (HTTP 429) after 3 attempts; retry after 2 s');
    expect(clock.sleeps).toEqual([2_000, 2_000]);
    expect(raw.replies.map((landed) => landed.httpStatus)).toEqual([429, 429, 429]);
    expect(rawObservationOf(error)).toBe(3);
  });

  it('retries 502 then reads the answer', async () => {
    const { client } = await setup((_, res, index) =>
      index === 0 ? reply(res, 502, 'Bad Gateway') : json(res, '{"balance":"1.5","currency":"USD"}'),
    );
    expect((await client.balance()).balance).toBe(1_500_000n);
  });

  it('gives up on 502 with UpstreamError', async () => {
    const { client } = await setup((_, res) => reply(res, 502, '{"error":"Upstream provider returned an error"}'));
    const error = await caught(client.status('1'));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ service: 'smm-panel', status: 502 });
  });

  it('never puts the key in a message, even when the panel echoes it', async () => {
    const answers = [
      (res: ServerResponse) => json(res, { error: `Invalid API key ${KEY}` }, 401),
      (res: ServerResponse) => json(res, { error: `Invalid API key ${KEY}` }),
      (res: ServerResponse) => json(res, { [`${KEY}`]: { status: 'x' }, error: `bad ${KEY}` }),
      (res: ServerResponse) =>
        json(res, `{"1": {"status": "Partial", "charge": "${KEY}"}, "2": "no order for key ${KEY}"}`),
    ];
    const { client, raw } = await setup((_, res, index) => answers[index]!(res));
    const first = await caught(client.balance());
    const second = await caught(client.status('5'));
    const third = await caught(client.statusBatch(['1']));
    const report = await client.statusBatch(['1', '2']);
    expect(first).toBeInstanceOf(AuthError);
    expect(second).toBeInstanceOf(AuthError);
    expect(third).toBeInstanceOf(RequestRejectedError);
    const everything = [
      first.message,
      second.message,
      third.message,
      JSON.stringify(report.invalid),
      JSON.stringify(report.unknown),
      JSON.stringify(raw.replies),
    ].join('\n');
    expect(everything).not.toContain(KEY);
    expect(report.unknown).toEqual([{ orderId: '2', reason: 'no order for key [redacted]', rawObservationId: 4 }]);
  });
});

describe('statusBatch', () => {
  it('sorts a reply into found, unknown (three error shapes and a missing id) and invalid entries', async () => {
    const { client, forms } = await setup((_, res) =>
      json(
        res,
        `{
          "1": { "charge": "0.27819", "start_count": "3572", "status": "Partial", "remains": "157", "currency": "USD" },
          "2": { "error": "Incorrect order ID" },
          "3": "Incorrect order ID",
          "5": { "charge": "lots", "status": "Completed" },
          "6": { "charge": "1.00" },
          "ord_7": { "charge": 1.44219, "start_count": 234, "status": "In progress", "remains": 10, "currency": "USD" },
          "99": { "status": "Completed" }
        }`,
      ),
    );
    const report = await client.statusBatch(['1', '2', '3', '4', '5', '6', 'ord_7']);
    expect(forms()).toEqual([{ key: KEY, action: 'multiStatus', orders: '1,2,3,4,5,6,ord_7' }]);
    expect([...report.orders.values()]).toEqual([
      {
        orderId: '1',
        shape: 'order',
        statusRaw: 'Partial',
        charge: 278_190n,
        chargeText: '0.27819',
        chargeExact: true,
        startCount: '3572',
        remainsRaw: '157',
        currency: 'USD',
      },
      {
        orderId: 'ord_7',
        shape: 'order',
        statusRaw: 'In progress',
        charge: 1_442_190n,
        chargeText: '1.44219',
        chargeExact: true,
        startCount: '234',
        remainsRaw: '10',
        currency: 'USD',
      },
    ]);
    expect(report.unknown).toEqual([
      { orderId: '2', reason: 'Incorrect order ID', rawObservationId: 1 },
      { orderId: '3', reason: 'Incorrect order ID', rawObservationId: 1 },
      { orderId: '4', reason: 'missing from the reply', rawObservationId: 1 },
    ]);
    expect(report.invalid).toEqual([
      {
        orderId: '5',
        reason: 'charge: not an amount: "lots" (expected digits with an optional decimal point)',
        rawObservationId: 1,
      },
      { orderId: '6', reason: 'status: missing', rawObservationId: 1 },
    ]);
    expect(report.rawObservationIds).toEqual([1]);
    expect(report.batchMode).toBe('multiStatus');
  });

  it('splits 250 ids into exactly 3 requests of at most 100', async () => {
    const { client, forms } = await setup((form, res) => {
      const ids = form.get('orders')!.split(',');
      json(
        res,
        Object.fromEntries(ids.map((id) => [id, { charge: '1', status: 'Completed', remains: '0', currency: 'USD' }])),
      );
    });
    const ids = Array.from({ length: 250 }, (_, index) => String(1000 + index));
    const report = await client.statusBatch(ids);
    expect(forms().map((form) => form.orders!.split(',').length)).toEqual([100, 100, 50]);
    expect(forms().flatMap((form) => form.orders!.split(','))).toEqual(ids);
    expect(report.orders.size).toBe(250);
    expect(report.rawObservationIds).toEqual([1, 2, 3]);
  });

  it('sends nothing for an empty list, and drops duplicates and unusable ids before asking', async () => {
    const { client, forms } = await setup((_, res) => json(res, { '1': SEED_STATUS }));
    expect(await client.statusBatch([])).toEqual({
      orders: new Map(),
      unknown: [],
      invalid: [],
      rawObservationIds: [],
      batchMode: 'multiStatus',
    });
    const report = await client.statusBatch(['1', '1', 'a,b', '']);
    expect(forms()).toEqual([{ key: KEY, action: 'multiStatus', orders: '1' }]);
    expect(report.unknown.map((entry) => entry.orderId)).toEqual(['a,b', '']);
  });

  for (const [name, status, body] of [
    ['HTTP 400', 400, '{"error":"Incorrect request"}'],
    ['{"error": "Incorrect request"} in a 200', 200, '{"error":"Incorrect request"}'],
    ['{"error": "unsupported action"} in a 200', 200, '{"error":"Unsupported action: multiStatus"}'],
  ] as const) {
    it(`falls back to action=status&orders when the panel refuses multiStatus with ${name}, and remembers it`, async () => {
      const { client, forms, raw } = await setup((form, res) =>
        form.get('action') === 'multiStatus'
          ? json(res, body, status)
          : json(res, { '1': SEED_STATUS, '2': { error: 'Incorrect order ID' } }),
      );
      const first = await client.statusBatch(['1', '2']);
      expect(first.orders.get('1')?.statusRaw).toBe('Partial');
      expect(first.unknown).toEqual([{ orderId: '2', reason: 'Incorrect order ID', rawObservationId: 2 }]);
      expect(first.batchMode).toBe('status-orders');
      expect(first.rawObservationIds).toEqual([1, 2]);
      expect(client.batchMode).toBe('status-orders');
      await client.statusBatch(['1']);
      expect(forms().map((form) => [form.action, form.orders])).toEqual([
        ['multiStatus', '1,2'],
        ['status', '1,2'],
        ['status', '1'],
      ]);
      expect(raw.replies.map((landed) => [landed.action, landed.request.params])).toEqual([
        ['multiStatus', { action: 'multiStatus', orders: '1,2' }],
        ['status', { action: 'status', orders: '1,2' }],
        ['status', { action: 'status', orders: '1' }],
      ]);
    });
  }

  /** A PHP script with no batch status: multiStatus is a bare null (HTTP 200), status&orders "Order not found.", only status&order=ID answers. */
  const singleStatusScript: PanelHandler = (form, res) => {
    if (form.get('action') === 'multiStatus') return json(res, 'null');
    const order = form.get('order');
    if (order === null) return json(res, { error: 'Order not found.', status: '104' });
    if (order === '1') return json(res, SEED_STATUS);
    if (order === '3') return json(res, { charge: 'lots', status: 'Pending' });
    return json(res, { error: 'Order not found.', status: '104' });
  };

  it('polls one order at a time when the panel answers multiStatus with null and status&orders with "Order not found.", and remembers it', async () => {
    const { client, forms } = await setup(singleStatusScript);
    const first = await client.statusBatch(['1', '2', '3']);
    expect(first.batchMode).toBe('single');
    expect(first.orders.get('1')?.charge).toBe(278_190n);
    expect(first.unknown).toEqual([{ orderId: '2', reason: 'Order not found.', rawObservationId: 4 }]);
    expect(first.invalid.map((entry) => entry.orderId)).toEqual(['3']);
    expect(first.rawObservationIds).toEqual([1, 2, 3, 4, 5]);
    expect(client.batchMode).toBe('single');
    await client.statusBatch(['1']);
    expect(forms().map((form) => [form.action, form.orders ?? `order=${form.order}`])).toEqual([
      ['multiStatus', '1,2,3'],
      ['status', '1,2,3'],
      ['status', 'order=1'],
      ['status', 'order=2'],
      ['status', 'order=3'],
      ['status', 'order=1'],
    ]);
  });

  it('starts with single polling when created with it', async () => {
    const { client, forms } = await setup(singleStatusScript, 'single');
    await client.statusBatch(['1', '2']);
    expect(forms()).toEqual([
      { key: KEY, action: 'status', order: '1' },
      { key: KEY, action: 'status', order: '2' },
    ]);
  });

  it('uses the remembered mode directly when created with it', async () => {
    const { client, forms } = await setup((_, res) => json(res, { '1': SEED_STATUS }), 'status-orders');
    await client.statusBatch(['1']);
    expect(forms()).toEqual([{ key: KEY, action: 'status', orders: '1' }]);
  });

  it('fails with RequestRejectedError naming all three forms when the panel refuses every one', async () => {
    const { client } = await setup((_, res) => json(res, { error: 'Unsupported action' }, 400));
    const error = await caught(client.statusBatch(['1']));
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error.message).toBe(
      'smm-panel: request refused (HTTP 400): the panel refused action=multiStatus (Unsupported action), action=status with orders (Unsupported action) ' +
        'and action=status with one order (status: request refused: Unsupported action)',
    );
    expect(client.batchMode).toBe('multiStatus');
  });

  it('does not fall back on an {"error"} that is not about the action', async () => {
    const { client } = await setup((_, res) => json(res, { error: 'Internal error, try later' }));
    const error = await caught(client.statusBatch(['1', '2']));
    expect(error).toEqual(
      expect.objectContaining({
        name: 'RequestRejectedError',
        status: 200,
        serviceMessage: 'Internal error, try later',
      }),
    );
    expect(server!.received).toHaveLength(1);
  });

  it('throws InvalidReplyError for a body that is not JSON, after landing it', async () => {
    const { client, raw } = await setup((_, res) => reply(res, 200, '<html>Maintenance</html>'));
    const error = await caught(client.statusBatch(['1']));
    expect(error).toBeInstanceOf(InvalidReplyError);
    expect((error as InvalidReplyError).reason).toBe('the body is not JSON (it starts "<html>Maintenance</html>")');
    expect(raw.replies.map((landed) => landed.bodyText)).toEqual(['<html>Maintenance</html>']);
    expect(rawObservationOf(error)).toBe(1);
  });

  it('throws InvalidReplyError for a reply that is one status rather than keyed by order id', async () => {
    const { client } = await setup((_, res) => json(res, SEED_STATUS));
    const error = await caught(client.statusBatch(['1', '2']));
    expect((error as InvalidReplyError).reason).toBe(
      'the reply is a single order status, not an object keyed by order id',
    );
  });

  it('throws InvalidReplyError for a list', async () => {
    const { client } = await setup((_, res) => json(res, [SEED_STATUS]));
    const error = await caught(client.statusBatch(['1']));
    expect((error as InvalidReplyError).reason).toBe('expected an object keyed by order id, got a list');
  });
});
